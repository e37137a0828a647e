//! JSON through the browser's own `JSON.parse` and `JSON.stringify`, so the download carries no
//! JSON parser of its own.

use serde::de::DeserializeOwned;
use serde::Serialize;

/// Reads JSON text as `T`.
pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, String> {
    let value = js_sys::JSON::parse(text).map_err(|_| "not JSON".to_owned())?;
    serde_wasm_bindgen::from_value(value).map_err(|e| e.to_string())
}

/// Writes `value` as JSON text.
pub fn to_string<T: Serialize>(value: &T) -> Result<String, String> {
    let js = value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| e.to_string())?;
    js_sys::JSON::stringify(&js)
        .map(String::from)
        .map_err(|_| "cannot write JSON".to_owned())
}
