//! Request bodies: axum's JSON extractor, answering bad input with the API's own problem
//! documents (400 for what is not JSON, 415 without a JSON content type, 422 for a wrong shape);
//! and [`Idempotent`], the one way a state-changing call reads its body and `Idempotency-Key`.

use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use quan_core::ErrorCode;

use crate::auth::Caller;
use crate::error::AppError;
use crate::state::AppState;
use crate::store::idempotency::{IdemKey, InFlightGuard, Prior};

/// JSON in, with the app's errors; and JSON out.
pub struct Json<T>(pub T);

impl<T, S> FromRequest<S> for Json<T>
where
    T: serde::de::DeserializeOwned + serde::Serialize,
    S: Send + Sync,
{
    type Rejection = AppError;
    async fn from_request(req: Request, state: &S) -> Result<Self, AppError> {
        let axum::Json(value) = axum::Json::<T>::from_request(req, state).await?;
        refuse_nul(&value)?;
        Ok(Json(value))
    }
}

/// No person types a NUL character, and PostgreSQL stores none in text: a body carrying one, in
/// any field, is refused in words before anything reads it.
fn refuse_nul<T: serde::Serialize>(value: &T) -> Result<(), AppError> {
    let text = serde_json::to_string(value).map_err(AppError::internal)?;
    if text.contains("\\u0000") {
        return Err(AppError::new(
            ErrorCode::InvalidRequest,
            "text may not contain the NUL character",
        ));
    }
    Ok(())
}

impl<T: serde::Serialize> IntoResponse for Json<T> {
    fn into_response(self) -> Response {
        axum::Json(self.0).into_response()
    }
}

/// Path parameters, with the app's errors (a coupon id that is not a number is a 422 in words).
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(AppError))]
pub struct Path<T>(pub T);

/// Query parameters, with the app's errors.
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(AppError))]
pub struct Query<T>(pub T);

/// A state-changing call: its JSON body, and its `Idempotency-Key` if it sent one, scoped to the
/// caller and to what the body means (the same key with another body is refused, 422). The key is
/// held in flight in this instance until the handler is done, so a second call with it meanwhile
/// is answered 409 at once. The store records the first answer with the effect.
pub struct Idempotent<T> {
    pub body: T,
    pub key: Option<IdemKey>,
    _in_flight: Option<InFlightGuard>,
}

/// The `Idempotency-Key` of a call without a body (its meaning is its method and path).
pub struct IdempotencyKey {
    pub key: Option<IdemKey>,
    _in_flight: Option<InFlightGuard>,
}

/// The key the caller sent, if any, and whose it is: `r:` a resident, `a:` a staff account.
fn sent(
    headers: &axum::http::HeaderMap,
    extensions: &axum::http::Extensions,
) -> Result<Option<(String, String)>, AppError> {
    let Some(sent) = headers.get("idempotency-key") else {
        return Ok(None);
    };
    let owner = match extensions.get::<Caller>() {
        Some(Caller::Resident(r)) => format!("r:{}", r.0),
        Some(Caller::Staff(s)) => format!("a:{}", s.account),
        _ => return Err(AppError::new(ErrorCode::Unauthorized, "sign in first")),
    };
    Ok(Some((owner, sent.to_str().unwrap_or("").to_owned())))
}

/// The `sent` key for a request meaning `request`, entered in flight.
fn enter(
    sent: Option<(String, String)>,
    state: &AppState,
    request: &[u8],
) -> Result<(Option<IdemKey>, Option<InFlightGuard>), AppError> {
    let Some((owner, sent)) = sent else {
        return Ok((None, None));
    };
    let key = IdemKey::new(owner, &sent, request)?;
    let guard = state.in_flight.enter(&key)?;
    Ok((Some(key), Some(guard)))
}

impl<T: serde::de::DeserializeOwned + serde::Serialize> FromRequest<AppState> for Idempotent<T> {
    type Rejection = AppError;
    async fn from_request(req: Request, state: &AppState) -> Result<Self, AppError> {
        // What the key needs from the request's head, taken before the body is read.
        let sent = sent(req.headers(), req.extensions())?;
        let Json(value) = Json::<T>::from_request(req, state).await?;
        let meaning = serde_json::to_vec(&value).map_err(AppError::internal)?;
        let (key, guard) = enter(sent, state, &meaning)?;
        Ok(Idempotent {
            body: value,
            key,
            _in_flight: guard,
        })
    }
}

impl FromRequestParts<AppState> for IdempotencyKey {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let meaning = format!("{} {}", parts.method, parts.uri.path());
        let (key, guard) = enter(
            sent(&parts.headers, &parts.extensions)?,
            state,
            meaning.as_bytes(),
        )?;
        Ok(IdempotencyKey {
            key,
            _in_flight: guard,
        })
    }
}

/// A first answer given again for a retried Idempotency-Key.
pub fn replay(prior: Prior) -> Response {
    match prior {
        Prior::Replay { status, body } => {
            let status = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
            let mut res = (status, body).into_response();
            res.headers_mut()
                .insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
            res.headers_mut()
                .insert("idempotent-replayed", HeaderValue::from_static("true"));
            res
        }
        Prior::None => StatusCode::NO_CONTENT.into_response(),
    }
}

/// A state-changing call's answer: `201 Created` with the new thing, or the first answer again
/// for a retried Idempotency-Key.
pub fn created_or_replay<T: serde::Serialize>(outcome: Result<T, Prior>) -> Response {
    match outcome {
        Ok(view) => created(view),
        Err(prior) => replay(prior),
    }
}

/// `201 Created` with a JSON body.
pub fn created<T: serde::Serialize>(body: T) -> Response {
    (StatusCode::CREATED, axum::Json(body)).into_response()
}
