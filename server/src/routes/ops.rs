//! For the people who run the server: liveness, readiness, metrics.

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

use crate::db::col;
use crate::startup::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/health", get(health))
        .route("/ready", get(ready))
        .route("/metrics", get(metrics))
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

#[utoipa::path(get, path = "/api/v1/metrics", tag = "operations", responses((status = 200, description = "Prometheus text exposition", body = String, content_type = "text/plain")))]
async fn metrics(State(state): State<AppState>) -> Response {
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
