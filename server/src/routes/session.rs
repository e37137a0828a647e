//! Signing in: residents with the host app's token (or a phone number in demo mode), staff with
//! a name and a password; signing out, and choosing a new password.

use super::Table;
use axum::extract::{Extension, State};
use axum::http::StatusCode;
use quan_core::api::{AccountSignIn, DemoSignIn, HostSignIn, PasswordChange, Role, Session};
use quan_core::{password, ErrorCode};

use crate::audit;
use crate::auth::{verify_host_token, Own, Principal, Staff, SESSION_MS};
use crate::error::{AppError, AppResult};
use crate::extract::Json;
use crate::proxy::Client;
use crate::state::AppState;
use crate::store::{accounts, residents, sessions};
use quan_core::api::AuditAct;
#[allow(unused_imports)]
use quan_core::Problem;

pub fn routes() -> Table {
    Table::new()
        .add(__path_host, host)
        .add(__path_demo, demo)
        .add(__path_account, account)
        .add(__path_sign_out, sign_out)
        .add(__path_change_password, change_password)
        .add(__path_demo_host_token, demo_host_token)
}

/// A resident's session; `phone`, if known, is recorded (shop staff find customers by it).
async fn resident_session(
    state: &AppState,
    subject: &str,
    name: &str,
    phone: &str,
) -> AppResult<Json<Session>> {
    let now = state.clock.now();
    let id = residents::find_or_create(&state.db, subject, name, now).await?;
    if !phone.is_empty() {
        residents::set_phone(&state.db, id, phone).await?;
    }
    let expires_at = now.plus_millis(SESSION_MS);
    Ok(Json(Session {
        token: state.secrets.sign(&Principal::Resident(id), expires_at),
        role: Role::Resident,
        name: name.to_owned(),
        expires_at,
        merchant: None,
        must_change_password: false,
        previous_sign_in: None,
    }))
}

#[utoipa::path(post, path = "/api/v1/session/host", tag = "session", request_body = HostSignIn, responses((status = 200, description = "A resident session", body = Session), (status = 401, description = "unauthorized: the token does not verify or has expired", body = Problem, content_type = "application/problem+json")))]
async fn host(State(state): State<AppState>, Json(body): Json<HostSignIn>) -> AppResult<Json<Session>> {
    let key = state.host_key.as_ref().ok_or_else(|| {
        AppError::new(
            ErrorCode::Unauthorized,
            "this server accepts no host tokens (no host key configured)",
        )
    })?;
    let assertion = verify_host_token(key, &body.token, state.clock.now())?;
    let phone = quan_core::ids::mobile_number(&assertion.phone).unwrap_or_default();
    resident_session(&state, &format!("id:{}", assertion.sub), &assertion.name, &phone).await
}

#[utoipa::path(post, path = "/api/v1/session/demo", tag = "session", request_body = DemoSignIn, responses((status = 200, description = "A resident session (demo mode only)", body = Session), (status = 404, description = "not_found: not in demo mode", body = Problem, content_type = "application/problem+json"), (status = 422, description = "invalid_request: not a mobile number", body = Problem, content_type = "application/problem+json")))]
async fn demo(State(state): State<AppState>, Json(body): Json<DemoSignIn>) -> AppResult<Json<Session>> {
    if !state.demo {
        return Err(AppError::new(
            ErrorCode::NotFound,
            "demo sign-in exists only in demo mode",
        ));
    }
    let phone = quan_core::ids::mobile_number(&body.phone).ok_or_else(|| {
        AppError::new(
            ErrorCode::InvalidRequest,
            "a mobile number has 11 digits and starts with 1",
        )
    })?;
    let masked = quan_core::ids::masked_mobile(&phone);
    resident_session(&state, &format!("demo:{phone}"), &masked, &phone).await
}

#[utoipa::path(post, path = "/api/v1/session/account", tag = "session", request_body = AccountSignIn, responses((status = 200, description = "A staff session", body = Session), (status = 401, description = "unauthorized: wrong name or password, or the account is disabled", body = Problem, content_type = "application/problem+json"), (status = 429, description = "account_locked: too many wrong passwords; rate_limited: too many from this address", body = Problem, content_type = "application/problem+json")))]
async fn account(
    State(state): State<AppState>,
    client: Option<Extension<Client>>,
    Json(body): Json<AccountSignIn>,
) -> AppResult<Json<Session>> {
    let now = state.clock.now();
    let address = client.map(|Extension(c)| c.ip);
    if let Some(ip) = address {
        state.limiter.sign_in_allowed(ip, now)?;
    }
    let username = body.username.trim().to_owned();
    let outcome = sign_in(&state, &username, body.password, address, now).await;
    let (account, result) = match &outcome {
        Ok((session, id)) => (Some(*id), format!("ok: {}", session.role.as_str())),
        Err(e) => (None, e.code.as_str().to_owned()),
    };
    // A wrong name or password counts against the address; a full hashing queue does not.
    let wrong =
        matches!(&outcome, Err(e) if matches!(e.code, ErrorCode::Unauthorized | ErrorCode::AccountLocked));
    if let (true, Some(ip)) = (wrong, address) {
        state.limiter.sign_in_failed(ip, now);
    }
    let act = AuditAct {
        account,
        actor: username.chars().take(200).collect(),
        role: outcome
            .as_ref()
            .map(|(s, _)| s.role.as_str().to_owned())
            .unwrap_or_default(),
        address: address.map(|a| a.to_string()).unwrap_or_default(),
        action: "sign_in".into(),
        object: "session".into(),
        result,
        detail: String::new(),
    };
    audit::record_or_log(&state.db, act, now).await;
    outcome.map(|(s, _)| Json(s))
}

/// Checks a name and password, at most [`accounts::LOCK_AFTER`] times in a row before the
/// account locks, and opens a session.
async fn sign_in(
    state: &AppState,
    username: &str,
    password: String,
    address: Option<std::net::IpAddr>,
    now: quan_core::Timestamp,
) -> AppResult<(Session, i64)> {
    let wrong = || AppError::new(ErrorCode::Unauthorized, "wrong name or password");
    if password.len() > password::MAX_CHARS * 4 {
        return Err(wrong());
    }
    let found = accounts::find_account(&state.db, username).await?;
    let Some(acc) = found else {
        // Spend the same time as a real check, so a name's existence does not show.
        state.hasher.spend_like_a_check(password).await?;
        return Err(wrong());
    };
    if let Err(until) = accounts::take_attempt(&state.db, acc.id, now).await? {
        let seconds = ((until.millis() - now.millis()) / 1000).max(1);
        return Err(AppError {
            code: ErrorCode::AccountLocked,
            detail: Some(format!(
                "too many wrong passwords: this account is locked until {} (China time)",
                until.china_display()
            )),
            retry_after: Some(seconds as u64),
        });
    }
    if !state.hasher.matches(password, acc.password_hash.clone()).await? {
        return Err(wrong());
    }
    if acc.disabled {
        return Err(AppError::new(
            ErrorCode::Unauthorized,
            "this account has been disabled",
        ));
    }
    let from = address.map(|a| a.to_string()).unwrap_or_default();
    accounts::signed_in(&state.db, acc.id, now, &from).await?;
    let merchant = match acc.merchant {
        Some(m) => accounts::merchant(&state.db, m).await?,
        None => None,
    };
    let expires_at = now.plus_millis(SESSION_MS);
    let session = sessions::open(&state.db, acc.id, now, expires_at, &from).await?;
    Ok((
        Session {
            token: state.secrets.sign(&Principal::Session(session), expires_at),
            role: acc.role,
            name: acc.display_name,
            expires_at,
            merchant,
            must_change_password: acc.must_change_password,
            previous_sign_in: acc.last_sign_in,
        },
        acc.id,
    ))
}

#[utoipa::path(post, path = "/api/v1/session/sign-out", tag = "session", security(("bearer" = [])), responses((status = 204, description = "The session is ended on every instance")))]
async fn sign_out(State(state): State<AppState>, staff: Staff<Own>) -> AppResult<StatusCode> {
    sessions::revoke(&state.db, &staff.session, state.clock.now()).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/api/v1/session/password", tag = "session", request_body = PasswordChange, security(("bearer" = [])), responses((status = 204, description = "The new password is set; the account's other sessions are ended"), (status = 401, description = "unauthorized: the current password is wrong", body = Problem, content_type = "application/problem+json"), (status = 422, description = "invalid_request: the new password is too weak, and why", body = Problem, content_type = "application/problem+json")))]
async fn change_password(
    State(state): State<AppState>,
    staff: Staff<Own>,
    Json(body): Json<PasswordChange>,
) -> AppResult<StatusCode> {
    let now = state.clock.now();
    let acc = accounts::account(&state.db, staff.account)
        .await?
        .ok_or_else(|| AppError::new(ErrorCode::Unauthorized, "this account no longer exists"))?;
    if body.current.len() > password::MAX_CHARS * 4
        || !state.hasher.matches(body.current, acc.password_hash).await?
    {
        return Err(AppError::new(
            ErrorCode::Unauthorized,
            "the current password is wrong",
        ));
    }
    password::check(&body.new, &acc.username)
        .map_err(|w| AppError::new(ErrorCode::InvalidRequest, w.to_string()))?;
    let hash = state.hasher.hash(body.new).await?;
    accounts::set_password(&state.db, acc.id, &hash, false).await?;
    sessions::revoke_all(&state.db, acc.id, Some(&staff.session), now).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `POST /demo/host-token`: in demo mode only, the token a host app would issue for a resident,
/// signed with the demo host key, so the example host page can play the bank.
#[derive(Debug, serde::Deserialize, serde::Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DemoHostTokenRequest {
    /// The host's id of the person (the hex SHA-256 of their ID number, by convention).
    #[schema(min_length = 1, max_length = 200)]
    pub sub: String,
    #[serde(default)]
    pub name: String,
}

#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct DemoHostToken {
    pub token: String,
}

#[utoipa::path(post, path = "/api/v1/demo/host-token", tag = "session", request_body = DemoHostTokenRequest, responses((status = 200, description = "A host token signed with the demo key (demo mode only)", body = DemoHostToken), (status = 404, description = "not_found: not in demo mode", body = Problem, content_type = "application/problem+json")))]
async fn demo_host_token(
    State(state): State<AppState>,
    Json(body): Json<DemoHostTokenRequest>,
) -> AppResult<Json<DemoHostToken>> {
    if !state.demo {
        return Err(AppError::new(
            ErrorCode::NotFound,
            "demo host tokens exist only in demo mode",
        ));
    }
    if body.sub.trim().is_empty() || body.sub.len() > 200 {
        return Err(AppError::new(
            ErrorCode::InvalidRequest,
            "sub must be 1 to 200 characters",
        ));
    }
    let assertion = crate::auth::HostAssertion {
        sub: body.sub,
        name: body.name,
        phone: String::new(),
        exp: state.clock.now().plus_secs(600).millis(),
    };
    Ok(Json(DemoHostToken {
        token: crate::auth::sign_host_token(&crate::demo::host_key(), &assertion),
    }))
}
