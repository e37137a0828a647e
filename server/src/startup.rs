//! Building the application: database connected and migrated, campaigns loaded, pools made,
//! routes assembled, listener bound.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Instant;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{HeaderValue, Request};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::Router;
use quan_core::campaign::Campaign;
use quan_core::ErrorCode;
use tokio::net::TcpListener;

use crate::auth::Secrets;
use crate::campaigns::Campaigns;
use crate::clock::Clock;
use crate::config::Config;
use crate::db::Db;
use crate::error::AppError;
use crate::limits::{Limiter, Rate};
use crate::metrics::Metrics;
use crate::store::claims::Claims;
use crate::store::idempotency::InFlight;
use crate::{demo, routes, store, web};

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub clock: Clock,
    pub campaigns: Arc<Campaigns>,
    pub db: Db,
    pub secrets: Arc<Secrets>,
    pub claims: Claims,
    pub in_flight: InFlight,
    pub limiter: Limiter,
    pub metrics: Metrics,
    pub demo: bool,
    pub host_key: Option<ed25519_dalek::VerifyingKey>,
    /// Host origins that may frame the widget and talk to it.
    pub host_origins: Arc<Vec<String>>,
    /// Where uploaded documents are kept.
    pub uploads: Arc<PathBuf>,
}

/// Reads every `*.toml` campaign file in `dir`, in name order.
pub fn load_campaigns(dir: &Path) -> Result<Vec<Campaign>, String> {
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
            Campaign::from_toml(&text).map_err(|e| format!("{}: {e}", p.display()))
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
                ErrorCode::InvalidRequest,
                "this endpoint does not take that method",
            )
        })
        .layer(middleware::from_fn_with_state(state.clone(), observe))
        .with_state(state);
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
        router = router.merge(web::widget(dist));
    }
    router.layer(middleware::from_fn(move |req, next| {
        web::security_headers(csp.clone(), req, next)
    }))
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
    let peer = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip());
    let mut res = match peer.map(|ip| state.limiter.check_address(ip, state.clock.now())) {
        Some(Err(e)) => e.into_response(),
        _ => next.run(req).await,
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

/// A bound, ready-to-serve server.
pub struct Application {
    listener: TcpListener,
    router: Router,
    pub state: AppState,
}

impl Application {
    /// Connects the database, loads the campaigns, and binds the listener (port 0 picks a free one).
    pub async fn build(config: Config, clock: Clock) -> Result<Application, String> {
        let mut campaigns = load_campaigns(&config.campaigns_dir)?;
        if config.demo {
            // From today; with demo activity, from yesterday, so that a whole day lies behind.
            let first = clock
                .now()
                .china_date()
                .plus_days(if config.demo_activity { -1 } else { 0 });
            campaigns = campaigns.iter().map(|c| c.moved_to(first)).collect();
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
        store::ensure_pools(&db, &campaigns)
            .await
            .map_err(|e| format!("pools: {e}"))?;
        let secrets = Arc::new(Secrets::from_master(
            &store::master_secret(&db).await.map_err(|e| e.to_string())?,
        ));
        let campaigns = Arc::new(Campaigns(campaigns));
        let claims = Claims::start(
            db.clone(),
            campaigns.clone(),
            secrets.coupon_master.clone(),
            clock.clone(),
        );
        let host_key = match config.host_public_key {
            Some(k) => Some(
                ed25519_dalek::VerifyingKey::from_bytes(&k)
                    .map_err(|e| format!("QUAN_HOST_PUBLIC_KEY: {e}"))?,
            ),
            None if config.demo => Some(demo::host_key().verifying_key()),
            None => None,
        };
        let state = AppState {
            clock,
            campaigns,
            db,
            secrets,
            claims,
            in_flight: InFlight::default(),
            limiter: Limiter::new(rate(config.rate_per_resident), rate(config.rate_per_address)),
            metrics: Metrics::default(),
            demo: config.demo,
            host_key,
            host_origins: Arc::new(config.frame_ancestors.clone()),
            uploads: Arc::new(config.uploads_dir.clone()),
        };
        if config.demo {
            demo::seed(&state, config.demo_activity)
                .await
                .map_err(|e| format!("demo data: {e}"))?;
        }
        // After the demo's activity, which expires its own days as it goes.
        store::sweep::start(state.db.clone(), state.clock.clone());
        let listener = TcpListener::bind(config.addr)
            .await
            .map_err(|e| format!("cannot listen on {}: {e}", config.addr))?;
        let mut config = config;
        let mut state = state;
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
            state.host_origins = Arc::new(config.frame_ancestors.clone());
        }
        let router = app(state.clone(), &config);
        Ok(Application {
            listener,
            router,
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

    /// Serves until `shutdown` completes, then finishes the requests in flight.
    pub async fn serve(
        self,
        shutdown: impl std::future::Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        axum::serve(
            self.listener,
            self.router.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(shutdown)
        .await
    }
}
