//! `cargo xtask bench rush`: the 10:00 rush against the optimised server, on SQLite and on
//! PostgreSQL: granted claims (each a write) as the headline, "sold out" answers apart, and the
//! same server's trivial endpoint measured the same way for reference.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use crate::postgres::Cluster;
use crate::sh::{self, cmd, run, step, Result};

struct Options {
    /// Residents of the first wave, and the pool: every one of them is granted a coupon.
    residents: usize,
    /// Residents of the second wave, who find the pool gone.
    late: usize,
    concurrency: usize,
}

fn options(args: &[String]) -> Result<Options> {
    let mut o = Options {
        residents: 20_000,
        late: 20_000,
        concurrency: 256,
    };
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let value = |it: &mut std::slice::Iter<String>| -> Result<usize> {
            it.next()
                .and_then(|v| v.parse().ok())
                .ok_or_else(|| format!("{a} takes a whole number"))
        };
        match a.as_str() {
            "--residents" => o.residents = value(&mut it)?,
            "--late" => o.late = value(&mut it)?,
            "--concurrency" => o.concurrency = value(&mut it)?,
            other => {
                return Err(format!(
                    "unknown option {other} (--residents N --late N --concurrency N)"
                ))
            }
        }
    }
    Ok(o)
}

/// The server process, killed when dropped.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts the optimised server with `env` on a free port; its URL once it listens.
fn spawn_server(env: &[(&str, String)]) -> Result<(Server, String)> {
    let mut c = Command::new(sh::root().join("target/server/quan-server"));
    // Outside demo mode the server needs a data key; a benchmark's data is thrown away.
    c.env("QUAN_ADDR", "127.0.0.1:0")
        .env(
            "QUAN_DATA_KEY",
            "be9c4d0e3a5f61728394a5b6c7d8e9f00123456789abcdef0123456789abcdef",
        )
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped());
    for (k, v) in env {
        c.env(k, v);
    }
    let mut child = c.spawn().map_err(|e| format!("cannot start the server: {e}"))?;
    let stdout = child.stdout.take().ok_or("no server output")?;
    let server = Server(child);
    for line in BufReader::new(stdout).lines() {
        let line = line.map_err(|e| e.to_string())?;
        if let Some(url) = line.strip_prefix("listening on ") {
            return Ok((server, url.to_owned()));
        }
    }
    Err("the server stopped before it listened".into())
}

/// The optimised server on `database_url`, running the campaign files in `campaigns`, its
/// clock starting at `today` `time` (China time).
fn start_server(
    database_url: &str,
    campaigns: &std::path::Path,
    today: &str,
    time: &str,
) -> Result<(Server, String)> {
    spawn_server(&[
        ("QUAN_DATABASE_URL", database_url.to_owned()),
        ("QUAN_CAMPAIGNS", campaigns.display().to_string()),
        ("QUAN_CLOCK_AT", format!("{today} {time}")),
        ("QUAN_RATE_PER_ADDRESS", "0".into()),
        ("QUAN_RATE_PER_RESIDENT", "0".into()),
        ("QUAN_DB_CONNECTIONS", "32".into()),
    ])
}

fn today_in_china() -> Result<String> {
    let ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_err(|e| e.to_string())?
        .as_millis();
    Ok(
        quan_core::Timestamp(i64::try_from(ms).map_err(|e| e.to_string())?)
            .china_date()
            .to_string(),
    )
}

fn one_backend(name: &str, database_url: &str, o: &Options) -> Result<serde_json::Value> {
    step(&format!(
        "rush on {name}: {} residents granted from a pool of as many, then {} told it is gone, {} at a time",
        o.residents, o.late, o.concurrency
    ));
    let dir = fresh_dir(name)?;
    let today = today_in_china()?;
    let bench = sh::root().join("target/server/quan-bench").display().to_string();
    let campaign = Command::new(&bench)
        .args(["campaign", &today, &o.residents.to_string()])
        .output()
        .map_err(|e| format!("quan-bench: {e}"))?;
    std::fs::write(dir.join("rush.toml"), campaign.stdout).map_err(|e| e.to_string())?;
    let (server, url) = start_server(database_url, &dir, &today, "10:00:00")?;
    let (residents, late) = (o.residents.to_string(), o.late.to_string());
    let concurrency = o.concurrency.to_string();
    let report = load(
        &["rush", &url, database_url, &residents, &late, &concurrency],
        server,
        &dir,
    );
    let mut report = report.map_err(|e| format!("{name}: {e}"))?;
    let issued = report["issued"].as_u64().unwrap_or(0);
    if issued != o.residents as u64 {
        return Err(format!(
            "{name}: {issued} coupons issued from a pool of {}: that is a bug",
            o.residents
        ));
    }
    // Every first-wave answer a coupon, every second-wave answer "sold out".
    let answered = |phase: &str, status: &str| report[phase]["by_status"][status].as_u64().unwrap_or(0);
    if answered("granted", "201") != o.residents as u64 || answered("sold_out", "409") != o.late as u64 {
        return Err(format!(
            "{name}: the answers were not all granted, then all sold out: {} {}",
            report["granted"]["by_status"], report["sold_out"]["by_status"]
        ));
    }
    report["backend"] = serde_json::Value::from(name);
    Ok(report)
}

/// The optimised server and the load generator, as every server benchmark runs them.
fn build_server_and_load() -> Result {
    step("build the optimised server and the load generator");
    run(cmd(
        "cargo",
        &[
            "build",
            "--profile",
            "server",
            "-p",
            "quan-server",
            "-p",
            "quan-bench",
        ],
    ))
}

/// Runs the load generator with `args` against `server`, then stops the server and removes
/// `dir`; the report it printed.
fn load(args: &[&str], server: Server, dir: &std::path::Path) -> Result<serde_json::Value> {
    let report = generate(args);
    drop(server);
    let _ = std::fs::remove_dir_all(dir);
    report
}

/// Runs the load generator with `args`; the report it printed.
fn generate(args: &[&str]) -> Result<serde_json::Value> {
    let out = Command::new(sh::root().join("target/server/quan-bench"))
        .args(args)
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("quan-bench: {e}"))?;
    if !out.status.success() {
        return Err("the load generator failed".into());
    }
    serde_json::from_slice(&out.stdout).map_err(|e| format!("load generator output: {e}"))
}

/// An empty folder of this run's own under the temporary folder.
fn fresh_dir(name: &str) -> Result<std::path::PathBuf> {
    let dir = std::env::temp_dir().join(format!("quan-bench-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    Ok(dir)
}

/// Runs `one` (given a backend's name and database URL) on a fresh SQLite database, then on a
/// PostgreSQL cluster of its own; both reports, also written to `target/bench/NAME.json`.
fn on_both_backends(
    name: &str,
    one: impl Fn(&str, &str) -> Result<serde_json::Value>,
) -> Result<Vec<serde_json::Value>> {
    build_server_and_load()?;
    let sqlite_dir = fresh_dir(&format!("{name}-db"))?;
    let sqlite = one(
        "sqlite",
        &format!("sqlite:{}", sqlite_dir.join(format!("{name}.db")).display()),
    );
    let _ = std::fs::remove_dir_all(&sqlite_dir);
    let sqlite = sqlite?;
    let cluster = Cluster::start()?;
    let postgres = one("postgres", &cluster.url)?;
    drop(cluster);
    let reports = vec![sqlite, postgres];
    let out_dir = sh::root().join("target/bench");
    std::fs::create_dir_all(&out_dir).map_err(|e| e.to_string())?;
    let json = serde_json::to_string_pretty(&reports).map_err(|e| e.to_string())?;
    std::fs::write(out_dir.join(format!("{name}.json")), &json).map_err(|e| e.to_string())?;
    Ok(reports)
}

pub fn rush(args: &[String]) -> Result {
    let o = options(args)?;
    let reports = on_both_backends("rush", |name, url| one_backend(name, url, &o))?;
    let out_dir = sh::root().join("target/bench");
    let mut table = String::from(
        "| backend | granted claims/s | p50 ms | p99 ms | trivial req/s | trivial p99 ms | ratio | sold-out answers/s | sold-out p99 ms |\n|---|---|---|---|---|---|---|---|---|\n",
    );
    for r in &reports {
        let f = |v: &serde_json::Value| v.as_f64().unwrap_or(0.0);
        table.push_str(&format!(
            "| {} | {:.0} | {:.1} | {:.1} | {:.0} | {:.1} | {:.2} | {:.0} | {:.1} |\n",
            r["backend"].as_str().unwrap_or("?"),
            f(&r["granted"]["per_second"]),
            f(&r["granted"]["p50_ms"]),
            f(&r["granted"]["p99_ms"]),
            f(&r["trivial"]["per_second"]),
            f(&r["trivial"]["p99_ms"]),
            f(&r["ratio"]),
            f(&r["sold_out"]["per_second"]),
            f(&r["sold_out"]["p99_ms"]),
        ));
    }
    std::fs::write(out_dir.join("rush.md"), &table).map_err(|e| e.to_string())?;
    println!("\n{table}\nFigures in target/bench/rush.json and target/bench/rush.md");
    Ok(())
}

/// One backend's draw: residents sign up inside the window (08:00 by the server's clock), then
/// a server started at the release time on the same database makes the draw.
fn one_draw(name: &str, database_url: &str, o: &Options) -> Result<serde_json::Value> {
    let pool = (o.residents / 4).max(1);
    step(&format!(
        "draw on {name}: {} residents sign up, {} at a time; then the draw of a pool of {pool}",
        o.residents, o.concurrency
    ));
    let dir = fresh_dir(name)?;
    let result = signed_up_then_drawn(database_url, &dir, pool, o);
    let _ = std::fs::remove_dir_all(&dir);
    let mut report = result.map_err(|e| format!("{name}: {e}"))?;
    let count = |v: &serde_json::Value| v.as_u64().unwrap_or(0);
    if count(&report["sign_ups"]["by_status"]["201"]) != o.residents as u64
        || count(&report["drawn"]["sign_ups"]) != o.residents as u64
        || count(&report["drawn"]["winners"]) != pool as u64
    {
        return Err(format!(
            "{name}: not every resident signed up, or the draw did not give the whole pool: {} {}",
            report["sign_ups"]["by_status"], report["drawn"]
        ));
    }
    report["backend"] = serde_json::Value::from(name);
    Ok(report)
}

fn signed_up_then_drawn(
    database_url: &str,
    dir: &std::path::Path,
    pool: usize,
    o: &Options,
) -> Result<serde_json::Value> {
    let today = today_in_china()?;
    let bench = sh::root().join("target/server/quan-bench");
    let campaign = Command::new(&bench)
        .args(["draw-campaign", &today, &pool.to_string()])
        .output()
        .map_err(|e| format!("quan-bench: {e}"))?;
    std::fs::write(dir.join("rush.toml"), campaign.stdout).map_err(|e| e.to_string())?;
    let (server, url) = start_server(database_url, dir, &today, "08:00:00")?;
    let (residents, concurrency) = (o.residents.to_string(), o.concurrency.to_string());
    let mut report = generate(&["sign-ups", &url, database_url, &residents, &concurrency])?;
    drop(server);
    let (server, url) = start_server(database_url, dir, &today, "10:00:00")?;
    report["drawn"] = generate(&["drawn", &url])?;
    drop(server);
    Ok(report)
}

/// `cargo xtask bench draw`: sign-ups for a day given out by draw, beside the trivial
/// endpoint in the same run, then the draw itself, on SQLite and on PostgreSQL.
pub fn draw(args: &[String]) -> Result {
    let o = options(args)?;
    let reports = on_both_backends("draw", |name, url| one_draw(name, url, &o))?;
    let out_dir = sh::root().join("target/bench");
    let mut table = String::from(
        "| backend | sign-ups/s | p50 ms | p99 ms | trivial req/s | ratio | draw: sign-ups | winners | seconds |\n|---|---|---|---|---|---|---|---|---|\n",
    );
    for r in &reports {
        let f = |v: &serde_json::Value| v.as_f64().unwrap_or(0.0);
        table.push_str(&format!(
            "| {} | {:.0} | {:.1} | {:.1} | {:.0} | {:.2} | {} | {} | {:.2} |\n",
            r["backend"].as_str().unwrap_or("?"),
            f(&r["sign_ups"]["per_second"]),
            f(&r["sign_ups"]["p50_ms"]),
            f(&r["sign_ups"]["p99_ms"]),
            f(&r["trivial"]["per_second"]),
            f(&r["ratio"]),
            r["drawn"]["sign_ups"],
            r["drawn"]["winners"],
            f(&r["drawn"]["seconds"]),
        ));
    }
    std::fs::write(out_dir.join("draw.md"), &table).map_err(|e| e.to_string())?;
    println!("\n{table}\nFigures in target/bench/draw.json and target/bench/draw.md");
    Ok(())
}

/// `cargo xtask bench sign-in`: the trivial endpoint's latency on its own, then while 64 staff
/// sign in at once (argon2 each), in the same run against the same optimised server.
pub fn sign_in() -> Result {
    build_server_and_load()?;
    let dir = fresh_dir("sign-in")?;
    let database_url = format!("sqlite:{}", dir.join("sign-in.db").display());
    step("/time alone, then while 64 staff sign in over and over");
    let (server, url) = spawn_server(&[
        ("QUAN_DATABASE_URL", database_url.clone()),
        ("QUAN_RATE_PER_ADDRESS", "0".into()),
        ("QUAN_SIGN_IN_FAILURES", "0".into()),
    ])?;
    let r = load(&["sign-in", &url, &database_url], server, &dir)?;
    let out_dir = sh::root().join("target/bench");
    std::fs::create_dir_all(&out_dir).map_err(|e| e.to_string())?;
    let json = serde_json::to_string_pretty(&r).map_err(|e| e.to_string())?;
    std::fs::write(out_dir.join("sign-in.json"), json).map_err(|e| e.to_string())?;
    let f = |v: &serde_json::Value| v.as_f64().unwrap_or(0.0);
    let table = format!(
        "| /time | p50 ms | p99 ms |\n|---|---|---|\n| alone | {:.2} | {:.2} |\n| while {} sign in | {:.2} | {:.2} |\n\n\
         sign-ins meanwhile: {:.0}/s, p50 {:.0} ms, answers by status {}\n",
        f(&r["idle"]["p50_ms"]),
        f(&r["idle"]["p99_ms"]),
        r["signers"],
        f(&r["loaded"]["p50_ms"]),
        f(&r["loaded"]["p99_ms"]),
        f(&r["sign_ins"]["per_second"]),
        f(&r["sign_ins"]["p50_ms"]),
        r["sign_ins"]["by_status"],
    );
    std::fs::write(out_dir.join("sign-in.md"), &table).map_err(|e| e.to_string())?;
    println!("\n{table}\nFigures in target/bench/sign-in.json and target/bench/sign-in.md");
    Ok(())
}

/// `cargo xtask bench web`: the resident's first load, as `cargo xtask run` serves it.
pub fn web() -> Result {
    crate::setup::build_tools()?;
    crate::setup::browser_tools()?;
    crate::build::widget_release()?;
    step("build the optimised server");
    run(cmd(
        "cargo",
        &["build", "--profile", "server", "-p", "quan-server"],
    ))?;
    let dir = std::env::temp_dir().join(format!("quan-bench-web-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let db = format!("sqlite:{}", dir.join("web.db").display());
    let (server, url) = spawn_server(&[
        ("QUAN_DATABASE_URL", db),
        ("QUAN_DIST", sh::root().join("dist").display().to_string()),
        ("QUAN_DEMO", "1".into()),
    ])?;
    step("first load in headless Chromium (4x CPU slowdown, slow 4G)");
    let load = node_json("tests/bench/web.mjs", &url);
    step("Lighthouse's mobile audit of the claim page, and of its first paint alone");
    let audit = crate::setup::npm_packages(&sh::root().join("tests/bench/lighthouse"), "Lighthouse")
        .and_then(|()| node_json("tests/bench/lighthouse/run.mjs", &format!("{url}/")));
    drop(server);
    let _ = std::fs::remove_dir_all(&dir);
    let (mut report, lighthouse) = (load?, audit?);
    report["lighthouse"] = lighthouse;
    let out_dir = sh::root().join("target/bench");
    std::fs::create_dir_all(&out_dir).map_err(|e| e.to_string())?;
    std::fs::write(
        out_dir.join("web.json"),
        serde_json::to_string_pretty(&report).unwrap_or_default(),
    )
    .map_err(|e| e.to_string())?;
    let kb = |v: &serde_json::Value| v.as_f64().unwrap_or(0.0) / 1024.0;
    let ms = |v: &serde_json::Value| v.as_f64().unwrap_or(0.0);
    let mut table = String::from("| first load (brotli) | budget | target | first paint (index.html) | wallet visible |\n|---|---|---|---|---|\n");
    table.push_str(&format!(
        "| {:.1} KB | {:.0} KB | {:.0} KB | {:.0} ms | {:.0} ms |\n",
        kb(&report["first_load_bytes"]),
        kb(&report["budget_bytes"]),
        kb(&report["target_bytes"]),
        ms(&report["first_paint_ms"]),
        ms(&report["wallet_visible_ms"]),
    ));
    table.push_str(
        "\n| Lighthouse, mobile (median of 3) | performance | LCP | TBT | FCP |\n|---|---|---|---|---|\n",
    );
    for (name, key) in [
        ("the claim page", "page"),
        ("its first paint alone (wasm blocked; reference)", "first_paint"),
    ] {
        let r = &report["lighthouse"][key];
        table.push_str(&format!(
            "| {name} | {:.0} | {:.0} ms | {:.0} ms | {:.0} ms |\n",
            r["score"].as_f64().unwrap_or(0.0) * 100.0,
            ms(&r["lcp_ms"]),
            ms(&r["tbt_ms"]),
            ms(&r["fcp_ms"]),
        ));
    }
    table.push_str("| target | | ≤ 1500 ms | ≤ 100 ms | |\n");
    std::fs::write(out_dir.join("web.md"), &table).map_err(|e| e.to_string())?;
    println!("\n{table}\nFigures in target/bench/web.json and target/bench/web.md");
    Ok(())
}

/// What a node script given `arg` prints: one JSON object.
fn node_json(script: &str, arg: &str) -> Result<serde_json::Value> {
    let out = cmd("node", &[script, arg])
        .output()
        .map_err(|e| format!("node: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "{script} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    serde_json::from_slice(&out.stdout).map_err(|e| format!("{script}'s output: {e}"))
}

/// The codes wallets show, as the scan benchmark draws them: twenty digits from the product's
/// code generator and the modules of the product's own QR encoder.
fn wallet_codes(n: usize) -> serde_json::Value {
    use quan_core::code::{self, CouponKey};
    use quan_core::qr::{Symbol, SIZE};
    use quan_core::{CouponId, Timestamp};
    let now = Timestamp(1_700_000_000_000);
    let codes: Vec<serde_json::Value> = (0..n as i64)
        .filter_map(|i| {
            let coupon = CouponId(1 + i * 7_919);
            let key = CouponKey::derive(b"bench", coupon);
            let shown = code::generate(&key, coupon, now.plus_secs(i * 31), now.plus_secs(86_400))?;
            let symbol = Symbol::numeric(shown.digits())?;
            let bits: String = (0..SIZE * SIZE)
                .map(|i| {
                    if symbol.is_dark(i % SIZE, i / SIZE) {
                        '1'
                    } else {
                        '0'
                    }
                })
                .collect();
            Some(serde_json::json!({ "text": shown.digits(), "size": SIZE, "bits": bits }))
        })
        .collect();
    serde_json::Value::Array(codes)
}

/// `cargo xtask bench scan`: the till's decoder against three published ones (jsQR, zbar-wasm,
/// zxing-wasm) on the same generated camera frames (three seeded sets the decoder was not tuned
/// on: `tests/bench/scan/bench.mjs`), in headless Chromium; then, at a till against
/// the optimised server, the time from the camera frame showing a code to the look-up on screen.
pub fn scan() -> Result {
    crate::setup::build_tools()?;
    crate::setup::browser_tools()?;
    crate::build::widget_release()?;
    let out_dir = sh::root().join("target/bench");
    std::fs::create_dir_all(&out_dir).map_err(|e| e.to_string())?;
    let codes = out_dir.join("scan-codes.json");
    std::fs::write(&codes, wallet_codes(48).to_string()).map_err(|e| e.to_string())?;
    step("decoders side by side in headless Chromium");
    let out = cmd("node", &["tests/bench/scan.mjs", &codes.display().to_string()])
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("node: {e}"))?;
    if !out.status.success() {
        return Err("the scan benchmark failed (its output is above)".into());
    }
    let report: serde_json::Value =
        serde_json::from_slice(&out.stdout).map_err(|e| format!("scan benchmark output: {e}"))?;
    step("build the optimised server");
    run(cmd(
        "cargo",
        &["build", "--profile", "server", "-p", "quan-server"],
    ))?;
    step("at the till: camera frame to look-up on screen (headless Chromium, fake camera)");
    let till = cmd("node", &["tests/bench/till.mjs"])
        .env("QUAN_SERVER_BIN", sh::root().join("target/server/quan-server"))
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("node: {e}"))?;
    if !till.status.success() {
        return Err("the till benchmark failed (its output is above)".into());
    }
    let till: serde_json::Value =
        serde_json::from_slice(&till.stdout).map_err(|e| format!("till benchmark output: {e}"))?;
    let mut report = report;
    report["till"] = till;
    std::fs::write(
        out_dir.join("scan.json"),
        serde_json::to_string_pretty(&report).unwrap_or_default(),
    )
    .map_err(|e| e.to_string())?;
    let f = |v: &serde_json::Value| v.as_f64().unwrap_or(0.0);
    let mut table = String::new();
    for set in report["sets"].as_array().into_iter().flatten() {
        table.push_str(&format!(
            "| {} ({} frames) | decoded | wrong reads | crashes | ms per frame |\n|---|---|---|---|---|\n",
            set["name"].as_str().unwrap_or("?"),
            set["frames"],
        ));
        for r in set["decoders"].as_array().into_iter().flatten() {
            table.push_str(&format!(
                "| {} | {:.1} % ({}) | {} | {} | {:.1} |\n",
                r["name"].as_str().unwrap_or("?"),
                100.0 * f(&r["share"]),
                r["decoded"],
                r["wrong"],
                r["crashes"],
                f(&r["ms_per_frame"]),
            ));
        }
        table.push('\n');
    }
    table.push_str("| decoder | download (brotli) |\n|---|---|\n");
    for (name, bytes) in report["download_bytes_brotli"].as_object().into_iter().flatten() {
        table.push_str(&format!("| {name} | {:.0} KB |\n", f(bytes) / 1024.0));
    }
    let t = &report["till"];
    table.push_str(&format!(
        "\n| at the till ({} rounds) | median | max | target |\n|---|---|---|---|\n\
         | camera frame with the code to look-up on screen | {:.0} ms | {:.0} ms | 300 ms |\n\
         | the look-up request alone (reference) | {:.1} ms | {:.1} ms | |\n",
        t["rounds"],
        f(&t["look_up_ms"]["median"]),
        f(&t["look_up_ms"]["max"]),
        f(&t["request_ms"]["median"]),
        f(&t["request_ms"]["max"]),
    ));
    std::fs::write(out_dir.join("scan.md"), &table).map_err(|e| e.to_string())?;
    println!("\n{table}\nFigures in target/bench/scan.json and target/bench/scan.md");
    Ok(())
}
