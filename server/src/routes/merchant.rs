//! The till: look up a scanned code, redeem against an order, reverse, the day's list.

use super::Table;
use axum::extract::State;
use axum::response::Response;
use quan_core::api::{IssueRequest, LookupRequest, LookupResult, MerchantDay, RedeemRequest};
use quan_core::RedemptionId;

use crate::auth::MerchantAuth;
use crate::error::AppResult;
use crate::extract::{created_or_replay, replay, IdempotencyKey, Idempotent, Json, Path};
use crate::state::AppState;
use crate::store::{issues, pauses, redemptions};
#[allow(unused_imports)]
use quan_core::api::{IssuedCoupon, RedemptionView};
#[allow(unused_imports)]
use quan_core::Problem;

pub fn routes() -> Table {
    Table::new()
        .add(__path_lookup, lookup)
        .add(__path_redeem, redeem)
        .add(__path_reverse, reverse)
        .add(__path_today, today)
        .add(__path_issue, issue)
}

#[utoipa::path(post, path = "/api/v1/merchant/lookup", tag = "merchant", request_body = LookupRequest, security(("bearer" = [])), responses((status = 200, description = "The coupon behind the code and whether it applies here", body = LookupResult), (status = 409, description = "already_redeemed", body = Problem, content_type = "application/problem+json"), (status = 422, description = "code_invalid, code_stale, code_expired", body = Problem, content_type = "application/problem+json")))]
async fn lookup(
    State(state): State<AppState>,
    auth: MerchantAuth,
    Json(body): Json<LookupRequest>,
) -> AppResult<Json<LookupResult>> {
    let campaigns = state.campaigns.now();
    let merchant = auth.merchant;
    let now = state.clock.now();
    let coupon = redemptions::read_code(&state.db, &state.secrets.coupon_master, &body.code, now).await?;
    let paused = pauses::live(&state.db.pool, &coupon.campaign).await?;
    Ok(Json(redemptions::describe(
        &campaigns, &coupon, &merchant, &paused,
    )))
}

#[utoipa::path(post, path = "/api/v1/merchant/redemptions", tag = "merchant", request_body = RedeemRequest, params(("Idempotency-Key" = Option<String>, Header, description = "A retry with the same key returns the first result")), security(("bearer" = [])), responses((status = 201, description = "Redeemed", body = RedemptionView), (status = 403, description = "merchant_blacklisted", body = Problem, content_type = "application/problem+json"), (status = 409, description = "already_redeemed", body = Problem, content_type = "application/problem+json"), (status = 422, description = "below_threshold, wrong_category, code_invalid, code_stale, code_expired, invalid_request", body = Problem, content_type = "application/problem+json")))]
async fn redeem(
    State(state): State<AppState>,
    auth: MerchantAuth,
    Idempotent {
        body: request,
        key: idem,
        ..
    }: Idempotent<RedeemRequest>,
) -> AppResult<Response> {
    let campaigns = state.campaigns.now();
    let merchant = auth.merchant;
    let now = state.clock.now();
    let result = redemptions::redeem(
        &state.db,
        &campaigns,
        &state.secrets.coupon_master,
        &merchant,
        auth.account,
        &request.code,
        request.order_amount.fen(),
        idem.as_ref(),
        now,
    )
    .await;
    state
        .metrics
        .redemption(result.as_ref().map(|_| ()).map_err(|e| e.code));
    Ok(created_or_replay(result?))
}

#[utoipa::path(post, path = "/api/v1/merchant/redemptions/{id}/reverse", tag = "merchant", params(("id" = i64, Path, description = "Redemption id"), ("Idempotency-Key" = Option<String>, Header, description = "A retry with the same key returns the first result")), security(("bearer" = [])), responses((status = 200, description = "Reversed: the coupon is back in the wallet", body = RedemptionView), (status = 404, description = "not_found", body = Problem, content_type = "application/problem+json"), (status = 409, description = "not_reversible", body = Problem, content_type = "application/problem+json")))]
async fn reverse(
    State(state): State<AppState>,
    auth: MerchantAuth,
    Path(id): Path<i64>,
    IdempotencyKey { key: idem, .. }: IdempotencyKey,
) -> AppResult<Response> {
    let campaigns = state.campaigns.now();
    let now = state.clock.now();
    let result = redemptions::reverse(
        &state.db,
        &campaigns,
        auth.merchant.id,
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

#[utoipa::path(get, path = "/api/v1/merchant/today", tag = "merchant", security(("bearer" = [])), responses((status = 200, description = "Today's redemptions here, newest first, with totals", body = MerchantDay)))]
async fn today(State(state): State<AppState>, auth: MerchantAuth) -> AppResult<Json<MerchantDay>> {
    let campaigns = state.campaigns.now();
    let now = state.clock.now();
    Ok(Json(
        redemptions::merchant_day(&state.db, &campaigns, auth.merchant.id, now).await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/merchant/issues", tag = "merchant", request_body = IssueRequest, params(("Idempotency-Key" = Option<String>, Header, description = "A retry with the same key returns the first result")), security(("bearer" = [])), responses((status = 201, description = "Issued: the customer's wallet has it", body = IssuedCoupon), (status = 404, description = "not_found: no resident with this mobile number", body = Problem, content_type = "application/problem+json"), (status = 409, description = "limit_reached, sold_out", body = Problem, content_type = "application/problem+json"), (status = 422, description = "below_threshold, wrong_category, invalid_request", body = Problem, content_type = "application/problem+json")))]
async fn issue(
    State(state): State<AppState>,
    auth: MerchantAuth,
    Idempotent {
        body: request,
        key: idem,
        ..
    }: Idempotent<IssueRequest>,
) -> AppResult<Response> {
    let campaigns = state.campaigns.now();
    let merchant = auth.merchant;
    Ok(created_or_replay(
        issues::issue(
            &state.db,
            &campaigns,
            &merchant,
            &request,
            idem.as_ref(),
            state.clock.now(),
        )
        .await?,
    ))
}
