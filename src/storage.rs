//! What the widget keeps on the device, in `localStorage` (a bank's webview has it even where it
//! has no service worker): preferences, the session, the wallet and clock offset for offline use.

use serde::de::DeserializeOwned;

pub const LANG: &str = "quan.lang";
pub const ELDER: &str = "quan.elder";
pub const SESSION: &str = "quan.session";
pub const MERCHANT_SESSION: &str = "quan.merchant.session";
pub const CONSOLE_SESSION: &str = "quan.console.session";
pub const WALLET: &str = "quan.wallet";
pub const CLOCK: &str = "quan.clock";

fn store() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

/// The stored text under `key`.
pub fn get_raw(key: &str) -> Option<String> {
    store()?.get_item(key).ok()?
}

/// The stored JSON under `key`, read as `T`.
pub fn get<T: DeserializeOwned>(key: &str) -> Option<T> {
    crate::json::from_str(&get_raw(key)?).ok()
}

/// Stores `text` under `key`. JSON from the server is stored as it came, so the widget carries
/// no code to write it back out.
pub fn set_raw(key: &str, text: &str) {
    if let Some(s) = store() {
        // A full or refused storage only costs the offline copy; the app goes on.
        let _ = s.set_item(key, text);
    }
}

pub fn remove(key: &str) {
    if let Some(s) = store() {
        let _ = s.remove_item(key);
    }
}
