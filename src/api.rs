//! The one door to the JSON API: a request funnel and one typed function per endpoint.

use quan_core::api::{CampaignView, ServerTime};
use quan_core::{ErrorCode, Problem};
use serde::de::DeserializeOwned;

/// Why a call to the API failed. `Clone + PartialEq`, so it can sit in state and props.
#[derive(Debug, Clone, PartialEq)]
pub enum ApiError {
    /// No answer: offline, DNS, connection refused, CORS.
    Network(String),
    /// The server refused with a problem document.
    Problem(Problem),
    /// An answer that is not what the contract says.
    Unexpected(String),
}

impl ApiError {
    /// The error code, where the server gave one.
    pub fn code(&self) -> Option<ErrorCode> {
        match self {
            ApiError::Problem(p) => Some(p.code),
            _ => None,
        }
    }
}

/// The API's base path, relative to the page's origin.
pub const BASE: &str = "/api/v1";

async fn get<T: DeserializeOwned>(path: &str) -> Result<T, ApiError> {
    let res = gloo::net::http::Request::get(&format!("{BASE}{path}"))
        .header("Accept", "application/json")
        .send()
        .await
        .map_err(|e| ApiError::Network(e.to_string()))?;
    read(res).await
}

async fn read<T: DeserializeOwned>(res: gloo::net::http::Response) -> Result<T, ApiError> {
    if res.ok() {
        return res
            .json::<T>()
            .await
            .map_err(|e| ApiError::Unexpected(e.to_string()));
    }
    let status = res.status();
    match res.json::<Problem>().await {
        Ok(p) => Err(ApiError::Problem(p)),
        Err(_) => Err(ApiError::Unexpected(format!("HTTP {status}"))),
    }
}

/// `GET /time`.
pub async fn server_time() -> Result<ServerTime, ApiError> {
    get("/time").await
}

/// `GET /campaigns`.
pub async fn campaigns() -> Result<Vec<CampaignView>, ApiError> {
    get("/campaigns").await
}
