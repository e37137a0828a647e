//! Signing in: residents with the host app's token (or a phone number in demo mode), merchant
//! staff and operators with a name and a password.

use axum::extract::State;
use axum::routing::post;
use axum::Router;
use quan_core::api::{AccountSignIn, DemoSignIn, HostSignIn, Role, Session};
use quan_core::ErrorCode;

use crate::auth::{password_matches, verify_host_token, Principal, SESSION_MS};
use crate::error::{AppError, AppResult};
use crate::extract::Json;
use crate::startup::AppState;
use crate::store::{accounts, residents};
#[allow(unused_imports)]
use quan_core::Problem;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/session/host", post(host))
        .route("/session/demo", post(demo))
        .route("/session/account", post(account))
        .route("/demo/host-token", post(demo_host_token))
}

/// A resident's session; `phone`, if known, is recorded (shop staff find customers by it).
async fn resident_session(
    state: &AppState,
    subject: &str,
    name: &str,
    phone: &str,
) -> AppResult<Json<Session>> {
    let now = state.clock.now();
    let id = residents::find_or_create(&state.db, subject, name, now)
        .await
        .map_err(AppError::internal)?;
    if !phone.is_empty() {
        residents::set_phone(&state.db, id, phone)
            .await
            .map_err(AppError::internal)?;
    }
    let expires_at = now.plus_millis(SESSION_MS);
    Ok(Json(Session {
        token: state.secrets.issue(&Principal::Resident(id), expires_at),
        role: Role::Resident,
        name: name.to_owned(),
        expires_at,
        merchant: None,
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
    let claims = verify_host_token(key, &body.token, state.clock.now())?;
    let phone = quan_core::ids::mobile_number(&claims.phone).unwrap_or_default();
    resident_session(&state, &format!("id:{}", claims.sub), &claims.name, &phone).await
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

#[utoipa::path(post, path = "/api/v1/session/account", tag = "session", request_body = AccountSignIn, responses((status = 200, description = "A merchant staff or operator session", body = Session), (status = 401, description = "unauthorized: wrong name or password", body = Problem, content_type = "application/problem+json")))]
async fn account(State(state): State<AppState>, Json(body): Json<AccountSignIn>) -> AppResult<Json<Session>> {
    let wrong = || AppError::new(ErrorCode::Unauthorized, "wrong name or password");
    let found = accounts::find_account(&state.db, body.username.trim())
        .await
        .map_err(AppError::internal)?;
    let Some(acc) = found else {
        // Spend the same time as a real check, so a name's existence does not show.
        let _ = password_matches(body.password, DUMMY_HASH.to_owned()).await;
        return Err(wrong());
    };
    if !password_matches(body.password, acc.password_hash.clone()).await {
        return Err(wrong());
    }
    let merchant = match acc.merchant {
        Some(m) => accounts::merchant(&state.db, m)
            .await
            .map_err(AppError::internal)?,
        None => None,
    };
    let now = state.clock.now();
    let expires_at = now.plus_millis(SESSION_MS);
    let who = Principal::Account {
        id: acc.id,
        role: acc.role,
        merchant: acc.merchant,
    };
    Ok(Json(Session {
        token: state.secrets.issue(&who, expires_at),
        role: acc.role,
        name: acc.display_name,
        expires_at,
        merchant,
    }))
}

/// An argon2 hash of nothing in particular.
const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$2s4Ukt0ZqzWnQvO1HMe8Ij1X8X0QwGx3qKqN8Vbq9Xw";

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
    let claims = crate::auth::HostClaims {
        sub: body.sub,
        name: body.name,
        phone: String::new(),
        exp: state.clock.now().plus_secs(600).millis(),
    };
    Ok(Json(DemoHostToken {
        token: crate::auth::sign_host_token(&crate::demo::host_key(), &claims),
    }))
}
