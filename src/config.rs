//! How the widget is configured by its host: the URL query (`?lang=en&mode=merchant&elder=1`),
//! or `window.QUAN_CONFIG`, an object a host page sets before loading the widget.

use std::collections::HashMap;

/// The page URL's query, decoded.
pub fn query() -> HashMap<String, String> {
    let search = web_sys::window()
        .and_then(|w| w.location().search().ok())
        .unwrap_or_default();
    let mut out = HashMap::new();
    for pair in search
        .trim_start_matches('?')
        .split('&')
        .filter(|p| !p.is_empty())
    {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        let decode = |s: &str| {
            js_sys::decode_uri_component(&s.replace('+', " "))
                .ok()
                .and_then(|v| v.as_string())
                .unwrap_or_default()
        };
        out.insert(decode(k), decode(v));
    }
    if let Some(obj) = web_sys::window().and_then(|w| js_sys::Reflect::get(&w, &"QUAN_CONFIG".into()).ok()) {
        if obj.is_object() {
            for key in ["lang", "mode", "elder", "theme"] {
                if let Some(v) = js_sys::Reflect::get(&obj, &key.into())
                    .ok()
                    .and_then(|v| v.as_string())
                {
                    out.entry(key.to_owned()).or_insert(v);
                }
            }
        }
    }
    out
}
