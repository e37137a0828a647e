//! For the people who run the server: liveness, readiness, metrics.

use super::Table;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use quan_core::{ErrorCode, Problem};

use crate::db::col;
use crate::error::AppError;
use crate::proxy::Client;
use crate::state::AppState;

pub fn routes() -> Table {
    Table::new()
        .add(__path_health, health)
        .add(__path_ready, ready)
        .add(__path_metrics, metrics)
}

/// The process is up.
#[utoipa::path(get, path = "/api/v1/health", tag = "operations", responses((status = 200, description = "The process is up", body = String)))]
async fn health() -> &'static str {
    "ok"
}

/// The process can serve: its database answers.
#[utoipa::path(get, path = "/api/v1/ready", tag = "operations", responses((status = 200, description = "The database answers", body = String), (status = 503, description = "The database does not answer", body = String)))]
async fn ready(State(state): State<AppState>) -> Response {
    if state.db.ping().await {
        (StatusCode::OK, "ready").into_response()
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, "database not reachable").into_response()
    }
}

/// Whether the caller may read the metrics (each pool's remaining money is among them): with
/// `QUAN_METRICS_TOKEN` set, by that bearer token; without, only from this machine.
fn may_read_metrics(state: &AppState, headers: &HeaderMap, client: Option<&Client>) -> Result<(), AppError> {
    match &state.metrics_token {
        Some(token) => {
            let given = headers
                .get(header::AUTHORIZATION)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.strip_prefix("Bearer "))
                .unwrap_or("");
            if crate::auth::constant_time_eq(given.as_bytes(), token.as_bytes()) {
                Ok(())
            } else {
                Err(AppError::new(
                    ErrorCode::Unauthorized,
                    "the metrics need the metrics token",
                ))
            }
        }
        None if client.is_some_and(|c| c.ip.is_loopback()) => Ok(()),
        None => Err(AppError::new(
            ErrorCode::Forbidden,
            "the metrics answer only to this machine unless QUAN_METRICS_TOKEN is set",
        )),
    }
}

#[utoipa::path(get, path = "/api/v1/metrics", tag = "operations", security((), ("bearer" = [])), responses(
    (status = 200, description = "Prometheus text exposition", body = String, content_type = "text/plain"),
    (status = 401, description = "QUAN_METRICS_TOKEN is set, and this is not it", body = Problem, content_type = "application/problem+json"),
    (status = 403, description = "No token is set, and the caller is not on this machine", body = Problem, content_type = "application/problem+json"),
))]
async fn metrics(
    State(state): State<AppState>,
    headers: HeaderMap,
    client: Option<Extension<Client>>,
) -> Response {
    if let Err(e) = may_read_metrics(&state, &headers, client.as_ref().map(|c| &c.0)) {
        return e.into_response();
    }
    let rows = sqlx::query(
        "SELECT campaign, kind, CAST(SUM(available) AS BIGINT) AS available FROM pools GROUP BY campaign, kind ORDER BY campaign, kind",
    )
    .fetch_all(&state.db.pool)
    .await
    .unwrap_or_default();
    let pools: Vec<(String, String, i64)> = rows
        .iter()
        .filter_map(|r| {
            Some((
                col(r, "campaign").ok()?,
                col(r, "kind").ok()?,
                col(r, "available").ok()?,
            ))
        })
        .collect();
    let mut res = state.metrics.render(&pools).into_response();
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        header::HeaderValue::from_static("text/plain; version=0.0.4"),
    );
    res
}
