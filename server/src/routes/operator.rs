//! The operator's calls: merchants and the blacklist, the love-coupon list.

use axum::extract::State;
use axum::routing::{get, post};
use axum::Router;
use quan_core::api::{AllocationRequest, BlacklistRequest, MerchantView};
use quan_core::{ErrorCode, MerchantId};

use crate::auth::{Bureau, Staff};
use crate::error::{AppError, AppResult};
use crate::extract::{Json, Path};
use crate::startup::AppState;
use crate::store::{accounts, allocations};
#[allow(unused_imports)]
use quan_core::Problem;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/operator/merchants", get(merchants))
        .route("/operator/merchants/{id}/blacklist", post(blacklist))
        .route("/operator/allocations", post(allocate))
}

#[utoipa::path(get, path = "/api/v1/operator/merchants", tag = "operator", security(("bearer" = [])), responses((status = 200, body = Vec<MerchantView>)))]
async fn merchants(State(state): State<AppState>, op: Staff<Bureau>) -> AppResult<Json<Vec<MerchantView>>> {
    let mut list = accounts::merchants(&state.db).await?;
    list.retain(|m| op.covers(&m.county));
    Ok(Json(list))
}

#[utoipa::path(post, path = "/api/v1/operator/merchants/{id}/blacklist", tag = "operator", params(("id" = i64, Path, description = "Merchant id")), request_body = BlacklistRequest, security(("bearer" = [])), responses((status = 200, body = MerchantView), (status = 404, description = "not_found", body = Problem, content_type = "application/problem+json")))]
async fn blacklist(
    State(state): State<AppState>,
    op: Staff<Bureau>,
    Path(id): Path<i64>,
    Json(body): Json<BlacklistRequest>,
) -> AppResult<Json<MerchantView>> {
    let known = accounts::merchant(&state.db, MerchantId(id)).await?;
    if !known.is_some_and(|m| op.covers(&m.county)) {
        return Err(AppError::new(ErrorCode::NotFound, "no such merchant"));
    }
    let found = accounts::set_blacklisted(&state.db, MerchantId(id), body.blacklisted, &body.reason)
        .await
        .map_err(AppError::internal)?;
    if !found {
        return Err(AppError::new(ErrorCode::NotFound, "no such merchant"));
    }
    accounts::merchant(&state.db, MerchantId(id))
        .await
        .map_err(AppError::internal)?
        .map(Json)
        .ok_or_else(|| AppError::code(ErrorCode::NotFound))
}

#[utoipa::path(post, path = "/api/v1/operator/allocations", tag = "operator", request_body = AllocationRequest, security(("bearer" = [])), responses((status = 200, description = "What the import allocated and refused", body = allocations::AllocationReport)))]
async fn allocate(
    State(state): State<AppState>,
    op: Staff<Bureau>,
    Json(body): Json<AllocationRequest>,
) -> AppResult<Json<allocations::AllocationReport>> {
    let (campaign, kind) = state
        .campaigns
        .kind(&body.campaign, &body.kind)
        .filter(|(c, _)| op.covers(&c.county))
        .ok_or_else(|| AppError::new(ErrorCode::NotFound, "no such campaign or kind"))?;
    let report = allocations::import(&state.db, campaign, kind, &body.csv, state.clock.now()).await?;
    Ok(Json(report))
}
