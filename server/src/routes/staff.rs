//! Staff accounts at the shops: the bureau opens a shop's manager, and resets or disables any
//! shop account in its county; the manager adds, resets and disables the shop's cashiers. Each new or reset account gets a one-time password, shown once
//! for its slip, which the holder replaces at the first sign-in.

use super::Table;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use quan_core::api::{DisableRequest, NewStaff, Role, StaffSlip, StaffView};
use quan_core::{password, ErrorCode, MerchantId};

use crate::audit;
use crate::auth::{one_time_password, Bureau, MerchantAuth, Shop, Staff};
use crate::error::{AppError, AppResult};
use crate::extract::{created, Json, Path};
use crate::state::AppState;
use crate::store::accounts::{self, Account};
use crate::store::sessions;
#[allow(unused_imports)]
use quan_core::Problem;

pub fn routes() -> Table {
    Table::new()
        .add(__path_shop_staff, shop_staff)
        .add(__path_open_manager, open_manager)
        .add(__path_my_staff, my_staff)
        .add(__path_add_cashier, add_cashier)
        .add(__path_reset_cashier, reset_cashier)
        .add(__path_disable_cashier, disable_cashier)
        .add(__path_reset_shop_account, reset_shop_account)
        .add(__path_disable_shop_account, disable_shop_account)
}

fn view(a: Account) -> StaffView {
    StaffView {
        id: a.id,
        username: a.username,
        display_name: a.display_name,
        role: a.role,
        disabled: a.disabled,
        must_change_password: a.must_change_password,
        last_sign_in: a.last_sign_in,
    }
}

/// The shop `id`, if the operator's county covers it.
async fn shop_of(state: &AppState, who: &Staff<Bureau>, id: i64) -> AppResult<MerchantId> {
    accounts::merchant(&state.db, MerchantId(id))
        .await?
        .filter(|m| who.covers(&m.county))
        .map(|m| m.id)
        .ok_or_else(|| AppError::new(ErrorCode::NotFound, "no such merchant"))
}

/// A new account at `shop`, with its one-time password.
async fn open_account(
    state: &AppState,
    shop: MerchantId,
    role: Role,
    body: NewStaff,
) -> AppResult<StaffSlip> {
    let username =
        password::username(&body.username).map_err(|e| AppError::new(ErrorCode::InvalidRequest, e))?;
    if body.display_name.chars().count() > 100 {
        return Err(AppError::new(
            ErrorCode::InvalidRequest,
            "a display name has at most 100 characters",
        ));
    }
    let display = match body.display_name.trim() {
        "" => username,
        d => d,
    };
    let password = one_time_password();
    let hash = state.hasher.hash(password.clone()).await?;
    let now = state.clock.now();
    let id = accounts::create(
        &state.db,
        username,
        &hash,
        role,
        Some(shop),
        display,
        "",
        true,
        now,
    )
    .await?
    .ok_or_else(|| AppError::new(ErrorCode::NameTaken, format!("the name {username} is taken")))?;
    let account = accounts::account(&state.db, id)
        .await?
        .ok_or_else(|| AppError::internal("an account just made is not there"))?;
    Ok(StaffSlip {
        account: view(account),
        password,
    })
}

#[utoipa::path(get, path = "/api/v1/operator/merchants/{id}/staff", tag = "operator", params(("id" = i64, Path, description = "Merchant id")), security(("bearer" = [])), responses((status = 200, description = "The shop's manager and cashiers", body = Vec<StaffView>), (status = 404, description = "not_found", body = Problem, content_type = "application/problem+json")))]
async fn shop_staff(
    State(state): State<AppState>,
    op: Staff<Bureau>,
    Path(id): Path<i64>,
) -> AppResult<Json<Vec<StaffView>>> {
    let shop = shop_of(&state, &op, id).await?;
    let list = accounts::list(&state.db, Some(shop)).await?;
    Ok(Json(list.into_iter().map(view).collect()))
}

#[utoipa::path(post, path = "/api/v1/operator/merchants/{id}/managers", tag = "operator", params(("id" = i64, Path, description = "Merchant id")), request_body = NewStaff, security(("bearer" = [])), responses((status = 201, description = "The shop's manager, with the one-time password for the slip (shown this once)", body = StaffSlip), (status = 404, description = "not_found", body = Problem, content_type = "application/problem+json"), (status = 409, description = "name_taken", body = Problem, content_type = "application/problem+json"), (status = 422, description = "invalid_request: not an account name", body = Problem, content_type = "application/problem+json")))]
async fn open_manager(
    State(state): State<AppState>,
    op: Staff<Bureau>,
    Path(id): Path<i64>,
    Json(body): Json<NewStaff>,
) -> AppResult<Response> {
    let shop = shop_of(&state, &op, id).await?;
    let slip = open_account(&state, shop, Role::MerchantManager, body).await?;
    let detail = format!(
        "account {}, merchant_manager of merchant {}",
        slip.account.username, shop.0
    );
    Ok(audit::with_detail(created(slip), detail))
}

#[utoipa::path(get, path = "/api/v1/merchant/staff", tag = "merchant", security(("bearer" = [])), responses((status = 200, description = "This shop's manager and cashiers", body = Vec<StaffView>)))]
async fn my_staff(
    State(state): State<AppState>,
    auth: MerchantAuth<Shop>,
) -> AppResult<Json<Vec<StaffView>>> {
    let list = accounts::list(&state.db, Some(auth.merchant.id)).await?;
    Ok(Json(list.into_iter().map(view).collect()))
}

#[utoipa::path(post, path = "/api/v1/merchant/staff", tag = "merchant", request_body = NewStaff, security(("bearer" = [])), responses((status = 201, description = "A cashier of this shop, with the one-time password for the slip (shown this once)", body = StaffSlip), (status = 409, description = "name_taken", body = Problem, content_type = "application/problem+json"), (status = 422, description = "invalid_request: not an account name", body = Problem, content_type = "application/problem+json")))]
async fn add_cashier(
    State(state): State<AppState>,
    auth: MerchantAuth<Shop>,
    Json(body): Json<NewStaff>,
) -> AppResult<Response> {
    let slip = open_account(&state, auth.merchant.id, Role::Cashier, body).await?;
    let detail = format!("account {}, cashier", slip.account.username);
    Ok(audit::with_detail(created(slip), detail))
}

/// Cashier `id` of the manager's own shop.
async fn my_cashier(state: &AppState, auth: &MerchantAuth<Shop>, id: i64) -> AppResult<Account> {
    accounts::account(&state.db, id)
        .await?
        .filter(|a| a.merchant == Some(auth.merchant.id) && a.role == Role::Cashier)
        .ok_or_else(|| AppError::new(ErrorCode::NotFound, "no such cashier at this shop"))
}

/// A shop account of a merchant in the operator's county.
async fn county_shop_account(state: &AppState, op: &Staff<Bureau>, id: i64) -> AppResult<Account> {
    let acc = accounts::account(&state.db, id)
        .await?
        .filter(|a| a.role.at_till())
        .ok_or_else(|| AppError::new(ErrorCode::NotFound, "no such shop account"))?;
    let shop = match acc.merchant {
        Some(m) => accounts::merchant(&state.db, m).await?,
        None => None,
    };
    match shop {
        Some(m) if op.covers(&m.county) => Ok(acc),
        _ => Err(AppError::new(ErrorCode::NotFound, "no such shop account")),
    }
}

/// A new one-time password for `acc`, its sessions ended: the slip, as the response.
async fn reset(state: &AppState, acc: Account) -> AppResult<Response> {
    let password = one_time_password();
    let hash = state.hasher.hash(password.clone()).await?;
    accounts::set_password(&state.db, acc.id, &hash, true).await?;
    sessions::revoke_all(&state.db, acc.id, None, state.clock.now()).await?;
    let account = accounts::account(&state.db, acc.id)
        .await?
        .ok_or_else(|| AppError::new(ErrorCode::NotFound, "no such account"))?;
    let detail = format!("account {}", account.username);
    let slip = StaffSlip {
        account: view(account),
        password,
    };
    Ok(audit::with_detail(Json(slip).into_response(), detail))
}

/// `acc` disabled (its sessions end at once) or enabled again, as the response.
async fn disable(state: &AppState, acc: Account, disabled: bool) -> AppResult<Response> {
    accounts::set_disabled(&state.db, acc.id, disabled, state.clock.now()).await?;
    let detail = format!("account {}, disabled: {disabled}", acc.username);
    let account = accounts::account(&state.db, acc.id)
        .await?
        .ok_or_else(|| AppError::new(ErrorCode::NotFound, "no such account"))?;
    Ok(audit::with_detail(Json(view(account)).into_response(), detail))
}

#[utoipa::path(post, path = "/api/v1/merchant/staff/{id}/password-reset", tag = "merchant", params(("id" = i64, Path, description = "Account id")), security(("bearer" = [])), responses((status = 200, description = "A new one-time password for the slip (shown this once); the cashier's sessions are ended", body = StaffSlip), (status = 404, description = "not_found: no such cashier at this shop", body = Problem, content_type = "application/problem+json")))]
async fn reset_cashier(
    State(state): State<AppState>,
    auth: MerchantAuth<Shop>,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let cashier = my_cashier(&state, &auth, id).await?;
    reset(&state, cashier).await
}

#[utoipa::path(post, path = "/api/v1/merchant/staff/{id}/disable", tag = "merchant", params(("id" = i64, Path, description = "Account id")), request_body = DisableRequest, security(("bearer" = [])), responses((status = 200, description = "Disabled (its sessions end at once) or enabled again", body = StaffView), (status = 404, description = "not_found: no such cashier at this shop", body = Problem, content_type = "application/problem+json")))]
async fn disable_cashier(
    State(state): State<AppState>,
    auth: MerchantAuth<Shop>,
    Path(id): Path<i64>,
    Json(body): Json<DisableRequest>,
) -> AppResult<Response> {
    let cashier = my_cashier(&state, &auth, id).await?;
    disable(&state, cashier, body.disabled).await
}

#[utoipa::path(post, path = "/api/v1/operator/accounts/{id}/password-reset", tag = "operator", params(("id" = i64, Path, description = "Account id")), security(("bearer" = [])), responses((status = 200, description = "A shop account's new one-time password for the slip (shown this once); its sessions are ended", body = StaffSlip), (status = 404, description = "not_found: no such shop account in this county", body = Problem, content_type = "application/problem+json")))]
async fn reset_shop_account(
    State(state): State<AppState>,
    op: Staff<Bureau>,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let acc = county_shop_account(&state, &op, id).await?;
    reset(&state, acc).await
}

#[utoipa::path(post, path = "/api/v1/operator/accounts/{id}/disable", tag = "operator", params(("id" = i64, Path, description = "Account id")), request_body = DisableRequest, security(("bearer" = [])), responses((status = 200, description = "The shop account disabled (its sessions end at once) or enabled again", body = StaffView), (status = 404, description = "not_found: no such shop account in this county", body = Problem, content_type = "application/problem+json")))]
async fn disable_shop_account(
    State(state): State<AppState>,
    op: Staff<Bureau>,
    Path(id): Path<i64>,
    Json(body): Json<DisableRequest>,
) -> AppResult<Response> {
    let acc = county_shop_account(&state, &op, id).await?;
    disable(&state, acc, body.disabled).await
}
