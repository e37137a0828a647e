//! The report and the audit sample on a known run: figures, coverage, the leverage ratio, the
//! hourly series, and a sample an auditor can redraw from its seed.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{qinshui_day3, spawn, Options, TestApp};
use quan_core::api::{CouponView, RedemptionView};
use quan_core::code;
use quan_core::report::{audit_sample, CampaignReport, AUDIT_PERCENT};
use quan_core::Fen;
use quan_server::clock::Clock;
use serde_json::json;

const CAMPAIGN: &str = "qinshui-2022-r2";

/// `residents` each claim a 满200减40 retail coupon; the first `redeeming` redeem it on orders of
/// 250, 251, … yuan; the last of those is refunded. Returns the redemption ids.
async fn known_run(app: &TestApp, residents: usize, redeeming: usize) -> Vec<i64> {
    let (_, till) = app.merchant("百货", "retail").await;
    let mut ids = Vec::new();
    for i in 0..residents {
        let (_, token) = app.resident(&format!("r{i}")).await;
        let res = app
            .post(
                "/claims",
                &token,
                json!({"campaign": CAMPAIGN, "kind": "retail", "denomination": 1}),
            )
            .await;
        assert_eq!(res.status(), 201);
        let c: CouponView = res.json().await.unwrap();
        if i < redeeming {
            let digits = code::generate(c.key.as_ref().unwrap(), c.id, app.clock.now(), c.expires_at)
                .unwrap()
                .digits()
                .to_owned();
            let order = 25_000 + 100 * i as i64;
            let r: RedemptionView = app
                .post(
                    "/merchant/redemptions",
                    &till,
                    json!({"code": digits, "order_amount": order}),
                )
                .await
                .json()
                .await
                .unwrap();
            ids.push(r.id.0);
        }
    }
    let last = ids.last().copied().unwrap();
    let res = app
        .client
        .post(app.url(&format!("/merchant/redemptions/{last}/reverse")))
        .bearer_auth(&till)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    ids
}

async fn setup() -> TestApp {
    spawn(Options {
        clock: Clock::starting_at(qinshui_day3(10, 0, 0)),
        ..Options::default()
    })
    .await
}

/// The campaign's report, as the operator reads it.
async fn report(app: &TestApp, op: &str) -> CampaignReport {
    app.get(&format!("/operator/campaigns/{CAMPAIGN}/report"), op)
        .await
        .json()
        .await
        .unwrap()
}

/// Moves `amount` fen of budget from fuel to retail, for `reason`.
async fn reallocate(app: &TestApp, op: &str, amount: i64, reason: &str) -> reqwest::Response {
    app.post(
        &format!("/operator/campaigns/{CAMPAIGN}/reallocations"),
        op,
        json!({"from_kind": "fuel", "to_kind": "retail", "amount": amount, "reason": reason}),
    )
    .await
}

#[tokio::test]
async fn the_report_counts_issuance_coverage_refunds_and_leverage_from_the_ledger() {
    let app = setup().await;
    known_run(&app, 30, 26).await;
    let op = app.operator().await;
    let res = app
        .get(&format!("/operator/campaigns/{CAMPAIGN}/report"), &op)
        .await;
    assert_eq!(res.status(), 200);
    let r: CampaignReport = res.json().await.unwrap();
    let retail = r.kinds.iter().find(|k| k.kind == "retail").unwrap();
    assert_eq!(retail.name, "零售通用券");
    assert_eq!((retail.issued_count, retail.issued_value), (30, Fen(120_000)));
    assert_eq!(retail.residents_issued, 30);
    // 26 redeemed, one of them refunded: 25 stand.
    assert_eq!(retail.redeemed_count, 25);
    assert_eq!(retail.residents_redeemed, 25);
    assert_eq!((retail.reversed_count, retail.reversed_discount), (1, Fen(4_000)));
    assert_eq!(retail.discount, Fen(25 * 4_000));
    // Orders of 250.00 + 1.00 × i yuan for i in 0..25.
    let orders: i64 = (0..25).map(|i| 25_000 + 100 * i).sum();
    assert_eq!(retail.order_amount, Fen(orders));
    assert_eq!(retail.leverage_x100, Some((orders * 100 / 100_000) as u64));
    assert_eq!(retail.redemption_rate_bp, Some(25 * 10_000 / 30));
    // Four never used and the refunded one are held: 5 × 40 yuan.
    assert_eq!(retail.held_value, Fen(5 * 4_000));
    assert_eq!(retail.budget, Fen(4_000_000 * 100));
    assert_eq!(r.total.residents_issued, 30);
    // Everything happened in the 10 o'clock hour of day 3, China time.
    let hourly = r.hourly.iter().find(|s| s.kind == "retail").unwrap();
    assert_eq!(hourly.issued[10], 30);
    assert_eq!(hourly.redeemed[10], 25);
    assert_eq!(hourly.issued.iter().sum::<u64>(), 30);
    let daily = r.daily.iter().find(|s| s.kind == "retail").unwrap();
    assert_eq!(daily.issued[2], 30, "day 3 of the campaign");
    assert_eq!(daily.available[2], Fen(4_000_000 * 100 - 120_000));
    assert_eq!(
        (r.audit.records, r.audit.sampled, r.audit.percent),
        (26, 3, AUDIT_PERCENT)
    );
    // Thirty different residents on fair orders, one refund: nothing for the auditors to flag.
    assert!(r.flags.is_empty(), "{:?}", r.flags);

    let csv = app
        .get(&format!("/operator/campaigns/{CAMPAIGN}/report.csv"), &op)
        .await;
    assert_eq!(csv.status(), 200);
    assert!(csv.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    let text = csv.text().await.unwrap();
    let line = text.lines().find(|l| l.starts_with("retail,")).unwrap();
    assert!(line.contains(",30,1200.00,30,25,1000.00,"), "{line}");
    assert!(text.contains(&format!("seed {}", r.audit.seed)));
}

#[tokio::test]
async fn the_audit_sample_is_a_tenth_and_redrawn_from_its_seed() {
    let app = setup().await;
    let ids = known_run(&app, 41, 41).await;
    let op = app.operator().await;
    let r: CampaignReport = app
        .get(&format!("/operator/campaigns/{CAMPAIGN}/report"), &op)
        .await
        .json()
        .await
        .unwrap();
    let path = format!("/operator/campaigns/{CAMPAIGN}/audit-sample.csv");
    let first = app.get(&path, &op).await.text().await.unwrap();
    let again = app.get(&path, &op).await.text().await.unwrap();
    assert_eq!(first, again, "the campaign's seed is kept");
    assert!(first.contains(&format!("seed {}", r.audit.seed)));
    let sampled = |csv: &str| -> Vec<i64> {
        csv.lines()
            .skip(2)
            .map(|l| l.split(',').next().unwrap().parse().unwrap())
            .collect()
    };
    // 41 records: ceil(4.1) = 5, exactly the ones the seed ranks first.
    assert_eq!(sampled(&first), audit_sample(&ids, r.audit.seed, AUDIT_PERCENT));
    assert_eq!(sampled(&first).len(), 5);
    // An auditor's own seed draws its own sample, the same way.
    let theirs = app
        .get(&format!("{path}?seed=20221225"), &op)
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(sampled(&theirs), audit_sample(&ids, 20_221_225, AUDIT_PERCENT));
    assert!(theirs.contains("seed 20221225"));
    // The refunded record is in the population, marked as reversed if drawn.
    let refunded = *ids.last().unwrap();
    for seed in 0..40u64 {
        let csv = app
            .get(&format!("{path}?seed={seed}"), &op)
            .await
            .text()
            .await
            .unwrap();
        if let Some(line) = csv.lines().find(|l| l.starts_with(&format!("{refunded},"))) {
            assert!(!line.ends_with(','), "the reversal time is given: {line}");
            return;
        }
    }
    panic!("no seed of 40 drew the refunded record");
}

#[tokio::test]
async fn reports_are_for_operators_and_say_what_is_wrong() {
    let app = setup().await;
    let (_, resident) = app.resident("nosy").await;
    let path = format!("/operator/campaigns/{CAMPAIGN}/report");
    assert_eq!(app.get(&path, &resident).await.status(), 403);
    let op = app.operator().await;
    assert_eq!(
        app.get("/operator/campaigns/nope/report", &op).await.status(),
        404
    );
    let bad = app.get(&format!("{path}?day=2022-13-40"), &op).await;
    assert_eq!(bad.status(), 422);
    let bad_seed = app
        .get(
            &format!("/operator/campaigns/{CAMPAIGN}/audit-sample.csv?seed=abc"),
            &op,
        )
        .await;
    assert_eq!(bad_seed.status(), 422);
}

#[tokio::test]
async fn settlements_count_what_each_merchant_redeemed_net_of_refunds() {
    let app = setup().await;
    known_run(&app, 5, 5).await;
    let op = app.operator().await;
    let all: quan_core::api::Settlement = app
        .get(&format!("/operator/campaigns/{CAMPAIGN}/settlements"), &op)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(all.lines.len(), 1);
    let line = &all.lines[0];
    assert_eq!(
        (
            line.merchant_name.as_str(),
            line.kind.as_str(),
            line.kind_name.as_str()
        ),
        ("百货", "retail", "零售通用券")
    );
    assert_eq!(
        (line.count, line.discount),
        (4, Fen(16_000)),
        "five redeemed, one refunded"
    );
    assert_eq!(line.order_amount, Fen(25_000 + 25_100 + 25_200 + 25_300));
    // The merchant sees and exports its own; another merchant has nothing to claim.
    let (_, till) = app.merchant("百货", "retail").await;
    let mine: quan_core::api::Settlement = app
        .get(&format!("/merchant/campaigns/{CAMPAIGN}/settlement"), &till)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(mine.lines, all.lines);
    let csv = app
        .get(&format!("/merchant/campaigns/{CAMPAIGN}/settlement.csv"), &till)
        .await
        .text()
        .await
        .unwrap();
    assert!(csv.contains(",百货,retail,零售通用券,4,160.00,1006.00"), "{csv}");
    let (_, other) = app.merchant("别家", "retail").await;
    let theirs: quan_core::api::Settlement = app
        .get(&format!("/merchant/campaigns/{CAMPAIGN}/settlement"), &other)
        .await
        .json()
        .await
        .unwrap();
    assert!(theirs.lines.is_empty() && theirs.discount == Fen(0));
    assert_eq!(
        app.get(&format!("/operator/campaigns/{CAMPAIGN}/settlements"), &till)
            .await
            .status(),
        403
    );
}

#[tokio::test]
async fn budget_moves_between_kinds_on_record_and_never_beyond_what_is_left() {
    let app = setup().await;
    let op = app.operator().await;
    let path = format!("/operator/campaigns/{CAMPAIGN}/reallocations");
    let res = reallocate(&app, &op, 1_000_000, "加油券领取不足，调剂至零售").await;
    assert_eq!(res.status(), 201);
    let r = report(&app, &op).await;
    let budget = |kind: &str| r.kinds.iter().find(|k| k.kind == kind).unwrap().budget;
    assert_eq!(budget("fuel"), Fen(2_000_000 * 100 - 1_000_000));
    assert_eq!(budget("retail"), Fen(4_000_000 * 100 + 1_000_000));
    assert_eq!(
        r.total.budget,
        Fen(12_700_000 * 100),
        "the campaign's budget is unchanged"
    );
    for kind in ["fuel", "retail"] {
        let acc = quan_server::store::pools::conservation(&app.state.db, CAMPAIGN, kind)
            .await
            .unwrap();
        assert!(acc.holds(), "{kind}: {acc:?}");
    }
    // Claims in the receiving kind draw on it today.
    let (_, token) = app.resident("after-move").await;
    let claim = app
        .post(
            "/claims",
            &token,
            json!({"campaign": CAMPAIGN, "kind": "retail", "denomination": 1}),
        )
        .await;
    assert_eq!(claim.status(), 201);
    // On record; more than is left, no reason, or a reviewer: refused.
    let list: Vec<quan_core::api::Reallocation> = app.get(&path, &op).await.json().await.unwrap();
    assert_eq!((list.len(), list[0].amount), (1, Fen(1_000_000)));
    assert_eq!(reallocate(&app, &op, 200_000_000, "x").await.status(), 409);
    assert_eq!(reallocate(&app, &op, 100, " ").await.status(), 422);
}

/// What `cargo xtask run` shows: a campaign from yesterday, with yesterday's whole day and this
/// afternoon's hours of claims, redemptions and refunds made through the real paths.
#[tokio::test]
async fn the_demo_makes_a_plausible_campaign_day() {
    let now = quan_core::ChinaDate::new(2026, 3, 2)
        .unwrap()
        .at(quan_core::TimeOfDay(15 * 3_600 + 30 * 60));
    let app = spawn(Options {
        clock: Clock::starting_at(now),
        demo: true,
        demo_activity: true,
        ..Options::default()
    })
    .await;
    let op = app.operator().await;
    let r: CampaignReport = app
        .get(&format!("/operator/campaigns/{CAMPAIGN}/report"), &op)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        r.first_day,
        now.china_date().plus_days(-1),
        "the campaign began yesterday"
    );
    let yesterday: u64 = r.daily.iter().map(|s| s.issued[0]).sum();
    let today: u64 = r.daily.iter().map(|s| s.issued[1]).sum();
    assert!(
        yesterday > 300 && today > 100 && today < yesterday,
        "{yesterday} then {today}"
    );
    // The rush at ten, then a quieter afternoon; nothing after now.
    let hourly = |h: usize| r.hourly.iter().map(|s| s.issued[h]).sum::<u64>();
    assert!(hourly(10) > hourly(14) && hourly(14) > 0 && hourly(16) == 0);
    assert!(r.total.redeemed_count > 100 && r.total.reversed_count > 0);
    assert!(
        r.total.leverage_x100.is_some_and(|l| l > 100),
        "orders above their discounts"
    );
    // Yesterday's unused coupons expired at midnight and went back to their pools.
    assert!(r.total.expired_count > 0 && r.total.returned_value.is_positive());
    app.assert_conserved().await;
}

/// Every change made while the campaign runs is in its report, oldest first, with who and why:
/// a reallocation (a version of its own), a pause and its resumption, the overload switch; and
/// in the history's CSV.
#[tokio::test]
async fn the_report_carries_every_change_made_while_the_campaign_ran() {
    use quan_core::api::CampaignVersions;
    use quan_core::pause::PauseScope;
    use quan_core::report::HistoryEvent;
    use quan_core::revision::Change;

    let app = setup().await;
    let op = app.operator().await;
    assert!(
        report(&app, &op).await.history.is_empty(),
        "the seed is no change"
    );

    let moved = reallocate(&app, &op, 500_000, "加油券领取不足").await;
    assert_eq!(moved.status(), 201);
    // The reallocation is a version of the campaign, and what runs says what the pools hold.
    let versions: CampaignVersions = app
        .get(&format!("/operator/campaigns/{CAMPAIGN}/revisions"), &op)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(versions.version, 2);
    let running = app.state.campaigns.now();
    let budget = |k: &str| {
        running
            .0
            .iter()
            .find(|c| c.id.as_str() == CAMPAIGN)
            .and_then(|c| c.kinds.iter().find(|x| x.id.as_str() == k))
            .map(|x| x.budget)
            .unwrap()
    };
    assert_eq!(budget("fuel"), Fen(2_000_000 * 100 - 500_000));
    assert_eq!(budget("retail"), Fen(4_000_000 * 100 + 500_000));

    app.clock.advance_ms(60_000);
    let paused: quan_core::api::PauseView = app
        .post(
            &format!("/operator/campaigns/{CAMPAIGN}/pauses"),
            &op,
            json!({"scope": "kind", "target": "retail", "reason": "核查异常领取"}),
        )
        .await
        .json()
        .await
        .unwrap();
    app.clock.advance_ms(60_000);
    let res = app
        .post(&format!("/operator/pauses/{}/resume", paused.id), &op, json!({}))
        .await;
    assert_eq!(res.status(), 200);
    app.clock.advance_ms(60_000);
    let busy = format!("/operator/campaigns/{CAMPAIGN}/busy");
    assert_eq!(
        app.post(&busy, &op, json!({"on": true, "retry_after": 20}))
            .await
            .status(),
        200
    );
    app.clock.advance_ms(60_000);
    assert_eq!(app.post(&busy, &op, json!({"on": false})).await.status(), 200);
    // Turning off a switch that is off turns nothing, and records nothing.
    assert_eq!(app.post(&busy, &op, json!({"on": false})).await.status(), 200);

    let history = report(&app, &op).await.history;
    let events: Vec<&HistoryEvent> = history.iter().map(|e| &e.what).collect();
    assert_eq!(
        events,
        [
            &HistoryEvent::Revised {
                version: Some(2),
                changes: vec![Change::Reallocated {
                    from_kind: "fuel".into(),
                    to_kind: "retail".into(),
                    amount: Fen(500_000),
                }],
            },
            &HistoryEvent::Paused {
                scope: PauseScope::Kind,
                target: "retail".into(),
            },
            &HistoryEvent::Resumed {
                scope: PauseScope::Kind,
                target: "retail".into(),
            },
            &HistoryEvent::BusyOn { retry_after: 20 },
            &HistoryEvent::BusyOff,
        ]
    );
    assert!(history.windows(2).all(|w| w[0].at < w[1].at), "oldest first");
    assert!(history.iter().all(|e| e.by == "op"), "{history:?}");
    assert_eq!(
        (history[0].reason.as_str(), history[1].reason.as_str()),
        ("加油券领取不足", "核查异常领取")
    );

    let csv = app
        .get(&format!("/operator/campaigns/{CAMPAIGN}/history.csv"), &op)
        .await
        .text()
        .await
        .unwrap();
    // With the byte-order mark that tells Excel the file is UTF-8.
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 6, "{csv}");
    assert_eq!(lines[0], "\u{feff}at,event,by,what,reason");
    assert!(
        lines[1].contains(",revised,op,version 2: 5000.00 yuan moved from fuel to retail,加油券领取不足"),
        "{csv}"
    );
    assert!(
        lines[2].contains(",paused,op,claims of retail paused,核查异常领取"),
        "{csv}"
    );
    assert!(lines[5].ends_with(",busy_off,op,overload switch off,"), "{csv}");
}
