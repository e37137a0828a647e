//! The JSON API under `/api/v1`, one module per resource.

pub mod applications;
pub mod audit;
pub mod campaigns;
pub mod love_cards;
pub mod merchant;
pub mod offers;
pub mod operator;
pub mod ops;
pub mod pauses;
pub mod reports;
pub mod resident;
pub mod revisions;
pub mod session;
pub mod staff;
pub mod time;

use axum::handler::Handler;
use axum::routing::{on, MethodFilter, MethodRouter};
use axum::Router;
use utoipa::openapi::path::HttpMethod;

use crate::state::AppState;

/// A document to save: `body` of `content_type`, named `name` for the download.
pub(crate) fn attachment(name: &str, content_type: &str, body: String) -> axum::response::Response {
    use axum::http::header;
    use axum::response::IntoResponse;
    (
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        body,
    )
        .into_response()
}

/// Where the API is served; every annotation's path starts with it.
pub const PREFIX: &str = "/api/v1";

/// One operation the API serves: its method (upper case) and its path as the document writes it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Route {
    pub method: &'static str,
    pub path: String,
}

/// The API's route table. A handler is added with its `#[utoipa::path]` annotation, which gives
/// the method and the path it is served at, so nothing is served where the OpenAPI document says
/// nothing else; a test checks that every route in the table is in the document and back.
pub struct Table {
    router: Router<AppState>,
    routes: Vec<Route>,
}

impl Default for Table {
    fn default() -> Self {
        Table::new()
    }
}

impl Table {
    pub fn new() -> Table {
        Table {
            router: Router::new(),
            routes: Vec::new(),
        }
    }

    /// `handler`, at the method and path its annotation `doc` declares.
    pub fn add<P: utoipa::Path, H: Handler<T, AppState>, T: 'static>(self, doc: P, handler: H) -> Table {
        self.add_with(doc, handler, |route| route)
    }

    /// The same, with `wrap` around the handler's route (a layer of its own).
    pub fn add_with<P: utoipa::Path, H: Handler<T, AppState>, T: 'static>(
        mut self,
        _doc: P,
        handler: H,
        wrap: impl Fn(MethodRouter<AppState>) -> MethodRouter<AppState>,
    ) -> Table {
        let path = P::path();
        let served = path.strip_prefix(PREFIX).unwrap_or(&path).to_owned();
        for method in P::methods() {
            let (filter, word) = match method {
                HttpMethod::Get => (MethodFilter::GET, "GET"),
                HttpMethod::Post => (MethodFilter::POST, "POST"),
                HttpMethod::Put => (MethodFilter::PUT, "PUT"),
                HttpMethod::Delete => (MethodFilter::DELETE, "DELETE"),
                HttpMethod::Patch => (MethodFilter::PATCH, "PATCH"),
                HttpMethod::Head => (MethodFilter::HEAD, "HEAD"),
                HttpMethod::Options => (MethodFilter::OPTIONS, "OPTIONS"),
                HttpMethod::Trace => (MethodFilter::TRACE, "TRACE"),
            };
            self.router = self.router.route(&served, wrap(on(filter, handler.clone())));
            self.routes.push(Route {
                method: word,
                path: path.clone(),
            });
        }
        self
    }

    /// This table and `other`'s routes.
    pub fn merge(mut self, other: Table) -> Table {
        self.router = self.router.merge(other.router);
        self.routes.extend(other.routes);
        self
    }

    /// The operations, sorted.
    pub fn routes(&self) -> Vec<Route> {
        let mut routes = self.routes.clone();
        routes.sort();
        routes
    }

    pub fn into_router(self) -> Router<AppState> {
        self.router
    }
}

/// The whole API's route table: every resource's routes.
pub fn table() -> Table {
    Table::new()
        .merge(time::routes())
        .merge(campaigns::routes())
        .merge(session::routes())
        .merge(resident::routes())
        .merge(merchant::routes())
        .merge(operator::routes())
        .merge(reports::routes())
        .merge(pauses::routes())
        .merge(revisions::routes())
        .merge(applications::routes())
        .merge(love_cards::routes())
        .merge(offers::routes())
        .merge(ops::routes())
        .merge(audit::routes())
        .merge(staff::routes())
}

/// Every API route, to be nested under [`PREFIX`].
pub fn router() -> Router<AppState> {
    table().into_router()
}
