//! Pausing part of a running campaign and resuming it: the bureau's act, on every instance at
//! once, with its reason shown to residents and at the till, and in the audit trail.

use super::Table;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use quan_core::api::{PauseRequest, PauseView};
use quan_core::pause::PauseScope;

use crate::auth::{Bureau, Reports, Staff};
use crate::error::AppResult;
use crate::extract::{Json, Path};
use crate::state::AppState;
use crate::store::pauses;
#[allow(unused_imports)]
use quan_core::Problem;

pub fn routes() -> Table {
    Table::new()
        .add(__path_list, list)
        .add(__path_pause, pause)
        .add(__path_resume, resume)
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
