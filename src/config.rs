//! How the widget is configured by its host: the URL query (`?lang=en&mode=merchant&elder=1`),
//! or `window.QUAN_CONFIG`, an object a host page sets before loading the widget.

/// The page URL's query, decoded: `(name, value)` pairs, the URL's before the host object's.
pub fn query() -> Query {
    let search = web_sys::window()
        .and_then(|w| w.location().search().ok())
        .unwrap_or_default();
    let mut out = Query(Vec::new());
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
        out.0.push((decode(k), decode(v)));
    }
    if let Some(obj) = web_sys::window().and_then(|w| js_sys::Reflect::get(&w, &"QUAN_CONFIG".into()).ok()) {
        if obj.is_object() {
            for key in ["lang", "mode", "elder", "theme"] {
                if let Some(v) = js_sys::Reflect::get(&obj, &key.into())
                    .ok()
                    .and_then(|v| v.as_string())
                {
                    out.0.push((key.to_owned(), v));
                }
            }
        }
    }
    out
}

/// Configuration values by name.
pub struct Query(Vec<(String, String)>);

impl Query {
    /// The first value given for `name`.
    pub fn get(&self, name: &str) -> Option<&String> {
        self.0.iter().find(|(k, _)| k == name).map(|(_, v)| v)
    }
}
