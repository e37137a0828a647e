//! `GET /campaigns`: the live campaigns, their kinds and offers, as residents see them.

use super::Table;
use axum::extract::State;
use std::collections::HashMap;

use quan_core::api::CampaignView;
use quan_core::campaign::Campaign;
use quan_core::pause::{stopping_issue, Pause};
use quan_core::ErrorCode;

use crate::error::{AppError, AppResult};
use crate::extract::{Json, Path};
use crate::state::AppState;
use crate::store::{claims, pauses};
#[allow(unused_imports)]
use quan_core::Problem;

pub fn routes() -> Table {
    Table::new().add(__path_list, list).add(__path_one, one)
}

#[utoipa::path(get, path = "/api/v1/campaigns", tag = "campaigns", responses((status = 200, description = "Every campaign, as residents see it", body = Vec<CampaignView>)))]
async fn list(State(state): State<AppState>) -> AppResult<Json<Vec<CampaignView>>> {
    let campaigns = state.campaigns.now();
    let now = state.clock.now();
    let left = claims::left_today(&state.db, &campaigns, now).await?;
    let paused = pauses::live_everywhere(&state.db).await?;
    Ok(Json(
        campaigns
            .iter()
            .map(|c| view(c, now, &left, &paused, state.campaigns.busy(c.id.as_str())))
            .collect(),
    ))
}

fn view(
    c: &Campaign,
    now: quan_core::Timestamp,
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
