//! `GET /campaigns`: the live campaigns, their kinds and offers, as residents see them.

use super::Table;
use axum::extract::State;
use std::collections::HashMap;

use axum::response::Response;
use quan_core::api::{CampaignView, DrawView};
use quan_core::campaign::Campaign;
use quan_core::pause::{stopping_issue, Pause};
use quan_core::{ChinaDate, ErrorCode, Timestamp};

use crate::error::{AppError, AppResult};
use crate::extract::{Json, Path};
use crate::state::AppState;
use crate::store::{self, claims, pauses};
#[allow(unused_imports)]
use quan_core::Problem;

pub fn routes() -> Table {
    Table::new()
        .add(__path_list, list)
        .add(__path_one, one)
        .add(__path_draws, draws)
        .add(__path_draw_list, draw_list)
}

#[utoipa::path(get, path = "/api/v1/campaigns", tag = "campaigns", responses((status = 200, description = "Every campaign, as residents see it", body = Vec<CampaignView>)))]
async fn list(State(state): State<AppState>) -> AppResult<Json<Vec<CampaignView>>> {
    Ok(Json(views(&state, state.clock.now()).await?))
}

/// Every campaign as residents see it at `now`: `GET /campaigns`, and the resident's page as
/// served (`web::resident_page`).
pub async fn views(state: &AppState, now: Timestamp) -> AppResult<Vec<CampaignView>> {
    let campaigns = state.campaigns.now();
    let left = claims::left_today(&state.db, &campaigns, now).await?;
    let paused = pauses::live_everywhere(&state.db).await?;
    Ok(campaigns
        .iter()
        .map(|c| view(c, now, &left, &paused, state.campaigns.busy(c.id.as_str())))
        .collect())
}

fn view(
    c: &Campaign,
    now: Timestamp,
    left: &HashMap<(String, String), quan_core::Fen>,
    paused: &HashMap<String, Vec<Pause>>,
    busy: Option<u32>,
) -> CampaignView {
    let mut v = CampaignView::of(c, now);
    v.busy = busy;
    let live = paused.get(c.id.as_str()).map_or(&[][..], Vec::as_slice);
    for k in &mut v.kinds {
        k.left_today = left.get(&(c.id.0.clone(), k.id.0.clone())).copied();
        k.paused = stopping_issue(live, &k.id).map(|p| p.reason.clone());
    }
    v
}

#[utoipa::path(get, path = "/api/v1/campaigns/{id}", tag = "campaigns", params(("id" = String, Path, description = "Campaign id")), responses((status = 200, body = CampaignView), (status = 404, description = "not_found", body = Problem, content_type = "application/problem+json")))]
async fn one(State(state): State<AppState>, Path(id): Path<String>) -> AppResult<Json<CampaignView>> {
    let campaigns = state.campaigns.now();
    let now = state.clock.now();
    let c = campaigns
        .get(&id)
        .ok_or_else(|| AppError::new(ErrorCode::NotFound, format!("no campaign '{id}'")))?;
    let left = claims::left_today(&state.db, &campaigns, now).await?;
    let paused = pauses::live_everywhere(&state.db).await?;
    Ok(Json(view(
        c,
        now,
        &left,
        &paused,
        state.campaigns.busy(c.id.as_str()),
    )))
}

#[utoipa::path(get, path = "/api/v1/campaigns/{id}/draws", tag = "campaigns", params(("id" = String, Path, description = "Campaign id")), responses((status = 200, description = "Every day's draw (预约抽签), oldest first: the seed's commitment from when sign-up opened, and the seed once the draw is made", body = Vec<DrawView>), (status = 404, description = "not_found", body = Problem, content_type = "application/problem+json")))]
async fn draws(State(state): State<AppState>, Path(id): Path<String>) -> AppResult<Json<Vec<DrawView>>> {
    let campaigns = state.campaigns.now();
    let c = campaigns
        .get(&id)
        .ok_or_else(|| AppError::new(ErrorCode::NotFound, format!("no campaign '{id}'")))?;
    Ok(Json(store::draws::days(&state.db, c.id.as_str()).await?))
}

#[utoipa::path(get, path = "/api/v1/campaigns/{id}/draws/{day}/sign-ups.csv", tag = "campaigns", params(("id" = String, Path, description = "Campaign id"), ("day" = String, Path, description = "The day (YYYY-MM-DD, China)")), responses((status = 200, description = "The day's sign-ups under their tickets, in the draw's order once it is made: with the seed, anyone can re-run the draw", content_type = "text/csv"), (status = 404, description = "not_found", body = Problem, content_type = "application/problem+json")))]
async fn draw_list(
    State(state): State<AppState>,
    Path((id, day)): Path<(String, String)>,
) -> AppResult<Response> {
    let campaigns = state.campaigns.now();
    let c = campaigns
        .get(&id)
        .ok_or_else(|| AppError::new(ErrorCode::NotFound, format!("no campaign '{id}'")))?;
    let day = ChinaDate::parse(&day).map_err(|e| AppError::new(ErrorCode::NotFound, e.to_string()))?;
    let mut out = String::from("ticket,kind,denomination,place,outcome\n");
    for s in store::draws::list(&state.db, c.id.as_str(), day).await? {
        out.push_str(&format!(
            "{},{},{},{},{}\n",
            s.ticket,
            s.kind,
            s.denomination,
            s.place.map_or_else(String::new, |p| p.to_string()),
            s.outcome.unwrap_or_default()
        ));
    }
    Ok(super::reports::csv(&format!("{id}-{day}-sign-ups.csv"), out))
}
