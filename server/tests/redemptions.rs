//! At the till: exactly-once redemption, the code's checks, the redemption rules, reversal.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::sync::Arc;

use common::{qinshui_day3, spawn, Options, TestApp};
use quan_core::api::{CouponView, LookupResult, MerchantDay, RedemptionView, Wallet};
use quan_core::code::{self, CouponKey};
use quan_core::rules::CouponStatus;
use quan_core::{ErrorCode, Fen, Problem};
use quan_server::clock::Clock;
use serde_json::json;

async fn problem(res: reqwest::Response) -> (u16, ErrorCode) {
    let status = res.status().as_u16();
    let p: Problem = res.json().await.unwrap();
    (status, p.code)
}

/// A resident holding a 满200减40 retail coupon, claimed at 10:00 on day 3.
async fn with_coupon(app: &TestApp, who: &str) -> (String, CouponView) {
    let (_, token) = app.resident(who).await;
    let res = app.claim_retail(&token).await;
    assert_eq!(res.status(), 201);
    (token, res.json().await.unwrap())
}

/// What the till `till` sees when it scans `code`.
async fn lookup(app: &TestApp, till: &str, code: &str) -> LookupResult {
    app.post("/merchant/lookup", till, json!({"code": code}))
        .await
        .json()
        .await
        .unwrap()
}

fn code_now(app: &TestApp, c: &CouponView) -> String {
    let key: &CouponKey = c.key.as_ref().unwrap();
    code::generate(key, c.id, app.clock.now(), c.expires_at)
        .unwrap()
        .digits()
        .to_owned()
}

async fn setup() -> TestApp {
    spawn(Options {
        clock: Clock::starting_at(qinshui_day3(10, 0, 0)),
        ..Options::default()
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_tills_scanning_one_coupon_at_once_redeem_it_once() {
    let app = Arc::new(setup().await);
    let (_, coupon) = with_coupon(&app, "shopper").await;
    let code = code_now(&app, &coupon);
    let (_, till_a) = app.merchant("百货A", "retail").await;
    let (_, till_b) = app.merchant("百货B", "retail").await;
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..5 {
        for till in [till_a.clone(), till_b.clone()] {
            let app = app.clone();
            let code = code.clone();
            tasks.spawn(async move {
                let res = app
                    .post(
                        "/merchant/redemptions",
                        &till,
                        json!({"code": code, "order_amount": 25_000}),
                    )
                    .await;
                let status = res.status().as_u16();
                (
                    status,
                    if status == 201 {
                        None
                    } else {
                        Some(problem(res).await.1)
                    },
                )
            });
        }
    }
    let mut ok = 0;
    while let Some(r) = tasks.join_next().await {
        match r.unwrap() {
            (201, _) => ok += 1,
            (409, Some(ErrorCode::AlreadyRedeemed)) => {}
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(ok, 1);
    let live: i64 =
        sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM redemptions WHERE reversed_at IS NULL")
            .fetch_one(&app.state.db.pool)
            .await
            .unwrap();
    assert_eq!(live, 1);
    app.assert_conserved().await;
}

#[tokio::test]
async fn redeem_shows_the_discount_then_the_resident_sees_it_used() {
    let app = setup().await;
    let (resident, coupon) = with_coupon(&app, "shopper").await;
    let (_, till) = app.merchant("百货", "retail").await;
    let code = code_now(&app, &coupon);
    let look = lookup(&app, &till, &code).await;
    assert!(look.applies_here);
    assert_eq!(look.words, "满200减40");
    let res = app
        .post(
            "/merchant/redemptions",
            &till,
            json!({"code": code, "order_amount": 23_850}),
        )
        .await;
    assert_eq!(res.status(), 201);
    let r: RedemptionView = res.json().await.unwrap();
    assert_eq!((r.discount, r.to_pay), (Fen(4_000), Fen(19_850)));
    let status: serde_json::Value = app
        .get(&format!("/coupons/{}/status", coupon.id), &resident)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(status["status"], "redeemed");
    assert_eq!(status["given"], 4_000);
    let day: MerchantDay = app.get("/merchant/today", &till).await.json().await.unwrap();
    assert_eq!(day.totals.count, 1);
    assert_eq!(day.totals.discount, Fen(4_000));
    assert_eq!(day.totals.order_amount, Fen(23_850));
    app.assert_conserved().await;
}

#[tokio::test]
async fn a_refund_returns_the_coupon_to_the_wallet_with_its_expiry() {
    let app = setup().await;
    let (resident, coupon) = with_coupon(&app, "shopper").await;
    let (_, till) = app.merchant("百货", "retail").await;
    let code = code_now(&app, &coupon);
    let r: RedemptionView = app
        .post(
            "/merchant/redemptions",
            &till,
            json!({"code": code, "order_amount": 30_000}),
        )
        .await
        .json()
        .await
        .unwrap();
    let res = app
        .client
        .post(app.url(&format!("/merchant/redemptions/{}/reverse", r.id)))
        .bearer_auth(&till)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let wallet: Wallet = app.get("/wallet", &resident).await.json().await.unwrap();
    assert_eq!(wallet.coupons[0].status, CouponStatus::Held);
    assert_eq!(wallet.coupons[0].expires_at, coupon.expires_at);
    // Reversing twice is refused.
    let again = app
        .client
        .post(app.url(&format!("/merchant/redemptions/{}/reverse", r.id)))
        .bearer_auth(&till)
        .send()
        .await
        .unwrap();
    assert_eq!(problem(again).await, (409, ErrorCode::NotReversible));
    // Another merchant cannot reverse it.
    let (_, other) = app.merchant("别家", "retail").await;
    let theirs = app
        .client
        .post(app.url(&format!("/merchant/redemptions/{}/reverse", r.id)))
        .bearer_auth(&other)
        .send()
        .await
        .unwrap();
    assert_eq!(problem(theirs).await.0, 404);
    // And the coupon can be used again.
    app.clock.advance_ms(31_000);
    let code = code_now(&app, &coupon);
    assert_eq!(
        app.post(
            "/merchant/redemptions",
            &till,
            json!({"code": code, "order_amount": 20_000})
        )
        .await
        .status(),
        201
    );
    let day: MerchantDay = app.get("/merchant/today", &till).await.json().await.unwrap();
    assert_eq!(day.totals.count, 1, "the reversed one does not count");
    assert_eq!(day.redemptions.len(), 2);
    app.assert_conserved().await;
}

#[tokio::test]
async fn stale_expired_forged_and_used_codes_each_have_their_own_refusal() {
    let app = setup().await;
    let (_, coupon) = with_coupon(&app, "shopper").await;
    let (_, till) = app.merchant("百货", "retail").await;
    let redeem = |code: String| {
        app.post(
            "/merchant/redemptions",
            &till,
            json!({"code": code, "order_amount": 20_000}),
        )
    };
    // Stale: shown 70 s ago.
    let old = code::generate(
        coupon.key.as_ref().unwrap(),
        coupon.id,
        app.clock.now().plus_secs(-70),
        coupon.expires_at,
    )
    .unwrap();
    assert_eq!(
        problem(redeem(old.digits().to_owned()).await).await,
        (422, ErrorCode::CodeStale)
    );
    // Forged: made with another key.
    let forged = code::generate(
        &CouponKey::derive(b"guess", coupon.id),
        coupon.id,
        app.clock.now(),
        coupon.expires_at,
    )
    .unwrap();
    assert_eq!(
        problem(redeem(forged.digits().to_owned()).await).await,
        (422, ErrorCode::CodeInvalid)
    );
    // Mistyped: the check digit catches it.
    let mut typo = code_now(&app, &coupon);
    let last = typo.pop().unwrap();
    typo.push(if last == '0' { '1' } else { '0' });
    assert_eq!(problem(redeem(typo).await).await, (422, ErrorCode::CodeInvalid));
    // Used.
    assert_eq!(redeem(code_now(&app, &coupon)).await.status(), 201);
    app.clock.advance_ms(30_000);
    assert_eq!(
        problem(redeem(code_now(&app, &coupon)).await).await,
        (409, ErrorCode::AlreadyRedeemed)
    );
    // Expired: another coupon, after midnight.
    let (_, other) = with_coupon(&app, "late").await;
    let at_2359 = common::qinshui_day3(23, 59, 40);
    let code = code::generate(other.key.as_ref().unwrap(), other.id, at_2359, other.expires_at).unwrap();
    app.clock.set(at_2359.plus_secs(25));
    assert_eq!(
        problem(redeem(code.digits().to_owned()).await).await,
        (422, ErrorCode::CodeExpired)
    );
    app.assert_conserved().await;
}

#[tokio::test]
async fn redemption_rules_threshold_category_blacklist() {
    let app = setup().await;
    let (_, coupon) = with_coupon(&app, "shopper").await;
    let (_, retail) = app.merchant("百货", "retail").await;
    let (_, fuel) = app.merchant("加油站", "fuel").await;
    let (black_id, black) = app.merchant("黑名单", "retail").await;
    let code = code_now(&app, &coupon);
    let redeem = |till: String, amount: i64| {
        let body = json!({"code": code, "order_amount": amount});
        let app = &app;
        async move { app.post("/merchant/redemptions", &till, body).await }
    };
    assert_eq!(
        problem(redeem(retail.clone(), 19_999).await).await,
        (422, ErrorCode::BelowThreshold)
    );
    assert_eq!(
        problem(redeem(fuel.clone(), 30_000).await).await,
        (422, ErrorCode::WrongCategory)
    );
    let look = lookup(&app, &fuel, &code).await;
    assert_eq!(
        (look.applies_here, look.refusal),
        (false, Some(ErrorCode::WrongCategory))
    );
    let op = app.operator().await;
    let res = app
        .post(
            &format!("/operator/merchants/{}/blacklist", black_id.0),
            &op,
            json!({"blacklisted": true, "reason": "刷空单"}),
        )
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(
        problem(redeem(black.clone(), 30_000).await).await,
        (403, ErrorCode::MerchantBlacklisted)
    );
    assert_eq!(
        problem(redeem(retail.clone(), 0).await).await,
        (422, ErrorCode::InvalidRequest)
    );
    // Nothing above changed the coupon.
    assert_eq!(redeem(retail.clone(), 20_000).await.status(), 201);
    app.assert_conserved().await;
}

#[tokio::test]
async fn idempotent_redemption_after_a_dropped_answer_redeems_once() {
    let app = setup().await;
    let (_, coupon) = with_coupon(&app, "shopper").await;
    let (_, till) = app.merchant("百货", "retail").await;
    let body = json!({"code": code_now(&app, &coupon), "order_amount": 25_000});
    let send = || {
        app.client
            .post(app.url("/merchant/redemptions"))
            .bearer_auth(&till)
            .header("Idempotency-Key", "till-7-order-93")
            .json(&body)
            .send()
    };
    let first: RedemptionView = send().await.unwrap().json().await.unwrap();
    let retry = send().await.unwrap();
    assert_eq!(retry.status(), 201);
    let retry: RedemptionView = retry.json().await.unwrap();
    assert_eq!(retry.id, first.id);
    let n: i64 = sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM redemptions")
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap();
    assert_eq!(n, 1);
    // The key with another order is another request: refused, not replayed.
    let other = app
        .client
        .post(app.url("/merchant/redemptions"))
        .bearer_auth(&till)
        .header("Idempotency-Key", "till-7-order-93")
        .json(&json!({"code": code_now(&app, &coupon), "order_amount": 26_000}))
        .send()
        .await
        .unwrap();
    assert_eq!(problem(other).await, (422, ErrorCode::IdempotencyMismatch));
    // A reversal retried with its key is reversed once, and the retry says it is a replay.
    let reverse = |key: &'static str, id: i64| {
        app.client
            .post(app.url(&format!("/merchant/redemptions/{id}/reverse")))
            .bearer_auth(&till)
            .header("Idempotency-Key", key)
            .send()
    };
    let undone = reverse("till-7-undo-93", first.id.0).await.unwrap();
    assert_eq!(undone.status(), 200);
    let again = reverse("till-7-undo-93", first.id.0).await.unwrap();
    assert_eq!(
        (
            again.status(),
            again
                .headers()
                .get("idempotent-replayed")
                .map(|v| v.to_str().unwrap().to_owned())
        ),
        (reqwest::StatusCode::OK, Some("true".to_owned()))
    );
    // The same key on another redemption's reversal is another request.
    assert_eq!(
        problem(reverse("till-7-undo-93", first.id.0 + 1).await.unwrap()).await,
        (422, ErrorCode::IdempotencyMismatch)
    );
    app.assert_conserved().await;
}

#[tokio::test]
async fn love_coupons_are_allocated_from_the_list_once_per_person() {
    let app = setup().await;
    let op = app.operator().await;
    let csv = "身份证号,姓名\n11010519491231002X,王秀英\n11010519491231002x,王秀英\nnot-an-id,某人\n";
    let res = app
        .post(
            "/operator/allocations",
            &op,
            json!({"campaign": "qinshui-2022-r2", "kind": "love", "csv": csv}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let report: serde_json::Value = res.json().await.unwrap();
    assert_eq!(report["allocated"], 1);
    assert_eq!(report["already_listed"], 1);
    assert_eq!(report["refused"].as_array().unwrap().len(), 1);
    assert_eq!(report["amount"], 100_000);
    // The person signs in through their bank: the host's subject is the ID number's hash.
    let subject = quan_server::store::allocations::subject_of_id_number("11010519491231002X");
    let (_, token) = app.resident(&subject).await;
    let wallet: Wallet = app.get("/wallet", &token).await.json().await.unwrap();
    assert_eq!(wallet.coupons.len(), 10);
    assert!(wallet
        .coupons
        .iter()
        .all(|c| c.words == "无门槛减100" && c.expires_at.china_display() == "2022-10-15 23:59:59"));
    // Redeemable at any listed merchant, e.g. a fuel station, for a small order too.
    let (_, fuel) = app.merchant("加油站", "fuel").await;
    let code = code_now(&app, &wallet.coupons[0]);
    let r: RedemptionView = app
        .post(
            "/merchant/redemptions",
            &fuel,
            json!({"code": code, "order_amount": 6_000}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(r.discount, Fen(6_000), "never more than the order");
    app.assert_conserved().await;
}

/// No amount over the order bound gets in, on any route that takes one; at the bound itself,
/// the till, the merchant's settlement and every merchant's settlement (and their CSV) add
/// up without overflow.
#[tokio::test]
async fn order_amounts_are_bounded_and_sums_at_the_bound_hold() {
    use quan_core::api::Settlement;
    use quan_core::money::MAX_ORDER;
    let app = setup().await;
    let (_, till) = app.merchant("百货A", "retail").await;
    let (_, resident) = app.resident("big-spender").await;
    let huge = i64::MAX;
    let refused = [
        (
            "/merchant/redemptions",
            &till,
            json!({"code": "00000000000000000000", "order_amount": huge}),
        ),
        (
            "/merchant/redemptions",
            &till,
            json!({"code": "00000000000000000000", "order_amount": -1}),
        ),
        (
            "/merchant/redemptions",
            &till,
            json!({"code": "00000000000000000000", "order_amount": MAX_ORDER.0 + 1}),
        ),
        (
            "/merchant/cards/redeem",
            &till,
            json!({"number": "1234567812345678", "pin": "123456", "order_amount": huge}),
        ),
        (
            "/merchant/issues",
            &till,
            json!({"campaign": "qinshui-2022-r2", "kind": "retail", "phone": "13700000001", "order_amount": huge}),
        ),
        (
            "/merchant/offers",
            &till,
            json!({"campaign": "qinshui-2022-r2", "kind": "retail", "threshold": huge, "quantity": 10}),
        ),
        (
            "/applications",
            &resident,
            json!({"campaign": "jishan-2023", "subsidy": "car", "invoice_amount": huge, "invoice_date": "2023-06-01",
                   "vehicle": "new_energy", "dealer": 1, "bank_card": "6222021234567890123", "phone": "13700000001"}),
        ),
    ];
    for (path, token, body) in refused {
        let res = app.post(path, token, body.clone()).await;
        let status = res.status().as_u16();
        let p: Problem = res.json().await.unwrap();
        assert_eq!(
            (status, p.code),
            (422, ErrorCode::InvalidRequest),
            "{path} {body}: {:?}",
            p.detail
        );
        let detail = p.detail.unwrap_or_default();
        assert!(
            detail.contains("10,000,000 yuan"),
            "{path}: the bound in words: {detail}"
        );
    }
    // Two orders at the bound: redeemed, and summed.
    for who in ["first", "second"] {
        let (_, coupon) = with_coupon(&app, who).await;
        let res = app
            .post(
                "/merchant/redemptions",
                &till,
                json!({"code": code_now(&app, &coupon), "order_amount": MAX_ORDER.0}),
            )
            .await;
        assert_eq!(res.status(), 201);
    }
    let day: MerchantDay = app.get("/merchant/today", &till).await.json().await.unwrap();
    assert_eq!(day.totals.order_amount, Fen(2 * MAX_ORDER.0));
    let own: Settlement = app
        .get("/merchant/campaigns/qinshui-2022-r2/settlement", &till)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        own.lines.iter().map(|l| l.order_amount.0).sum::<i64>(),
        2 * MAX_ORDER.0
    );
    let operator = app.operator().await;
    let all = app
        .get("/operator/campaigns/qinshui-2022-r2/settlements", &operator)
        .await;
    assert_eq!(all.status(), 200);
    let all: Settlement = all.json().await.unwrap();
    assert_eq!(
        all.lines.iter().map(|l| l.order_amount.0).sum::<i64>(),
        2 * MAX_ORDER.0
    );
    for (path, token) in [
        ("/merchant/campaigns/qinshui-2022-r2/settlement.csv", &till),
        ("/operator/campaigns/qinshui-2022-r2/settlements.csv", &operator),
    ] {
        let res = app.get(path, token).await;
        assert_eq!(res.status(), 200, "{path}");
        assert!(
            res.text().await.unwrap().contains("20000000"),
            "{path}: the orders' sum in yuan"
        );
    }
    app.assert_conserved().await;
}

#[tokio::test]
async fn a_suspended_merchant_redeems_nothing_until_resumed_and_both_standings_keep_their_reasons() {
    let app = setup().await;
    let (_, coupon) = with_coupon(&app, "shopper").await;
    let (shop, till) = app.merchant("百货", "retail").await;
    let op = app.operator().await;
    let standing = |what: &str, on: bool, reason: &str| {
        let body = if what == "suspension" {
            json!({"suspended": on, "reason": reason})
        } else {
            json!({"blacklisted": on, "reason": reason})
        };
        let (app, op, path) = (&app, op.clone(), format!("/operator/merchants/{}/{what}", shop.0));
        async move { app.post(&path, &op, body).await }
    };
    // Neither is set without a reason.
    for what in ["suspension", "blacklist"] {
        assert_eq!(
            problem(standing(what, true, "  ").await).await,
            (422, ErrorCode::InvalidRequest)
        );
    }
    let m: quan_core::api::MerchantView = standing("suspension", true, "门店搬迁，暂停三天")
        .await
        .json()
        .await
        .unwrap();
    assert!(m.suspended && !m.blacklisted && m.suspension_reason == "门店搬迁，暂停三天");
    let code = code_now(&app, &coupon);
    let look = lookup(&app, &till, &code).await;
    assert_eq!(
        (look.applies_here, look.refusal),
        (false, Some(ErrorCode::MerchantSuspended))
    );
    let redeem = || {
        app.post(
            "/merchant/redemptions",
            &till,
            json!({"code": code_now(&app, &coupon), "order_amount": 20_000}),
        )
    };
    assert_eq!(problem(redeem().await).await, (403, ErrorCode::MerchantSuspended));
    // Resumed, it redeems; the reason stays on record.
    let m: quan_core::api::MerchantView = standing("suspension", false, "").await.json().await.unwrap();
    assert!(!m.suspended && m.suspension_reason == "门店搬迁，暂停三天");
    assert_eq!(redeem().await.status(), 201);
    // The blacklist is its own standing, and taking a merchant off it keeps why it was put on.
    standing("blacklist", true, "刷空单套现").await;
    let m: quan_core::api::MerchantView = standing("blacklist", false, "").await.json().await.unwrap();
    assert!(!m.blacklisted && m.blacklist_reason == "刷空单套现");
    // Each act is in the audit trail with its reason.
    let auditor = app.staff("shen.ji", quan_core::api::Role::Auditor, None).await;
    let entries: Vec<quan_core::api::AuditEntry> =
        app.get("/audit/entries", &auditor).await.json().await.unwrap();
    let details: Vec<&str> = entries
        .iter()
        .rev()
        .filter(|e| e.act.result == "ok")
        .map(|e| e.act.detail.as_str())
        .collect();
    assert!(
        details.contains(&"百货 suspended: 门店搬迁，暂停三天"),
        "{details:?}"
    );
    assert!(details.contains(&"百货 resumed"), "{details:?}");
    assert!(details.contains(&"百货 blacklisted: 刷空单套现"), "{details:?}");
    app.assert_conserved().await;
}
