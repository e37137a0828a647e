//! The API over real HTTP: each test starts the server on port 0.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use quan_core::api::{CampaignView, Preload, ServerTime};
use quan_core::{ErrorCode, Problem, Timestamp};
use quan_server::clock::Clock;

mod common;

use common::{spawn, Options, TestApp};

async fn spawn_app(clock: Clock, demo: bool, dist: Option<std::path::PathBuf>) -> TestApp {
    spawn(Options {
        clock,
        demo,
        dist,
        ..Options::default()
    })
    .await
}

// 2022-09-27 09:59:30 China time.
const QINSHUI_DAY3: Timestamp = Timestamp(1_664_243_970_000);

#[tokio::test]
async fn time_is_the_servers_clock_with_a_date_header() {
    let app = spawn_app(Clock::starting_at(QINSHUI_DAY3), false, None).await;
    let res = app
        .client
        .get(format!("{}/api/v1/time", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.headers().contains_key("date"));
    assert_eq!(res.headers()["cache-control"], "no-store");
    assert_eq!(res.headers()["x-content-type-options"], "nosniff");
    let t: ServerTime = res.json().await.unwrap();
    assert!((t.now.millis() - QINSHUI_DAY3.millis()).abs() < 5_000, "{t:?}");
}

#[tokio::test]
async fn campaigns_are_listed_with_todays_china_date() {
    let app = spawn_app(Clock::starting_at(QINSHUI_DAY3), false, None).await;
    let list: Vec<CampaignView> = app
        .client
        .get(format!("{}/api/v1/campaigns", app.base))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let names: Vec<&str> = list.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["晋情消费——嗨购枣乡", "晋情消费·乐购沁水"]);
    let q = &list[1];
    assert_eq!(q.today.to_string(), "2022-09-27");
    assert_eq!(q.release_at.china_display(), "2022-09-27 10:00:00");
    assert_eq!(q.kinds[0].denominations[1].words, "满200减40");
}

#[tokio::test]
async fn demo_mode_runs_the_campaigns_from_today() {
    let clock = Clock::starting_at(QINSHUI_DAY3.plus_secs(400 * 86_400));
    let app = spawn_app(clock.clone(), true, None).await;
    let one: CampaignView = app
        .client
        .get(format!("{}/api/v1/campaigns/qinshui-2022-r2", app.base))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(one.starts, clock.now().china_date());
    assert_eq!(one.starts.days_until(one.ends), 20);
}

#[tokio::test]
async fn unknown_things_are_problem_documents() {
    let app = spawn_app(Clock::system(), false, None).await;
    for path in ["/api/v1/campaigns/nowhere", "/api/v1/no-such-endpoint"] {
        let res = app
            .client
            .get(format!("{}{path}", app.base))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 404, "{path}");
        assert_eq!(res.headers()["content-type"], "application/problem+json");
        let p: Problem = res.json().await.unwrap();
        assert_eq!(p.code, ErrorCode::NotFound);
    }
}

#[tokio::test]
async fn the_widget_is_served_with_a_strict_csp() {
    let dist = tempfile::tempdir().unwrap();
    let loader = "import init from '/w.js'; await init();";
    std::fs::write(
        dist.path().join("index.html"),
        format!("<html><head><script type=\"module\">{loader}</script></head><body>券</body></html>"),
    )
    .unwrap();
    let app = spawn_app(Clock::system(), false, Some(dist.path().to_owned())).await;
    // A client-side route falls back to index.html.
    let res = app
        .client
        .get(format!("{}/wallet", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let csp = res.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        csp.contains("'wasm-unsafe-eval'") && !csp.contains("unsafe-inline"),
        "{csp}"
    );
    assert!(
        csp.contains("'sha256-"),
        "the inline loader is allowed by its hash: {csp}"
    );
    assert_eq!(res.headers()["referrer-policy"], "no-referrer");
    assert!(res.text().await.unwrap().contains('券'));
}

/// The JSON data block in a page as served.
fn preload_of(page: &str) -> Option<&str> {
    let open = format!("<script type=\"application/json\" id=\"{}\">", Preload::ELEMENT);
    let start = page.find(&open)? + open.len();
    Some(&page[start..start + page[start..].find("</script>")?])
}

#[tokio::test]
async fn the_residents_page_carries_the_clock_the_configuration_and_the_campaigns() {
    let dist = tempfile::tempdir().unwrap();
    let shell = "<html><head><script type=\"module\">init()</script></head><body><div id=\"app\">券</div></body></html>";
    std::fs::write(dist.path().join("index.html"), shell).unwrap();
    std::fs::create_dir_all(dist.path().join("merchant")).unwrap();
    std::fs::write(
        dist.path().join("merchant/index.html"),
        "<html><body>till</body></html>",
    )
    .unwrap();
    // A campaign whose name would close the data block and open a comment, if written raw.
    let qinshui = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("campaigns/qinshui-2022-r2.toml"),
    )
    .unwrap();
    let hostile = "沁水</script><script>alert(1)</script><!--";
    let file = qinshui.replacen("name = \"", &format!("name = \"{hostile}"), 1);
    assert_ne!(file, qinshui);
    let app = spawn(Options {
        clock: Clock::starting_at(QINSHUI_DAY3),
        dist: Some(dist.path().to_owned()),
        campaigns: Some(vec![("qinshui-2022-r2.toml", file)]),
        ..Options::default()
    })
    .await;
    let fetch = |url: String| async { app.client.get(url).send().await.unwrap() };
    let listed: Vec<CampaignView> = fetch(app.url("/campaigns")).await.json().await.unwrap();
    let server_time = || async {
        let t: ServerTime = fetch(app.url("/time")).await.json().await.unwrap();
        t.now
    };
    for path in ["/", "/wallet", "/sign-in"] {
        let before = server_time().await;
        let res = fetch(format!("{}{path}", app.base)).await;
        assert_eq!(res.status(), 200, "{path}");
        assert_eq!(res.headers()["content-type"], "text/html; charset=utf-8");
        assert_eq!(res.headers()["cache-control"], "no-cache");
        let page = res.text().await.unwrap();
        assert!(page.contains("<div id=\"app\">券</div>"), "{page}");
        let json = preload_of(&page).unwrap_or_else(|| panic!("no preload on {path}: {page}"));
        assert!(!json.contains('<'), "{json}");
        let preload: Preload = serde_json::from_str(json).unwrap();
        // The server's clock while it wrote the page.
        assert!(
            before <= preload.now && preload.now <= server_time().await,
            "{preload:?}"
        );
        assert!(!preload.config.demo);
        assert_eq!(preload.campaigns, listed);
        assert!(preload.campaigns[0].name.starts_with(hostile));
        // The data block comes after the first paint, which the browser draws meanwhile.
        assert!(page.find('券') < page.find(Preload::ELEMENT), "{page}");
    }
    // Compressed for a browser that takes brotli.
    let res = app
        .client
        .get(format!("{}/", app.base))
        .header("accept-encoding", "br")
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()["content-encoding"], "br");
    // A file the build does not have is not the page.
    assert_eq!(fetch(format!("{}/favicon.ico", app.base)).await.status(), 404);
    // The other entries are their files as built.
    let till = fetch(format!("{}/merchant/", app.base))
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(till, "<html><body>till</body></html>");
}

#[tokio::test]
async fn over_its_rate_limit_an_address_gets_the_page_without_its_preload() {
    let dist = tempfile::tempdir().unwrap();
    std::fs::write(dist.path().join("index.html"), "<html><body>券</body></html>").unwrap();
    // A burst of one request, then one every two seconds.
    let app = spawn(Options {
        dist: Some(dist.path().to_owned()),
        rate_per_address: 0.5,
        ..Options::default()
    })
    .await;
    let page = || async {
        let res = app.client.get(format!("{}/", app.base)).send().await.unwrap();
        assert_eq!(res.status(), 200);
        res.text().await.unwrap()
    };
    assert!(preload_of(&page().await).is_some());
    let limited = page().await;
    assert!(preload_of(&limited).is_none(), "{limited}");
    assert!(limited.contains('券'));
}

#[tokio::test]
async fn health_readiness_and_metrics_for_the_people_who_run_it() {
    let app = spawn_app(Clock::starting_at(QINSHUI_DAY3.plus_secs(60)), false, None).await;
    assert_eq!(
        app.client.get(app.url("/health")).send().await.unwrap().status(),
        200
    );
    assert_eq!(
        app.client.get(app.url("/ready")).send().await.unwrap().status(),
        200
    );
    let (_, token) = app.resident("metered").await;
    let claim = serde_json::json!({"campaign": "qinshui-2022-r2", "kind": "retail", "denomination": 0});
    assert_eq!(app.post("/claims", &token, claim.clone()).await.status(), 201);
    assert_eq!(app.post("/claims", &token, claim).await.status(), 409);
    let res = app.client.get(app.url("/metrics")).send().await.unwrap();
    assert!(res.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/plain"));
    let text = res.text().await.unwrap();
    assert!(text.contains("quan_claims_total{outcome=\"ok\"} 1"), "{text}");
    assert!(
        text.contains("quan_claims_total{outcome=\"limit_reached\"} 1"),
        "{text}"
    );
    assert!(
        text.contains("quan_errors_total{code=\"limit_reached\"} 1"),
        "{text}"
    );
    assert!(
        text.contains("quan_pool_available_fen{campaign=\"qinshui-2022-r2\",kind=\"retail\"}"),
        "{text}"
    );
    assert!(text.contains("quan_request_seconds_count"), "{text}");
    // Every API answer says who it was (a request id) and is never stored.
    let res = app
        .client
        .get(app.url("/time"))
        .header("x-request-id", "till-7-abc")
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()["x-request-id"], "till-7-abc");
    assert_eq!(res.headers()["cache-control"], "no-store");
}

#[tokio::test]
async fn one_address_over_its_rate_is_told_when_to_retry() {
    let app = spawn(Options {
        rate_per_address: 2.0,
        ..Options::default()
    })
    .await;
    let mut statuses = Vec::new();
    for _ in 0..10 {
        let res = app.client.get(app.url("/time")).send().await.unwrap();
        statuses.push(res.status().as_u16());
        if res.status() == 429 {
            assert!(res.headers().contains_key("retry-after"));
            assert_eq!(res.headers()["content-type"], "application/problem+json");
            break;
        }
    }
    assert_eq!(statuses.last(), Some(&429), "{statuses:?}");
}
