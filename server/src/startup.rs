//! Building the application: campaigns loaded, routes assembled, listener bound.

use std::path::Path;
use std::sync::Arc;

use axum::http::HeaderValue;
use axum::{middleware, Router};
use quan_core::campaign::Campaign;
use quan_core::ErrorCode;
use tokio::net::TcpListener;

use crate::clock::Clock;
use crate::config::Config;
use crate::error::AppError;
use crate::{routes, web};

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub clock: Clock,
    pub campaigns: Arc<Vec<Campaign>>,
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

/// The whole application: the API under `/api/v1`, the widget at `/`, headers on everything.
pub fn app(state: AppState, config: &Config) -> Router {
    let api = routes::router()
        .fallback(|| async { AppError::new(ErrorCode::NotFound, "no such API endpoint") })
        .with_state(state);
    let index = config
        .dist_dir
        .as_ref()
        .and_then(|d| std::fs::read_to_string(d.join("index.html")).ok())
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

/// A bound, ready-to-serve server.
pub struct Application {
    listener: TcpListener,
    router: Router,
    pub state: AppState,
}

impl Application {
    /// Loads the campaigns and binds the listener (port 0 picks a free one).
    pub async fn build(config: Config, clock: Clock) -> Result<Application, String> {
        let mut campaigns = load_campaigns(&config.campaigns_dir)?;
        if config.demo {
            let today = clock.now().china_date();
            campaigns = campaigns.iter().map(|c| c.moved_to(today)).collect();
        }
        let state = AppState {
            clock,
            campaigns: Arc::new(campaigns),
        };
        let router = app(state.clone(), &config);
        let listener = TcpListener::bind(config.addr)
            .await
            .map_err(|e| format!("cannot listen on {}: {e}", config.addr))?;
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
    pub fn local_addr(&self) -> std::io::Result<std::net::SocketAddr> {
        self.listener.local_addr()
    }

    /// Serves until `shutdown` completes, then finishes the requests in flight.
    pub async fn serve(
        self,
        shutdown: impl std::future::Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        axum::serve(self.listener, self.router)
            .with_graceful_shutdown(shutdown)
            .await
    }
}
