//! Serving the widget's release build from the API's own origin, and the security headers that
//! every response carries.

use std::path::Path;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::State;
use axum::handler::Handler;
use axum::http::{header, HeaderName, HeaderValue, Request, Response, StatusCode, Uri};
use axum::middleware::Next;
use axum::response::IntoResponse;
use axum::Extension;
use axum::Router;
use base64::Engine;
use quan_core::api::Preload;
use quan_core::Timestamp;
use sha2::{Digest, Sha256};
use tower::ServiceBuilder;
use tower_http::compression::CompressionLayer;
use tower_http::services::{ServeDir, ServeFile};
use tower_http::CompressionLevel;

use crate::proxy::Client;
use crate::routes;
use crate::state::AppState;

/// The Content-Security-Policy for the widget's pages: scripts only from this origin plus the
/// exact inline loader Trunk writes (by hash), WebAssembly compilation allowed, nothing inline
/// otherwise, framing only by the configured host origins.
pub fn content_security_policy(index_html: &str, frame_ancestors: &[String]) -> String {
    let mut scripts = String::from("'self' 'wasm-unsafe-eval'");
    for body in inline_scripts(index_html) {
        let digest = Sha256::digest(body.as_bytes());
        scripts.push_str(&format!(
            " 'sha256-{}'",
            base64::engine::general_purpose::STANDARD.encode(digest)
        ));
    }
    let mut ancestors = String::from("'self'");
    for origin in frame_ancestors {
        ancestors.push(' ');
        ancestors.push_str(origin);
    }
    format!(
        "default-src 'self'; script-src {scripts}; style-src 'self'; img-src 'self' data: blob:; \
         connect-src 'self'; media-src 'self' blob:; worker-src 'self' blob:; object-src 'none'; \
         base-uri 'none'; form-action 'self'; frame-ancestors {ancestors}"
    )
}

/// The bodies of `<script>` elements that have no `src`.
fn inline_scripts(html: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<script") {
        let after = &rest[start..];
        let Some(open_end) = after.find('>') else { break };
        let open_tag = &after[..open_end];
        let body_start = open_end + 1;
        let Some(close) = after[body_start..].find("</script>") else {
            break;
        };
        if !open_tag.contains(" src=") {
            out.push(&after[body_start..body_start + close]);
        }
        rest = &after[body_start + close..];
    }
    out
}

/// The widget's files at `/`, every unknown path answered with the resident's page (the widget
/// routes on the client); the merchant's till, the operator's console and the subsidy
/// application, builds of their own, likewise under `/merchant/`, `/operator/` and `/apply/`,
/// answered with their `index.html`. Precompressed brotli and gzip files are served when the
/// browser takes them.
pub fn widget(dist: &Path, state: AppState) -> Router {
    let files = |dir: &Path| ServeDir::new(dir).precompressed_br().precompressed_gzip();
    let entry = |dir: &Path| {
        files(dir).fallback(
            ServeFile::new(dir.join("index.html"))
                .precompressed_br()
                .precompressed_gzip(),
        )
    };
    let entries = ENTRIES.iter().fold(Router::new(), |r, e| {
        r.nest_service(&format!("/{e}"), entry(&dist.join(e)))
    });
    match std::fs::read_to_string(dist.join("index.html")) {
        Ok(template) => {
            // Brotli at quality 5: a tenth of a millisecond for the page; 11 would take fifty
            // times as long at the 10:00 rush for a tenth fewer bytes.
            let page = ServiceBuilder::new()
                .layer(CompressionLayer::new().quality(CompressionLevel::Precise(5)))
                .service(resident_page.with_state(ResidentPage {
                    template: template.into(),
                    state,
                }));
            entries
                .route_service("/", page.clone())
                .fallback_service(files(dist).fallback(page))
        }
        Err(e) => {
            tracing::warn!("the resident's page is served as it is: {e}");
            entries.fallback_service(entry(dist))
        }
    }
}

/// The resident's `index.html`, and the state its preload is read from.
#[derive(Clone)]
struct ResidentPage {
    template: Arc<str>,
    state: AppState,
}

/// The resident's page as served: `index.html` with a [`Preload`] of the server's clock, its
/// configuration and the campaigns at the end of its body, so the claim page draws as soon as
/// the widget starts. If the campaigns cannot be read the page goes without it, and the widget
/// asks the API as it would anyway; so too when the client's address is over its rate limit. A
/// missing file is a 404, not the page.
async fn resident_page(
    State(page): State<ResidentPage>,
    client: Option<Extension<Client>>,
    uri: Uri,
) -> Response<Body> {
    // A file the build does not have (`/favicon.ico`) is not a page of the widget's.
    if uri
        .path()
        .rsplit('/')
        .next()
        .is_some_and(|name| name.contains('.'))
    {
        return (StatusCode::NOT_FOUND, "no such file").into_response();
    }
    let state = &page.state;
    let now = state.clock.now();
    // The preload reads what `GET /campaigns` reads, so it counts against the client's address
    // as that call would; over the limit, the page goes without it.
    let allowed = client.is_none_or(|Extension(c)| state.limiter.check_address(c.ip, now).is_ok());
    let preload = if allowed {
        preload(state, now).await
    } else {
        Err("the address is over its rate limit".to_owned())
    };
    let html = match preload {
        Ok(json) => with_preload(&page.template, &Preload::script(&json)),
        Err(e) => {
            tracing::info!("the resident's page is served without its preload: {e}");
            page.template.to_string()
        }
    };
    ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], html).into_response()
}

/// The [`Preload`] at `now`, as JSON.
async fn preload(state: &AppState, now: Timestamp) -> Result<String, String> {
    let campaigns = routes::campaigns::views(state, now)
        .await
        .map_err(|e| format!("{e:?}"))?;
    serde_json::to_string(&Preload {
        now,
        config: routes::time::widget_config(state),
        campaigns,
    })
    .map_err(|e| e.to_string())
}

/// `page` with `script` just before its `</body>` (as it is, if it has none).
fn with_preload(page: &str, script: &str) -> String {
    match page.rfind("</body>") {
        Some(at) => format!("{}{script}\n{}", &page[..at], &page[at..]),
        None => page.to_owned(),
    }
}

/// The builds served beside the resident's app, each under its own path and folder: the till,
/// the operator's console, the subsidy application.
pub const ENTRIES: [&str; 3] = ["merchant", "operator", "apply"];

/// Every entry's `index.html` in `dist` (the resident's first), as one text: what the CSP's
/// script hashes are taken from.
pub fn entry_pages(dist: &Path) -> String {
    std::iter::once(dist.join("index.html"))
        .chain(ENTRIES.iter().map(|e| dist.join(e).join("index.html")))
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .collect::<Vec<_>>()
        .join("\n")
}

/// Headers on every response. API answers are never stored; the widget's hashed files are
/// immutable, its `index.html` is revalidated.
pub async fn security_headers(csp: HeaderValue, req: Request<Body>, next: Next) -> Response<Body> {
    let is_api = req.uri().path().starts_with("/api/");
    let path = req.uri().path().to_owned();
    let https = req
        .extensions()
        .get::<crate::proxy::Client>()
        .is_some_and(|c| c.https);
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    // Only the till uses the camera; no page uses the microphone or the location.
    let is_till = path == "/merchant" || path.starts_with("/merchant/");
    h.insert(
        HeaderName::from_static("permissions-policy"),
        HeaderValue::from_static(if is_till {
            "camera=(self), microphone=(), geolocation=(), payment=(), usb=()"
        } else {
            "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
        }),
    );
    // Over HTTPS (as the trusted proxy says), the browser keeps to HTTPS for a year.
    if https {
        h.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000"),
        );
    }
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    h.insert(
        HeaderName::from_static("cross-origin-opener-policy"),
        HeaderValue::from_static("same-origin"),
    );
    if is_api {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        h.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("default-src 'none'; frame-ancestors 'none'"),
        );
    } else {
        h.insert(header::CONTENT_SECURITY_POLICY, csp);
        let hashed = path.rsplit('/').next().is_some_and(has_content_hash);
        let cache = if hashed {
            "public, max-age=31536000, immutable"
        } else {
            "no-cache"
        };
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    }
    res
}

/// Whether a file name carries Trunk's content hash (`app-4776253017693747.css`): such a file
/// never changes under its name, and is cached for good.
fn has_content_hash(name: &str) -> bool {
    name.split(['-', '_', '.'])
        .any(|part| part.len() == 16 && part.bytes().all(|b| b.is_ascii_hexdigit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_entrys_loader_is_allowed_by_its_hash() {
        let dir = std::env::temp_dir().join(format!("quan-csp-{}", std::process::id()));
        let page = |body: &str| format!("<html><script type=\"module\">{body}</script></html>");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("index.html"), page("resident()")).unwrap();
        for e in ENTRIES {
            std::fs::create_dir_all(dir.join(e)).unwrap();
            std::fs::write(dir.join(e).join("index.html"), page(e)).unwrap();
        }
        let csp = content_security_policy(&entry_pages(&dir), &[]);
        let _ = std::fs::remove_dir_all(&dir);
        assert_eq!(csp.matches("'sha256-").count(), 1 + ENTRIES.len(), "{csp}");
    }

    #[test]
    fn only_hashed_names_are_immutable() {
        assert!(has_content_hash("quan-widget-7c81731dba410538_bg.wasm"));
        assert!(has_content_hash("app-4776253017693747.css"));
        assert!(!has_content_hash("quan-merchant_bg.wasm"));
        assert!(!has_content_hash("quan-scanner_loader.js"));
        assert!(!has_content_hash("index.html"));
    }

    #[test]
    fn hashes_only_inline_scripts() {
        let html = r#"<head><script src="/a.js"></script><script type="module">init()</script></head>"#;
        assert_eq!(inline_scripts(html), ["init()"]);
        let csp = content_security_policy(html, &["https://bank.example".into()]);
        // sha256("init()") in base64
        let expected = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(b"init()"));
        assert!(csp.contains(&format!("'sha256-{expected}'")), "{csp}");
        assert!(!csp.contains("unsafe-inline"));
        assert!(csp.contains("frame-ancestors 'self' https://bank.example"));
    }
}
