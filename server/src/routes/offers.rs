//! Merchant-set coupons (Jishan's four treasures): merchants set up offers; residents see and
//! claim them.

use super::Table;
use axum::extract::State;
use axum::response::Response;
use quan_core::api::{CouponView, MerchantOffer, OfferRequest};

use crate::auth::{MerchantAuth, ResidentAuth, Shop};
use crate::error::AppResult;
use crate::extract::{created, created_or_replay, IdempotencyKey, Json, Path};
use crate::state::AppState;
use crate::store::offers;
#[allow(unused_imports)]
use quan_core::Problem;

pub fn routes() -> Table {
    Table::new()
        .add(__path_mine, mine)
        .add(__path_create, create)
        .add(__path_open, open)
        .add(__path_claim, claim)
}

#[utoipa::path(post, path = "/api/v1/merchant/offers", tag = "merchant", request_body = OfferRequest, security(("bearer" = [])), responses((status = 201, description = "The offer, open to residents", body = MerchantOffer), (status = 422, description = "wrong_category, invalid_request", body = Problem, content_type = "application/problem+json")))]
async fn create(
    State(state): State<AppState>,
    auth: MerchantAuth<Shop>,
    Json(body): Json<OfferRequest>,
) -> AppResult<Response> {
    let campaigns = state.campaigns.now();
    let merchant = auth.merchant;
    let offer = offers::create(&state.db, &campaigns, &merchant, &body, state.clock.now()).await?;
    Ok(created(offer))
}

#[utoipa::path(get, path = "/api/v1/merchant/offers", tag = "merchant", security(("bearer" = [])), responses((status = 200, description = "This merchant's offers, with what has been claimed", body = Vec<MerchantOffer>)))]
async fn mine(State(state): State<AppState>, auth: MerchantAuth) -> AppResult<Json<Vec<MerchantOffer>>> {
    let campaigns = state.campaigns.now();
    Ok(Json(
        offers::list(&state.db, &campaigns, Some(auth.merchant.id), state.clock.now()).await?,
    ))
}

#[utoipa::path(get, path = "/api/v1/offers", tag = "campaigns", responses((status = 200, description = "Merchants' offers of running campaigns with coupons left", body = Vec<MerchantOffer>)))]
async fn open(State(state): State<AppState>) -> AppResult<Json<Vec<MerchantOffer>>> {
    let campaigns = state.campaigns.now();
    Ok(Json(
        offers::list(&state.db, &campaigns, None, state.clock.now()).await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/offers/{id}/claim", tag = "resident", params(("id" = i64, Path), ("Idempotency-Key" = Option<String>, Header, description = "A retry with the same key returns the first result")), security(("bearer" = [])), responses((status = 201, description = "Claimed: in the wallet, usable at the offering merchant", body = CouponView), (status = 404, description = "not_found", body = Problem, content_type = "application/problem+json"), (status = 409, description = "sold_out, not_started, ended, limit_reached, idempotency_in_progress", body = Problem, content_type = "application/problem+json"), (status = 422, description = "invalid_request, idempotency_mismatch", body = Problem, content_type = "application/problem+json"), (status = 429, description = "rate_limited (with Retry-After)", body = Problem, content_type = "application/problem+json"), (status = 503, description = "unavailable: the bureau's overload switch holds claims back; nothing was claimed, retry after Retry-After", body = Problem, content_type = "application/problem+json")))]
async fn claim(
    State(state): State<AppState>,
    ResidentAuth(resident): ResidentAuth,
    Path(id): Path<i64>,
    IdempotencyKey { key: idem, .. }: IdempotencyKey,
) -> AppResult<Response> {
    let now = state.clock.now();
    // The same allowance a resident's release claims draw on: offers are claimed as fast.
    state.limiter.check_resident(resident, now)?;
    let outcome = offers::claim(
        &state.db,
        &state.campaigns,
        &state.secrets.coupon_master,
        resident,
        id,
        idem.as_ref(),
        now,
    )
    .await?;
    Ok(created_or_replay(outcome))
}
