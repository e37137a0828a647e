//! Test helpers: each test gets its own server on port 0 and its own fresh database — SQLite
//! in a temporary folder, or, when `QUAN_TEST_POSTGRES` names a PostgreSQL server, a new
//! database created on it for the test.
#![allow(dead_code)]

use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};

use quan_core::api::Role;
use quan_core::{MerchantId, ResidentId, Timestamp};
use quan_server::auth::Principal;
use quan_server::clock::Clock;
use quan_server::state::AppState;
use quan_server::store::{accounts, residents, sessions};
use quan_server::{Config, Server};

pub struct TestApp {
    pub base: String,
    pub client: reqwest::Client,
    pub state: AppState,
    pub clock: Clock,
    pub database_url: String,
    _dir: tempfile::TempDir,
}

/// The URL of a fresh, empty database for one test.
pub async fn fresh_database(dir: &std::path::Path) -> String {
    match std::env::var("QUAN_TEST_POSTGRES").ok().filter(|u| !u.is_empty()) {
        Some(server) => {
            static N: AtomicU32 = AtomicU32::new(0);
            let name = format!(
                "quan_test_{}_{}",
                std::process::id(),
                N.fetch_add(1, Ordering::Relaxed)
            );
            use sqlx::Connection;
            let mut conn = sqlx::PgConnection::connect(&server)
                .await
                .expect("connect to the test PostgreSQL");
            sqlx::Executor::execute(&mut conn, format!("CREATE DATABASE {name}").as_str())
                .await
                .expect("create database");
            let base = server
                .rsplit_once('/')
                .map(|(b, _)| b.to_owned())
                .unwrap_or(server);
            format!("{base}/{name}")
        }
        None => format!("sqlite:{}", dir.join("quan.db").display()),
    }
}

pub struct Options {
    pub clock: Clock,
    pub demo: bool,
    pub demo_activity: bool,
    pub campaigns: Option<Vec<(&'static str, String)>>,
    pub rate_per_resident: f64,
    pub rate_per_address: f64,
    pub database_url: Option<String>,
    pub dist: Option<PathBuf>,
    /// Any other setting, changed on the test's configuration before the server starts.
    pub tune: fn(&mut Config),
}

impl Default for Options {
    fn default() -> Self {
        Options {
            clock: Clock::system(),
            demo: false,
            demo_activity: false,
            campaigns: None,
            rate_per_resident: 0.0,
            rate_per_address: 0.0,
            database_url: None,
            dist: None,
            tune: |_| {},
        }
    }
}

pub async fn spawn(options: Options) -> TestApp {
    // Server errors show in a failing test's output.
    let _ = tracing_subscriber::fmt()
        .with_env_filter("warn")
        .with_test_writer()
        .try_init();
    let dir = tempfile::tempdir().expect("temp dir");
    let campaigns_dir = match &options.campaigns {
        Some(files) => {
            let d = dir.path().join("campaigns");
            std::fs::create_dir_all(&d).expect("campaign dir");
            for (name, text) in files {
                std::fs::write(d.join(name), text).expect("campaign file");
            }
            d
        }
        None => Config::default().campaigns_dir,
    };
    let database_url = match options.database_url {
        Some(u) => u,
        None => fresh_database(dir.path()).await,
    };
    let mut config = Config {
        addr: "127.0.0.1:0".parse().expect("addr"),
        demo: options.demo,
        demo_activity: options.demo_activity,
        dist_dir: options.dist,
        campaigns_dir,
        database_url: database_url.clone(),
        rate_per_resident: options.rate_per_resident,
        rate_per_address: options.rate_per_address,
        uploads_dir: dir.path().join("uploads"),
        max_connections: 8,
        // Tests move the clock by days; the idle limits have tests of their own.
        console_idle: std::time::Duration::from_secs(86_400 * 400),
        till_idle: std::time::Duration::from_secs(86_400 * 400),
        data_key: Some(quan_server::vault::DataKey::generate()),
        ..Config::default()
    };
    (options.tune)(&mut config);
    let app = Server::build(config, options.clock.clone())
        .await
        .expect("server starts");
    let base = format!("http://127.0.0.1:{}", app.port());
    let state = app.state.clone();
    tokio::spawn(app.serve(std::future::pending()));
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(256)
        .build()
        .expect("client");
    TestApp {
        base,
        client,
        state,
        clock: options.clock,
        database_url,
        _dir: dir,
    }
}

/// Two instances of the server on one database, as a bank runs them behind its load balancer:
/// the second with `options()` too, but the first's database.
pub async fn spawn_two(options: impl Fn() -> Options) -> (TestApp, TestApp) {
    let first = spawn(options()).await;
    let second = spawn(Options {
        database_url: Some(first.database_url.clone()),
        ..options()
    })
    .await;
    (first, second)
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}/api/v1{path}", self.base)
    }

    /// A signed-in resident (made directly, as the sign-in endpoint would).
    pub async fn resident(&self, subject: &str) -> (ResidentId, String) {
        let now = self.clock.now();
        let id = residents::find_or_create(&self.state.db, subject, "", now)
            .await
            .expect("resident");
        let token = self
            .state
            .secrets
            .sign(&Principal::Resident(id), now.plus_secs(86_400 * 400));
        (id, token)
    }

    /// A signed-in staff account of `role` (made directly, as `admin create-account` and signing
    /// in would), named `username`.
    pub async fn staff(&self, username: &str, role: Role, merchant: Option<MerchantId>) -> String {
        let now = self.clock.now();
        let acc = accounts::ensure_account(&self.state.db, username, "x", role, merchant, username, now)
            .await
            .expect("account");
        let expires = now.plus_secs(86_400 * 400);
        let session = sessions::open(&self.state.db, acc, now, expires, "127.0.0.1")
            .await
            .expect("session");
        self.state.secrets.sign(&Principal::Session(session), expires)
    }

    /// A merchant of `category` with its manager, signed in.
    pub async fn merchant(&self, name: &str, category: &str) -> (MerchantId, String) {
        let now = self.clock.now();
        let m = accounts::ensure_merchant(&self.state.db, name, category, "", now)
            .await
            .expect("merchant");
        (
            m,
            self.staff(&format!("staff-{name}"), Role::MerchantManager, Some(m))
                .await,
        )
    }

    pub async fn operator(&self) -> String {
        self.staff("op", Role::Operator, None).await
    }

    pub async fn post(&self, path: &str, token: &str, body: serde_json::Value) -> reqwest::Response {
        self.client
            .post(self.url(path))
            .bearer_auth(token)
            .json(&body)
            .send()
            .await
            .expect("request")
    }

    /// A claim of Qinshui's 满200减40 retail coupon (round 2, the second denomination).
    pub async fn claim_retail(&self, token: &str) -> reqwest::Response {
        self.post(
            "/claims",
            token,
            serde_json::json!({"campaign": "qinshui-2022-r2", "kind": "retail", "denomination": 1}),
        )
        .await
    }

    pub async fn get(&self, path: &str, token: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .bearer_auth(token)
            .send()
            .await
            .expect("request")
    }

    /// Kind `kind` of Qinshui as residents see it (`GET /campaigns`).
    pub async fn qinshui_kind(&self, kind: &str) -> quan_core::api::KindView {
        let (_, anyone) = self.resident("viewer").await;
        let all: Vec<quan_core::api::CampaignView> = self
            .get("/campaigns", &anyone)
            .await
            .json()
            .await
            .expect("campaigns");
        let c = all
            .into_iter()
            .find(|c| c.id.as_str() == "qinshui-2022-r2")
            .expect("Qinshui");
        c.kinds
            .into_iter()
            .find(|k| k.id.as_str() == kind)
            .expect("the kind")
    }

    /// `quan-server …` on the test's database, with `stdin` as its standard input: whether it
    /// succeeded, and what it printed.
    pub fn command(&self, args: &[&str], stdin: &str) -> (bool, String) {
        use std::io::Write;
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_quan-server"))
            .args(args)
            .env("QUAN_DATABASE_URL", &self.database_url)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("quan-server");
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(stdin.as_bytes())
            .expect("write");
        let out = child.wait_with_output().expect("output");
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        (out.status.success(), text)
    }

    /// Budget conservation of every kind of every campaign, read from the pools.
    pub async fn assert_conserved(&self) {
        for c in self.state.campaigns.now().iter() {
            for k in &c.kinds {
                let acc =
                    quan_server::store::pools::conservation(&self.state.db, c.id.as_str(), k.id.as_str())
                        .await
                        .expect("pools");
                assert!(acc.holds(), "{}/{}: {acc:?}", c.id, k.id);
                assert_eq!(acc.budget, k.budget, "{}/{}", c.id, k.id);
            }
        }
    }
}

#[allow(unused_imports)]
pub use quan_server::demo::rush_campaign;

/// China time `2022-09-27 hh:mm:ss`.
pub fn qinshui_day3(h: u32, m: u32, s: u32) -> Timestamp {
    quan_core::ChinaDate::new(2022, 9, 27)
        .map(|d| d.at(quan_core::TimeOfDay(h * 3600 + m * 60 + s)))
        .expect("date")
}
