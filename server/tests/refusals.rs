//! Every refusal is a problem document, also those axum makes itself: a method an endpoint does
//! not take is 405 with `Allow` (for every path in the OpenAPI document), a body over the limit
//! is 413.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{spawn, Options};
use quan_core::{ErrorCode, Problem};

async fn problem_of(res: reqwest::Response) -> (u16, Option<String>, ErrorCode) {
    let status = res.status().as_u16();
    let allow = res
        .headers()
        .get("allow")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let kind = res
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    assert_eq!(kind, "application/problem+json", "status {status}");
    (status, allow, res.json::<Problem>().await.unwrap().code)
}

#[tokio::test]
async fn every_documented_path_answers_a_method_it_does_not_take_with_405_and_allow() {
    let app = spawn(Options::default()).await;
    let doc: serde_json::Value = serde_json::from_str(&quan_server::openapi::document()).unwrap();
    let paths = doc["paths"].as_object().unwrap();
    assert!(paths.len() > 40, "the document was read");
    for (path, operations) in paths {
        let declared: Vec<String> = operations
            .as_object()
            .unwrap()
            .keys()
            .map(|m| m.to_uppercase())
            .collect();
        let undeclared = ["PATCH", "PUT", "DELETE", "POST", "GET"]
            .into_iter()
            .find(|m| !declared.iter().any(|d| d == m))
            .unwrap();
        let concrete = path
            .trim_start_matches("/api/v1")
            .split('/')
            .map(|part| if part.starts_with('{') { "1" } else { part })
            .collect::<Vec<_>>()
            .join("/");
        let res = app
            .client
            .request(undeclared.parse().unwrap(), app.url(&concrete))
            .send()
            .await
            .unwrap();
        let (status, allow, code) = problem_of(res).await;
        assert_eq!(
            (status, code),
            (405, ErrorCode::MethodNotAllowed),
            "{undeclared} {path}"
        );
        let allow = allow.unwrap_or_else(|| panic!("{undeclared} {path}: no Allow"));
        for m in &declared {
            assert!(allow.contains(m.as_str()), "{path}: Allow {allow} lacks {m}");
        }
    }
}

/// Over the limit, whether the endpoint reads JSON through axum's extractor (the till's
/// look-up) or reads its body itself (an idempotent POST, the claim).
#[tokio::test]
async fn a_body_over_the_limit_is_413_as_a_problem() {
    let app = spawn(Options::default()).await;
    let (_, till) = app.merchant("百货A", "retail").await;
    let (_, resident) = app.resident("big-body").await;
    let filler = "1".repeat(10 * 1024 * 1024);
    for (path, token, body) in [
        ("/merchant/lookup", &till, format!("{{\"code\": \"{filler}\"}}")),
        ("/claims", &resident, format!("{{\"campaign\": \"{filler}\"}}")),
    ] {
        let res = app
            .client
            .post(app.url(path))
            .bearer_auth(token)
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .unwrap();
        let (status, _, code) = problem_of(res).await;
        assert_eq!((status, code), (413, ErrorCode::PayloadTooLarge), "{path}");
    }
}

#[tokio::test]
async fn an_unknown_endpoint_is_404_as_a_problem() {
    let app = spawn(Options::default()).await;
    let res = app.client.get(app.url("/no/such/thing")).send().await.unwrap();
    let (status, _, code) = problem_of(res).await;
    assert_eq!((status, code), (404, ErrorCode::NotFound));
}

/// An auditor's seed is bounded to what JSON and JavaScript carry exactly; at the bound it draws.
#[tokio::test]
async fn an_audit_seed_over_the_bound_is_refused_in_words() {
    let app = spawn(Options::default()).await;
    let operator = app.operator().await;
    let path = |seed: u64| format!("/operator/campaigns/qinshui-2022-r2/audit-sample.csv?seed={seed}");
    let res = app
        .get(&path(quan_server::routes::reports::MAX_SEED + 1), &operator)
        .await;
    let (status, _, code) = problem_of(res).await;
    assert_eq!((status, code), (422, ErrorCode::InvalidRequest));
    let res = app
        .get(&path(quan_server::routes::reports::MAX_SEED), &operator)
        .await;
    assert_eq!(res.status(), 200);
}

#[tokio::test]
async fn a_nul_character_in_any_text_is_refused_in_words_and_nothing_is_written() {
    let app = spawn(Options::default()).await;
    let op = app.operator().await;
    let (shop, _) = app.merchant("百货", "retail").await;
    let (_, resident) = app.resident("r").await;
    // A reason, a merchant's name, a campaign id: each field is text that reaches the database.
    for (path, token, body) in [
        (
            format!("/operator/merchants/{}/blacklist", shop.0),
            &op,
            serde_json::json!({"blacklisted": true, "reason": "刷\u{0}单"}),
        ),
        (
            "/operator/merchants".to_owned(),
            &op,
            serde_json::json!({"name": "新\u{0}店", "category": "retail", "credit_code": "", "address": "", "contact": ""}),
        ),
        (
            "/claims".to_owned(),
            &resident,
            serde_json::json!({"campaign": "qinshui-2022-r2\u{0}", "kind": "retail", "denomination": 0}),
        ),
    ] {
        let res = app.post(&path, token, body).await;
        let (status, _, code) = problem_of(res).await;
        assert_eq!((status, code), (422, ErrorCode::InvalidRequest), "{path}");
    }
    let m = quan_server::store::accounts::merchant(&app.state.db, shop)
        .await
        .unwrap()
        .unwrap();
    assert!(!m.blacklisted && m.blacklist_reason.is_empty());
}
