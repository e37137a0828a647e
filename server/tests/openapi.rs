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
    for path in [
        "/api/v1/claims",
        "/api/v1/wallet",
        "/api/v1/merchant/redemptions",
        "/api/v1/time",
    ] {
        assert!(doc["paths"].get(path).is_some(), "{path} is documented");
    }
}
