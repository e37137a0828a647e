//! The host app (a bank's app, around the widget in a webview or an iframe): it hands over the
//! resident's token, and hears what happens.
//!
//! - The token arrives in the URL fragment (`#token=…`), which is removed from the address and
//!   history at once, or by `postMessage` from an allowed origin after the widget says it is
//!   ready. It never travels in the query string.
//! - Events go to the allowed origins only: `{type: "quan:event", name, …}`.

use gloo::events::EventListener;
use wasm_bindgen::JsValue;

/// The token in the URL fragment, if any, removed from the address bar and history.
pub fn take_fragment_token() -> Option<String> {
    let window = web_sys::window()?;
    let hash = window.location().hash().ok()?;
    let token = hash
        .trim_start_matches('#')
        .split('&')
        .find_map(|p| p.strip_prefix("token="))
        .map(|t| {
            js_sys::decode_uri_component(t)
                .ok()
                .and_then(|v| v.as_string())
                .unwrap_or_default()
        })
        .filter(|t| !t.is_empty())?;
    let loc = window.location();
    let clean = format!(
        "{}{}",
        loc.pathname().unwrap_or_default(),
        loc.search().unwrap_or_default()
    );
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&clean));
    }
    Some(token)
}

/// Whether the widget runs inside another page.
pub fn framed() -> bool {
    let Some(w) = web_sys::window() else { return false };
    match w.parent() {
        Ok(Some(parent)) => !js_sys::Object::is(&parent, &w),
        _ => false,
    }
}

fn post(message: &JsValue, origins: &[String]) {
    let Some(parent) = web_sys::window().and_then(|w| w.parent().ok().flatten()) else {
        return;
    };
    for origin in origins {
        // A message to an origin the parent is not is dropped by the browser: only the real
        // host, if allowed, hears it.
        let _ = parent.post_message(message, origin);
    }
}

/// Tells the host the widget is ready for a token, and calls `on_token` with the token an
/// allowed origin sends back. The listener lives as long as the returned value.
pub fn handshake(origins: Vec<String>, on_token: impl Fn(String) + 'static) -> Option<EventListener> {
    if !framed() || origins.is_empty() {
        return None;
    }
    let window = web_sys::window()?;
    let allowed = origins.clone();
    let listener = EventListener::new(&window, "message", move |e| {
        let Some(e) = wasm_bindgen::JsCast::dyn_ref::<web_sys::MessageEvent>(e) else {
            return;
        };
        if !allowed.iter().any(|o| *o == e.origin()) {
            return;
        }
        let data = e.data();
        let field = |k: &str| {
            js_sys::Reflect::get(&data, &k.into())
                .ok()
                .and_then(|v| v.as_string())
        };
        if field("type").as_deref() == Some("quan:token") {
            if let Some(t) = field("token") {
                on_token(t);
            }
        }
    });
    let ready = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&ready, &"type".into(), &"quan:ready".into());
    post(&ready, &origins);
    Some(listener)
}

/// Tells the host something happened: `claimed`, `redeemed`, `needs_sign_in`.
pub fn emit(origins: &[String], name: &str, detail: &[(&str, JsValue)]) {
    if !framed() {
        return;
    }
    let msg = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&msg, &"type".into(), &"quan:event".into());
    let _ = js_sys::Reflect::set(&msg, &"name".into(), &name.into());
    for (k, v) in detail {
        let _ = js_sys::Reflect::set(&msg, &(*k).into(), v);
    }
    post(&msg, origins);
}
