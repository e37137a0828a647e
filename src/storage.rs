//! What the widget keeps on the device, in `localStorage` (a bank's webview has it even where it
//! has no service worker): preferences, the session, the wallet and clock offset for offline use.

use serde::de::DeserializeOwned;
use serde::Serialize;

pub const LANG: &str = "quan.lang";
pub const ELDER: &str = "quan.elder";
pub const SESSION: &str = "quan.session";
pub const WALLET: &str = "quan.wallet";
pub const CLOCK: &str = "quan.clock";

fn store() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

pub fn get<T: DeserializeOwned>(key: &str) -> Option<T> {
    let text = store()?.get_item(key).ok()??;
    serde_json::from_str(&text).ok()
}

pub fn set<T: Serialize>(key: &str, value: &T) {
    if let (Some(s), Ok(text)) = (store(), serde_json::to_string(value)) {
        // A full or refused storage only costs the offline copy; the app goes on.
        let _ = s.set_item(key, &text);
    }
}

pub fn remove(key: &str) {
    if let Some(s) = store() {
        let _ = s.remove_item(key);
    }
}
