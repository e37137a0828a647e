//! The JSON API under `/api/v1`, one module per resource.

pub mod campaigns;
pub mod time;

use axum::Router;

use crate::startup::AppState;

/// Every API route, to be nested under `/api/v1`.
pub fn router() -> Router<AppState> {
    Router::new().merge(time::router()).merge(campaigns::router())
}
