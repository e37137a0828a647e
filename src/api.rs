//! The one door to the JSON API: a request funnel and one typed function per endpoint.

use gloo::net::http::{Request, RequestBuilder, Response};
use quan_core::api::{
    AccountSignIn, CampaignView, ClaimRequest, CouponStatusView, CouponView, DemoSignIn, HostSignIn,
    KindUsage, LookupRequest, LookupResult, MerchantDay, RedeemRequest, RedemptionView, ServerTime, Session,
    Wallet, WidgetConfig,
};
use quan_core::{CouponId, ErrorCode, Fen, Problem, RedemptionId};
use serde::de::DeserializeOwned;
use serde::Serialize;

/// Why a call to the API failed. `Clone + PartialEq`, so it can sit in state and props.
#[derive(Debug, Clone, PartialEq)]
pub enum ApiError {
    /// No answer: offline, DNS, connection refused.
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

/// A failed call, with the server's `Retry-After` (seconds) when it gave one.
#[derive(Debug, Clone, PartialEq)]
pub struct Failure {
    pub error: ApiError,
    pub retry_after: Option<u32>,
}

/// The API's base path, relative to the page's origin.
pub const BASE: &str = "/api/v1";

fn with_auth(r: RequestBuilder, token: Option<&str>) -> RequestBuilder {
    let r = r.header("Accept", "application/json");
    match token {
        Some(t) => r.header("Authorization", &format!("Bearer {t}")),
        None => r,
    }
}

async fn read<T: DeserializeOwned>(res: Result<Response, gloo::net::Error>) -> Result<T, Failure> {
    let res = res.map_err(|e| Failure {
        error: ApiError::Network(e.to_string()),
        retry_after: None,
    })?;
    if res.ok() {
        return res.json::<T>().await.map_err(|e| Failure {
            error: ApiError::Unexpected(e.to_string()),
            retry_after: None,
        });
    }
    let retry_after = res
        .headers()
        .get("retry-after")
        .and_then(|v| v.trim().parse().ok());
    let status = res.status();
    let error = match res.json::<Problem>().await {
        Ok(p) => ApiError::Problem(p),
        Err(_) => ApiError::Unexpected(format!("HTTP {status}")),
    };
    Err(Failure { error, retry_after })
}

async fn get<T: DeserializeOwned>(path: &str, token: Option<&str>) -> Result<T, ApiError> {
    let r = with_auth(Request::get(&format!("{BASE}{path}")), token)
        .send()
        .await;
    read(r).await.map_err(|f| f.error)
}

/// POST with a JSON body and, for state-changing calls, an Idempotency-Key.
pub async fn post<B: Serialize, T: DeserializeOwned>(
    path: &str,
    token: Option<&str>,
    body: &B,
    idempotency_key: Option<&str>,
) -> Result<T, Failure> {
    let mut r = with_auth(Request::post(&format!("{BASE}{path}")), token);
    if let Some(k) = idempotency_key {
        r = r.header("Idempotency-Key", k);
    }
    let r = r.json(body).map_err(|e| Failure {
        error: ApiError::Unexpected(e.to_string()),
        retry_after: None,
    })?;
    read(r.send().await).await
}

/// A fresh Idempotency-Key: 128 random bits in hex.
pub fn new_key() -> String {
    let mut bytes = [0u8; 16];
    let filled = web_sys::window()
        .and_then(|w| w.crypto().ok())
        .map(|c| c.get_random_values_with_u8_array(&mut bytes).is_ok())
        .unwrap_or(false);
    if !filled {
        for b in &mut bytes {
            *b = (js_sys::Math::random() * 256.0) as u8;
        }
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// `GET /time`.
pub async fn server_time() -> Result<ServerTime, ApiError> {
    get("/time", None).await
}

/// `GET /config`.
pub async fn config() -> Result<WidgetConfig, ApiError> {
    get("/config", None).await
}

/// `GET /campaigns`.
pub async fn campaigns() -> Result<Vec<CampaignView>, ApiError> {
    get("/campaigns", None).await
}

/// `GET /me/usage`.
pub async fn usage(token: &str) -> Result<Vec<KindUsage>, ApiError> {
    get("/me/usage", Some(token)).await
}

/// `GET /wallet`.
pub async fn wallet(token: &str) -> Result<Wallet, ApiError> {
    get("/wallet", Some(token)).await
}

/// `GET /coupons/{id}/status`.
pub async fn coupon_status(token: &str, id: CouponId) -> Result<CouponStatusView, ApiError> {
    get(&format!("/coupons/{id}/status"), Some(token)).await
}

/// `POST /claims`, once. See [`crate::hooks::claim`] for the retrying claim the page uses.
pub async fn claim_once(token: &str, request: &ClaimRequest, key: &str) -> Result<CouponView, Failure> {
    post("/claims", Some(token), request, Some(key)).await
}

/// `POST /session/demo`.
pub async fn demo_sign_in(phone: &str) -> Result<Session, ApiError> {
    post(
        "/session/demo",
        None,
        &DemoSignIn {
            phone: phone.to_owned(),
        },
        None,
    )
    .await
    .map_err(|f| f.error)
}

/// `POST /session/host`.
pub async fn host_sign_in(token: &str) -> Result<Session, ApiError> {
    post(
        "/session/host",
        None,
        &HostSignIn {
            token: token.to_owned(),
        },
        None,
    )
    .await
    .map_err(|f| f.error)
}

/// `POST /session/account`.
pub async fn account_sign_in(username: &str, password: &str) -> Result<Session, ApiError> {
    let body = AccountSignIn {
        username: username.to_owned(),
        password: password.to_owned(),
    };
    post("/session/account", None, &body, None)
        .await
        .map_err(|f| f.error)
}

/// `POST /merchant/lookup`.
pub async fn lookup(token: &str, code: &str) -> Result<LookupResult, ApiError> {
    post(
        "/merchant/lookup",
        Some(token),
        &LookupRequest {
            code: code.to_owned(),
        },
        None,
    )
    .await
    .map_err(|f| f.error)
}

/// `POST /merchant/redemptions`.
pub async fn redeem(
    token: &str,
    code: &str,
    order_amount: Fen,
    key: &str,
) -> Result<RedemptionView, Failure> {
    post(
        "/merchant/redemptions",
        Some(token),
        &RedeemRequest {
            code: code.to_owned(),
            order_amount,
        },
        Some(key),
    )
    .await
}

/// `POST /merchant/redemptions/{id}/reverse`.
pub async fn reverse(token: &str, id: RedemptionId, key: &str) -> Result<RedemptionView, Failure> {
    post(
        &format!("/merchant/redemptions/{id}/reverse"),
        Some(token),
        &serde_json::json!({}),
        Some(key),
    )
    .await
}

/// `GET /merchant/today`.
pub async fn merchant_today(token: &str) -> Result<MerchantDay, ApiError> {
    get("/merchant/today", Some(token)).await
}
