//! The JSON API's bodies, shared by the server that sends them and the widget that reads them,
//! one module per resource. Paths are under `/api/v1`.

mod audit;
mod campaigns;
mod draws;
mod love_cards;
mod merchants;
mod offers;
mod pauses;
mod reports;
mod revisions;
mod session;
mod staff;
mod subsidies;
mod till;
mod wallet;

pub use audit::*;
pub use campaigns::*;
pub use draws::*;
pub use love_cards::*;
pub use merchants::*;
pub use offers::*;
pub use pauses::*;
pub use reports::*;
pub use revisions::*;
pub use session::*;
pub use staff::*;
pub use subsidies::*;
pub use till::*;
pub use wallet::*;

use serde::{Deserialize, Serialize};

use crate::time::Timestamp;

/// `GET /time`: the server's clock, for the widget's offset measurement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ServerTime {
    /// Milliseconds since the Unix epoch.
    pub now: Timestamp,
}

/// `GET /config`: what the widget needs to know about the server it talks to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WidgetConfig {
    /// Whether demo sign-in is offered.
    pub demo: bool,
    /// Origins of host apps that may frame the widget, hand it a resident's token by
    /// `postMessage`, and receive its events.
    pub host_origins: Vec<String>,
}
