//! Pausing part of a running campaign, without a restart: claims of one kind, all of a
//! campaign's claims (offers and shop issues too), or redemptions in one merchant category. A
//! pause made through one instance holds on another at once, residents and tills are told the
//! bureau's reason, and resuming gives it all back. Each act is in the audit trail.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{qinshui_day3, spawn, spawn_two, Options, TestApp};
use quan_core::api::{CouponView, PauseView};
use quan_core::code::{self, CouponKey};
use quan_core::pause::PauseScope;
use quan_core::{ChinaDate, ErrorCode, Problem, TimeOfDay};
use quan_server::clock::Clock;
use serde_json::json;
use sqlx::Row;

const QINSHUI: &str = "qinshui-2022-r2";
const REASON: &str = "系统升级，稍后恢复";

async fn refusal(res: reqwest::Response) -> (u16, ErrorCode, Option<String>) {
    let status = res.status().as_u16();
    let p: Problem = res.json().await.unwrap();
    (status, p.code, p.detail)
}

async fn pause(app: &TestApp, op: &str, campaign: &str, scope: &str, target: &str) -> reqwest::Response {
    app.post(
        &format!("/operator/campaigns/{campaign}/pauses"),
        op,
        json!({"scope": scope, "target": target, "reason": REASON}),
    )
    .await
}

async fn claim(app: &TestApp, token: &str, kind: &str, denomination: usize) -> reqwest::Response {
    app.post(
        "/claims",
        token,
        json!({"campaign": QINSHUI, "kind": kind, "denomination": denomination}),
    )
    .await
}

/// Each kind's `paused` as residents see it.
async fn shown(app: &TestApp, kind: &str) -> Option<String> {
    app.qinshui_kind(kind).await.paused
}

#[tokio::test]
async fn a_paused_kind_refuses_claims_on_every_instance_with_its_reason_until_resumed() {
    let options = || Options {
        clock: Clock::starting_at(qinshui_day3(10, 0, 0)),
        ..Options::default()
    };
    let (first, second) = spawn_two(options).await;
    let op = first.operator().await;
    let res = pause(&first, &op, QINSHUI, "kind", "retail").await;
    assert_eq!(res.status(), 201);
    let made: PauseView = res.json().await.unwrap();
    assert_eq!(
        (made.scope, made.target.as_str(), made.reason.as_str()),
        (PauseScope::Kind, "retail", REASON)
    );
    assert_eq!(made.resumed_at, None);

    // The other instance refuses at once, in the bureau's words, and says so to residents.
    let (_, resident) = second.resident("shopper").await;
    assert_eq!(
        refusal(claim(&second, &resident, "retail", 1).await).await,
        (409, ErrorCode::ClaimsPaused, Some(REASON.to_owned()))
    );
    assert_eq!(shown(&second, "retail").await.as_deref(), Some(REASON));
    // Nothing else is paused.
    assert_eq!(claim(&second, &resident, "fuel", 0).await.status(), 201);
    assert_eq!(shown(&second, "fuel").await, None);
    // The same pause twice is refused; it is changed by resuming it.
    assert_eq!(
        refusal(pause(&second, &second.operator().await, QINSHUI, "kind", "retail").await)
            .await
            .1,
        ErrorCode::InvalidRequest
    );

    let op2 = second.operator().await;
    let res = second
        .post(&format!("/operator/pauses/{}/resume", made.id), &op2, json!({}))
        .await;
    assert_eq!(res.status(), 200);
    let resumed: PauseView = res.json().await.unwrap();
    assert!(resumed.resumed_at.is_some());
    assert_eq!(claim(&first, &resident, "retail", 1).await.status(), 201);
    assert_eq!(shown(&first, "retail").await, None);
    // Resumed once only.
    let again = first
        .post(&format!("/operator/pauses/{}/resume", made.id), &op, json!({}))
        .await;
    assert_eq!(refusal(again).await.1, ErrorCode::InvalidRequest);

    // Both acts are in the campaign's list and in the audit trail.
    let list: Vec<PauseView> = first
        .get(&format!("/operator/campaigns/{QINSHUI}/pauses"), &op)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].paused_by, "op");
    assert_eq!(list[0].resumed_by.as_deref(), Some("op"));
    let audited: Vec<String> = sqlx::query("SELECT detail FROM audit_log ORDER BY seq")
        .fetch_all(&first.state.db.pool)
        .await
        .unwrap()
        .iter()
        .map(|r| r.get::<String, _>(0))
        .collect();
    assert!(
        audited.contains(&format!("paused {QINSHUI}'s claims of retail: {REASON}")),
        "{audited:?}"
    );
    assert!(
        audited.contains(&format!("resumed {QINSHUI}'s claims of retail")),
        "{audited:?}"
    );
    first.assert_conserved().await;
}

#[tokio::test]
async fn a_pause_of_all_claims_stops_offers_and_shop_issues_too() {
    let app = spawn(Options {
        clock: Clock::starting_at(ChinaDate::new(2023, 6, 8).unwrap().at(TimeOfDay(14 * 3_600))),
        ..Options::default()
    })
    .await;
    let (_, treasures) = app.merchant("四宝店", "treasures").await;
    let res = app
        .post(
            "/merchant/offers",
            &treasures,
            json!({"campaign": "jishan-2023", "kind": "treasures", "threshold": 20_000, "quantity": 5}),
        )
        .await;
    assert_eq!(res.status(), 201);
    let offer: quan_core::api::MerchantOffer = res.json().await.unwrap();
    let (customer, _) = app.resident("id:13700000001").await;
    quan_server::store::residents::set_phone(&app.state.db, customer, "13700000001")
        .await
        .unwrap();
    let (_, shop) = app.merchant("家电商场", "appliance").await;
    let op = app.operator().await;
    assert_eq!(pause(&app, &op, "jishan-2023", "claims", "").await.status(), 201);

    let (_, resident) = app.resident("r").await;
    let claimed = app
        .post(&format!("/offers/{}/claim", offer.id), &resident, json!({}))
        .await;
    assert_eq!(refusal(claimed).await.1, ErrorCode::ClaimsPaused);
    let issued = app
        .post(
            "/merchant/issues",
            &shop,
            json!({"campaign": "jishan-2023", "kind": "appliance", "phone": "13700000001", "order_amount": 800_000}),
        )
        .await;
    assert_eq!(
        refusal(issued).await,
        (409, ErrorCode::ClaimsPaused, Some(REASON.to_owned()))
    );
    app.assert_conserved().await;
}

#[tokio::test]
async fn a_paused_category_refuses_redemptions_there_and_nowhere_else() {
    let app = spawn(Options {
        clock: Clock::starting_at(qinshui_day3(10, 0, 0)),
        ..Options::default()
    })
    .await;
    let (_, resident) = app.resident("shopper").await;
    let retail: CouponView = claim(&app, &resident, "retail", 1).await.json().await.unwrap();
    let fuel: CouponView = claim(&app, &resident, "fuel", 1).await.json().await.unwrap();
    let code_of = |c: &CouponView| {
        let key: &CouponKey = c.key.as_ref().unwrap();
        code::generate(key, c.id, app.clock.now(), c.expires_at)
            .unwrap()
            .digits()
            .to_owned()
    };
    let (_, shop) = app.merchant("百货", "retail").await;
    let (_, station) = app.merchant("加油站", "fuel").await;
    let op = app.operator().await;
    let res = pause(&app, &op, QINSHUI, "category", "retail").await;
    assert_eq!(res.status(), 201);
    let made: PauseView = res.json().await.unwrap();
    // Claims go on: only the category's tills stop, and they are told when they scan.
    assert_eq!(shown(&app, "retail").await, None);
    let found: quan_core::api::LookupResult = app
        .post("/merchant/lookup", &shop, json!({"code": code_of(&retail)}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        (found.applies_here, found.refusal, found.reason.as_deref()),
        (false, Some(ErrorCode::RedemptionsPaused), Some(REASON))
    );
    let elsewhere: quan_core::api::LookupResult = app
        .post("/merchant/lookup", &station, json!({"code": code_of(&fuel)}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!((elsewhere.applies_here, elsewhere.reason), (true, None));
    let redeem = |till: String, code: String| {
        let app = &app;
        async move {
            app.post(
                "/merchant/redemptions",
                &till,
                json!({"code": code, "order_amount": 25_000}),
            )
            .await
        }
    };
    assert_eq!(
        refusal(redeem(shop.clone(), code_of(&retail)).await).await,
        (409, ErrorCode::RedemptionsPaused, Some(REASON.to_owned()))
    );
    assert_eq!(redeem(station.clone(), code_of(&fuel)).await.status(), 201);
    let res = app
        .post(&format!("/operator/pauses/{}/resume", made.id), &op, json!({}))
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(redeem(shop, code_of(&retail)).await.status(), 201);
    app.assert_conserved().await;
}

#[tokio::test]
async fn a_pause_the_campaign_cannot_take_is_refused_in_words() {
    let app = spawn(Options {
        clock: Clock::starting_at(qinshui_day3(10, 0, 0)),
        ..Options::default()
    })
    .await;
    let op = app.operator().await;
    for (scope, target) in [
        ("kind", "nonesuch"),
        ("kind", "love"),
        ("kind", ""),
        ("category", "treasures"),
        ("claims", "retail"),
    ] {
        let (status, code, detail) = refusal(pause(&app, &op, QINSHUI, scope, target).await).await;
        assert_eq!(
            (status, code),
            (422, ErrorCode::InvalidRequest),
            "{scope} {target}"
        );
        assert!(detail.is_some_and(|d| !d.is_empty()));
    }
    for reason in ["", "   ", &"长".repeat(201), "停\u{0}用", "两行\n原因"] {
        let res = app
            .post(
                &format!("/operator/campaigns/{QINSHUI}/pauses"),
                &op,
                json!({"scope": "claims", "reason": reason}),
            )
            .await;
        assert_eq!(refusal(res).await.1, ErrorCode::InvalidRequest);
    }
    let res = pause(&app, &op, "nonesuch", "claims", "").await;
    assert_eq!(res.status(), 404);
    let res = app.post("/operator/pauses/999/resume", &op, json!({})).await;
    assert_eq!(refusal(res).await.1, ErrorCode::NotFound);
    // Nothing was paused by any of it.
    let list: Vec<PauseView> = app
        .get(&format!("/operator/campaigns/{QINSHUI}/pauses"), &op)
        .await
        .json()
        .await
        .unwrap();
    assert!(list.is_empty());
}

/// Waits until `app` sees Qinshui's overload switch as `want`; how long that took.
async fn sees_busy(app: &TestApp, want: Option<u32>) -> std::time::Duration {
    let started = std::time::Instant::now();
    while app.state.campaigns.busy(QINSHUI) != want {
        assert!(
            started.elapsed() < std::time::Duration::from_secs(5),
            "the switch never arrived"
        );
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    started.elapsed()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_overload_switch_asks_claims_to_come_back_on_every_instance_while_tills_redeem() {
    let options = || Options {
        clock: Clock::starting_at(qinshui_day3(10, 0, 0)),
        ..Options::default()
    };
    let (first, second) = spawn_two(options).await;
    let (_, resident) = second.resident("shopper").await;
    let held: CouponView = claim(&second, &resident, "retail", 1).await.json().await.unwrap();
    let op = first.operator().await;
    let path = format!("/operator/campaigns/{QINSHUI}/busy");
    // The wait is bounded.
    let res = first
        .post(&path, &op, json!({"on": true, "retry_after": 4}))
        .await;
    assert_eq!(refusal(res).await.1, ErrorCode::InvalidRequest);
    let res = first
        .post(&path, &op, json!({"on": true, "retry_after": 30}))
        .await;
    assert_eq!(res.status(), 200);
    let on: quan_core::api::BusyView = res.json().await.unwrap();
    assert_eq!(
        (on.on, on.retry_after, on.by.as_deref()),
        (true, Some(30), Some("op"))
    );

    let waited = sees_busy(&second, Some(30)).await;
    assert!(
        waited < std::time::Duration::from_secs(1),
        "the second instance took {waited:?}"
    );
    let res = claim(&second, &resident, "fuel", 1).await;
    assert_eq!(res.status(), 503);
    assert_eq!(
        res.headers().get("retry-after").and_then(|v| v.to_str().ok()),
        Some("30")
    );
    assert_eq!(refusal(res).await.1, ErrorCode::Unavailable);
    // Residents are shown the wait before they tap.
    let (_, anyone) = second.resident("viewer").await;
    let all: Vec<quan_core::api::CampaignView> =
        second.get("/campaigns", &anyone).await.json().await.unwrap();
    let q = all.iter().find(|c| c.id.as_str() == QINSHUI).unwrap();
    assert_eq!(q.busy, Some(30));
    assert!(all
        .iter()
        .filter(|c| c.id.as_str() != QINSHUI)
        .all(|c| c.busy.is_none()));

    // The till redeems what residents hold.
    let (_, shop) = second.merchant("百货", "retail").await;
    let key: &CouponKey = held.key.as_ref().unwrap();
    let digits = code::generate(key, held.id, second.clock.now(), held.expires_at)
        .unwrap()
        .digits()
        .to_owned();
    let redeemed = second
        .post(
            "/merchant/redemptions",
            &shop,
            json!({"code": digits, "order_amount": 25_000}),
        )
        .await;
    assert_eq!(redeemed.status(), 201);

    // Off: claims are taken again on both.
    let res = first.post(&path, &op, json!({"on": false})).await;
    assert_eq!(res.status(), 200);
    sees_busy(&second, None).await;
    assert_eq!(claim(&second, &resident, "fuel", 1).await.status(), 201);
    first.assert_conserved().await;
}

#[tokio::test]
async fn a_deep_claim_queue_asks_new_claims_to_come_back_in_seconds() {
    let app = spawn(Options {
        clock: Clock::starting_at(qinshui_day3(10, 0, 0)),
        // Every claim finds the queue "deep": the automatic switch at its lowest setting.
        tune: |c| c.claim_queue_busy = 0,
        ..Options::default()
    })
    .await;
    let (_, resident) = app.resident("r").await;
    let res = claim(&app, &resident, "retail", 1).await;
    assert_eq!(res.status(), 503);
    assert_eq!(
        res.headers().get("retry-after").and_then(|v| v.to_str().ok()),
        Some("2")
    );
    assert_eq!(refusal(res).await.1, ErrorCode::Unavailable);
}

#[tokio::test]
async fn the_overload_switch_holds_back_a_merchant_offers_claims_too() {
    let app = spawn(Options {
        clock: Clock::starting_at(ChinaDate::new(2023, 6, 8).unwrap().at(TimeOfDay(14 * 3_600))),
        ..Options::default()
    })
    .await;
    let (_, treasures) = app.merchant("四宝店", "treasures").await;
    let offer: quan_core::api::MerchantOffer = app
        .post(
            "/merchant/offers",
            &treasures,
            json!({"campaign": "jishan-2023", "kind": "treasures", "threshold": 20_000, "quantity": 5}),
        )
        .await
        .json()
        .await
        .unwrap();
    let op = app.operator().await;
    let path = "/operator/campaigns/jishan-2023/busy";
    assert_eq!(
        app.post(path, &op, json!({"on": true, "retry_after": 15}))
            .await
            .status(),
        200
    );
    let (_, resident) = app.resident("r").await;
    let claim_path = format!("/offers/{}/claim", offer.id);
    let held = app.post(&claim_path, &resident, json!({})).await;
    assert_eq!(
        held.headers().get("retry-after").and_then(|v| v.to_str().ok()),
        Some("15")
    );
    assert_eq!(refusal(held).await.1, ErrorCode::Unavailable);
    app.assert_conserved().await;

    assert_eq!(app.post(path, &op, json!({"on": false})).await.status(), 200);
    assert_eq!(app.post(&claim_path, &resident, json!({})).await.status(), 201);
    app.assert_conserved().await;
}
