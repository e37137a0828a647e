//! The till: look up a scanned code, redeem against an order, reverse, the day's list.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use quan_core::api::{LookupRequest, LookupResult, MerchantDay, MerchantView, RedeemRequest};
use quan_core::{ErrorCode, RedemptionId};

use super::resident::parse_json;
use crate::auth::MerchantAuth;
use crate::error::{AppError, AppResult};
use crate::extract::{created, replay, Json};
use crate::startup::AppState;
use crate::store::idempotency::IdemKey;
use crate::store::{accounts, redemptions};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/merchant/lookup", post(lookup))
        .route("/merchant/redemptions", post(redeem))
        .route("/merchant/redemptions/{id}/reverse", post(reverse))
        .route("/merchant/today", get(today))
}

async fn my_merchant(state: &AppState, auth: &MerchantAuth) -> AppResult<MerchantView> {
    accounts::merchant(&state.db, auth.merchant)
        .await
        .map_err(AppError::internal)?
        .ok_or_else(|| AppError::new(ErrorCode::Forbidden, "this account's merchant no longer exists"))
}

async fn lookup(
    State(state): State<AppState>,
    auth: MerchantAuth,
    Json(body): Json<LookupRequest>,
) -> AppResult<Json<LookupResult>> {
    let merchant = my_merchant(&state, &auth).await?;
    let now = state.clock.now();
    let coupon = redemptions::read_code(&state.db, &state.secrets.coupon_master, &body.code, now).await?;
    Ok(Json(redemptions::describe(&state.campaigns, &coupon, &merchant)))
}

async fn redeem(
    State(state): State<AppState>,
    auth: MerchantAuth,
    headers: HeaderMap,
    body: Bytes,
) -> AppResult<Response> {
    let request: RedeemRequest = parse_json(&headers, &body)?;
    let merchant = my_merchant(&state, &auth).await?;
    let idem = IdemKey::from_headers(&headers, format!("a:{}", auth.account), &body)?;
    let _guard = match &idem {
        Some(k) => Some(state.in_flight.enter(k)?),
        None => None,
    };
    let now = state.clock.now();
    let result = redemptions::redeem(
        &state.db,
        &state.campaigns,
        &state.secrets.coupon_master,
        &merchant,
        auth.account,
        &request.code,
        request.order_amount,
        idem.as_ref(),
        now,
    )
    .await;
    state
        .metrics
        .redemption(result.as_ref().map(|_| ()).map_err(|e| e.code));
    match result? {
        Ok(view) => Ok(created(view)),
        Err(prior) => Ok(replay(prior)),
    }
}

async fn reverse(
    State(state): State<AppState>,
    auth: MerchantAuth,
    Path(id): Path<i64>,
    headers: HeaderMap,
) -> AppResult<Response> {
    let idem = IdemKey::from_headers(
        &headers,
        format!("a:{}", auth.account),
        format!("reverse:{id}").as_bytes(),
    )?;
    let _guard = match &idem {
        Some(k) => Some(state.in_flight.enter(k)?),
        None => None,
    };
    let now = state.clock.now();
    let result = redemptions::reverse(
        &state.db,
        &state.campaigns,
        auth.merchant,
        auth.account,
        RedemptionId(id),
        idem.as_ref(),
        now,
    )
    .await?;
    match result {
        Ok(view) => Ok(axum::response::IntoResponse::into_response(Json(view))),
        Err(prior) => Ok(replay(prior)),
    }
}

async fn today(State(state): State<AppState>, auth: MerchantAuth) -> AppResult<Json<MerchantDay>> {
    let now = state.clock.now();
    Ok(Json(
        redemptions::merchant_day(&state.db, &state.campaigns, auth.merchant, now).await?,
    ))
}
