//! The resident's calls: claim, wallet, a coupon's status while its code is shown.

use super::Table;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use quan_core::api::{ClaimRequest, CouponStatusView, SignUpView, Wallet};
use quan_core::ErrorCode;

use crate::auth::ResidentAuth;
use crate::error::{AppError, AppResult};
use crate::extract::{created, replay, Idempotent, Json, Path};
use crate::state::AppState;
use crate::store::claims::Claimed;
use crate::store::coupons::{CouponRow, COLUMNS};
use crate::store::idempotency::Prior;
#[allow(unused_imports)]
use quan_core::Problem;

pub fn routes() -> Table {
    Table::new()
        .add(__path_claim, claim)
        .add(__path_wallet, wallet)
        .add(__path_usage, usage)
        .add(__path_status, status)
        .add(__path_sign_up, sign_up)
        .add(__path_sign_ups, sign_ups)
}

#[utoipa::path(post, path = "/api/v1/me/sign-ups", tag = "resident", request_body = ClaimRequest, security(("bearer" = [])), responses((status = 201, description = "Signed up for today's draw (预约抽签) of this denomination: the ticket, and when the draw is made", body = SignUpView), (status = 200, description = "Signed up before for this very denomination (a retry): the first sign-up", body = SignUpView), (status = 404, description = "not_found", body = Problem, content_type = "application/problem+json"), (status = 409, description = "not_started (sign-up opens later), sign_up_closed, already_signed_up (another denomination of the kind today), limit_reached, claims_paused, ended", body = Problem, content_type = "application/problem+json"), (status = 422, description = "invalid_request: no draw today, or no such denomination", body = Problem, content_type = "application/problem+json"), (status = 429, description = "rate_limited (with Retry-After)", body = Problem, content_type = "application/problem+json")))]
async fn sign_up(
    State(state): State<AppState>,
    ResidentAuth(resident): ResidentAuth,
    Json(request): Json<ClaimRequest>,
) -> AppResult<Response> {
    let now = state.clock.now();
    state.limiter.check_resident(resident, now)?;
    let campaigns = state.campaigns.now();
    match crate::store::draws::sign_up(&state.db, &campaigns, resident, &request, now).await? {
        (view, true) => Ok(created(view)),
        (view, false) => Ok(Json(view).into_response()),
    }
}

#[utoipa::path(get, path = "/api/v1/me/sign-ups", tag = "resident", security(("bearer" = [])), responses((status = 200, description = "The resident's sign-ups for draws, newest first, with what each came to", body = Vec<SignUpView>)))]
async fn sign_ups(
    State(state): State<AppState>,
    ResidentAuth(resident): ResidentAuth,
) -> AppResult<Json<Vec<SignUpView>>> {
    let campaigns = state.campaigns.now();
    Ok(Json(
        crate::store::draws::mine(&state.db, &campaigns, resident).await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/claims", tag = "resident", request_body = ClaimRequest, params(("Idempotency-Key" = Option<String>, Header, description = "A retry with the same key returns the first result")), security(("bearer" = [])), responses((status = 201, description = "Claimed: the new coupon", body = quan_core::api::CouponView), (status = 409, description = "sold_out, not_started, ended, limit_reached, idempotency_in_progress", body = Problem, content_type = "application/problem+json"), (status = 422, description = "invalid_request, idempotency_mismatch", body = Problem, content_type = "application/problem+json"), (status = 429, description = "rate_limited (with Retry-After)", body = Problem, content_type = "application/problem+json"), (status = 503, description = "unavailable: nothing was claimed, retry after Retry-After", body = Problem, content_type = "application/problem+json")))]
async fn claim(
    State(state): State<AppState>,
    ResidentAuth(resident): ResidentAuth,
    Idempotent {
        body: request,
        key: idem,
        ..
    }: Idempotent<ClaimRequest>,
) -> AppResult<Response> {
    state.limiter.check_resident(resident, state.clock.now())?;
    let outcome = state.claims.claim(resident, request, idem).await;
    state
        .metrics
        .claim(outcome.as_ref().map(|_| ()).map_err(|e| e.code));
    match outcome? {
        Claimed::New(view) => Ok(created(*view)),
        Claimed::Replay { status, body } => Ok(replay(Prior::Replay { status, body })),
    }
}

#[utoipa::path(get, path = "/api/v1/me/usage", tag = "resident", security(("bearer" = [])), responses((status = 200, description = "What the resident has used of each kind's limits", body = Vec<quan_core::api::KindUsage>)))]
async fn usage(
    State(state): State<AppState>,
    ResidentAuth(resident): ResidentAuth,
) -> AppResult<Json<Vec<quan_core::api::KindUsage>>> {
    let campaigns = state.campaigns.now();
    let now = state.clock.now();
    let usage = crate::store::claims::usage_of(&state.db, &campaigns, resident, now).await?;
    Ok(Json(usage))
}

#[utoipa::path(get, path = "/api/v1/wallet", tag = "resident", security(("bearer" = [])), responses((status = 200, description = "The resident's coupons, newest first, with the code keys of usable ones", body = Wallet), (status = 401, description = "unauthorized", body = Problem, content_type = "application/problem+json")))]
async fn wallet(
    State(state): State<AppState>,
    ResidentAuth(resident): ResidentAuth,
) -> AppResult<Json<Wallet>> {
    let campaigns = state.campaigns.now();
    let now = state.clock.now();
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM coupons WHERE resident_id = $1 ORDER BY claimed_at DESC, id DESC LIMIT 500"
    ))
    .bind(resident.0)
    .fetch_all(&state.db.pool)
    .await?;
    let coupons = rows
        .iter()
        .map(|r| CouponRow::read(r).map(|c| c.view(&campaigns, &state.secrets.coupon_master, now)))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Json(Wallet { now, coupons }))
}

#[utoipa::path(get, path = "/api/v1/coupons/{id}/status", tag = "resident", params(("id" = i64, Path, description = "Coupon id")), security(("bearer" = [])), responses((status = 200, description = "Polled while the code is shown", body = CouponStatusView), (status = 404, description = "not_found", body = Problem, content_type = "application/problem+json")))]
async fn status(
    State(state): State<AppState>,
    ResidentAuth(resident): ResidentAuth,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let row = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM coupons WHERE id = $1 AND resident_id = $2"
    ))
    .bind(id)
    .bind(resident.0)
    .fetch_optional(&state.db.pool)
    .await?
    .ok_or_else(|| AppError::new(ErrorCode::NotFound, "no such coupon in your wallet"))?;
    let c = CouponRow::read(&row)?;
    let now = state.clock.now();
    Ok(Json(CouponStatusView {
        id: c.id,
        status: c.status_at(now),
        given: c.given,
        expires_at: c.expires_at,
    })
    .into_response())
}
