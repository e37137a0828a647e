//! Least privilege, route by route: every operation in the OpenAPI document, called by every
//! role and by no one, with the answer the table below expects. An operation missing from the
//! table, or a table row the document no longer has, fails the test: a new route needs its
//! row, and so a decision about who may call it.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{spawn, Options, TestApp};
use quan_core::api::Role;
use quan_core::{ErrorCode, MerchantId, Problem};

/// Who calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Caller {
    Nobody,
    Resident,
    Staff(Role),
}

const OPERATOR: Caller = Caller::Staff(Role::Operator);
const REVIEWER: Caller = Caller::Staff(Role::Reviewer);
const AUDITOR: Caller = Caller::Staff(Role::Auditor);
const MANAGER: Caller = Caller::Staff(Role::MerchantManager);
const CASHIER: Caller = Caller::Staff(Role::Cashier);

const EVERY_CALLER: [Caller; 7] = [
    Caller::Nobody,
    Caller::Resident,
    OPERATOR,
    REVIEWER,
    AUDITOR,
    MANAGER,
    CASHIER,
];

/// Anyone, signed in or not.
const ANYONE: &[Caller] = &EVERY_CALLER;
const RESIDENT: &[Caller] = &[Caller::Resident];
const BUREAU: &[Caller] = &[OPERATOR];
const BANK: &[Caller] = &[REVIEWER];
const REPORTS: &[Caller] = &[OPERATOR, AUDITOR];
const SETTLEMENTS: &[Caller] = &[OPERATOR, REVIEWER, AUDITOR];
const AUDIT: &[Caller] = &[AUDITOR];
const TILL: &[Caller] = &[MANAGER, CASHIER];
const SHOP: &[Caller] = &[MANAGER];
const STAFF: &[Caller] = &[OPERATOR, REVIEWER, AUDITOR, MANAGER, CASHIER];

/// Every operation, and who may call it.
const TABLE: &[(&str, &str, &[Caller])] = &[
    ("GET", "/api/v1/time", ANYONE),
    ("GET", "/api/v1/config", ANYONE),
    ("GET", "/api/v1/health", ANYONE),
    ("GET", "/api/v1/ready", ANYONE),
    // From this machine only (or with the metrics token): the test runs on it.
    ("GET", "/api/v1/metrics", ANYONE),
    ("GET", "/api/v1/campaigns", ANYONE),
    ("GET", "/api/v1/campaigns/{id}", ANYONE),
    ("GET", "/api/v1/campaigns/{id}/draws", ANYONE),
    ("GET", "/api/v1/campaigns/{id}/draws/{day}/sign-ups.csv", ANYONE),
    (
        "GET",
        "/api/v1/campaigns/{campaign}/subsidies/{subsidy}/dealers",
        ANYONE,
    ),
    ("GET", "/api/v1/subsidies", ANYONE),
    ("GET", "/api/v1/offers", ANYONE),
    ("POST", "/api/v1/session/host", ANYONE),
    ("POST", "/api/v1/session/demo", ANYONE),
    ("POST", "/api/v1/session/account", ANYONE),
    ("POST", "/api/v1/demo/host-token", ANYONE),
    ("POST", "/api/v1/session/sign-out", STAFF),
    ("POST", "/api/v1/session/password", STAFF),
    ("POST", "/api/v1/claims", RESIDENT),
    ("GET", "/api/v1/wallet", RESIDENT),
    ("GET", "/api/v1/me/usage", RESIDENT),
    ("GET", "/api/v1/me/sign-ups", RESIDENT),
    ("POST", "/api/v1/me/sign-ups", RESIDENT),
    ("GET", "/api/v1/coupons/{id}/status", RESIDENT),
    ("POST", "/api/v1/offers/{id}/claim", RESIDENT),
    ("GET", "/api/v1/applications", RESIDENT),
    ("POST", "/api/v1/applications", RESIDENT),
    ("PUT", "/api/v1/applications/{id}/documents/{role}", RESIDENT),
    ("GET", "/api/v1/applications/{id}/documents/{role}", RESIDENT),
    ("POST", "/api/v1/applications/{id}/submit", RESIDENT),
    ("POST", "/api/v1/merchant/lookup", TILL),
    ("POST", "/api/v1/merchant/redemptions", TILL),
    ("POST", "/api/v1/merchant/redemptions/{id}/reverse", TILL),
    ("GET", "/api/v1/merchant/today", TILL),
    ("POST", "/api/v1/merchant/issues", TILL),
    ("GET", "/api/v1/merchant/offers", TILL),
    ("POST", "/api/v1/merchant/cards/lookup", TILL),
    ("POST", "/api/v1/merchant/cards/redeem", TILL),
    ("POST", "/api/v1/merchant/offers", SHOP),
    ("GET", "/api/v1/merchant/campaigns/{id}/settlement", SHOP),
    ("GET", "/api/v1/merchant/campaigns/{id}/settlement.csv", SHOP),
    ("GET", "/api/v1/operator/merchants", BUREAU),
    ("POST", "/api/v1/operator/merchants/{id}/blacklist", BUREAU),
    ("POST", "/api/v1/operator/merchants/{id}/suspension", BUREAU),
    ("POST", "/api/v1/operator/merchants", BUREAU),
    ("PUT", "/api/v1/operator/merchants/{id}", BUREAU),
    ("POST", "/api/v1/operator/merchants/import", BUREAU),
    ("POST", "/api/v1/operator/allocations", BUREAU),
    ("GET", "/api/v1/operator/campaigns/{id}/love-cards", BUREAU),
    ("POST", "/api/v1/operator/campaigns/{id}/love-cards", BUREAU),
    ("POST", "/api/v1/operator/love-cards/{number}/replace", BUREAU),
    ("POST", "/api/v1/operator/campaigns/{id}/reallocations", BUREAU),
    ("GET", "/api/v1/operator/campaigns/{id}/pauses", REPORTS),
    ("POST", "/api/v1/operator/campaigns/{id}/pauses", BUREAU),
    ("POST", "/api/v1/operator/pauses/{id}/resume", BUREAU),
    ("GET", "/api/v1/operator/campaigns/{id}/busy", REPORTS),
    ("POST", "/api/v1/operator/campaigns/{id}/busy", BUREAU),
    ("GET", "/api/v1/operator/campaigns/{id}/revisions", REPORTS),
    ("GET", "/api/v1/operator/campaigns/{id}/campaign.toml", REPORTS),
    ("POST", "/api/v1/operator/campaigns/{id}/revisions", BUREAU),
    ("POST", "/api/v1/operator/campaigns/{id}/rounds", BUREAU),
    ("GET", "/api/v1/operator/campaigns/{id}/reallocations", REPORTS),
    ("GET", "/api/v1/operator/campaigns/{id}/report", REPORTS),
    ("GET", "/api/v1/operator/campaigns/{id}/report.csv", REPORTS),
    ("GET", "/api/v1/operator/campaigns/{id}/audit-sample.csv", REPORTS),
    ("GET", "/api/v1/operator/campaigns/{id}/history.csv", REPORTS),
    ("GET", "/api/v1/operator/campaigns/{id}/settlements", SETTLEMENTS),
    (
        "GET",
        "/api/v1/operator/campaigns/{id}/settlements.csv",
        SETTLEMENTS,
    ),
    ("GET", "/api/v1/review/applications", BANK),
    ("POST", "/api/v1/review/applications/{id}", BANK),
    ("GET", "/api/v1/review/applications/{id}/documents/{role}", BANK),
    ("GET", "/api/v1/review/applications/{id}/payment-details", BANK),
    ("GET", "/api/v1/operator/merchants/{id}/staff", BUREAU),
    ("POST", "/api/v1/operator/merchants/{id}/managers", BUREAU),
    ("GET", "/api/v1/merchant/staff", SHOP),
    ("POST", "/api/v1/merchant/staff", SHOP),
    ("POST", "/api/v1/merchant/staff/{id}/password-reset", SHOP),
    ("POST", "/api/v1/merchant/staff/{id}/disable", SHOP),
    ("POST", "/api/v1/operator/accounts/{id}/password-reset", BUREAU),
    ("POST", "/api/v1/operator/accounts/{id}/disable", BUREAU),
    ("GET", "/api/v1/audit/entries", AUDIT),
    ("GET", "/api/v1/audit/entries.csv", AUDIT),
];

/// The document's operations, as (method, path).
fn operations() -> Vec<(String, String)> {
    let doc: serde_json::Value =
        serde_json::from_str(&quan_server::openapi::document()).expect("the document");
    let mut ops = Vec::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for method in item.as_object().expect("an operation").keys() {
            ops.push((method.to_uppercase(), path.clone()));
        }
    }
    ops.sort();
    ops
}

#[test]
fn every_operation_has_its_row_and_every_row_its_operation() {
    let ops = operations();
    let missing: Vec<_> = ops
        .iter()
        .filter(|(m, p)| !TABLE.iter().any(|(tm, tp, _)| tm == m && tp == p))
        .collect();
    assert!(
        missing.is_empty(),
        "say who may call these, in TABLE: {missing:?}"
    );
    let stale: Vec<_> = TABLE
        .iter()
        .filter(|(m, p, _)| !ops.iter().any(|(om, op)| om == m && op == p))
        .map(|(m, p, _)| (m, p))
        .collect();
    assert!(stale.is_empty(), "no longer in the document: {stale:?}");
}

/// A concrete path for a template: ids that parse, naming things that may not exist.
fn concrete(template: &str) -> String {
    template
        .replace("{campaign}", "qinshui-2022-r2")
        .replace("{subsidy}", "car")
        .replace("{role}", "id_card")
        .replace("{number}", "1")
        .replace("{id}", "1")
        .replace("{day}", "2022-09-27")
}

/// A session for `caller`: a new one each time, since a sign-out ends the one it is called with.
async fn token(app: &TestApp, caller: Caller, shop: MerchantId, n: usize) -> Option<String> {
    match caller {
        Caller::Nobody => None,
        Caller::Resident => Some(app.resident("resident:roles").await.1),
        Caller::Staff(role) => {
            let merchant = role.at_till().then_some(shop);
            Some(app.staff(&format!("{}-{n}", role.as_str()), role, merchant).await)
        }
    }
}

#[tokio::test]
async fn every_route_answers_every_role_as_the_table_says() {
    let app = spawn(Options::default()).await;
    let (shop, _) = app.merchant("沁水百货大楼", "retail").await;
    let mut wrong = Vec::new();
    let mut n = 0;
    for (method, template, allowed) in TABLE {
        let path = concrete(template).replacen("/api/v1", "", 1);
        for caller in EVERY_CALLER {
            n += 1;
            let mut req = app
                .client
                .request(method.parse().expect("a method"), app.url(&path));
            if let Some(t) = token(&app, caller, shop, n).await {
                req = req.bearer_auth(t);
            }
            if *method != "GET" {
                req = req.json(&serde_json::json!({}));
            }
            let res = req.send().await.expect("request");
            let status = res.status().as_u16();
            let code = res.json::<Problem>().await.ok().map(|p| p.code);
            let denied = matches!(
                (status, code),
                (401, Some(ErrorCode::Unauthorized)) | (403, Some(ErrorCode::Forbidden))
            );
            let expected_denied = !allowed.contains(&caller);
            // No one is ever answered with a server fault either way.
            if denied != expected_denied || status >= 500 {
                wrong.push(format!(
                    "{method} {template} as {caller:?}: {status} {code:?}, expected {}",
                    if expected_denied {
                        "a refusal"
                    } else {
                        "to be let in"
                    }
                ));
            }
            // A caller who is not signed in is told to sign in, not that they may not.
            if caller == Caller::Nobody && expected_denied && status != 401 {
                wrong.push(format!(
                    "{method} {template} with no session: {status}, expected 401"
                ));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "{} answers differ from the table:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}
