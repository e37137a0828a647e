//! Merchant-set coupons (Jishan's four treasures): merchants set up offers; residents see and
//! claim them.

use axum::extract::State;
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use quan_core::api::{CouponView, MerchantOffer, OfferRequest};

use crate::auth::{MerchantAuth, ResidentAuth, Shop};
use crate::error::AppResult;
use crate::extract::{created, Json, Path};
use crate::state::AppState;
use crate::store::offers;
#[allow(unused_imports)]
use quan_core::Problem;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/merchant/offers", get(mine).post(create))
        .route("/offers", get(open))
        .route("/offers/{id}/claim", post(claim))
}

#[utoipa::path(post, path = "/api/v1/merchant/offers", tag = "merchant", request_body = OfferRequest, security(("bearer" = [])), responses((status = 201, description = "The offer, open to residents", body = MerchantOffer), (status = 422, description = "wrong_category, invalid_request", body = Problem, content_type = "application/problem+json")))]
async fn create(
    State(state): State<AppState>,
    auth: MerchantAuth<Shop>,
    Json(body): Json<OfferRequest>,
) -> AppResult<Response> {
    let merchant = auth.merchant;
    let offer = offers::create(&state.db, &state.campaigns, &merchant, &body, state.clock.now()).await?;
    Ok(created(offer))
}

#[utoipa::path(get, path = "/api/v1/merchant/offers", tag = "merchant", security(("bearer" = [])), responses((status = 200, description = "This merchant's offers, with what has been claimed", body = Vec<MerchantOffer>)))]
async fn mine(State(state): State<AppState>, auth: MerchantAuth) -> AppResult<Json<Vec<MerchantOffer>>> {
    Ok(Json(
        offers::list(
            &state.db,
            &state.campaigns,
            Some(auth.merchant.id),
            state.clock.now(),
        )
        .await?,
    ))
}

#[utoipa::path(get, path = "/api/v1/offers", tag = "campaigns", responses((status = 200, description = "Merchants' offers of running campaigns with coupons left", body = Vec<MerchantOffer>)))]
async fn open(State(state): State<AppState>) -> AppResult<Json<Vec<MerchantOffer>>> {
    Ok(Json(
        offers::list(&state.db, &state.campaigns, None, state.clock.now()).await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/offers/{id}/claim", tag = "resident", params(("id" = i64, Path)), security(("bearer" = [])), responses((status = 201, description = "Claimed: in the wallet, usable at the offering merchant", body = CouponView), (status = 409, description = "sold_out, limit_reached", body = Problem, content_type = "application/problem+json")))]
async fn claim(
    State(state): State<AppState>,
    ResidentAuth(resident): ResidentAuth,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let coupon = offers::claim(
        &state.db,
        &state.campaigns,
        &state.secrets.coupon_master,
        resident,
        id,
        state.clock.now(),
    )
    .await?;
    Ok(created(coupon))
}
