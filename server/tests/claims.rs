//! Claims under the 10:00 rush: no oversell, per-resident limits under parallel requests,
//! idempotency, release time, conservation.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::sync::Arc;

use common::{qinshui_day3, rush_campaign, spawn, Options};
use quan_core::api::{CouponView, Wallet};
use quan_core::{ErrorCode, Problem};
use quan_server::clock::Clock;
use serde_json::json;

/// A server at 10:00 on 2026-01-05, running the rush campaign: a pool of `pool` coupons
/// released at once, each resident limited by `limits`.
fn rush_options(pool: i64, limits: &str) -> Options {
    Options {
        clock: Clock::starting_at(
            quan_core::ChinaDate::new(2026, 1, 5)
                .unwrap()
                .at(quan_core::TimeOfDay(36_000)),
        ),
        campaigns: Some(vec![("rush.toml", rush_campaign("2026-01-05", pool, limits))]),
        ..Options::default()
    }
}

async fn problem(res: reqwest::Response) -> (u16, ErrorCode) {
    let status = res.status().as_u16();
    assert_eq!(res.headers()["content-type"], "application/problem+json");
    let p: Problem = res.json().await.unwrap();
    (status, p.code)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn no_oversell_2000_concurrent_claims_on_a_pool_of_100() {
    let app = Arc::new(spawn(rush_options(100, "{ per_day = 1 }")).await);
    let mut tokens = Vec::new();
    for i in 0..2000 {
        tokens.push(app.resident(&format!("r{i}")).await.1);
    }
    let mut tasks = tokio::task::JoinSet::new();
    for t in tokens {
        let app = app.clone();
        tasks.spawn(async move {
            let res = app
                .post(
                    "/claims",
                    &t,
                    json!({"campaign": "rush", "kind": "snack", "denomination": 0}),
                )
                .await;
            let status = res.status().as_u16();
            if status == 201 {
                None
            } else {
                Some(problem(res).await)
            }
        });
    }
    let mut issued = 0;
    while let Some(r) = tasks.join_next().await {
        match r.unwrap() {
            None => issued += 1,
            Some((409, ErrorCode::SoldOut)) => {}
            Some(other) => panic!("unexpected answer {other:?}"),
        }
    }
    assert_eq!(issued, 100);
    let acc = quan_server::store::pools::conservation(&app.state.db, "rush", "snack")
        .await
        .unwrap();
    assert_eq!(acc.available.0, 0, "{acc:?}");
    assert_eq!(acc.held.0, 100 * 100);
    let coupons: i64 = sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM coupons")
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap();
    assert_eq!(coupons, 100);
    app.assert_conserved().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn per_resident_limits_hold_under_20_parallel_claims() {
    let app = Arc::new(spawn(rush_options(1000, "{ per_round = 3, held_per_denomination = 1 }")).await);
    let (_, token) = app.resident("greedy").await;
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..20 {
        let app = app.clone();
        let token = token.clone();
        // Ten at each of the two denominations: one of each may be held, and 3 a round in all.
        tasks.spawn(async move {
            app.post(
                "/claims",
                &token,
                json!({"campaign": "rush", "kind": "snack", "denomination": i % 2}),
            )
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
            s => panic!("status {s}"),
        }
    }
    assert_eq!(ok, 2, "one of each denomination");
    let slots: i64 =
        sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM limit_slots WHERE scope = 'round:1'")
            .fetch_one(&app.state.db.pool)
            .await
            .unwrap();
    assert_eq!(slots, 2);
    app.assert_conserved().await;
}

#[tokio::test]
async fn idempotent_claims_return_the_first_result_and_change_nothing() {
    let app = spawn(rush_options(100, "{ per_round = 3 }")).await;
    let (_, token) = app.resident("careful").await;
    let body = json!({"campaign": "rush", "kind": "snack", "denomination": 0});
    let send = |key: &'static str, body: serde_json::Value| {
        app.client
            .post(app.url("/claims"))
            .bearer_auth(&token)
            .header("Idempotency-Key", key)
            .json(&body)
            .send()
    };
    let first = send("k-1", body.clone()).await.unwrap();
    assert_eq!(first.status(), 201);
    let first: CouponView = first.json().await.unwrap();
    let again = send("k-1", body.clone()).await.unwrap();
    assert_eq!(again.status(), 201);
    assert_eq!(again.headers()["idempotent-replayed"], "true");
    let again: CouponView = again.json().await.unwrap();
    assert_eq!(again.id, first.id);
    let wallet: Wallet = app.get("/wallet", &token).await.json().await.unwrap();
    assert_eq!(wallet.coupons.len(), 1, "the retry made no second coupon");
    // The same key with another request.
    let other = send(
        "k-1",
        json!({"campaign": "rush", "kind": "snack", "denomination": 1}),
    )
    .await
    .unwrap();
    assert_eq!(problem(other).await, (422, ErrorCode::IdempotencyMismatch));
    app.assert_conserved().await;
}

#[tokio::test]
async fn claims_open_at_ten_china_time_and_expire_at_midnight() {
    let clock = Clock::starting_at(qinshui_day3(9, 59, 0));
    let app = spawn(Options {
        clock: clock.clone(),
        ..Options::default()
    })
    .await;
    let (_, token) = app.resident("early-bird").await;
    let body = json!({"campaign": "qinshui-2022-r2", "kind": "retail", "denomination": 1});
    let early = app.post("/claims", &token, body.clone()).await;
    assert_eq!(problem(early).await, (409, ErrorCode::NotStarted));
    clock.set(qinshui_day3(10, 0, 0));
    let res = app.post("/claims", &token, body.clone()).await;
    assert_eq!(res.status(), 201);
    let coupon: CouponView = res.json().await.unwrap();
    assert_eq!(coupon.words, "满200减40");
    assert_eq!(coupon.expires_at.china_display(), "2022-09-27 23:59:59");
    assert!(
        coupon.key.is_some(),
        "the wallet gets the key to show codes offline"
    );
    // One of a denomination per day.
    let again = app.post("/claims", &token, body.clone()).await;
    assert_eq!(problem(again).await, (409, ErrorCode::LimitReached));
    // 27 September is day 3 of round 1: twelve days are left, and the first release spreads the
    // retail quota over them; the claim took 40 yuan of it.
    let left: i64 = sqlx::query_scalar("SELECT released - claimed FROM releases WHERE kind = 'retail'")
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap();
    assert_eq!(left, (200_000_000 + 11) / 12 - 4_000);
    // The claim page sees the same, and the resident's own usage.
    let campaigns: Vec<quan_core::api::CampaignView> =
        app.get("/campaigns", &token).await.json().await.unwrap();
    let retail = campaigns
        .iter()
        .flat_map(|c| &c.kinds)
        .find(|k| k.id.as_str() == "retail")
        .unwrap();
    assert_eq!(retail.left_today, Some(quan_core::Fen(left)));
    let usage: Vec<quan_core::api::KindUsage> = app.get("/me/usage", &token).await.json().await.unwrap();
    let mine = usage.iter().find(|u| u.kind.as_str() == "retail").unwrap();
    assert_eq!(
        (mine.claims_this_round, mine.denominations_today.clone()),
        (1, vec![1])
    );
    // Midnight: the unredeemed coupon expires and its value returns to the pool, with a record.
    clock.set(qinshui_day3(23, 59, 59).plus_secs(2));
    let n = quan_server::store::sweep::sweep_once(&app.state.db, clock.now())
        .await
        .unwrap();
    assert_eq!(n, 1);
    let wallet: Wallet = app.get("/wallet", &token).await.json().await.unwrap();
    assert_eq!(wallet.coupons[0].status, quan_core::rules::CouponStatus::Expired);
    assert!(wallet.coupons[0].key.is_none());
    let returned: i64 = sqlx::query_scalar("SELECT amount FROM ledger WHERE event = 'expire'")
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap();
    assert_eq!(returned, 4_000);
    app.assert_conserved().await;
    // Next day, the same denomination may be claimed again.
    clock.set(qinshui_day3(10, 0, 1).plus_secs(86_400));
    assert_eq!(app.post("/claims", &token, body).await.status(), 201);
    app.assert_conserved().await;
}

#[tokio::test]
async fn bad_claims_are_told_in_words_never_5xx() {
    let app = spawn(Options {
        clock: Clock::starting_at(qinshui_day3(11, 0, 0)),
        ..Options::default()
    })
    .await;
    let (_, token) = app.resident("clumsy").await;
    let raw = |body: &'static str, ct: Option<&'static str>| {
        let mut r = app.client.post(app.url("/claims")).bearer_auth(&token).body(body);
        if let Some(ct) = ct {
            r = r.header("content-type", ct);
        }
        r.send()
    };
    assert_eq!(
        problem(raw("{not json", Some("application/json")).await.unwrap()).await,
        (400, ErrorCode::MalformedRequest)
    );
    assert_eq!(
        problem(raw("{\"campaign\": 3}", Some("application/json")).await.unwrap()).await,
        (422, ErrorCode::InvalidRequest)
    );
    assert_eq!(
        problem(raw("{}", None).await.unwrap()).await,
        (415, ErrorCode::UnsupportedMediaType)
    );
    let unknown = app
        .post(
            "/claims",
            &token,
            json!({"campaign": "nowhere", "kind": "x", "denomination": 0}),
        )
        .await;
    assert_eq!(problem(unknown).await, (404, ErrorCode::NotFound));
    let bad_den = app
        .post(
            "/claims",
            &token,
            json!({"campaign": "qinshui-2022-r2", "kind": "retail", "denomination": 9}),
        )
        .await;
    assert_eq!(problem(bad_den).await, (422, ErrorCode::InvalidRequest));
    let love = app
        .post(
            "/claims",
            &token,
            json!({"campaign": "qinshui-2022-r2", "kind": "love", "denomination": 0}),
        )
        .await;
    assert_eq!(
        problem(love).await.0,
        422,
        "love coupons are allocated, not claimed"
    );
    let anonymous = app
        .client
        .post(app.url("/claims"))
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(problem(anonymous).await, (401, ErrorCode::Unauthorized));
}

#[tokio::test]
async fn a_resident_over_the_rate_limit_is_told_when_to_retry() {
    let app = spawn(Options {
        clock: Clock::starting_at(qinshui_day3(11, 0, 0)),
        rate_per_resident: 2.0,
        ..Options::default()
    })
    .await;
    let (_, token) = app.resident("hasty").await;
    let body = json!({"campaign": "qinshui-2022-r2", "kind": "retail", "denomination": 0});
    let mut limited = None;
    for _ in 0..10 {
        let res = app.post("/claims", &token, body.clone()).await;
        if res.status() == 429 {
            limited = Some(res);
            break;
        }
    }
    let res = limited.expect("the limit bites within 10 requests");
    assert!(res.headers().contains_key("retry-after"));
    assert_eq!(problem(res).await, (429, ErrorCode::RateLimited));
}

/// A claim whose answer was lost is sent again with its key to another instance, while the first
/// is still deciding it: many such pairs at once, in batches with other residents' claims. Each
/// key gives one coupon, both instances answer with it, and the limits and pools stay whole.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn one_key_sent_to_two_instances_at_once_gives_one_coupon() {
    let options = || rush_options(1_000, "{ per_round = 2 }");
    let (first, second) = common::spawn_two(options).await;
    let body = json!({"campaign": "rush", "kind": "snack", "denomination": 0});
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..40 {
        let (_, token) = first.resident(&format!("twice-{i}")).await;
        for (app, key) in [(&first, "a"), (&second, "a"), (&first, "b")] {
            let (client, url, token, body) = (
                app.client.clone(),
                app.url("/claims"),
                token.clone(),
                body.clone(),
            );
            let key = format!("{key}-{i}");
            tasks.spawn(async move {
                let res = client
                    .post(url)
                    .bearer_auth(&token)
                    .header("Idempotency-Key", &key)
                    .json(&body)
                    .send()
                    .await
                    .unwrap();
                let status = res.status().as_u16();
                let text = res.text().await.unwrap();
                (i, key, status, text)
            });
        }
    }
    let mut answers: std::collections::HashMap<(usize, String), Vec<i64>> = Default::default();
    while let Some(r) = tasks.join_next().await {
        let (i, key, status, text) = r.unwrap();
        match status {
            201 => {
                let c: CouponView = serde_json::from_str(&text).unwrap();
                answers.entry((i, key)).or_default().push(c.id.0);
            }
            // The key still in flight on the instance it reached second: retried later.
            409 => assert!(text.contains("idempotency_in_progress"), "{text}"),
            other => panic!("{other}: {text}"),
        }
    }
    for ((i, key), ids) in &answers {
        assert!(ids.windows(2).all(|w| w[0] == w[1]), "{i} {key}: {ids:?}");
    }
    for i in 0..40 {
        let coupons: i64 = sqlx::query_scalar(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM coupons c JOIN residents r ON r.id = c.resident_id \
             WHERE r.subject = $1",
        )
        .bind(format!("twice-{i}"))
        .fetch_one(&first.state.db.pool)
        .await
        .unwrap();
        let keys = answers.keys().filter(|(j, _)| *j == i).count() as i64;
        assert_eq!(coupons, keys, "resident {i}: one coupon per key answered");
    }
    first.assert_conserved().await;
}

/// Once the day's release is known to be gone, claims are refused without the batcher; a retry
/// of a claim granted before still gets its coupon again, not "sold out".
#[tokio::test]
async fn a_retry_after_the_day_is_gone_gets_its_first_answer() {
    let app = spawn(rush_options(1, "{ per_round = 3 }")).await;
    let body = json!({"campaign": "rush", "kind": "snack", "denomination": 0});
    let send = |token: String, key: &'static str| {
        app.client
            .post(app.url("/claims"))
            .bearer_auth(token)
            .header("Idempotency-Key", key)
            .json(&body)
            .send()
    };
    let (_, lucky) = app.resident("lucky").await;
    let (_, late) = app.resident("late").await;
    let first = send(lucky.clone(), "mine").await.unwrap();
    assert_eq!(first.status(), 201);
    let first: CouponView = first.json().await.unwrap();
    // The batcher says so, and the instance learns the day is gone.
    assert_eq!(
        problem(send(late.clone(), "theirs").await.unwrap()).await,
        (409, ErrorCode::SoldOut)
    );
    assert_eq!(
        problem(send(late, "theirs-again").await.unwrap()).await,
        (409, ErrorCode::SoldOut)
    );
    let again = send(lucky, "mine").await.unwrap();
    assert_eq!(again.status(), 201);
    assert_eq!(again.headers()["idempotent-replayed"], "true");
    let again: CouponView = again.json().await.unwrap();
    assert_eq!(again.id, first.id);
    app.assert_conserved().await;
}
