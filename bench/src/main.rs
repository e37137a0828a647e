//! `rush`: residents claim at the release instant, against a server already running, from a
//! pool of exactly one coupon each, so every claim of the first wave is granted (a write); then
//! a second wave of residents claims from the pool that is gone, and is told so (no write). The
//! same server's trivial endpoint is measured the same way for reference.
//!
//! Usage: `quan-bench rush URL DATABASE_URL GRANTED LATE CONCURRENCY` — prints one JSON object;
//! `quan-bench campaign DAY POOL` prints the campaign file the server must run for it.
//! `cargo xtask bench rush` does all of it.
//!
//! `sign-ups`: residents sign up for a day given out by draw (each sign-up a write of its own),
//! beside the trivial endpoint in the same run: `quan-bench sign-ups URL DATABASE_URL RESIDENTS
//! CONCURRENCY`, on a server running `quan-bench draw-campaign DAY POOL`'s file inside the
//! sign-up window; then `quan-bench drawn URL` waits for the draw of a server started at the
//! release time, and says how long it took. `cargo xtask bench draw` does all of it.
//!
//! `sign-in`: the trivial endpoint's latency alone, then while 64 staff sign in over and over
//! (argon2 each time), against a server already running: `quan-bench sign-in URL DATABASE_URL`.
//! `cargo xtask bench sign-in` does all of it.

use std::sync::Arc;
use std::time::{Duration, Instant};

use quan_server::auth::{Principal, Secrets};
use quan_server::db::Db;
use serde::Serialize;
use tokio::sync::Semaphore;

#[derive(Debug, Clone, Serialize)]
struct Phase {
    requests: usize,
    seconds: f64,
    per_second: f64,
    p50_ms: f64,
    p99_ms: f64,
    max_ms: f64,
    by_status: std::collections::BTreeMap<u16, usize>,
}

#[derive(Debug, Serialize)]
struct Report {
    /// Residents in the first wave, each granted a coupon: the pool.
    granted_residents: usize,
    /// Residents in the second wave, after the pool is gone.
    late_residents: usize,
    concurrency: usize,
    /// The trivial endpoint, measured before the waves and after them: the faster of the two
    /// is the reference, so that a slow moment of the machine during one of them does not
    /// flatter the ratio.
    trivial: Phase,
    trivial_before: Phase,
    trivial_after: Phase,
    /// The first wave: every answer a coupon.
    granted: Phase,
    /// The second wave: every answer "sold out".
    sold_out: Phase,
    /// Coupons in the database afterwards.
    issued: usize,
    /// Granted claims a second over trivial requests a second (the faster measurement).
    ratio: f64,
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

/// Sends `requests`, at most `concurrency` at a time, each built by `make(i)`.
async fn drive<F>(concurrency: usize, requests: usize, make: F) -> Phase
where
    F: Fn(usize) -> reqwest::RequestBuilder + Send + Sync + 'static,
{
    let gate = Arc::new(Semaphore::new(concurrency));
    let make = Arc::new(make);
    let started = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..requests {
        let Ok(permit) = gate.clone().acquire_owned().await else {
            break;
        };
        let make = make.clone();
        tasks.spawn(async move {
            let t = Instant::now();
            let status = match make(i).send().await {
                Ok(res) => {
                    let s = res.status().as_u16();
                    let _ = res.bytes().await;
                    s
                }
                Err(_) => 0,
            };
            drop(permit);
            (status, t.elapsed().as_secs_f64() * 1000.0)
        });
    }
    let mut latencies = Vec::with_capacity(requests);
    let mut by_status = std::collections::BTreeMap::new();
    while let Some(r) = tasks.join_next().await {
        if let Ok((status, ms)) = r {
            latencies.push(ms);
            *by_status.entry(status).or_insert(0) += 1;
        }
    }
    let seconds = started.elapsed().as_secs_f64();
    latencies.sort_by(|a, b| a.total_cmp(b));
    Phase {
        requests,
        seconds,
        per_second: requests as f64 / seconds,
        p50_ms: percentile(&latencies, 0.50),
        p99_ms: percentile(&latencies, 0.99),
        max_ms: latencies.last().copied().unwrap_or(0.0),
        by_status,
    }
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("campaign") {
        // `quan-bench campaign DAY POOL`: the rush campaign file, on standard output.
        let (Some(day), Some(pool)) = (args.get(2), args.get(3).and_then(|p| p.parse::<i64>().ok())) else {
            eprintln!("usage: quan-bench campaign YYYY-MM-DD POOL");
            return std::process::ExitCode::from(2);
        };
        print!(
            "{}",
            quan_server::demo::rush_campaign(day, pool, "{ per_day = 1 }")
        );
        return std::process::ExitCode::SUCCESS;
    }
    if args.get(1).map(String::as_str) == Some("draw-campaign") {
        // `quan-bench draw-campaign DAY POOL`: the same campaign, its day given out by draw.
        let (Some(day), Some(pool)) = (args.get(2), args.get(3).and_then(|p| p.parse::<i64>().ok())) else {
            eprintln!("usage: quan-bench draw-campaign YYYY-MM-DD POOL");
            return std::process::ExitCode::from(2);
        };
        print!(
            "{}",
            quan_server::demo::rush_campaign(day, pool, "{ per_day = 1 }").replacen(
                "name = \"only\"\n",
                "name = \"only\"\nrelease = \"draw\"\nsign_up = { opens = \"08:00\", closes = \"09:55\" }\n",
                1
            )
        );
        return std::process::ExitCode::SUCCESS;
    }
    if args.get(1).map(String::as_str) == Some("sign-ups") {
        let number = |i: usize| args.get(i).and_then(|n| n.parse::<usize>().ok());
        let (Some(url), Some(db_url), Some(residents), Some(concurrency)) =
            (args.get(2).cloned(), args.get(3).cloned(), number(4), number(5))
        else {
            eprintln!("usage: quan-bench sign-ups URL DATABASE_URL RESIDENTS CONCURRENCY");
            return std::process::ExitCode::from(2);
        };
        return print("sign-ups", sign_ups(url, db_url, residents, concurrency).await);
    }
    if args.get(1).map(String::as_str) == Some("drawn") {
        let Some(url) = args.get(2).cloned() else {
            eprintln!("usage: quan-bench drawn URL");
            return std::process::ExitCode::from(2);
        };
        return print("drawn", drawn(url).await);
    }
    if args.get(1).map(String::as_str) == Some("sign-in") {
        let (Some(url), Some(db_url)) = (args.get(2).cloned(), args.get(3).cloned()) else {
            eprintln!("usage: quan-bench sign-in URL DATABASE_URL");
            return std::process::ExitCode::from(2);
        };
        return print("sign-in", sign_ins(url, db_url).await);
    }
    let number = |i: usize| args.get(i).and_then(|n| n.parse::<usize>().ok());
    let (Some(url), Some(db_url), Some(granted), Some(late), Some(concurrency)) = (
        args.get(2).cloned(),
        args.get(3).cloned(),
        number(4),
        number(5),
        number(6),
    ) else {
        eprintln!("usage: quan-bench rush URL DATABASE_URL GRANTED LATE CONCURRENCY");
        return std::process::ExitCode::from(2);
    };
    print("rush", rush(url, db_url, granted, late, concurrency).await)
}

/// `n` residents made in the database in one transaction, and a session token for each.
async fn residents_with_tokens(db_url: &str, n: usize) -> Result<(Db, Arc<Vec<String>>), String> {
    let db = Db::connect(db_url, 4).await.map_err(|e| e.to_string())?;
    let secrets = Secrets::from_master(
        &quan_server::store::master_secret(&db)
            .await
            .map_err(|e| e.to_string())?,
    );
    let mut tx = db.begin_write().await.map_err(|e| e.to_string())?;
    for i in 0..n {
        sqlx::query(
            "INSERT INTO residents (subject, name, created_at) VALUES ($1, '', 0) ON CONFLICT DO NOTHING",
        )
        .bind(format!("bench:{i}"))
        .execute(&mut *tx)
        .await
        .map_err(|e| e.to_string())?;
    }
    tx.commit().await.map_err(|e| e.to_string())?;
    let ids: Vec<i64> =
        sqlx::query_scalar("SELECT id FROM residents WHERE subject LIKE 'bench:%' ORDER BY id")
            .fetch_all(&db.pool)
            .await
            .map_err(|e| e.to_string())?;
    let far = quan_core::Timestamp(i64::MAX / 4);
    let tokens = ids
        .iter()
        .map(|id| secrets.sign(&Principal::Resident(quan_core::ResidentId(*id)), far))
        .collect();
    Ok((db, Arc::new(tokens)))
}

/// The same server's trivial endpoint, `requests` times, `concurrency` at a time, after as
/// many again to warm the connections.
async fn trivial(client: &reqwest::Client, url: &str, concurrency: usize, requests: usize) -> Phase {
    let (c, u) = (client.clone(), url.to_owned());
    let _ = drive(concurrency, concurrency * 4, move |_| {
        c.get(format!("{u}/api/v1/time"))
    })
    .await;
    let (c, u) = (client.clone(), url.to_owned());
    drive(concurrency, requests, move |_| c.get(format!("{u}/api/v1/time"))).await
}

#[derive(Debug, Serialize)]
struct SignUpReport {
    residents: usize,
    concurrency: usize,
    trivial: Phase,
    /// Every answer a sign-up (201).
    sign_ups: Phase,
    /// Sign-ups a second over trivial requests a second.
    ratio: f64,
}

async fn sign_ups(
    url: String,
    db_url: String,
    residents: usize,
    concurrency: usize,
) -> Result<SignUpReport, String> {
    let (_db, tokens) = residents_with_tokens(&db_url, residents).await?;
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(concurrency)
        .timeout(Duration::from_secs(60))
        .build()
        .map_err(|e| e.to_string())?;
    let reference = trivial(&client, &url, concurrency, residents).await;
    let (c, u, t) = (client.clone(), url.clone(), tokens.clone());
    let phase = drive(concurrency, residents, move |i| {
        c.post(format!("{u}/api/v1/me/sign-ups"))
            .bearer_auth(&t[i])
            .header("content-type", "application/json")
            .body(r#"{"campaign":"rush","kind":"snack","denomination":0}"#)
    })
    .await;
    let ratio = phase.per_second / reference.per_second;
    Ok(SignUpReport {
        residents,
        concurrency,
        trivial: reference,
        sign_ups: phase,
        ratio,
    })
}

#[derive(Debug, Serialize)]
struct DrawnReport {
    /// From this program's start (the server just listening at the release time) to the seed
    /// published: the draw made and committed.
    seconds: f64,
    sign_ups: u64,
    winners: u64,
}

/// Waits (two minutes at most) for the day's draw of the `rush` campaign to be made.
async fn drawn(url: String) -> Result<DrawnReport, String> {
    let started = Instant::now();
    let client = reqwest::Client::new();
    while started.elapsed() < Duration::from_secs(120) {
        let days: Vec<quan_core::api::DrawView> = client
            .get(format!("{url}/api/v1/campaigns/rush/draws"))
            .send()
            .await
            .map_err(|e| e.to_string())?
            .json()
            .await
            .map_err(|e| e.to_string())?;
        if let Some(d) = days.iter().find(|d| d.seed.is_some()) {
            return Ok(DrawnReport {
                seconds: started.elapsed().as_secs_f64(),
                sign_ups: d.sign_ups,
                winners: d.winners,
            });
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    Err("the draw was not made within two minutes".into())
}

/// Prints `report` as JSON, or the error.
fn print<T: Serialize>(what: &str, report: Result<T, String>) -> std::process::ExitCode {
    match report {
        Ok(r) => {
            println!("{}", serde_json::to_string_pretty(&r).unwrap_or_default());
            std::process::ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{what}: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn rush(
    url: String,
    db_url: String,
    granted: usize,
    late: usize,
    concurrency: usize,
) -> Result<Report, String> {
    let residents = granted + late;
    let (db, tokens) = residents_with_tokens(&db_url, residents).await?;
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(concurrency)
        .timeout(Duration::from_secs(60))
        .build()
        .map_err(|e| e.to_string())?;
    // The reference: the trivial endpoint, the same way (and again after the waves).
    let trivial_before = trivial(&client, &url, concurrency, residents).await;
    // The rush: each resident of the first wave claims once, all at once; then the second
    // wave, from the pool the first emptied. Each claim carries an Idempotency-Key, as the
    // widget's do.
    let wave = |first: usize, count: usize| {
        let (c, u, t) = (client.clone(), url.clone(), tokens.clone());
        drive(concurrency, count, move |i| {
            c.post(format!("{u}/api/v1/claims"))
                .bearer_auth(&t[first + i])
                .header("content-type", "application/json")
                .header("idempotency-key", format!("rush-{}", first + i))
                .body(r#"{"campaign":"rush","kind":"snack","denomination":0}"#)
        })
    };
    let granted_phase = wave(0, granted).await;
    let sold_out = wave(granted, late).await;
    let trivial_after = trivial(&client, &url, concurrency, residents).await;
    let faster = if trivial_after.per_second > trivial_before.per_second {
        &trivial_after
    } else {
        &trivial_before
    };
    let trivial = faster.clone();
    let issued: i64 =
        sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM coupons WHERE campaign = 'rush'")
            .fetch_one(&db.pool)
            .await
            .map_err(|e| e.to_string())?;
    let ratio = granted_phase.per_second / trivial.per_second;
    Ok(Report {
        granted_residents: granted,
        late_residents: late,
        concurrency,
        trivial,
        trivial_before,
        trivial_after,
        granted: granted_phase,
        sold_out,
        issued: usize::try_from(issued).unwrap_or(0),
        ratio,
    })
}

#[derive(Debug, Serialize)]
struct SignInReport {
    /// `/time` with nothing else going on.
    idle: Phase,
    /// `/time` while `signers` sign in.
    loaded: Phase,
    /// The sign-ins made meanwhile.
    sign_ins: Phase,
    signers: usize,
}

/// Staff signing in at once: this many, each again as soon as it is answered.
const SIGNERS: usize = 64;
/// `/time` requests in each phase (some seconds of them), and how many at a time.
const PROBES: usize = 50_000;
const PROBE_CONCURRENCY: usize = 4;

async fn sign_ins(url: String, db_url: String) -> Result<SignInReport, String> {
    let db = Db::connect(&db_url, 2).await.map_err(|e| e.to_string())?;
    let password = "Bench-Sign-In-1";
    let hash = quan_server::auth::hash_password(password)?;
    let now = quan_core::Timestamp(0);
    for i in 0..SIGNERS {
        quan_server::store::accounts::create(
            &db,
            &format!("bench-{i}"),
            &hash,
            quan_core::api::Role::Operator,
            None,
            "",
            "",
            false,
            now,
        )
        .await
        .map_err(|e| e.to_string())?;
    }
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(SIGNERS + PROBE_CONCURRENCY)
        .timeout(Duration::from_secs(60))
        .build()
        .map_err(|e| e.to_string())?;
    let probe = |client: reqwest::Client, url: String| {
        drive(PROBE_CONCURRENCY, PROBES, move |_| {
            client.get(format!("{url}/api/v1/time"))
        })
    };
    let _warm = probe(client.clone(), url.clone()).await;
    let idle = probe(client.clone(), url.clone()).await;
    // The signers run until the probes are done; their sign-ins are measured too.
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let started = Instant::now();
    let mut signers = tokio::task::JoinSet::new();
    for i in 0..SIGNERS {
        let (client, url, stop) = (client.clone(), url.clone(), stop.clone());
        signers.spawn(async move {
            let mut answers = Vec::new();
            let body = serde_json::json!({"username": format!("bench-{i}"), "password": password});
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let t = Instant::now();
                let status = match client
                    .post(format!("{url}/api/v1/session/account"))
                    .json(&body)
                    .send()
                    .await
                {
                    Ok(res) => res.status().as_u16(),
                    Err(_) => 0,
                };
                answers.push((status, t.elapsed().as_secs_f64() * 1000.0));
            }
            answers
        });
    }
    // Let the sign-ins fill the server's queue before the probes start.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let loaded = probe(client.clone(), url.clone()).await;
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let mut latencies = Vec::new();
    let mut by_status = std::collections::BTreeMap::new();
    while let Some(r) = signers.join_next().await {
        for (status, ms) in r.unwrap_or_default() {
            latencies.push(ms);
            *by_status.entry(status).or_insert(0) += 1;
        }
    }
    let seconds = started.elapsed().as_secs_f64();
    latencies.sort_by(|a, b| a.total_cmp(b));
    let sign_ins = Phase {
        requests: latencies.len(),
        seconds,
        per_second: latencies.len() as f64 / seconds,
        p50_ms: percentile(&latencies, 0.50),
        p99_ms: percentile(&latencies, 0.99),
        max_ms: latencies.last().copied().unwrap_or(0.0),
        by_status,
    };
    Ok(SignInReport {
        idle,
        loaded,
        sign_ins,
        signers: SIGNERS,
    })
}
