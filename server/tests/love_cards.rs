//! Love-coupon cards for people without a smartphone: printed for the list, redeemed at the till
//! with the holder's PIN (one coupon an order, through the wallet's path), locked after five wrong
//! PINs a day, and a lost card replaced with what was left on it.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{qinshui_day3, spawn, Options, TestApp};
use quan_core::api::{CardLookup, PrintedCard, RedemptionView, Role};
use quan_core::{ErrorCode, Fen, Problem};
use quan_server::clock::Clock;
use quan_server::store::love_cards::is_card_number;
use serde_json::json;

const CAMPAIGN: &str = "qinshui-2022-r2";

async fn with_cards(app: &TestApp) -> (String, Vec<PrintedCard>) {
    let op = app.operator().await;
    let csv = "11010519491231002X,王秀英\n140521195003150016,李建国\n";
    let res = app
        .post(
            "/operator/allocations",
            &op,
            json!({"campaign": CAMPAIGN, "kind": "love", "csv": csv}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let res = app
        .post(
            &format!("/operator/campaigns/{CAMPAIGN}/love-cards"),
            &op,
            json!({}),
        )
        .await;
    assert_eq!(res.status(), 201);
    (op, res.json().await.unwrap())
}

async fn problem(res: reqwest::Response) -> (u16, ErrorCode) {
    let status = res.status().as_u16();
    (status, res.json::<Problem>().await.unwrap().code)
}

#[tokio::test]
async fn a_card_and_its_pin_stand_in_for_the_wallet_at_the_till() {
    let app = spawn(Options {
        clock: Clock::starting_at(qinshui_day3(15, 0, 0)),
        ..Options::default()
    })
    .await;
    let (op, cards) = with_cards(&app).await;
    assert_eq!(cards.len(), 2);
    for c in &cards {
        assert!(is_card_number(&c.number), "{}", c.number);
        assert!(c.pin.len() == 6 && c.pin.bytes().all(|b| b.is_ascii_digit()));
        assert_eq!((c.coupons, c.value), (10, Fen(100_000)));
    }
    assert_eq!(cards[0].holder, "王秀英");
    // Printing again makes cards only for those without one.
    let again: Vec<PrintedCard> = app
        .post(
            &format!("/operator/campaigns/{CAMPAIGN}/love-cards"),
            &op,
            json!({}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert!(again.is_empty());

    let (_, till) = app.merchant("粮油店", "retail").await;
    let card = &cards[0];
    let wrong = app
        .post(
            "/merchant/cards/lookup",
            &till,
            json!({"number": card.number, "pin": "000000x"}),
        )
        .await;
    assert_eq!(problem(wrong).await, (401, ErrorCode::Unauthorized));
    let found: CardLookup = app
        .post(
            "/merchant/cards/lookup",
            &till,
            json!({"number": card.number, "pin": card.pin}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        (found.holder.as_str(), found.coupons, found.value),
        ("王秀英", 10, Fen(100_000))
    );
    assert!(found.next.applies_here);
    // One coupon an order; a retry with the same key redeems nothing more.
    let redeem = |key: &'static str| {
        let (app, till, number, pin) = (&app, till.clone(), card.number.clone(), card.pin.clone());
        async move {
            app.client
                .post(app.url("/merchant/cards/redeem"))
                .bearer_auth(&till)
                .header("idempotency-key", key)
                .json(&json!({"number": number, "pin": pin, "order_amount": 15_000}))
                .send()
                .await
                .unwrap()
        }
    };
    let first: RedemptionView = redeem("card-order-1").await.json().await.unwrap();
    assert_eq!(first.discount, Fen(10_000));
    let replayed: RedemptionView = redeem("card-order-1").await.json().await.unwrap();
    assert_eq!(replayed.id, first.id);
    let after: CardLookup = app
        .post(
            "/merchant/cards/lookup",
            &till,
            json!({"number": card.number, "pin": card.pin}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!((after.coupons, after.value), (9, Fen(90_000)));

    let listed: Vec<quan_core::api::CardView> = app
        .get(&format!("/operator/campaigns/{CAMPAIGN}/love-cards"), &op)
        .await
        .json()
        .await
        .unwrap();
    let mine = listed.iter().find(|c| c.number == card.number).unwrap();
    assert_eq!((mine.coupons, mine.value, mine.active), (9, Fen(90_000), true));
    assert_eq!(listed.iter().map(|c| c.coupons).sum::<u64>(), 19);
    // Lost: revoked and replaced, with the nine left; the old number opens nothing.
    let new: PrintedCard = app
        .post(
            &format!("/operator/love-cards/{}/replace", card.number),
            &op,
            json!({}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_ne!(new.number, card.number);
    assert_eq!((new.coupons, new.value), (9, Fen(90_000)));
    let old = app
        .post(
            "/merchant/cards/lookup",
            &till,
            json!({"number": card.number, "pin": card.pin}),
        )
        .await;
    assert_eq!(problem(old).await.1, ErrorCode::CodeInvalid);
    let ok = app
        .post(
            "/merchant/cards/lookup",
            &till,
            json!({"number": new.number, "pin": new.pin}),
        )
        .await;
    assert_eq!(ok.status(), 200);
    app.assert_conserved().await;
}

#[tokio::test]
async fn five_wrong_pins_lock_the_card_for_the_day() {
    let app = spawn(Options {
        clock: Clock::starting_at(qinshui_day3(11, 0, 0)),
        ..Options::default()
    })
    .await;
    let (_, cards) = with_cards(&app).await;
    let (_, till) = app.merchant("粮油店", "retail").await;
    let card = &cards[1];
    let wrong_pin = if card.pin == "111111" { "222222" } else { "111111" };
    for _ in 0..5 {
        let res = app
            .post(
                "/merchant/cards/lookup",
                &till,
                json!({"number": card.number, "pin": wrong_pin}),
            )
            .await;
        assert_eq!(res.status(), 401);
    }
    let locked = app
        .post(
            "/merchant/cards/lookup",
            &till,
            json!({"number": card.number, "pin": card.pin}),
        )
        .await;
    assert_eq!(problem(locked).await, (403, ErrorCode::Forbidden));
    // The next day it opens again.
    app.clock.advance_ms(24 * 3_600 * 1_000);
    let next_day = app
        .post(
            "/merchant/cards/lookup",
            &till,
            json!({"number": card.number, "pin": card.pin}),
        )
        .await;
    assert_eq!(next_day.status(), 200);
}

/// A hundred wrong PINs at once, from tills in parallel: exactly five are compared (and refused
/// as wrong), the other ninety-five find the card locked, and then so does the right PIN. Run on
/// SQLite and, in CI, on PostgreSQL.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_hundred_wrong_pins_at_once_are_five_tries() {
    let app = std::sync::Arc::new(
        spawn(Options {
            clock: Clock::starting_at(qinshui_day3(11, 0, 0)),
            ..Options::default()
        })
        .await,
    );
    let (_, cards) = with_cards(&app).await;
    let (_, till) = app.merchant("粮油店", "retail").await;
    let card = cards[0].clone();
    let wrong_pin = if card.pin == "111111" { "222222" } else { "111111" };
    let mut tries = tokio::task::JoinSet::new();
    for _ in 0..100 {
        let (app, till, number) = (app.clone(), till.clone(), card.number.clone());
        tries.spawn(async move {
            let res = app
                .post(
                    "/merchant/cards/lookup",
                    &till,
                    json!({"number": number, "pin": wrong_pin}),
                )
                .await;
            problem(res).await
        });
    }
    let (mut wrong, mut locked) = (0, 0);
    while let Some(answer) = tries.join_next().await {
        match answer.unwrap() {
            (401, ErrorCode::Unauthorized) => wrong += 1,
            (403, ErrorCode::Forbidden) => locked += 1,
            other => panic!("unexpected answer {other:?}"),
        }
    }
    assert_eq!((wrong, locked), (5, 95));
    let right = app
        .post(
            "/merchant/cards/lookup",
            &till,
            json!({"number": card.number, "pin": card.pin}),
        )
        .await;
    assert_eq!(problem(right).await, (403, ErrorCode::Forbidden));
}

#[tokio::test]
async fn another_countys_operator_cannot_replace_a_card() {
    let app = spawn(Options::default()).await;
    let (_, cards) = with_cards(&app).await;
    let db = &app.state.db;
    let hash = quan_server::auth::hash_password("Ji-Shan-2023x").unwrap();
    let now = app.clock.now();
    for (name, county) in [("jishan.op", "稷山县"), ("qinshui.op", "沁水县")] {
        quan_server::store::accounts::create(db, name, &hash, Role::Operator, None, name, county, false, now)
            .await
            .unwrap();
    }
    let token = |name: &'static str| {
        let app = &app;
        async move {
            let res = app
                .client
                .post(app.url("/session/account"))
                .json(&json!({"username": name, "password": "Ji-Shan-2023x"}))
                .send()
                .await
                .unwrap();
            res.json::<quan_core::api::Session>().await.unwrap().token
        }
    };
    let replace = format!("/operator/love-cards/{}/replace", cards[0].number);
    let away = app.post(&replace, &token("jishan.op").await, json!({})).await;
    assert_eq!(problem(away).await, (404, ErrorCode::NotFound));
    let home = app.post(&replace, &token("qinshui.op").await, json!({})).await;
    assert_eq!(home.status(), 201, "the card's own county replaces it");
}
