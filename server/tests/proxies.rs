//! Behind the bank's TLS proxy: the client's address and scheme are believed from trusted proxies
//! only (rate limits per real client, HSTS over HTTPS); the camera is the till's alone; the
//! metrics answer to their token, or to this machine.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{spawn, Options, TestApp};
use quan_server::proxy::Cidr;

async fn get(app: &TestApp, path: &str, headers: &[(&str, &str)]) -> reqwest::Response {
    let mut req = app.client.get(app.url(path));
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    req.send().await.unwrap()
}

fn behind_proxy(c: &mut quan_server::Config) {
    c.trusted_proxies = vec![Cidr::parse("127.0.0.0/8").unwrap()];
}

#[tokio::test]
async fn each_client_behind_a_trusted_proxy_has_its_own_rate_limit() {
    let app = spawn(Options {
        rate_per_address: 1.0,
        tune: behind_proxy,
        ..Options::default()
    })
    .await;
    let statuses = |xff: &'static str, n: usize| {
        let app = &app;
        async move {
            let mut out = Vec::new();
            for _ in 0..n {
                out.push(
                    get(app, "/time", &[("x-forwarded-for", xff)])
                        .await
                        .status()
                        .as_u16(),
                );
            }
            out
        }
    };
    // A burst of two, then refused: for this client only.
    assert_eq!(statuses("198.51.100.1", 3).await, [200, 200, 429]);
    assert_eq!(
        statuses("198.51.100.2", 1).await,
        [200],
        "another client behind the same proxy"
    );
    // A client cannot pick a fresh address by naming one: the proxy appends what it saw.
    assert_eq!(statuses("203.0.113.50, 198.51.100.1", 1).await, [429]);
}

#[tokio::test]
async fn forwarding_headers_from_anyone_else_are_ignored() {
    let app = spawn(Options {
        rate_per_address: 1.0,
        ..Options::default()
    })
    .await;
    let mut got = Vec::new();
    for xff in ["198.51.100.1", "198.51.100.2", "198.51.100.3"] {
        got.push(
            get(&app, "/time", &[("x-forwarded-for", xff)])
                .await
                .status()
                .as_u16(),
        );
    }
    assert_eq!(got, [200, 200, 429], "one bucket: the TCP peer's");
    let res = get(&app, "/time", &[("x-forwarded-proto", "https")]).await;
    assert!(res.headers().get("strict-transport-security").is_none());
}

#[tokio::test]
async fn hsts_over_https_as_the_trusted_proxy_says() {
    let app = spawn(Options {
        tune: behind_proxy,
        ..Options::default()
    })
    .await;
    let res = get(&app, "/time", &[("x-forwarded-proto", "https")]).await;
    assert_eq!(
        res.headers().get("strict-transport-security").unwrap(),
        "max-age=31536000"
    );
    let res = get(&app, "/time", &[("x-forwarded-proto", "http")]).await;
    assert!(res.headers().get("strict-transport-security").is_none());
}

#[tokio::test]
async fn only_the_till_may_use_the_camera() {
    let app = spawn(Options::default()).await;
    let policy = |res: &reqwest::Response| {
        res.headers()
            .get("permissions-policy")
            .unwrap()
            .to_str()
            .unwrap()
            .to_owned()
    };
    let api = get(&app, "/time", &[]).await;
    assert!(policy(&api).contains("camera=()"), "{}", policy(&api));
    let till = app
        .client
        .get(format!("{}/merchant/", app.base))
        .send()
        .await
        .unwrap();
    assert!(policy(&till).contains("camera=(self)"), "{}", policy(&till));
    let resident = app
        .client
        .get(format!("{}/wallet", app.base))
        .send()
        .await
        .unwrap();
    assert!(policy(&resident).contains("camera=()"), "{}", policy(&resident));
}

#[tokio::test]
async fn metrics_answer_to_their_token() {
    let app = spawn(Options {
        tune: |c| c.metrics_token = Some("s3cret-metrics-token-0123".into()),
        ..Options::default()
    })
    .await;
    let status = |res: reqwest::Response| res.status().as_u16();
    assert_eq!(status(get(&app, "/metrics", &[]).await), 401);
    let wrong = [("authorization", "Bearer s3cret-metrics-token-0124")];
    assert_eq!(status(get(&app, "/metrics", &wrong).await), 401);
    let right = [("authorization", "Bearer s3cret-metrics-token-0123")];
    let res = get(&app, "/metrics", &right).await;
    assert_eq!(res.status(), 200);
    assert!(res.text().await.unwrap().contains("quan_"), "the exposition");
}

#[tokio::test]
async fn without_a_token_metrics_answer_only_to_this_machine() {
    let app = spawn(Options {
        tune: behind_proxy,
        ..Options::default()
    })
    .await;
    assert_eq!(get(&app, "/metrics", &[]).await.status(), 200, "from loopback");
    let remote = get(&app, "/metrics", &[("x-forwarded-for", "198.51.100.1")]).await;
    assert_eq!(remote.status(), 403, "through the proxy, from outside");
}
