//! Merchant-set coupons (Jishan's four treasures): set up at the campaign's rate by a listed
//! merchant, claimed once per resident until the quantity is gone (under parallel claims too),
//! redeemed only at that merchant, and in its settlement.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::sync::Arc;

use common::{spawn, Options, TestApp};
use quan_core::api::{CouponView, MerchantOffer, RedemptionView, Settlement};
use quan_core::campaign::Issuance;
use quan_core::{code, ChinaDate, ErrorCode, Fen, Problem, TimeOfDay};
use quan_server::clock::Clock;
use serde_json::json;

const CAMPAIGN: &str = "jishan-2023";

async fn setup() -> Arc<TestApp> {
    Arc::new(
        spawn(Options {
            clock: Clock::starting_at(ChinaDate::new(2023, 6, 8).unwrap().at(TimeOfDay(14 * 3_600))),
            ..Options::default()
        })
        .await,
    )
}

async fn offer(app: &TestApp, shop: &str, threshold: i64, quantity: u32) -> reqwest::Response {
    app.post(
        "/merchant/offers",
        shop,
        json!({"campaign": CAMPAIGN, "kind": "treasures", "threshold": threshold, "quantity": quantity}),
    )
    .await
}

async fn code_of(res: reqwest::Response) -> ErrorCode {
    res.json::<Problem>().await.unwrap().code
}

#[tokio::test]
async fn a_merchant_sets_up_coupons_at_the_rate_and_residents_claim_and_use_them_there() {
    let app = setup().await;
    let (_, shop) = app.merchant("稷山四宝特产店", "treasures").await;
    let res = offer(&app, &shop, 20_000, 2).await;
    assert_eq!(res.status(), 201);
    let o: MerchantOffer = res.json().await.unwrap();
    assert_eq!(o.words, "满200减20", "10% of the order it asks for");
    // Residents see it, claim one each; the third finds none left.
    let (_, anon) = app.resident("browser").await;
    let open: Vec<MerchantOffer> = app.get("/offers", &anon).await.json().await.unwrap();
    assert_eq!(open.iter().map(|x| x.id).collect::<Vec<_>>(), vec![o.id]);
    let (_, a) = app.resident("a").await;
    let claimed = app.post(&format!("/offers/{}/claim", o.id), &a, json!({})).await;
    assert_eq!(claimed.status(), 201);
    let coupon: CouponView = claimed.json().await.unwrap();
    assert_eq!(coupon.source, Issuance::Merchant);
    assert_eq!(
        code_of(app.post(&format!("/offers/{}/claim", o.id), &a, json!({})).await).await,
        ErrorCode::LimitReached
    );
    let (_, b) = app.resident("b").await;
    assert_eq!(
        app.post(&format!("/offers/{}/claim", o.id), &b, json!({}))
            .await
            .status(),
        201
    );
    let (_, c) = app.resident("c").await;
    assert_eq!(
        code_of(app.post(&format!("/offers/{}/claim", o.id), &c, json!({})).await).await,
        ErrorCode::SoldOut
    );
    let open: Vec<MerchantOffer> = app.get("/offers", &anon).await.json().await.unwrap();
    assert!(open.is_empty(), "a claimed-out offer is no longer shown");
    // Only at its merchant: another treasures shop is refused.
    let digits = code::generate(
        coupon.key.as_ref().unwrap(),
        coupon.id,
        app.clock.now(),
        coupon.expires_at,
    )
    .unwrap();
    let (_, other) = app.merchant("别家特产", "treasures").await;
    let there = app
        .post(
            "/merchant/redemptions",
            &other,
            json!({"code": digits.digits(), "order_amount": 30_000}),
        )
        .await;
    assert_eq!(code_of(there).await, ErrorCode::WrongCategory);
    let r: RedemptionView = app
        .post(
            "/merchant/redemptions",
            &shop,
            json!({"code": digits.digits(), "order_amount": 30_000}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(r.discount, Fen(2_000));
    let s: Settlement = app
        .get(&format!("/merchant/campaigns/{CAMPAIGN}/settlement"), &shop)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!((s.count, s.discount), (1, Fen(2_000)));
    let mine: Vec<MerchantOffer> = app.get("/merchant/offers", &shop).await.json().await.unwrap();
    assert_eq!((mine[0].claimed, mine[0].quantity), (2, 2));
    app.assert_conserved().await;
}

#[tokio::test]
async fn only_listed_merchants_set_up_offers_of_this_kind() {
    let app = setup().await;
    let (_, retail) = app.merchant("百货", "appliance").await;
    assert_eq!(
        code_of(offer(&app, &retail, 20_000, 5).await).await,
        ErrorCode::WrongCategory
    );
    let (_, shop) = app.merchant("特产", "treasures").await;
    assert_eq!(
        code_of(offer(&app, &shop, 500, 5).await).await,
        ErrorCode::InvalidRequest
    );
    assert_eq!(
        code_of(offer(&app, &shop, 20_000, 0).await).await,
        ErrorCode::InvalidRequest
    );
    let appliance = app
        .post(
            "/merchant/offers",
            &shop,
            json!({"campaign": CAMPAIGN, "kind": "appliance", "threshold": 20_000, "quantity": 5}),
        )
        .await;
    assert_eq!(code_of(appliance).await, ErrorCode::InvalidRequest);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn parallel_claims_never_exceed_the_quantity() {
    let app = setup().await;
    let (_, shop) = app.merchant("特产", "treasures").await;
    let o: MerchantOffer = offer(&app, &shop, 10_000, 5).await.json().await.unwrap();
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..12 {
        let app = app.clone();
        tasks.spawn(async move {
            let (_, token) = app.resident(&format!("p{i}")).await;
            app.post(&format!("/offers/{}/claim", o.id), &token, json!({}))
                .await
                .status()
                .as_u16()
        });
    }
    let mut ok = 0;
    while let Some(s) = tasks.join_next().await {
        match s.unwrap() {
            201 => ok += 1,
            409 => {}
            other => panic!("{other}"),
        }
    }
    assert_eq!(ok, 5);
    app.assert_conserved().await;
}

/// A claim of an offer retried with its Idempotency-Key gets the first coupon again, and takes
/// neither a second coupon nor a second share of the offer or the pool; the same key on another
/// offer is refused.
#[tokio::test]
async fn a_retried_offer_claim_gives_the_first_coupon_again() {
    let app = setup().await;
    let (_, shop) = app.merchant("稷山四宝", "treasures").await;
    let o: MerchantOffer = offer(&app, &shop, 20_000, 3).await.json().await.unwrap();
    let other: MerchantOffer = offer(&app, &shop, 30_000, 3).await.json().await.unwrap();
    let (_, token) = app.resident("retry").await;
    let send = |id: i64, key: &'static str| {
        app.client
            .post(app.url(&format!("/offers/{id}/claim")))
            .bearer_auth(&token)
            .header("Idempotency-Key", key)
            .json(&json!({}))
            .send()
    };
    let first = send(o.id, "o-1").await.unwrap();
    assert_eq!(first.status(), 201);
    assert!(!first.headers().contains_key("idempotent-replayed"));
    let first: CouponView = first.json().await.unwrap();
    let again = send(o.id, "o-1").await.unwrap();
    assert_eq!(again.status(), 201);
    assert_eq!(again.headers()["idempotent-replayed"], "true");
    assert_eq!(again.json::<CouponView>().await.unwrap().id, first.id);
    let mine: Vec<MerchantOffer> = app.get("/merchant/offers", &shop).await.json().await.unwrap();
    let counted = mine.iter().find(|x| x.id == o.id).unwrap();
    assert_eq!(counted.claimed, 1, "the retry took no second coupon of the offer");
    let res = send(other.id, "o-1").await.unwrap();
    assert_eq!(res.status(), 422);
    assert_eq!(code_of(res).await, ErrorCode::IdempotencyMismatch);
    app.assert_conserved().await;
}

/// Offers are claimed under the same per-resident allowance as the release.
#[tokio::test]
async fn a_resident_claiming_offers_too_fast_is_told_when_to_retry() {
    let app = spawn(Options {
        clock: Clock::starting_at(ChinaDate::new(2023, 6, 8).unwrap().at(TimeOfDay(14 * 3_600))),
        rate_per_resident: 2.0,
        ..Options::default()
    })
    .await;
    let (_, shop) = app.merchant("稷山四宝", "treasures").await;
    let o: MerchantOffer = offer(&app, &shop, 20_000, 50).await.json().await.unwrap();
    let (_, token) = app.resident("hasty").await;
    let mut limited = None;
    for _ in 0..10 {
        let res = app
            .post(&format!("/offers/{}/claim", o.id), &token, json!({}))
            .await;
        if res.status() == 429 {
            limited = Some(res);
            break;
        }
    }
    let res = limited.expect("the limit bites within 10 requests");
    assert!(res.headers().contains_key("retry-after"));
    assert_eq!(code_of(res).await, ErrorCode::RateLimited);
}
