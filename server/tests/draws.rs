//! 预约抽签, the release by draw, on two instances of one database: residents sign up in the
//! window (once a kind a day), claims give way to the draw, the seed's commitment is published
//! when sign-up opens, and at the release time the draw is made once, gives the day's pool to
//! those first in the order anyone can recompute from the published seed and list, and tells
//! everyone else they were not drawn.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::BTreeSet;
use std::time::Duration;

use common::{spawn, spawn_two, Options, TestApp};
use quan_core::api::{DrawView, SignUpOutcome, SignUpView, Wallet};
use quan_core::draw;
use quan_core::{ChinaDate, ErrorCode, Problem, TimeOfDay, Timestamp};
use quan_server::clock::Clock;
use quan_server::demo::rush_campaign;
use serde_json::json;

/// Coupons the day's release holds.
const POOL: i64 = 5;
/// Residents who sign up.
const RESIDENTS: usize = 12;

fn at(h: u32, m: u32) -> Timestamp {
    ChinaDate::new(2026, 1, 5)
        .unwrap()
        .at(TimeOfDay::hm(h, m).unwrap())
}

/// A one-day campaign of `POOL` 1-yuan coupons, given out by draw: sign-up 08:00–09:55, the
/// draw at 10:00.
fn by_draw() -> String {
    rush_campaign("2026-01-05", POOL, "{ per_round = 1 }").replacen(
        "name = \"only\"\n",
        "name = \"only\"\nrelease = \"draw\"\nsign_up = { opens = \"08:00\", closes = \"09:55\" }\n",
        1,
    )
}

async fn sign_up(app: &TestApp, token: &str) -> reqwest::Response {
    app.post(
        "/me/sign-ups",
        token,
        json!({"campaign": "rush", "kind": "snack", "denomination": 0}),
    )
    .await
}

async fn code(res: reqwest::Response) -> (u16, ErrorCode) {
    let status = res.status().as_u16();
    (status, res.json::<Problem>().await.unwrap().code)
}

async fn draws(app: &TestApp) -> Vec<DrawView> {
    app.client
        .get(app.url("/campaigns/rush/draws"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

/// Polls the public list of draws until `done` holds of it (the draw runs on the server's own
/// ticker), for at most 20 seconds.
async fn until(app: &TestApp, done: impl Fn(&[DrawView]) -> bool) -> Vec<DrawView> {
    for _ in 0..200 {
        let d = draws(app).await;
        if done(&d) {
            return d;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!(
        "the draws never came to the state awaited: {:?}",
        draws(app).await
    );
}

#[tokio::test]
async fn sign_ups_in_the_window_then_one_draw_gives_the_pool_in_the_published_order() {
    let clock = Clock::starting_at(at(7, 59));
    let options = || Options {
        clock: clock.clone(),
        campaigns: Some(vec![("rush.toml", by_draw())]),
        ..Options::default()
    };
    let (first, second) = spawn_two(options).await;
    let mut residents = Vec::new();
    for i in 0..RESIDENTS {
        residents.push(first.resident(&format!("draw:{i}")).await.1);
    }

    // Before the window: nothing to sign up for yet, and no commitment published.
    assert_eq!(
        code(sign_up(&first, &residents[0]).await).await,
        (409, ErrorCode::NotStarted)
    );
    assert!(draws(&first).await.is_empty());

    // In the window: the commitment is published, everyone signs up (on either instance), once.
    clock.set(at(8, 0));
    let committed = until(&first, |d| d.len() == 1).await;
    assert_eq!(committed[0].seed, None, "the seed stays secret until the draw");
    let mut tickets = BTreeSet::new();
    for (i, token) in residents.iter().enumerate() {
        let app = if i % 2 == 0 { &first } else { &second };
        let res = sign_up(app, token).await;
        assert_eq!(res.status(), 201);
        let view: SignUpView = res.json().await.unwrap();
        assert_eq!(view.outcome, SignUpOutcome::Waiting);
        assert_eq!(view.draw_at, at(10, 0));
        assert!(tickets.insert(view.ticket));
    }
    // The same sign-up again (a retry) is answered with the first; another denomination of the
    // kind the same day is refused.
    let again = sign_up(&second, &residents[0]).await;
    assert_eq!(again.status(), 200);
    let again: SignUpView = again.json().await.unwrap();
    assert!(tickets.contains(&again.ticket));
    let other = second
        .post(
            "/me/sign-ups",
            &residents[0],
            json!({"campaign": "rush", "kind": "snack", "denomination": 1}),
        )
        .await;
    assert_eq!(code(other).await, (409, ErrorCode::AlreadySignedUp));
    // Nobody claims on a draw day.
    let claim = first
        .post(
            "/claims",
            &residents[0],
            json!({"campaign": "rush", "kind": "snack", "denomination": 0}),
        )
        .await;
    assert_eq!(code(claim).await, (409, ErrorCode::ByDraw));
    // The window closes before the draw.
    clock.set(at(9, 55));
    let late = second.resident("draw:late").await.1;
    assert_eq!(
        code(sign_up(&first, &late).await).await,
        (409, ErrorCode::SignUpClosed)
    );

    // At the release time, both instances' tickers try; the draw is made once.
    clock.set(at(10, 0));
    let made = until(&second, |d| d.first().is_some_and(|d| d.seed.is_some())).await;
    let day = &made[0];
    let seed = day.seed.clone().unwrap();
    assert_eq!(day.commitment, committed[0].commitment);
    assert!(draw::keeps_commitment(&seed, &day.commitment));
    assert_eq!(day.sign_ups, RESIDENTS as u64);
    assert_eq!(day.winners, POOL as u64);

    // Anyone recomputes the order from the seed and the published list.
    let csv = first
        .client
        .get(first.url("/campaigns/rush/draws/2026-01-05/sign-ups.csv"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let lines: Vec<Vec<String>> = csv
        .trim_start_matches('\u{feff}')
        .lines()
        .skip(1)
        .map(|l| l.split(',').map(str::to_owned).collect())
        .collect();
    assert_eq!(lines.len(), RESIDENTS);
    let listed: Vec<&str> = lines.iter().map(|l| l[0].as_str()).collect();
    assert_eq!(
        listed.iter().map(|t| t.to_string()).collect::<BTreeSet<_>>(),
        tickets
    );
    let order: Vec<&str> = draw::order(&draw::parse_seed(&seed).unwrap(), &listed)
        .into_iter()
        .map(|i| listed[i])
        .collect();
    assert_eq!(order, listed, "the list is in the draw's order");
    for (place, line) in lines.iter().enumerate() {
        assert_eq!(line[3], (place + 1).to_string());
        let expected = if place < POOL as usize { "won" } else { "not_drawn" };
        assert_eq!(line[4], expected, "place {}", place + 1);
    }

    // Each resident hears it: the winners find the coupon in the wallet.
    let mut won = 0;
    for token in &residents {
        let mine: Vec<SignUpView> = first.get("/me/sign-ups", token).await.json().await.unwrap();
        assert_eq!(mine.len(), 1);
        let wallet: Wallet = second.get("/wallet", token).await.json().await.unwrap();
        match mine[0].outcome {
            SignUpOutcome::Won => {
                won += 1;
                let coupon = mine[0].coupon.expect("the coupon won");
                assert_eq!(wallet.coupons.len(), 1);
                assert_eq!(wallet.coupons[0].id, coupon);
                assert!(mine[0].place.unwrap() <= POOL as u32);
            }
            SignUpOutcome::NotDrawn => {
                assert!(wallet.coupons.is_empty());
                assert!(mine[0].place.unwrap() > POOL as u32);
            }
            other => panic!("after the draw: {other:?}"),
        }
    }
    assert_eq!(won, POOL);
    // The bureau's report shows the day: sign-ups, winners, the seed.
    let op = first.operator().await;
    let report: quan_core::report::CampaignReport = second
        .get("/operator/campaigns/rush/report", &op)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(report.draws, made);
    // The draw is over: no sign-up, no claim.
    assert_eq!(
        code(sign_up(&second, &late).await).await,
        (409, ErrorCode::SignUpClosed)
    );
    first.assert_conserved().await;
}

/// China time on 2022-10-`day`.
fn oct(day: u8, h: u32, m: u32) -> Timestamp {
    ChinaDate::new(2022, 10, day)
        .unwrap()
        .at(TimeOfDay::hm(h, m).unwrap())
}

#[tokio::test]
async fn the_bureau_schedules_qinshuis_round_two_by_draw_while_the_campaign_runs() {
    // The day before round 2, which the seed leaves without dates (发放时间待定).
    let app = common::spawn(Options {
        clock: Clock::starting_at(oct(8, 18, 0)),
        ..Options::default()
    })
    .await;
    let op = app.operator().await;
    let round = |sign_up: serde_json::Value, confirm: bool| {
        json!({
            "number": 2, "name": "第二轮", "starts": "2022-10-09", "ends": "2022-10-15",
            "sign_up": sign_up,
            "quota": {"retail": 200_000_000, "fuel": 100_000_000, "digital": 70_900_000, "dining": 100_000_000},
            "reason": "第二轮改为预约抽签", "confirm": confirm,
        })
    };
    let path = "/operator/campaigns/qinshui-2022-r2/rounds";
    // A window that closes after the release time is refused, in words.
    let late = app
        .post(
            path,
            &op,
            round(json!({"opens": "08:00", "closes": "10:30"}), false),
        )
        .await;
    assert_eq!(late.status(), 422);
    let words = late.json::<Problem>().await.unwrap().detail.unwrap_or_default();
    assert!(words.contains("close by the release time"), "{words}");
    let window = json!({"opens": "08:00", "closes": "09:55"});
    let res = app.post(path, &op, round(window.clone(), true)).await;
    assert_eq!(res.status(), 201);
    let made: quan_core::api::RevisionView = res.json().await.unwrap();
    assert!(made.changes.iter().any(|c| matches!(
        c,
        quan_core::revision::Change::RoundRelease {
            round: 2,
            to: quan_core::campaign::Release::Draw,
            ..
        }
    )));
    let running: quan_core::api::CampaignVersions = app
        .get("/operator/campaigns/qinshui-2022-r2/revisions", &op)
        .await
        .json()
        .await
        .unwrap();
    let two = running.rounds.iter().find(|r| r.number == 2).unwrap();
    assert_eq!(
        two.sign_up.map(|w| (w.opens, w.closes)),
        Some((TimeOfDay::hm(8, 0).unwrap(), TimeOfDay::hm(9, 55).unwrap()))
    );

    // Round 2's first day: residents sign up rather than claim.
    app.clock.set(oct(9, 8, 30));
    let (_, resident) = app.resident("r2:1").await;
    let signed = app
        .post(
            "/me/sign-ups",
            &resident,
            json!({"campaign": "qinshui-2022-r2", "kind": "retail", "denomination": 1}),
        )
        .await;
    assert_eq!(signed.status(), 201);
    let claim = app.claim_retail(&resident).await;
    assert_eq!(code(claim).await, (409, ErrorCode::ByDraw));
    let shown: Vec<quan_core::api::CampaignView> =
        app.get("/campaigns", &resident).await.json().await.unwrap();
    let qinshui = shown.iter().find(|c| c.id.as_str() == "qinshui-2022-r2").unwrap();
    assert_eq!(qinshui.draw.map(|d| d.draw_at), Some(oct(9, 10, 0)));
}

#[tokio::test]
async fn a_day_whose_draw_was_never_made_closes_its_sign_ups_as_missed() {
    // Signed up in the window; then no server runs from before the draw until the next day.
    let clock = Clock::starting_at(at(8, 30));
    let app = spawn(Options {
        clock: clock.clone(),
        campaigns: Some(vec![("rush.toml", by_draw())]),
        ..Options::default()
    })
    .await;
    let token = app.resident("draw:asleep").await.1;
    assert_eq!(sign_up(&app, &token).await.status(), 201);
    clock.set(at(9, 0).plus_secs(86_400));
    let mut mine = Vec::new();
    for _ in 0..200 {
        mine = app
            .get("/me/sign-ups", &token)
            .await
            .json::<Vec<SignUpView>>()
            .await
            .unwrap();
        if mine.iter().all(|s| s.outcome != SignUpOutcome::Waiting) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0].outcome, SignUpOutcome::Missed, "{mine:?}");
    assert_eq!(mine[0].coupon, None);
    // The day stays undrawn: its seed is never shown, and nobody won.
    let day = &draws(&app).await[0];
    assert_eq!((day.seed.as_deref(), day.winners), (None, 0));
    let wallet: Wallet = app.get("/wallet", &token).await.json().await.unwrap();
    assert!(wallet.coupons.is_empty());
}
