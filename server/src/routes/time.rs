//! `GET /time`: the server's clock, which the widget measures its offset against; `GET /config`:
//! what the widget needs to know of this server.

use axum::extract::State;
use axum::Json;

use super::Table;
use quan_core::api::{ServerTime, WidgetConfig};

use crate::state::AppState;

pub fn routes() -> Table {
    Table::new().add(__path_time, time).add(__path_config, config)
}

#[utoipa::path(get, path = "/api/v1/time", tag = "time", responses((status = 200, description = "The server's clock", body = ServerTime)))]
async fn time(State(state): State<AppState>) -> Json<ServerTime> {
    Json(ServerTime {
        now: state.clock.now(),
    })
}

#[utoipa::path(get, path = "/api/v1/config", tag = "time", responses((status = 200, description = "What the widget needs to know of this server", body = WidgetConfig)))]
async fn config(State(state): State<AppState>) -> Json<WidgetConfig> {
    Json(widget_config(&state))
}

/// What the widget needs to know of this server: `GET /config`, and the resident's page as
/// served.
pub fn widget_config(state: &AppState) -> WidgetConfig {
    WidgetConfig {
        demo: state.demo,
        host_origins: state.host_origins.to_vec(),
    }
}
