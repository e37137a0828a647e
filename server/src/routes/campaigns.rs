//! `GET /campaigns`: the live campaigns, their kinds and offers, as residents see them.

use axum::extract::{Path, State};
use axum::routing::get;
use axum::{Json, Router};
use quan_core::api::CampaignView;
use quan_core::ErrorCode;

use crate::error::{AppError, AppResult};
use crate::startup::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/campaigns", get(list))
        .route("/campaigns/{id}", get(one))
}

async fn list(State(state): State<AppState>) -> Json<Vec<CampaignView>> {
    let now = state.clock.now();
    Json(state.campaigns.iter().map(|c| CampaignView::of(c, now)).collect())
}

async fn one(State(state): State<AppState>, Path(id): Path<String>) -> AppResult<Json<CampaignView>> {
    let now = state.clock.now();
    state
        .campaigns
        .get(&id)
        .map(|c| Json(CampaignView::of(c, now)))
        .ok_or_else(|| AppError::new(ErrorCode::NotFound, format!("no campaign '{id}'")))
}
