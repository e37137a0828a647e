//! `GET /campaigns`: the live campaigns, their kinds and offers, as residents see them.

use axum::extract::State;
use axum::routing::get;
use axum::Router;
use quan_core::api::CampaignView;
use quan_core::ErrorCode;

use crate::error::{AppError, AppResult};
use crate::extract::{Json, Path};
use crate::startup::AppState;
#[allow(unused_imports)]
use quan_core::Problem;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/campaigns", get(list))
        .route("/campaigns/{id}", get(one))
}

#[utoipa::path(get, path = "/api/v1/campaigns", tag = "campaigns", responses((status = 200, description = "Every campaign, as residents see it", body = Vec<CampaignView>)))]
async fn list(State(state): State<AppState>) -> Json<Vec<CampaignView>> {
    let now = state.clock.now();
    Json(state.campaigns.iter().map(|c| CampaignView::of(c, now)).collect())
}

#[utoipa::path(get, path = "/api/v1/campaigns/{id}", tag = "campaigns", params(("id" = String, Path, description = "Campaign id")), responses((status = 200, body = CampaignView), (status = 404, description = "not_found", body = Problem, content_type = "application/problem+json")))]
async fn one(State(state): State<AppState>, Path(id): Path<String>) -> AppResult<Json<CampaignView>> {
    let now = state.clock.now();
    state
        .campaigns
        .get(&id)
        .map(|c| Json(CampaignView::of(c, now)))
        .ok_or_else(|| AppError::new(ErrorCode::NotFound, format!("no campaign '{id}'")))
}
