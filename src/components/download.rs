//! Saving what the page fetched (with the session) as a file: a CSV, or a campaign file.

use wasm_bindgen::JsCast;

/// Saves CSV `text` as a file named `name`, from the page (no second request with the session).
pub fn save_csv(name: &str, text: &str) {
    // The byte-order mark the server sent (fetch's decoding drops it), so spreadsheet programs
    // read the Chinese names as UTF-8.
    save_file(
        name,
        "text/csv;charset=utf-8",
        &format!("\u{feff}{}", text.trim_start_matches('\u{feff}')),
    );
}

/// Saves `text` as a download named `name`, of type `mime`.
pub fn save_file(name: &str, mime: &str, text: &str) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let parts = js_sys::Array::of1(&text.into());
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return;
    };
    if let Some(a) = document
        .create_element("a")
        .ok()
        .and_then(|e| e.dyn_into::<web_sys::HtmlAnchorElement>().ok())
    {
        a.set_href(&url);
        a.set_download(name);
        a.click();
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}
