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
        routes::campaigns::draws,
        routes::campaigns::draw_list,
        routes::session::host,
        routes::session::demo,
        routes::session::account,
        routes::session::sign_out,
        routes::session::change_password,
        routes::session::demo_host_token,
        routes::resident::claim,
        routes::resident::wallet,
        routes::resident::usage,
        routes::resident::status,
        routes::resident::sign_up,
        routes::resident::sign_ups,
        routes::merchant::lookup,
        routes::merchant::redeem,
        routes::merchant::reverse,
        routes::merchant::today,
        routes::merchant::issue,
        routes::operator::merchants,
        routes::operator::blacklist,
        routes::operator::suspension,
        routes::operator::import_merchants,
        routes::operator::add_merchant,
        routes::operator::edit_merchant,
        routes::operator::allocate,
        routes::reports::report_json,
        routes::reports::report_csv,
        routes::reports::audit_csv,
        routes::reports::history_csv,
        routes::reports::settlements_json,
        routes::offers::create,
        routes::offers::mine,
        routes::offers::open,
        routes::offers::claim,
        routes::love_cards::list,
        routes::love_cards::print,
        routes::love_cards::replace,
        routes::love_cards::lookup,
        routes::love_cards::redeem,
        routes::reports::reallocations,
        routes::reports::reallocate,
        routes::pauses::list,
        routes::pauses::pause,
        routes::pauses::resume,
        routes::pauses::busy,
        routes::pauses::set_busy,
        routes::revisions::versions,
        routes::revisions::file,
        routes::revisions::revise,
        routes::revisions::schedule,
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
        routes::applications::payment_details,
        routes::ops::health,
        routes::ops::ready,
        routes::ops::metrics,
        routes::audit::entries,
        routes::audit::entries_csv,
        routes::staff::shop_staff,
        routes::staff::open_manager,
        routes::staff::my_staff,
        routes::staff::add_cashier,
        routes::staff::reset_cashier,
        routes::staff::disable_cashier,
        routes::staff::reset_shop_account,
        routes::staff::disable_shop_account,
    ),
    components(schemas(quan_core::ErrorCode)),
    modifiers(&Bearer, &Refusals),
    tags(
        (name = "time", description = "The server's clock"),
        (name = "campaigns", description = "Campaigns, kinds and offers"),
        (name = "session", description = "Signing in"),
        (name = "resident", description = "Claim, wallet, coupon status"),
        (name = "merchant", description = "The till"),
        (name = "audit", description = "The audit trail, for the audit office"),
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

/// Every refusal an operation can answer, declared on it (what a handler's own annotation names
/// is kept): from anywhere, 429 (rate limit), 500 and 503; with a bearer token, 401 and 403; with
/// path or query parameters, 404 and 422; with a body, 400, 404, 413, 415 and 422. Each is a problem
/// document. The Idempotency-Key header is declared as the server reads it. Checked against the
/// running server by schemathesis in `cargo xtask test`.
struct Refusals;

impl Modify for Refusals {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::path::ParameterIn;
        use utoipa::openapi::schema::{ObjectBuilder, Type};
        use utoipa::openapi::{ContentBuilder, Ref, RefOr, ResponseBuilder};
        let problem = |words: &str| {
            RefOr::T(
                ResponseBuilder::new()
                    .description(words)
                    .content(
                        "application/problem+json",
                        ContentBuilder::new()
                            .schema(Some(Ref::from_schema_name("Problem")))
                            .build(),
                    )
                    .build(),
            )
        };
        for item in openapi.paths.paths.values_mut() {
            let operations = [
                item.get.as_mut(),
                item.post.as_mut(),
                item.put.as_mut(),
                item.delete.as_mut(),
                item.patch.as_mut(),
            ];
            for op in operations.into_iter().flatten() {
                // The Idempotency-Key as the server reads it (store::idempotency).
                for p in op.parameters.iter_mut().flatten() {
                    if p.name == "Idempotency-Key" && p.parameter_in == ParameterIn::Header {
                        p.schema = Some(RefOr::T(
                            ObjectBuilder::new()
                                .schema_type(Type::String)
                                .min_length(Some(1))
                                .max_length(Some(128))
                                .pattern(Some("^[!-~]+$"))
                                .description(Some("1 to 128 printable ASCII characters, no spaces"))
                                .into(),
                        ));
                    }
                }
                let params = op.parameters.as_deref().unwrap_or_default();
                let has = |place: ParameterIn| params.iter().any(|p| p.parameter_in == place);
                let mut refusals: Vec<(&str, &str)> = vec![
                    (
                        "429",
                        "rate_limited: too many requests; Retry-After says when to try again",
                    ),
                    ("500", "internal: the server failed"),
                    ("503", "unavailable: the server cannot take requests just now"),
                ];
                if op.security.as_ref().is_some_and(|s| !s.is_empty()) {
                    refusals.push(("401", "unauthorized: no valid session"));
                    refusals.push(("403", "forbidden: this session's role may not do this"));
                }
                if has(ParameterIn::Path) || has(ParameterIn::Query) {
                    refusals.push(("404", "not_found: no such resource"));
                    refusals.push(("422", "invalid_request: a parameter is not valid"));
                }
                if op.request_body.is_some() {
                    refusals.push(("404", "not_found: the body names something that does not exist"));
                    refusals.push(("400", "malformed_request: the body is not JSON"));
                    refusals.push((
                        "413",
                        "payload_too_large: the body is larger than this endpoint takes",
                    ));
                    refusals.push(("415", "unsupported_media_type: the body is not application/json"));
                    refusals.push((
                        "422",
                        "invalid_request: the body is not of the expected shape or values",
                    ));
                }
                for (status, words) in refusals {
                    op.responses
                        .responses
                        .entry(status.to_owned())
                        .or_insert_with(|| problem(words));
                }
            }
        }
    }
}

/// The document as pretty JSON, with a final newline.
pub fn document() -> String {
    let mut s = ApiDoc::openapi().to_pretty_json().unwrap_or_default();
    s.push('\n');
    s
}
