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

/// What the server writes into the resident's page as it serves it, in a JSON data block
/// (`<script type="application/json" id="quan-preload">`): the first screen draws from it without
/// waiting for `/time`, `/config` and `/campaigns`, and the widget goes on to measure its clock
/// offset and fetch the campaigns again as it always does.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Preload {
    /// The server's clock as it wrote the page.
    pub now: Timestamp,
    pub config: WidgetConfig,
    /// As `GET /campaigns` answers at `now`.
    pub campaigns: Vec<CampaignView>,
}

impl Preload {
    /// The id of the page element that carries it.
    pub const ELEMENT: &'static str = "quan-preload";

    /// The data block for a page: JSON with every `<` escaped, so no text in it (a campaign's
    /// name included) can close the element or open a comment.
    pub fn script(json: &str) -> String {
        format!(
            "<script type=\"application/json\" id=\"{}\">{}</script>",
            Self::ELEMENT,
            json.replace('<', "\\u003c")
        )
    }
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
