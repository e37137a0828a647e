//! Coupons shops issue (Jishan's appliance coupons): worth the rate of the checked order, found
//! by the customer's mobile number, one a day and two in the campaign even under parallel
//! requests, first come until the budget is spent, redeemed as any other coupon.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::sync::Arc;

use common::{spawn, Options, TestApp};
use quan_core::api::{IssuedCoupon, RedemptionView, Wallet};
use quan_core::campaign::Issuance;
use quan_core::{code, ChinaDate, ErrorCode, Fen, Problem, TimeOfDay, Timestamp};
use quan_server::clock::Clock;
use quan_server::store::residents;
use serde_json::json;

const CAMPAIGN: &str = "jishan-2023";

fn jishan(day: u8, h: u32) -> Timestamp {
    ChinaDate::new(2023, 6, day).unwrap().at(TimeOfDay(h * 3_600))
}

async fn customer(app: &TestApp, phone: &str) -> String {
    let (id, token) = app.resident(&format!("id:{phone}")).await;
    residents::set_phone(&app.state.db, id, phone).await.unwrap();
    token
}

async fn issue(app: &TestApp, till: &str, phone: &str, order_yuan: i64) -> reqwest::Response {
    app.post(
        "/merchant/issues",
        till,
        json!({"campaign": CAMPAIGN, "kind": "appliance", "phone": phone, "order_amount": order_yuan * 100}),
    )
    .await
}

async fn code_of(res: reqwest::Response) -> ErrorCode {
    res.json::<Problem>().await.unwrap().code
}

#[tokio::test]
async fn staff_issue_the_rate_of_the_checked_order_and_the_customer_redeems_it() {
    let app = spawn(Options {
        clock: Clock::starting_at(jishan(10, 15)),
        ..Options::default()
    })
    .await;
    let wallet_token = customer(&app, "13800000001").await;
    let (_, shop) = app.merchant("家电商场", "appliance").await;
    let res = issue(&app, &shop, "138 0000 0001", 8_000).await;
    assert_eq!(res.status(), 201);
    let issued: IssuedCoupon = res.json().await.unwrap();
    assert_eq!(issued.value, Fen(80_000), "10% of 8,000 yuan");
    assert_eq!(issued.customer, "138****0001");
    // In the customer's wallet, with its code, and redeemed at the till as any other coupon.
    let wallet: Wallet = app.get("/wallet", &wallet_token).await.json().await.unwrap();
    let c = wallet.coupons.iter().find(|c| c.id == issued.coupon).unwrap();
    assert_eq!(c.source, Issuance::Shop);
    let digits = code::generate(c.key.as_ref().unwrap(), c.id, app.clock.now(), c.expires_at).unwrap();
    let r: RedemptionView = app
        .post(
            "/merchant/redemptions",
            &shop,
            json!({"code": digits.digits(), "order_amount": 800_000}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(r.discount, Fen(80_000));
    // A second one today is refused; tomorrow one more; then the campaign's two are used.
    assert_eq!(
        code_of(issue(&app, &shop, "13800000001", 30_000).await).await,
        ErrorCode::LimitReached
    );
    app.clock.set(jishan(11, 11));
    let second: IssuedCoupon = issue(&app, &shop, "13800000001", 30_000)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(second.value, Fen(100_000), "capped at 1,000 yuan");
    app.clock.set(jishan(12, 11));
    assert_eq!(
        code_of(issue(&app, &shop, "13800000001", 5_000).await).await,
        ErrorCode::LimitReached
    );
    // Refusals in words: unknown customer, not a number, a shop of another trade, no order.
    let unknown = issue(&app, &shop, "13900000009", 5_000).await;
    assert_eq!(unknown.status(), 404);
    assert_eq!(
        code_of(issue(&app, &shop, "12345", 5_000).await).await,
        ErrorCode::InvalidRequest
    );
    customer(&app, "13800000002").await;
    assert_eq!(
        code_of(issue(&app, &shop, "13800000002", 0).await).await,
        ErrorCode::BelowThreshold
    );
    let (_, treasures) = app.merchant("四宝店", "treasures").await;
    assert_eq!(
        code_of(issue(&app, &treasures, "13800000002", 5_000).await).await,
        ErrorCode::WrongCategory
    );
    // Settlement at the day's end returns what the first coupon reserved beyond its discount: none.
    app.assert_conserved().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn parallel_issues_to_one_customer_give_one_a_day() {
    let app = Arc::new(
        spawn(Options {
            clock: Clock::starting_at(jishan(15, 16)),
            ..Options::default()
        })
        .await,
    );
    customer(&app, "13800000003").await;
    let (_, shop) = app.merchant("家电商场", "appliance").await;
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..8 {
        let (app, shop) = (app.clone(), shop.clone());
        tasks.spawn(async move { issue(&app, &shop, "13800000003", 6_000).await.status().as_u16() });
    }
    let mut statuses = Vec::new();
    while let Some(s) = tasks.join_next().await {
        statuses.push(s.unwrap());
    }
    statuses.sort_unstable();
    assert_eq!(statuses, vec![201, 409, 409, 409, 409, 409, 409, 409]);
    app.assert_conserved().await;
}

/// A shop campaign with 2,000 yuan: two coupons of 800 fit, a third does not.
const SMALL: &str = r#"
id = "small-shop"
name = "small"
county = "test"
starts = "2023-06-04"
ends = "2023-06-30"
budget = 2_000
release_time = "10:00"
daily_release = "all"

[[categories]]
id = "appliance"
name = "appliance"

[[kinds]]
id = "appliance"
name = "家电券"
budget = 2_000
issuance = "shop"
lifetime = "same_day"
categories = ["appliance"]
rate = { basis_points = 1000, cap = 1000 }
limits = { per_day = 1, per_campaign = 2 }

[[rounds]]
number = 1
name = "all"
starts = "2023-06-04"
ends = "2023-06-30"
quota = { appliance = 2_000 }
"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn first_come_until_the_budget_is_spent_under_parallel_issues() {
    let app = Arc::new(
        spawn(Options {
            clock: Clock::starting_at(jishan(20, 14)),
            campaigns: Some(vec![("small.toml", SMALL.to_owned())]),
            ..Options::default()
        })
        .await,
    );
    let (_, shop) = app.merchant("家电商场", "appliance").await;
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..6 {
        let phone = format!("1370000000{i}");
        customer(&app, &phone).await;
        let (app, shop) = (app.clone(), shop.clone());
        tasks.spawn(async move {
            let res = app
                .post(
                    "/merchant/issues",
                    &shop,
                    json!({"campaign": "small-shop", "kind": "appliance", "phone": phone, "order_amount": 800_000}),
                )
                .await;
            let status = res.status().as_u16();
            let body: serde_json::Value = res.json().await.unwrap();
            (status, body["code"].as_str().map(str::to_owned))
        });
    }
    let mut issued = 0;
    while let Some(r) = tasks.join_next().await {
        match r.unwrap() {
            (201, _) => issued += 1,
            (_, Some(code)) => assert_eq!(code, "sold_out"),
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(issued, 2, "800 + 800 fit in 2,000; a third 800 does not");
    app.assert_conserved().await;
}
