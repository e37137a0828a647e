//! `GET /time`: the server's clock, which the widget measures its offset against.

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use quan_core::api::ServerTime;

use crate::startup::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/time", get(time))
}

#[utoipa::path(get, path = "/api/v1/time", tag = "time", responses((status = 200, description = "The server's clock", body = ServerTime)))]
async fn time(State(state): State<AppState>) -> Json<ServerTime> {
    Json(ServerTime {
        now: state.clock.now(),
    })
}
