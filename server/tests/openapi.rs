//! `docs/openapi.json` is the document the code generates.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[test]
fn the_checked_in_openapi_document_is_current() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/openapi.json");
    let checked_in = std::fs::read_to_string(path).unwrap_or_default();
    let generated = quan_server::openapi::document();
    assert!(
        checked_in == generated,
        "docs/openapi.json is out of date: run `cargo run -p quan-server -- openapi > docs/openapi.json`"
    );
}

#[test]
fn the_document_is_openapi_3_1_with_every_error_code() {
    let doc: serde_json::Value = serde_json::from_str(&quan_server::openapi::document()).unwrap();
    assert_eq!(doc["openapi"], "3.1.0");
    let codes = doc["components"]["schemas"]["ErrorCode"]["enum"]
        .as_array()
        .unwrap();
    assert_eq!(codes.len(), quan_core::ErrorCode::ALL.len());
}

/// The route table and the document name the same operations: a route added without its
/// annotation in the document's list, or a documented operation nobody serves, fails here.
#[test]
fn every_route_is_in_the_document_and_every_documented_operation_is_served() {
    let doc: serde_json::Value = serde_json::from_str(&quan_server::openapi::document()).unwrap();
    let mut documented: Vec<(String, String)> = doc["paths"]
        .as_object()
        .unwrap()
        .iter()
        .flat_map(|(path, item)| {
            item.as_object()
                .unwrap()
                .keys()
                .map(move |method| (method.to_uppercase(), path.clone()))
        })
        .collect();
    documented.sort();
    let routed: Vec<(String, String)> = quan_server::routes::table()
        .routes()
        .into_iter()
        .map(|r| (r.method.to_owned(), r.path))
        .collect();
    assert!(routed.len() > 60, "the whole table: {} routes", routed.len());
    assert!(routed
        .iter()
        .all(|(_, p)| p.starts_with(quan_server::routes::PREFIX)));
    let undocumented: Vec<_> = routed.iter().filter(|r| !documented.contains(r)).collect();
    let unserved: Vec<_> = documented.iter().filter(|d| !routed.contains(d)).collect();
    assert!(
        undocumented.is_empty(),
        "served but not in the document: {undocumented:?}"
    );
    assert!(
        unserved.is_empty(),
        "in the document but not served: {unserved:?}"
    );
    assert_eq!(routed, documented);
}
