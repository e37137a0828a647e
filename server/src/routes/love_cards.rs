//! Love-coupon cards: the bureau prints them, and replaces a lost one; the till redeems from them
//! with the holder's PIN.

use super::Table;
use axum::extract::State;
use axum::response::Response;
use quan_core::api::{CardLookup, CardRedeemRequest, CardRequest, CardView, PrintedCard};

use crate::auth::{Bureau, MerchantAuth, Staff};
use crate::error::AppResult;
use crate::extract::{created, created_or_replay, replay, Idempotent, Json, Path};
use crate::state::AppState;
use crate::store::{love_cards, pauses, redemptions};
#[allow(unused_imports)]
use quan_core::api::RedemptionView;
#[allow(unused_imports)]
use quan_core::Problem;

pub fn routes() -> Table {
    Table::new()
        .add(__path_list, list)
        .add(__path_print, print)
        .add(__path_replace, replace)
        .add(__path_lookup, lookup)
        .add(__path_redeem, redeem)
}

#[utoipa::path(get, path = "/api/v1/operator/campaigns/{id}/love-cards", tag = "operator", params(("id" = String, Path)), security(("bearer" = [])), responses((status = 200, description = "The campaign's love-coupon cards (no PINs)", body = Vec<CardView>)))]
async fn list(
    State(state): State<AppState>,
    op: Staff<Bureau>,
    Path(id): Path<String>,
) -> AppResult<Json<Vec<CardView>>> {
    let campaigns = state.campaigns.now();
    campaigns.for_staff(&id, &op)?;
    Ok(Json(love_cards::list(&state.db, &id, state.clock.now()).await?))
}

#[utoipa::path(post, path = "/api/v1/operator/campaigns/{id}/love-cards", tag = "operator", params(("id" = String, Path)), security(("bearer" = [])), responses((status = 201, description = "A card for everyone on the love-coupon list who has none, with the PINs to print (shown this once)", body = Vec<PrintedCard>)))]
async fn print(
    State(state): State<AppState>,
    op: Staff<Bureau>,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let campaigns = state.campaigns.now();
    campaigns.for_staff(&id, &op)?;
    let cards = love_cards::print_all(&state.db, &state.secrets.card_pins, &id, state.clock.now()).await?;
    Ok(created(cards))
}

#[utoipa::path(post, path = "/api/v1/operator/love-cards/{number}/replace", tag = "operator", params(("number" = String, Path)), security(("bearer" = [])), responses((status = 201, description = "The lost card revoked; a new one, with what was left on it", body = PrintedCard), (status = 404, description = "not_found", body = Problem, content_type = "application/problem+json")))]
async fn replace(
    State(state): State<AppState>,
    op: Staff<Bureau>,
    Path(number): Path<String>,
) -> AppResult<Response> {
    let campaigns = state.campaigns.now();
    let may = |campaign: &str| campaigns.for_staff(campaign, &op).is_ok();
    let card = love_cards::replace(
        &state.db,
        &state.secrets.card_pins,
        &number,
        may,
        state.clock.now(),
    )
    .await?;
    Ok(created(card))
}

#[utoipa::path(post, path = "/api/v1/merchant/cards/lookup", tag = "merchant", request_body = CardRequest, security(("bearer" = [])), responses((status = 200, description = "What the card holds, and the coupon the next order uses", body = CardLookup), (status = 401, description = "unauthorized: wrong PIN", body = Problem, content_type = "application/problem+json"), (status = 422, description = "code_invalid: no such card", body = Problem, content_type = "application/problem+json")))]
async fn lookup(
    State(state): State<AppState>,
    auth: MerchantAuth,
    Json(body): Json<CardRequest>,
) -> AppResult<Json<CardLookup>> {
    let campaigns = state.campaigns.now();
    let merchant = auth.merchant;
    let now = state.clock.now();
    let number = body.number.trim();
    let (campaign, resident) =
        love_cards::open(&state.db, &state.secrets.card_pins, number, &body.pin, now).await?;
    let (_, coupon) =
        love_cards::code_for(&state.db, &state.secrets.coupon_master, &campaign, resident, now).await?;
    let (coupons, value) = love_cards::left(&state.db, &campaign, resident.0, now).await?;
    let holder = love_cards::holder(&state.db, resident).await?;
    let paused = pauses::live(&state.db.pool, &coupon.campaign).await?;
    Ok(Json(CardLookup {
        holder,
        coupons,
        value,
        next: redemptions::describe(&campaigns, &coupon, &merchant, &paused),
    }))
}

#[utoipa::path(post, path = "/api/v1/merchant/cards/redeem", tag = "merchant", request_body = CardRedeemRequest, params(("Idempotency-Key" = Option<String>, Header, description = "A retry with the same key returns the first result")), security(("bearer" = [])), responses((status = 201, description = "One love coupon of the card redeemed", body = RedemptionView), (status = 401, description = "unauthorized: wrong PIN", body = Problem, content_type = "application/problem+json")))]
async fn redeem(
    State(state): State<AppState>,
    auth: MerchantAuth,
    Idempotent {
        body: request,
        key: idem,
        ..
    }: Idempotent<CardRedeemRequest>,
) -> AppResult<Response> {
    let campaigns = state.campaigns.now();
    let merchant = auth.merchant;
    let now = state.clock.now();
    // A retry of a redemption that went through replays it, before the card is asked again.
    if let Some(prior) = crate::store::idempotency::replayed(&state.db, idem.as_ref()).await? {
        return Ok(replay(prior));
    }
    let number = request.number.trim();
    let (campaign, resident) =
        love_cards::open(&state.db, &state.secrets.card_pins, number, &request.pin, now).await?;
    let (code, _) =
        love_cards::code_for(&state.db, &state.secrets.coupon_master, &campaign, resident, now).await?;
    Ok(created_or_replay(
        redemptions::redeem(
            &state.db,
            &campaigns,
            &state.secrets.coupon_master,
            &merchant,
            auth.account,
            &code,
            request.order_amount.fen(),
            idem.as_ref(),
            now,
        )
        .await?,
    ))
}
