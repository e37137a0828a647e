//! Pausing part of a running campaign and resuming it: the bureau's act, on every instance at
//! once, with its reason shown to residents and at the till, and in the audit trail.

use super::Table;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use quan_core::api::{BusyRequest, BusyView, PauseRequest, PauseView, BUSY_MAX_SECS, BUSY_MIN_SECS};
use quan_core::pause::PauseScope;
use quan_core::ErrorCode;

use crate::auth::{Bureau, Reports, Staff};
use crate::error::{AppError, AppResult};
use crate::extract::{Json, Path};
use crate::state::AppState;
use crate::store::{self, pauses};
#[allow(unused_imports)]
use quan_core::Problem;

pub fn routes() -> Table {
    Table::new()
        .add(__path_list, list)
        .add(__path_pause, pause)
        .add(__path_resume, resume)
        .add(__path_busy, busy)
        .add(__path_set_busy, set_busy)
}

#[utoipa::path(get, path = "/api/v1/operator/campaigns/{id}/busy", tag = "operator", params(("id" = String, Path, description = "Campaign id")), security(("bearer" = [])), responses((status = 200, description = "The campaign's overload switch as it stands", body = BusyView)))]
async fn busy(
    State(state): State<AppState>,
    who: Staff<Reports>,
    Path(id): Path<String>,
) -> AppResult<Json<BusyView>> {
    let campaigns = state.campaigns.now();
    let campaign = campaigns.for_staff(&id, &who)?;
    Ok(Json(store::busy::one(&state.db, campaign.id.as_str()).await?))
}

#[utoipa::path(post, path = "/api/v1/operator/campaigns/{id}/busy", tag = "operator", params(("id" = String, Path, description = "Campaign id")), request_body = BusyRequest, security(("bearer" = [])), responses((status = 200, description = "On: every instance asks claims to come back in that many seconds, within a second; tills keep redeeming. Off: claims are taken again", body = BusyView), (status = 422, description = "invalid_request: the wait is not 5 to 600 seconds", body = Problem, content_type = "application/problem+json")))]
async fn set_busy(
    State(state): State<AppState>,
    op: Staff<Bureau>,
    Path(id): Path<String>,
    Json(body): Json<BusyRequest>,
) -> AppResult<Response> {
    let campaigns = state.campaigns.now();
    let campaign = campaigns.for_staff(&id, &op)?;
    let wait = if body.on {
        if !(BUSY_MIN_SECS..=BUSY_MAX_SECS).contains(&body.retry_after) {
            return Err(AppError::new(
                ErrorCode::InvalidRequest,
                "the wait asked of residents is 5 to 600 seconds",
            ));
        }
        Some(body.retry_after)
    } else {
        None
    };
    let view = store::busy::set(
        &state.db,
        campaign.id.as_str(),
        wait,
        op.account,
        state.clock.now(),
    )
    .await?;
    // This instance at once; the others within a second.
    state.campaigns.refresh(&state.db).await?;
    let detail = match wait {
        Some(s) => format!("{}'s claims asked to come back in {s} s", campaign.id),
        None => format!("{}'s claims taken again", campaign.id),
    };
    Ok(crate::audit::with_detail(Json(view).into_response(), detail))
}

#[utoipa::path(get, path = "/api/v1/operator/campaigns/{id}/pauses", tag = "operator", params(("id" = String, Path, description = "Campaign id")), security(("bearer" = [])), responses((status = 200, description = "The campaign's pauses, live and resumed, newest first", body = Vec<PauseView>)))]
async fn list(
    State(state): State<AppState>,
    who: Staff<Reports>,
    Path(id): Path<String>,
) -> AppResult<Json<Vec<PauseView>>> {
    let campaigns = state.campaigns.now();
    let campaign = campaigns.for_staff(&id, &who)?;
    Ok(Json(pauses::list(&state.db, campaign.id.as_str()).await?))
}

#[utoipa::path(post, path = "/api/v1/operator/campaigns/{id}/pauses", tag = "operator", params(("id" = String, Path, description = "Campaign id")), request_body = PauseRequest, security(("bearer" = [])), responses((status = 201, description = "Paused on every instance from now", body = PauseView), (status = 422, description = "invalid_request: no such kind or category, no reason, or paused already", body = Problem, content_type = "application/problem+json")))]
async fn pause(
    State(state): State<AppState>,
    op: Staff<Bureau>,
    Path(id): Path<String>,
    Json(body): Json<PauseRequest>,
) -> AppResult<Response> {
    let campaigns = state.campaigns.now();
    let campaign = campaigns.for_staff(&id, &op)?;
    let made = pauses::pause(&state.db, campaign, &body, op.account, state.clock.now()).await?;
    let detail = format!("paused {}: {}", what(&made), made.reason);
    Ok(crate::audit::with_detail(crate::extract::created(made), detail))
}

#[utoipa::path(post, path = "/api/v1/operator/pauses/{id}/resume", tag = "operator", params(("id" = i64, Path, description = "Pause id")), security(("bearer" = [])), responses((status = 200, description = "Resumed on every instance from now", body = PauseView), (status = 404, description = "not_found", body = Problem, content_type = "application/problem+json"), (status = 422, description = "invalid_request: resumed already", body = Problem, content_type = "application/problem+json")))]
async fn resume(
    State(state): State<AppState>,
    op: Staff<Bureau>,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let campaigns = state.campaigns.now();
    let may = |campaign: &str| campaigns.for_staff(campaign, &op).is_ok();
    let done = pauses::resume(&state.db, id, may, op.account, state.clock.now()).await?;
    let detail = format!("resumed {}", what(&done));
    Ok(crate::audit::with_detail(Json(done).into_response(), detail))
}

/// What a pause stops, for the audit trail.
fn what(p: &PauseView) -> String {
    match p.scope {
        PauseScope::Claims => format!("{}'s claims", p.campaign),
        PauseScope::Kind => format!("{}'s claims of {}", p.campaign, p.target),
        PauseScope::Category => format!("{}'s redemptions in {}", p.campaign, p.target),
    }
}
