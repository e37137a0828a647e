//! The OpenAPI 3.1 document of the API, generated from the handlers' annotations and the core's
//! types. `docs/openapi.json` is this document, checked in; a test fails when they differ
//! (`cargo run -p quan-server -- openapi > docs/openapi.json` writes it anew).

use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::routes;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Quan coupon API",
        version = "1",
        description = "The JSON API of county digital consumption-coupon campaigns. Money is integer fen; \
            instants are milliseconds since the epoch; dates are China dates (UTC+8). Errors are \
            application/problem+json with a stable `code`. Every state-changing call takes an \
            Idempotency-Key header. Every response carries the server's time in its Date header."
    ),
    paths(
        routes::time::time,
        routes::time::config,
        routes::campaigns::list,
        routes::campaigns::one,
        routes::session::host,
        routes::session::demo,
        routes::session::account,
        routes::session::demo_host_token,
        routes::resident::claim,
        routes::resident::wallet,
        routes::resident::usage,
        routes::resident::status,
        routes::merchant::lookup,
        routes::merchant::redeem,
        routes::merchant::reverse,
        routes::merchant::today,
        routes::merchant::issue,
        routes::operator::merchants,
        routes::operator::blacklist,
        routes::operator::allocate,
        routes::reports::report_json,
        routes::reports::report_csv,
        routes::reports::audit_csv,
        routes::reports::settlements_json,
        routes::offers::create,
        routes::offers::mine,
        routes::offers::open,
        routes::offers::claim,
        routes::love_cards::list,
        routes::love_cards::issue,
        routes::love_cards::reissue,
        routes::love_cards::lookup,
        routes::love_cards::redeem,
        routes::reports::reallocations,
        routes::reports::reallocate,
        routes::reports::settlements_csv,
        routes::reports::my_settlement_json,
        routes::reports::my_settlement_csv,
        routes::applications::dealers,
        routes::applications::subsidies,
        routes::applications::create,
        routes::applications::mine,
        routes::applications::upload,
        routes::applications::submit,
        routes::applications::my_document,
        routes::applications::queue,
        routes::applications::decide,
        routes::applications::review_document,
        routes::ops::health,
        routes::ops::ready,
        routes::ops::metrics,
    ),
    components(schemas(quan_core::ErrorCode)),
    modifiers(&Bearer),
    tags(
        (name = "time", description = "The server's clock"),
        (name = "campaigns", description = "Campaigns, kinds and offers"),
        (name = "session", description = "Signing in"),
        (name = "resident", description = "Claim, wallet, coupon status"),
        (name = "merchant", description = "The till"),
        (name = "operator", description = "The county bureau"),
        (name = "applications", description = "Car-purchase subsidy applications and their review"),
        (name = "operations", description = "Health, readiness, metrics"),
    )
)]
pub struct ApiDoc;

struct Bearer;

impl Modify for Bearer {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        if let Some(components) = openapi.components.as_mut() {
            components.add_security_scheme(
                "bearer",
                SecurityScheme::Http(
                    HttpBuilder::new()
                        .scheme(HttpAuthScheme::Bearer)
                        .description(Some("The token a /session call returns"))
                        .build(),
                ),
            );
        }
    }
}

/// The document as pretty JSON, with a final newline.
pub fn document() -> String {
    let mut s = ApiDoc::openapi().to_pretty_json().unwrap_or_default();
    s.push('\n');
    s
}
