//! Two server instances on one database, and a server killed mid-rush: no guarantee may rest on
//! one process's memory.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::process::Stdio;
use std::sync::Arc;

use common::{rush_campaign, spawn, Options};
use quan_core::api::CouponView;
use quan_core::code;
use quan_server::auth::{Principal, Secrets};
use quan_server::clock::Clock;
use serde_json::json;
use tokio::io::{AsyncBufReadExt, BufReader};

fn ten_o_clock() -> quan_core::Timestamp {
    quan_core::ChinaDate::new(2026, 1, 5)
        .unwrap()
        .at(quan_core::TimeOfDay(36_000))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_instances_share_every_guarantee() {
    let campaigns = Some(vec![(
        "rush.toml",
        rush_campaign("2026-01-05", 150, "{ per_round = 3, held_per_denomination = 1 }"),
    )]);
    let a = Arc::new(
        spawn(Options {
            clock: Clock::starting_at(ten_o_clock()),
            campaigns: campaigns.clone(),
            ..Options::default()
        })
        .await,
    );
    let b = Arc::new(
        spawn(Options {
            clock: Clock::starting_at(ten_o_clock()),
            campaigns,
            database_url: Some(a.database_url.clone()),
            ..Options::default()
        })
        .await,
    );
    let instances = [a.clone(), b.clone()];
    // 400 residents claim both denominations, each claim sent to either instance, plus a greedy
    // one sending 20 claims over both.
    let mut residents = Vec::new();
    for i in 0..400 {
        residents.push(a.resident(&format!("r{i}")).await);
    }
    let tokens: Vec<String> = residents.iter().map(|(_, t)| t.clone()).collect();
    let (_, greedy) = a.resident("greedy").await;
    let mut tasks = tokio::task::JoinSet::new();
    for (i, t) in tokens.iter().enumerate() {
        for den in 0..2 {
            let app = instances[(i + den) % 2].clone();
            let t = t.clone();
            tasks.spawn(async move {
                let res = app
                    .post(
                        "/claims",
                        &t,
                        json!({"campaign": "rush", "kind": "snack", "denomination": den}),
                    )
                    .await;
                (false, res.status().as_u16())
            });
        }
    }
    for i in 0..20 {
        let app = instances[i % 2].clone();
        let t = greedy.clone();
        tasks.spawn(async move {
            let res = app
                .post(
                    "/claims",
                    &t,
                    json!({"campaign": "rush", "kind": "snack", "denomination": i % 2}),
                )
                .await;
            (true, res.status().as_u16())
        });
    }
    let (mut issued, mut greedy_ok) = (0, 0);
    while let Some(r) = tasks.join_next().await {
        let (is_greedy, status) = r.unwrap();
        assert!(status == 201 || status == 409, "status {status}");
        if status == 201 {
            issued += 1;
            greedy_ok += usize::from(is_greedy);
        }
    }
    assert_eq!(issued, 150, "exactly the pool, across both instances");
    assert!(greedy_ok <= 2, "one per denomination held: {greedy_ok}");
    a.assert_conserved().await;

    // Exactly-once redemption with the two scans going to different instances, on a coupon of
    // whichever resident was quick enough to get one.
    let holder: i64 = sqlx::query_scalar("SELECT resident_id FROM coupons ORDER BY id LIMIT 1")
        .fetch_one(&a.state.db.pool)
        .await
        .unwrap();
    let token = &residents.iter().find(|(id, _)| id.0 == holder).unwrap().1;
    let wallet: quan_core::api::Wallet = a.get("/wallet", token).await.json().await.unwrap();
    let coupon = wallet.coupons.first().cloned().unwrap();
    let (_, till_a) = a.merchant("A", "retail").await;
    let (_, till_b) = a.merchant("B", "retail").await;
    let code = code::generate(
        coupon.key.as_ref().unwrap(),
        coupon.id,
        a.clock.now(),
        coupon.expires_at,
    )
    .unwrap();
    let body = json!({"code": code.digits(), "order_amount": 5_000});
    let (ra, rb) = tokio::join!(
        a.post("/merchant/redemptions", &till_a, body.clone()),
        b.post("/merchant/redemptions", &till_b, body)
    );
    let mut statuses = [ra.status().as_u16(), rb.status().as_u16()];
    statuses.sort();
    assert_eq!(statuses, [201, 409]);
    b.assert_conserved().await;
}

async fn start_process(db: &str, campaigns: &std::path::Path) -> (tokio::process::Child, String) {
    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_quan-server"))
        .env("QUAN_ADDR", "127.0.0.1:0")
        .env("QUAN_DATABASE_URL", db)
        .env("QUAN_CAMPAIGNS", campaigns)
        .env("QUAN_CLOCK_AT", "2026-01-05 10:00:00")
        .env("QUAN_DATA_KEY", "5".repeat(64))
        .env("QUAN_RATE_PER_ADDRESS", "0")
        .env("QUAN_RATE_PER_RESIDENT", "0")
        .env("RUST_LOG", "error")
        .stdout(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    while let Some(line) = lines.next_line().await.unwrap() {
        if let Some(url) = line.strip_prefix("listening on ") {
            return (child, url.to_owned());
        }
    }
    panic!("the server did not start");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn killed_mid_rush_and_restarted_it_loses_no_acknowledged_claim() {
    let dir = tempfile::tempdir().unwrap();
    let campaigns = dir.path().join("campaigns");
    std::fs::create_dir_all(&campaigns).unwrap();
    std::fs::write(
        campaigns.join("rush.toml"),
        rush_campaign("2026-01-05", 100_000, "{ per_day = 1 }"),
    )
    .unwrap();
    let db_url = common::fresh_database(dir.path()).await;
    let (mut server, url) = start_process(&db_url, &campaigns).await;

    // Residents and their sessions, made through the same database and master secret.
    let db = quan_server::db::Db::connect(&db_url, 4).await.unwrap();
    let secrets = Secrets::from_master(&quan_server::store::master_secret(&db).await.unwrap());
    let now = ten_o_clock();
    let mut tokens = Vec::new();
    for i in 0..3000 {
        let id = quan_server::store::residents::find_or_create(&db, &format!("k{i}"), "", now)
            .await
            .unwrap();
        tokens.push(secrets.sign(&Principal::Resident(id), now.plus_secs(86_400)));
    }
    let client = reqwest::Client::new();
    let acknowledged = Arc::new(std::sync::Mutex::new(Vec::new()));
    let mut tasks = tokio::task::JoinSet::new();
    for t in tokens {
        let (client, url, acknowledged) = (client.clone(), url.clone(), acknowledged.clone());
        tasks.spawn(async move {
            let res = client
                .post(format!("{url}/api/v1/claims"))
                .bearer_auth(t)
                .json(&json!({"campaign": "rush", "kind": "snack", "denomination": 0}))
                .send()
                .await;
            if let Ok(res) = res {
                if res.status() == 201 {
                    if let Ok(c) = res.json::<CouponView>().await {
                        acknowledged.lock().unwrap().push(c.id);
                    }
                }
            }
        });
    }
    // Kill it once some claims have been acknowledged and others are still in flight.
    let waited = tokio::time::timeout(std::time::Duration::from_secs(60), async {
        loop {
            if acknowledged.lock().unwrap().len() >= 200 {
                break;
            }
            tokio::task::yield_now().await;
        }
    })
    .await;
    assert!(waited.is_ok(), "claims were acknowledged");
    server.start_kill().unwrap();
    server.wait().await.unwrap();
    while tasks.join_next().await.is_some() {}
    let acknowledged = acknowledged.lock().unwrap().clone();
    assert!(!acknowledged.is_empty());

    let (_restarted, url) = start_process(&db_url, &campaigns).await;
    for id in &acknowledged {
        let n: i64 = sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM coupons WHERE id = $1")
            .bind(id.0)
            .fetch_one(&db.pool)
            .await
            .unwrap();
        assert_eq!(n, 1, "acknowledged coupon {id} survived");
    }
    let acc = quan_server::store::pools::conservation(&db, "rush", "snack")
        .await
        .unwrap();
    assert!(acc.holds(), "{acc:?}");
    let coupons: i64 = sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM coupons")
        .fetch_one(&db.pool)
        .await
        .unwrap();
    assert_eq!(
        acc.held.0,
        coupons * 100,
        "the pool accounts for exactly the coupons that exist"
    );
    // And the restarted server serves.
    assert_eq!(
        client
            .get(format!("{url}/api/v1/ready"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
}
