//! One error type for every handler: answered as `application/problem+json` (RFC 9457) with the
//! core's error code. Server faults are logged in full and answered without detail.

use axum::extract::rejection::{JsonRejection, PathRejection};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use quan_core::{ErrorCode, Problem};

/// An error a handler answers with.
#[derive(Debug)]
pub struct AppError {
    pub code: ErrorCode,
    pub detail: Option<String>,
    /// Seconds, for `Retry-After` on 429 and 503.
    pub retry_after: Option<u64>,
}

pub type AppResult<T> = Result<T, AppError>;

impl AppError {
    pub fn new(code: ErrorCode, detail: impl Into<String>) -> AppError {
        AppError {
            code,
            detail: Some(detail.into()),
            retry_after: None,
        }
    }

    pub fn code(code: ErrorCode) -> AppError {
        AppError {
            code,
            detail: None,
            retry_after: None,
        }
    }

    /// Come back in `secs` seconds (503 with `Retry-After`): the overload switch, or a claim
    /// queue too deep to wait in.
    pub fn unavailable(secs: u32, detail: impl Into<String>) -> AppError {
        AppError {
            code: ErrorCode::Unavailable,
            detail: Some(detail.into()),
            retry_after: Some(u64::from(secs)),
        }
    }

    /// A server fault: logged here with what went wrong, answered as a bare 500.
    pub fn internal(what: impl std::fmt::Display) -> AppError {
        tracing::error!(error = %what, "internal error");
        AppError::code(ErrorCode::Internal)
    }
}

/// A database failure is a server fault: logged in full, answered as a bare 500.
impl From<crate::db::DbError> for AppError {
    fn from(e: crate::db::DbError) -> AppError {
        AppError::internal(e)
    }
}

/// So is a query's own failure.
impl From<sqlx::Error> for AppError {
    fn from(e: sqlx::Error) -> AppError {
        AppError::internal(crate::db::DbError::from(e))
    }
}

impl From<ErrorCode> for AppError {
    fn from(code: ErrorCode) -> AppError {
        AppError::code(code)
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let problem = Problem::new(self.code, self.detail);
        let status = StatusCode::from_u16(problem.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let body = serde_json::to_vec(&problem).unwrap_or_default();
        let mut res = (status, body).into_response();
        // For the metrics middleware, which counts errors by code.
        res.extensions_mut().insert(self.code);
        let h = res.headers_mut();
        h.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        if let Some(s) = self.retry_after {
            h.insert(header::RETRY_AFTER, HeaderValue::from(s));
        }
        res
    }
}

/// A refusal axum makes itself (a body over the limit, a method the route does not take, a body
/// that could not be read) comes as plain text: as a problem document with its code instead, its
/// `Allow` kept. Answers that are already problems, and successes, pass as they are.
pub fn as_problem(res: Response) -> Response {
    let status = res.status();
    if res.extensions().get::<ErrorCode>().is_some()
        || !(status.is_client_error() || status.is_server_error())
    {
        return res;
    }
    let (code, detail) = match status.as_u16() {
        400 => (ErrorCode::MalformedRequest, "the request could not be read"),
        401 => (ErrorCode::Unauthorized, "sign in first"),
        403 => (ErrorCode::Forbidden, "not allowed"),
        404 => (ErrorCode::NotFound, "no such API endpoint"),
        405 => (
            ErrorCode::MethodNotAllowed,
            "this endpoint does not take that method",
        ),
        413 => (
            ErrorCode::PayloadTooLarge,
            "the body is larger than this endpoint takes",
        ),
        415 => (
            ErrorCode::UnsupportedMediaType,
            "send the body as application/json",
        ),
        429 => (ErrorCode::RateLimited, "too many requests"),
        503 => (ErrorCode::Unavailable, "the server cannot take requests just now"),
        s if s < 500 => (ErrorCode::InvalidRequest, "the request was refused"),
        _ => (ErrorCode::Internal, "the server failed"),
    };
    let allow = res.headers().get(header::ALLOW).cloned();
    let mut out = AppError::new(code, detail).into_response();
    if let Some(allow) = allow {
        out.headers_mut().insert(header::ALLOW, allow);
    }
    out
}

/// Bad bodies get the same problem documents as everything else: 400 for what is not JSON,
/// 415 without a JSON content type, 422 for JSON of the wrong shape, 413 for a body over the
/// limit.
impl From<JsonRejection> for AppError {
    fn from(r: JsonRejection) -> AppError {
        let code = match &r {
            JsonRejection::JsonSyntaxError(_) => ErrorCode::MalformedRequest,
            JsonRejection::MissingJsonContentType(_) => ErrorCode::UnsupportedMediaType,
            JsonRejection::JsonDataError(_) => ErrorCode::InvalidRequest,
            _ if r.status() == StatusCode::PAYLOAD_TOO_LARGE => ErrorCode::PayloadTooLarge,
            _ => ErrorCode::MalformedRequest,
        };
        AppError::new(code, r.body_text())
    }
}

impl From<axum::extract::rejection::QueryRejection> for AppError {
    fn from(r: axum::extract::rejection::QueryRejection) -> AppError {
        AppError::new(ErrorCode::InvalidRequest, r.body_text())
    }
}

impl From<PathRejection> for AppError {
    fn from(r: PathRejection) -> AppError {
        AppError::new(ErrorCode::InvalidRequest, r.body_text())
    }
}
