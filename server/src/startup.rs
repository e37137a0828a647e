//! Building the application: database connected and migrated, campaigns loaded, pools made,
//! routes assembled, listener bound.

use std::net::SocketAddr;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{HeaderValue, Request};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::Router;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use quan_core::campaign::Campaign;
use quan_core::ErrorCode;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tower::Service;
use tower_http::timeout::TimeoutBody;

use crate::auth::{self, Hasher, Secrets};
use crate::campaigns::Live;
use crate::clock::Clock;
use crate::config::Config;
use crate::db::Db;
use crate::error::AppError;
use crate::limits::{Limiter, Rate};
use crate::metrics::Metrics;
use crate::proxy::{self, Cidr};
use crate::state::{AppState, Instance};
use crate::store::accounts;
use crate::store::claims::Claims;
use crate::store::idempotency::InFlight;
use crate::store::sessions::Idle;
use crate::vault::{DataKey, Vault};
use crate::{demo, routes, store, web};

/// The data key: the one configured; in demo mode without one, a key derived from the database's
/// own secret (so a demo needs no set-up, and keeps nothing worth the name). Outside demo mode the
/// server does not start without one.
fn data_key(config: &Config, master: &[u8]) -> Result<DataKey, String> {
    match &config.data_key {
        Some(k) => Ok(k.clone()),
        None if config.demo => Ok(DataKey::derived(master, b"demo data key")),
        None => Err(
            "no data key: applicants' bank cards, phones and documents are encrypted at rest \
             with a key kept apart from the database. Make one with `quan-server data-key new > FILE` \
             (readable by the server alone) and give it as QUAN_DATA_KEY_FILE=FILE"
                .into(),
        ),
    }
}

/// Reads every `*.toml` campaign file in `dir`, in name order.
pub fn load_campaigns(dir: &Path) -> Result<Vec<Campaign>, String> {
    Ok(load_seeds(dir)?.into_iter().map(|(c, _)| c).collect())
}

/// Every campaign file in `dir`, in name order, read and checked, with its text.
pub fn load_seeds(dir: &Path) -> Result<Vec<(Campaign, String)>, String> {
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .map_err(|e| format!("cannot read campaign folder {}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|p| {
            let text = std::fs::read_to_string(p).map_err(|e| format!("{}: {e}", p.display()))?;
            let c = Campaign::from_toml(&text).map_err(|e| format!("{}: {e}", p.display()))?;
            Ok((c, text))
        })
        .collect()
}

fn rate(per_second: f64) -> Option<Rate> {
    (per_second > 0.0).then_some(Rate {
        burst: per_second * 2.0,
        per_second,
    })
}

/// The whole application: the API under `/api/v1`, the widget at `/`, headers on everything.
pub fn app(state: AppState, config: &Config) -> Router {
    let api = routes::router()
        .fallback(|| async { AppError::new(ErrorCode::NotFound, "no such API endpoint") })
        .method_not_allowed_fallback(|| async {
            AppError::new(
                ErrorCode::MethodNotAllowed,
                "this endpoint does not take that method",
            )
        })
        .layer(middleware::from_fn_with_state(state.clone(), auth::resolve))
        .layer(middleware::from_fn_with_state(state.clone(), observe))
        .with_state(state.clone());
    // Every entry's inline loader is allowed by hash: the resident's, and each of web::ENTRIES.
    let index = config
        .dist_dir
        .as_ref()
        .map(|d| web::entry_pages(d))
        .unwrap_or_default();
    let csp = web::content_security_policy(&index, &config.frame_ancestors);
    let csp = HeaderValue::from_str(&csp).unwrap_or(HeaderValue::from_static("default-src 'self'"));
    let mut router = Router::new().nest("/api/v1", api);
    if let Some(dist) = &config.dist_dir {
        router = router.merge(web::widget(dist, state));
    }
    let (body_timeout, upload_timeout) = (config.body_timeout, config.upload_timeout);
    let trusted = Arc::new(config.trusted_proxies.clone());
    router
        .layer(middleware::from_fn(move |req, next| {
            web::security_headers(csp.clone(), req, next)
        }))
        .layer(middleware::from_fn(move |req, next| {
            body_deadline(body_timeout, upload_timeout, req, next)
        }))
        .layer(middleware::from_fn(move |req, next| {
            identify(trusted.clone(), req, next)
        }))
}

/// Who sent the request ([`proxy::Client`]), for everything after: read from the TCP peer and,
/// from a trusted proxy only, its forwarding headers.
async fn identify(trusted: Arc<Vec<Cidr>>, mut req: Request<Body>, next: Next) -> Response {
    if let Some(ConnectInfo(peer)) = req.extensions().get::<ConnectInfo<SocketAddr>>().copied() {
        let client = proxy::client(peer.ip(), req.headers(), &trusted);
        req.extensions_mut().insert(client);
    }
    next.run(req).await
}

/// A request's body must arrive within `body` (a subsidy document's upload: within `upload`);
/// a body that stops coming is refused, and its connection freed, when that runs out.
async fn body_deadline(body: Duration, upload: Duration, req: Request<Body>, next: Next) -> Response {
    let path = req.uri().path();
    let is_upload = req.method() == axum::http::Method::PUT
        && path.starts_with("/api/v1/applications/")
        && path.contains("/documents/");
    let limit = if is_upload { upload } else { body };
    let (parts, b) = req.into_parts();
    next.run(Request::from_parts(parts, Body::new(TimeoutBody::new(limit, b))))
        .await
}

static REQUEST_IDS: AtomicU64 = AtomicU64::new(1);

/// Every API request: a request id (kept from the caller's `X-Request-Id` when given), the
/// per-address rate limit, a log line, latency and error metrics.
async fn observe(
    axum::extract::State(state): axum::extract::State<AppState>,
    req: Request<Body>,
    next: Next,
) -> Response {
    let started = Instant::now();
    let id = req
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .filter(|v| v.len() <= 64 && v.bytes().all(|b| b.is_ascii_graphic()))
        .map(str::to_owned)
        .unwrap_or_else(|| format!("q{:x}", REQUEST_IDS.fetch_add(1, Ordering::Relaxed)));
    let method = req.method().clone();
    let path = req.uri().path().to_owned();
    let peer = req.extensions().get::<proxy::Client>().map(|c| c.ip);
    let mut res = match peer.map(|ip| state.limiter.check_address(ip, state.clock.now())) {
        Some(Err(e)) => e.into_response(),
        _ => crate::error::as_problem(next.run(req).await),
    };
    let seconds = started.elapsed().as_secs_f64();
    state.metrics.request(seconds);
    if let Some(code) = res.extensions().get::<ErrorCode>() {
        state.metrics.error(*code);
    }
    let status = res.status().as_u16();
    tracing::info!(request_id = %id, %method, %path, status, ms = seconds * 1000.0, "request");
    if let Ok(v) = HeaderValue::from_str(&id) {
        res.headers_mut().insert("x-request-id", v);
    }
    res
}

/// How long requests in flight have to finish once shutdown starts.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(30);

/// A bound, ready-to-serve server.
pub struct Server {
    listener: TcpListener,
    router: Router,
    header_timeout: Duration,
    max_clients: usize,
    pub state: AppState,
}

impl Server {
    /// Connects the database, loads the campaigns, and binds the listener (port 0 picks a free one).
    pub async fn build(config: Config, clock: Clock) -> Result<Server, String> {
        let listener = TcpListener::bind(config.addr)
            .await
            .map_err(|e| format!("cannot listen on {}: {e}", config.addr))?;
        let mut config = config;
        if config.demo {
            // The example host page is served from the server's own origin.
            let port = listener.local_addr().map(|a| a.port()).unwrap_or(0);
            for origin in [
                format!("http://127.0.0.1:{port}"),
                format!("http://localhost:{port}"),
            ] {
                if !config.frame_ancestors.contains(&origin) {
                    config.frame_ancestors.push(origin);
                }
            }
        }
        let mut seeds = load_seeds(&config.campaigns_dir)?;
        if config.demo {
            // From today; with demo activity, from yesterday, so that a whole day lies behind.
            let first = clock
                .now()
                .china_date()
                .plus_days(if config.demo_activity { -1 } else { 0 });
            for (c, _) in &mut seeds {
                *c = c.moved_to(first);
            }
        }
        if let Some(dir) = config
            .database_url
            .strip_prefix("sqlite:")
            .map(Path::new)
            .and_then(Path::parent)
        {
            if !dir.as_os_str().is_empty() {
                std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
            }
        }
        let db = Db::connect(&config.database_url, config.max_connections)
            .await
            .map_err(|e| format!("database {}: {e}", config.database_url))?;
        store::revisions::seed(&db, &seeds, config.demo, clock.now())
            .await
            .map_err(|e| format!("campaigns: {e}"))?;
        let campaigns = Live::default();
        campaigns
            .refresh(&db)
            .await
            .map_err(|e| format!("campaigns: {e}"))?;
        store::pools::ensure(&db, &campaigns.now().0)
            .await
            .map_err(|e| format!("pools: {e}"))?;
        let master = store::master_secret(&db).await.map_err(|e| e.to_string())?;
        let secrets = Arc::new(Secrets::from_master(&master));
        let vault = Arc::new(Vault::new(
            data_key(&config, &master)?,
            &config.previous_data_keys,
        ));
        campaigns.clone().watch(db.clone());
        let claims = Claims::start(
            db.clone(),
            campaigns.clone(),
            secrets.coupon_master.clone(),
            clock.clone(),
            config.claim_queue_busy,
        );
        let host_key = match config.host_public_key {
            Some(k) => Some(
                ed25519_dalek::VerifyingKey::from_bytes(&k)
                    .map_err(|e| format!("QUAN_HOST_PUBLIC_KEY: {e}"))?,
            ),
            None if config.demo => Some(demo::host_key().verifying_key()),
            None => None,
        };
        let state = AppState::new(Instance {
            clock,
            campaigns,
            db,
            secrets,
            claims,
            in_flight: InFlight::default(),
            limiter: Limiter::new(rate(config.rate_per_resident), rate(config.rate_per_address))
                .with_sign_in_failures((config.sign_in_failures > 0).then_some(Rate {
                    burst: config.sign_in_failures as f64,
                    per_second: 1.0 / 30.0,
                })),
            metrics: Metrics::default(),
            demo: config.demo,
            host_key,
            host_origins: Arc::new(config.frame_ancestors.clone()),
            metrics_token: config.metrics_token.as_deref().map(Arc::from),
            uploads: Arc::new(config.uploads_dir.clone()),
            idle: Idle {
                console_ms: config.console_idle.as_millis().min(i64::MAX as u128) as i64,
                till_ms: config.till_idle.as_millis().min(i64::MAX as u128) as i64,
            },
            hasher: Hasher::start(),
            vault,
        });
        if config.demo {
            demo::seed(&state, config.demo_activity)
                .await
                .map_err(|e| format!("demo data: {e}"))?;
        }
        if !config.demo
            && !accounts::has_operator(&state.db)
                .await
                .map_err(|e| e.to_string())?
        {
            tracing::warn!(
                "no operator account yet: create the first with `quan-server admin create-operator NAME` \
                 (it asks for the password)"
            );
        }
        // After the demo's activity, which expires its own days as it goes.
        store::sweep::start(state.db.clone(), state.clock.clone());
        store::draws::start(
            state.db.clone(),
            state.campaigns.clone(),
            state.secrets.coupon_master.clone(),
            state.clock.clone(),
        );
        let router = app(state.clone(), &config);
        Ok(Server {
            listener,
            router,
            header_timeout: config.header_timeout,
            max_clients: config.max_clients,
            state,
        })
    }

    pub fn port(&self) -> u16 {
        self.listener.local_addr().map(|a| a.port()).unwrap_or(0)
    }

    /// The address actually bound.
    pub fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    /// Serves until `shutdown` completes, then finishes the requests in flight. Each connection
    /// has [`Config::header_timeout`] to send each request's headers (so a client that opens a
    /// connection and says nothing, or keeps one alive and idle, is closed), and no more than
    /// [`Config::max_clients`] are open at once: one over it is closed as it is accepted.
    pub async fn serve(
        self,
        shutdown: impl std::future::Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        let open = Arc::new(Semaphore::new(self.max_clients));
        let graceful = GracefulShutdown::new();
        let mut http = hyper::server::conn::http1::Builder::new();
        http.timer(TokioTimer::new())
            .header_read_timeout(self.header_timeout)
            .keep_alive(true);
        tokio::pin!(shutdown);
        loop {
            let (stream, peer) = tokio::select! {
                accepted = self.listener.accept() => match accepted {
                    Ok(c) => c,
                    // Out of file descriptors, or a connection reset before it was accepted:
                    // the next accept may succeed.
                    Err(e) => {
                        tracing::warn!(error = %e, "accept failed");
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        continue;
                    }
                },
                () = &mut shutdown => break,
            };
            let Ok(permit) = open.clone().try_acquire_owned() else {
                tracing::warn!(%peer, "too many connections open: closed");
                drop(stream);
                continue;
            };
            let router = self.router.clone();
            let service = hyper::service::service_fn(move |mut req: Request<hyper::body::Incoming>| {
                req.extensions_mut().insert(ConnectInfo(peer));
                let mut router = router.clone();
                async move { router.call(req).await }
            });
            let connection = graceful.watch(http.serve_connection(TokioIo::new(stream), service));
            tokio::spawn(async move {
                // A client that goes away mid-request is no fault of ours.
                let _ = connection.await;
                drop(permit);
            });
        }
        drop(self.listener);
        // Requests in flight finish; idle kept-alive connections close at once. A client still
        // sending after this long is cut off.
        if tokio::time::timeout(SHUTDOWN_GRACE, graceful.shutdown())
            .await
            .is_err()
        {
            tracing::warn!("connections still open after {SHUTDOWN_GRACE:?}: closed");
        }
        Ok(())
    }
}
