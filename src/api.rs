//! The one door to the JSON API: a request funnel and one typed function per endpoint.

use quan_core::api::{
    AccountSignIn, CampaignView, ClaimRequest, CouponStatusView, CouponView, DemoSignIn, HostSignIn,
    KindUsage, LookupRequest, LookupResult, MerchantDay, RedeemRequest, RedemptionView, ServerTime, Session,
    SignUpView, Wallet, WidgetConfig,
};
use quan_core::money::OrderAmount;
use quan_core::report::CampaignReport;
use quan_core::{CouponId, ErrorCode, Problem, RedemptionId};
use serde::de::DeserializeOwned;
use serde::Serialize;

/// Why a call to the API failed: the one error type of every call. `Clone + PartialEq`, so it
/// can sit in state and props.
#[derive(Debug, Clone, PartialEq)]
pub enum ApiError {
    /// No answer: offline, DNS, connection refused.
    Network(String),
    /// The server refused with a problem document, and said when to try again (`Retry-After`,
    /// in seconds) if it did.
    Problem {
        problem: Problem,
        retry_after: Option<u32>,
    },
    /// An answer that is not what the contract says.
    Unexpected(String),
}

impl From<Problem> for ApiError {
    fn from(problem: Problem) -> ApiError {
        ApiError::Problem {
            problem,
            retry_after: None,
        }
    }
}

impl From<ErrorCode> for ApiError {
    /// A refusal the widget words itself (a card's PIN locked, a coupon of another shop…).
    fn from(code: ErrorCode) -> ApiError {
        Problem::new(code, None).into()
    }
}

impl ApiError {
    /// The error code, where the server gave one.
    pub fn code(&self) -> Option<ErrorCode> {
        match self {
            ApiError::Problem { problem, .. } => Some(problem.code),
            _ => None,
        }
    }

    /// The server's `Retry-After`, in seconds, where it gave one.
    pub fn retry_after(&self) -> Option<u32> {
        match self {
            ApiError::Problem { retry_after, .. } => *retry_after,
            _ => None,
        }
    }
}

/// The API's base path, relative to the page's origin.
pub const BASE: &str = "/api/v1";

fn network(e: wasm_bindgen::JsValue) -> ApiError {
    ApiError::Network(
        e.as_string()
            .unwrap_or_else(|| "the request did not go through".into()),
    )
}

/// An answer, and its JSON as it came (to keep on the device without writing it out again).
pub struct Raw<T> {
    pub value: T,
    pub json: String,
}

/// The funnel: every call goes through here, with `fetch`, as JSON.
async fn send<T: DeserializeOwned>(
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<String>,
    idempotency_key: Option<&str>,
) -> Result<T, ApiError> {
    send_raw(method, path, token, body, idempotency_key)
        .await
        .map(|r| r.value)
}

async fn send_raw<T: DeserializeOwned>(
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<String>,
    idempotency_key: Option<&str>,
) -> Result<Raw<T>, ApiError> {
    let body = body.map(|b| (wasm_bindgen::JsValue::from_str(&b), "application/json"));
    let text = exchange(method, path, token, body, idempotency_key, "application/json").await?;
    let value = crate::json::from_str(&text).map_err(|e| ApiError::Unexpected(e.to_string()))?;
    Ok(Raw { value, json: text })
}

/// One request with `fetch` (a body is a value `fetch` takes, and its content type): the answer's
/// text when it succeeded, else the problem it reports.
async fn exchange(
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<(wasm_bindgen::JsValue, &str)>,
    idempotency_key: Option<&str>,
    accept: &str,
) -> Result<String, ApiError> {
    use wasm_bindgen::JsCast;
    let window = web_sys::window().ok_or_else(|| ApiError::Network("no window".into()))?;
    let headers = web_sys::Headers::new().map_err(network)?;
    headers.set("Accept", accept).map_err(network)?;
    if let Some(t) = token {
        headers
            .set("Authorization", &format!("Bearer {t}"))
            .map_err(network)?;
    }
    if let Some(k) = idempotency_key {
        headers.set("Idempotency-Key", k).map_err(network)?;
    }
    let init = web_sys::RequestInit::new();
    init.set_method(method);
    if let Some((b, content_type)) = &body {
        headers.set("Content-Type", content_type).map_err(network)?;
        init.set_body(b);
    }
    init.set_headers(&headers);
    let request =
        web_sys::Request::new_with_str_and_init(&format!("{BASE}{path}"), &init).map_err(network)?;
    let response = wasm_bindgen_futures::JsFuture::from(window.fetch_with_request(&request))
        .await
        .map_err(network)?;
    let response: web_sys::Response = response.dyn_into().map_err(network)?;
    let text = match response.text() {
        Ok(p) => wasm_bindgen_futures::JsFuture::from(p)
            .await
            .map_err(network)?
            .as_string()
            .unwrap_or_default(),
        Err(e) => return Err(network(e)),
    };
    if response.ok() {
        return Ok(text);
    }
    let retry_after = response
        .headers()
        .get("retry-after")
        .ok()
        .flatten()
        .and_then(|v| v.trim().parse().ok());
    Err(match crate::json::from_str::<Problem>(&text) {
        Ok(problem) => ApiError::Problem { problem, retry_after },
        Err(_) => ApiError::Unexpected(format!("HTTP {}", response.status())),
    })
}

/// A text document (CSV) from the API, with the caller's session.
pub async fn text(path: &str, token: &str) -> Result<String, ApiError> {
    exchange("GET", path, Some(token), None, None, "text/csv").await
}

/// `GET /operator/campaigns/{id}/campaign.toml`: the campaign as it runs, as a campaign file.
pub async fn campaign_file(token: &str, campaign: &str) -> Result<String, ApiError> {
    exchange(
        "GET",
        &format!("/operator/campaigns/{campaign}/campaign.toml"),
        Some(token),
        None,
        None,
        "application/toml",
    )
    .await
}

async fn get<T: DeserializeOwned>(path: &str, token: Option<&str>) -> Result<T, ApiError> {
    send("GET", path, token, None, None).await
}

/// POST with a JSON body and, for state-changing calls, an Idempotency-Key.
pub async fn post<B: Serialize, T: DeserializeOwned>(
    path: &str,
    token: Option<&str>,
    body: &B,
    idempotency_key: Option<&str>,
) -> Result<T, ApiError> {
    let body = crate::json::to_string(body).map_err(|e| ApiError::Unexpected(e.to_string()))?;
    send("POST", path, token, Some(body), idempotency_key).await
}

/// The empty JSON object, for a POST whose path says it all.
#[derive(Serialize)]
struct Nothing {}

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

/// `POST /me/sign-ups`: signs up for today's draw of a denomination (the page then reads the
/// resident's sign-ups again, so the answer itself is not read).
pub async fn sign_up(token: &str, request: &ClaimRequest) -> Result<(), ApiError> {
    let body = crate::json::to_string(request).map_err(ApiError::Unexpected)?;
    post_unread("/me/sign-ups", token, &body).await
}

/// A POST of the JSON `body` whose answer, once it succeeded, is not read.
async fn post_unread(path: &str, token: &str, body: &str) -> Result<(), ApiError> {
    exchange(
        "POST",
        path,
        Some(token),
        Some((wasm_bindgen::JsValue::from_str(body), "application/json")),
        None,
        "application/json",
    )
    .await
    .map(drop)
}

/// `GET /me/sign-ups`: the resident's sign-ups for draws, newest first.
pub async fn sign_ups(token: &str) -> Result<Vec<SignUpView>, ApiError> {
    get("/me/sign-ups", Some(token)).await
}

/// `GET /wallet`, with its JSON.
pub async fn wallet(token: &str) -> Result<Raw<Wallet>, ApiError> {
    send_raw("GET", "/wallet", Some(token), None, None).await
}

/// `GET /coupons/{id}/status`.
pub async fn coupon_status(token: &str, id: CouponId) -> Result<CouponStatusView, ApiError> {
    get(&format!("/coupons/{id}/status"), Some(token)).await
}

/// `POST /claims`, once. See [`crate::hooks::claim`] for the retrying claim the page uses.
pub async fn claim_once(token: &str, request: &ClaimRequest, key: &str) -> Result<CouponView, ApiError> {
    post("/claims", Some(token), request, Some(key)).await
}

async fn sign_in<B: Serialize>(path: &str, body: &B) -> Result<Raw<Session>, ApiError> {
    let body = crate::json::to_string(body).map_err(|e| ApiError::Unexpected(e.to_string()))?;
    send_raw("POST", path, None, Some(body), None).await
}

/// `POST /session/demo`.
pub async fn demo_sign_in(phone: &str) -> Result<Raw<Session>, ApiError> {
    sign_in(
        "/session/demo",
        &DemoSignIn {
            phone: phone.to_owned(),
        },
    )
    .await
}

/// `POST /session/host`.
pub async fn host_sign_in(token: &str) -> Result<Raw<Session>, ApiError> {
    sign_in(
        "/session/host",
        &HostSignIn {
            token: token.to_owned(),
        },
    )
    .await
}

/// `POST /session/account`.
pub async fn account_sign_in(username: &str, password: &str) -> Result<Raw<Session>, ApiError> {
    let body = AccountSignIn {
        username: username.to_owned(),
        password: password.to_owned(),
    };
    sign_in("/session/account", &body).await
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
}

/// `POST /merchant/redemptions`.
pub async fn redeem(
    token: &str,
    code: &str,
    order_amount: OrderAmount,
    key: &str,
) -> Result<RedemptionView, ApiError> {
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
pub async fn reverse(token: &str, id: RedemptionId, key: &str) -> Result<RedemptionView, ApiError> {
    post(
        &format!("/merchant/redemptions/{id}/reverse"),
        Some(token),
        &Nothing {},
        Some(key),
    )
    .await
}

/// `GET /merchant/today`.
pub async fn merchant_today(token: &str) -> Result<MerchantDay, ApiError> {
    get("/merchant/today", Some(token)).await
}

/// `GET /operator/campaigns/{id}/report`, with the hourly series of `day` (today if `None`).
pub async fn report(
    token: &str,
    campaign: &str,
    day: Option<quan_core::ChinaDate>,
) -> Result<CampaignReport, ApiError> {
    let path = match day {
        Some(d) => format!("/operator/campaigns/{campaign}/report?day={d}"),
        None => format!("/operator/campaigns/{campaign}/report"),
    };
    get(&path, Some(token)).await
}

/// `POST /merchant/issues`: a shop issues a coupon after checking the order.
pub async fn issue(
    token: &str,
    request: &quan_core::api::IssueRequest,
    key: &str,
) -> Result<quan_core::api::IssuedCoupon, ApiError> {
    post("/merchant/issues", Some(token), request, Some(key)).await
}

/// `GET /subsidies`.
pub async fn subsidies() -> Result<Vec<quan_core::api::SubsidyView>, ApiError> {
    get("/subsidies", None).await
}

/// `GET /applications`.
pub async fn applications(token: &str) -> Result<Vec<quan_core::api::ApplicationView>, ApiError> {
    get("/applications", Some(token)).await
}

/// `POST /applications`: a draft.
pub async fn apply(
    token: &str,
    request: &quan_core::api::ApplicationRequest,
) -> Result<quan_core::api::ApplicationView, ApiError> {
    post("/applications", Some(token), request, None).await
}

/// `PUT /applications/{id}/documents/{role}`: a file, as the browser read it.
pub async fn upload_document(
    token: &str,
    id: i64,
    role: quan_core::subsidy::DocumentRole,
    content_type: &str,
    bytes: &js_sys::Uint8Array,
) -> Result<quan_core::api::DocumentView, ApiError> {
    let path = format!("/applications/{id}/documents/{}", role.as_str());
    let text = exchange(
        "PUT",
        &path,
        Some(token),
        Some((bytes.into(), content_type)),
        None,
        "application/json",
    )
    .await?;
    crate::json::from_str(&text).map_err(|e| ApiError::Unexpected(e.to_string()))
}

/// `POST /applications/{id}/submit`.
pub async fn submit_application(token: &str, id: i64) -> Result<quan_core::api::ApplicationView, ApiError> {
    post(
        &format!("/applications/{id}/submit"),
        Some(token),
        &Nothing {},
        None,
    )
    .await
}

/// `GET /review/applications`.
pub async fn review_queue(token: &str) -> Result<Vec<quan_core::api::ApplicationView>, ApiError> {
    get("/review/applications", Some(token)).await
}

/// `POST /review/applications/{id}`.
pub async fn review(
    token: &str,
    id: i64,
    request: &quan_core::api::ReviewRequest,
) -> Result<quan_core::api::ApplicationView, ApiError> {
    post(&format!("/review/applications/{id}"), Some(token), request, None).await
}

/// `GET /review/applications/{id}/payment-details`: the bank card and mobile in full (audited).
pub async fn payment_details(token: &str, id: i64) -> Result<quan_core::api::PaymentDetails, ApiError> {
    get(&format!("/review/applications/{id}/payment-details"), Some(token)).await
}

/// A document of an application, as bytes in the page (for a reviewer, or its applicant).
pub async fn document(path: &str, token: &str) -> Result<js_sys::Uint8Array, ApiError> {
    use wasm_bindgen::JsCast;
    let window = web_sys::window().ok_or_else(|| ApiError::Network("no window".into()))?;
    let init = web_sys::RequestInit::new();
    let headers = web_sys::Headers::new().map_err(network)?;
    headers
        .set("Authorization", &format!("Bearer {token}"))
        .map_err(network)?;
    init.set_headers(&headers);
    let request =
        web_sys::Request::new_with_str_and_init(&format!("{BASE}{path}"), &init).map_err(network)?;
    let response: web_sys::Response =
        wasm_bindgen_futures::JsFuture::from(window.fetch_with_request(&request))
            .await
            .map_err(network)?
            .dyn_into()
            .map_err(network)?;
    if !response.ok() {
        return Err(ApiError::Unexpected(format!("HTTP {}", response.status())));
    }
    let buffer = wasm_bindgen_futures::JsFuture::from(response.array_buffer().map_err(network)?)
        .await
        .map_err(network)?;
    Ok(js_sys::Uint8Array::new(&buffer))
}

/// `GET /operator/campaigns/{id}/settlements`.
pub async fn settlements(token: &str, campaign: &str) -> Result<quan_core::api::Settlement, ApiError> {
    get(
        &format!("/operator/campaigns/{campaign}/settlements"),
        Some(token),
    )
    .await
}

/// `GET /merchant/campaigns/{id}/settlement`.
pub async fn my_settlement(token: &str, campaign: &str) -> Result<quan_core::api::Settlement, ApiError> {
    get(&format!("/merchant/campaigns/{campaign}/settlement"), Some(token)).await
}

/// `GET /operator/merchants`.
pub async fn merchants(token: &str) -> Result<Vec<quan_core::api::MerchantView>, ApiError> {
    get("/operator/merchants", Some(token)).await
}

/// `POST /operator/merchants/{id}/blacklist`.
pub async fn blacklist(
    token: &str,
    id: quan_core::MerchantId,
    request: &quan_core::api::BlacklistRequest,
) -> Result<quan_core::api::MerchantView, ApiError> {
    post(
        &format!("/operator/merchants/{}/blacklist", id.0),
        Some(token),
        request,
        None,
    )
    .await
}

/// `POST /operator/merchants/{id}/suspension`.
pub async fn suspension(
    token: &str,
    id: quan_core::MerchantId,
    request: &quan_core::api::SuspensionRequest,
) -> Result<quan_core::api::MerchantView, ApiError> {
    post(
        &format!("/operator/merchants/{}/suspension", id.0),
        Some(token),
        request,
        None,
    )
    .await
}

/// `POST /operator/allocations`.
pub async fn allocate(
    token: &str,
    request: &quan_core::api::AllocationRequest,
) -> Result<quan_core::api::AllocationReport, ApiError> {
    post("/operator/allocations", Some(token), request, None).await
}

/// `GET /operator/campaigns/{id}/reallocations`.
pub async fn reallocations(
    token: &str,
    campaign: &str,
) -> Result<Vec<quan_core::api::Reallocation>, ApiError> {
    get(
        &format!("/operator/campaigns/{campaign}/reallocations"),
        Some(token),
    )
    .await
}

/// `GET /operator/campaigns/{id}/pauses`.
pub async fn pauses(token: &str, campaign: &str) -> Result<Vec<quan_core::api::PauseView>, ApiError> {
    get(&format!("/operator/campaigns/{campaign}/pauses"), Some(token)).await
}

/// `POST /operator/campaigns/{id}/pauses`.
pub async fn pause(
    token: &str,
    campaign: &str,
    request: &quan_core::api::PauseRequest,
) -> Result<quan_core::api::PauseView, ApiError> {
    post(
        &format!("/operator/campaigns/{campaign}/pauses"),
        Some(token),
        request,
        None,
    )
    .await
}

/// `POST /operator/pauses/{id}/resume`.
pub async fn resume_pause(token: &str, id: i64) -> Result<quan_core::api::PauseView, ApiError> {
    post(
        &format!("/operator/pauses/{id}/resume"),
        Some(token),
        &Nothing {},
        None,
    )
    .await
}

/// `POST /operator/campaigns/{id}/reallocations`.
pub async fn reallocate(
    token: &str,
    campaign: &str,
    request: &quan_core::api::ReallocationRequest,
) -> Result<quan_core::api::Reallocation, ApiError> {
    post(
        &format!("/operator/campaigns/{campaign}/reallocations"),
        Some(token),
        request,
        None,
    )
    .await
}

/// `POST /merchant/cards/lookup`.
pub async fn card_lookup(
    token: &str,
    number: &str,
    pin: &str,
) -> Result<quan_core::api::CardLookup, ApiError> {
    let body = quan_core::api::CardRequest {
        number: number.to_owned(),
        pin: pin.to_owned(),
    };
    post("/merchant/cards/lookup", Some(token), &body, None).await
}

/// `POST /merchant/cards/redeem`, with one Idempotency-Key for all its tries.
pub async fn card_redeem(
    token: &str,
    number: &str,
    pin: &str,
    order_amount: OrderAmount,
    key: &str,
) -> Result<RedemptionView, ApiError> {
    let body = quan_core::api::CardRedeemRequest {
        number: number.to_owned(),
        pin: pin.to_owned(),
        order_amount,
    };
    post("/merchant/cards/redeem", Some(token), &body, Some(key)).await
}

/// `GET /operator/campaigns/{id}/love-cards`.
pub async fn love_cards(token: &str, campaign: &str) -> Result<Vec<quan_core::api::CardView>, ApiError> {
    get(&format!("/operator/campaigns/{campaign}/love-cards"), Some(token)).await
}

/// `POST /operator/campaigns/{id}/love-cards`: cards for everyone on the list without one.
pub async fn print_love_cards(
    token: &str,
    campaign: &str,
) -> Result<Vec<quan_core::api::PrintedCard>, ApiError> {
    post(
        &format!("/operator/campaigns/{campaign}/love-cards"),
        Some(token),
        &Nothing {},
        None,
    )
    .await
}

/// `POST /operator/love-cards/{number}/replace`.
pub async fn replace_love_card(token: &str, number: &str) -> Result<quan_core::api::PrintedCard, ApiError> {
    post(
        &format!("/operator/love-cards/{number}/replace"),
        Some(token),
        &Nothing {},
        None,
    )
    .await
}

/// `GET /offers`: merchants' offers open to residents.
pub async fn offers() -> Result<Vec<quan_core::api::MerchantOffer>, ApiError> {
    get("/offers", None).await
}

/// `POST /offers/{id}/claim`.
pub async fn claim_offer(token: &str, id: i64) -> Result<CouponView, ApiError> {
    post(&format!("/offers/{id}/claim"), Some(token), &Nothing {}, None).await
}

/// `GET /merchant/offers`: this merchant's offers.
pub async fn my_offers(token: &str) -> Result<Vec<quan_core::api::MerchantOffer>, ApiError> {
    get("/merchant/offers", Some(token)).await
}

/// `POST /merchant/offers`.
pub async fn create_offer(
    token: &str,
    request: &quan_core::api::OfferRequest,
) -> Result<quan_core::api::MerchantOffer, ApiError> {
    post("/merchant/offers", Some(token), request, None).await
}

/// `POST /session/sign-out`: the staff session ends on the server, on every instance.
pub async fn sign_out(token: &str) -> Result<(), ApiError> {
    post_unread("/session/sign-out", token, "{}").await
}

/// `POST /session/password`: the account's own new password in place of the current one.
pub async fn change_password(token: &str, current: &str, new: &str) -> Result<(), ApiError> {
    let body = crate::json::to_string(&quan_core::api::PasswordChange {
        current: current.to_owned(),
        new: new.to_owned(),
    })
    .map_err(ApiError::Unexpected)?;
    post_unread("/session/password", token, &body).await
}

/// `GET /audit/entries`: the newest entries whose action holds `action` and whose actor is
/// `actor` (either may be empty for all).
pub async fn audit_entries(
    token: &str,
    actor: &str,
    action: &str,
) -> Result<Vec<quan_core::api::AuditEntry>, ApiError> {
    get(
        &format!("/audit/entries?{}", audit_query(actor, action)),
        Some(token),
    )
    .await
}

/// The audit trail's filter as a query string, each value encoded.
pub fn audit_query(actor: &str, action: &str) -> String {
    let enc = |s: &str| String::from(js_sys::encode_uri_component(s.trim()));
    let mut q = vec!["limit=500".to_owned()];
    if !actor.trim().is_empty() {
        q.push(format!("actor={}", enc(actor)));
    }
    if !action.trim().is_empty() {
        q.push(format!("action={}", enc(action)));
    }
    q.join("&")
}

/// `GET /operator/merchants/{id}/staff`.
pub async fn shop_staff(
    token: &str,
    merchant: quan_core::MerchantId,
) -> Result<Vec<quan_core::api::StaffView>, ApiError> {
    get(&format!("/operator/merchants/{}/staff", merchant.0), Some(token)).await
}

/// `POST /operator/merchants/{id}/managers`: the shop's manager, with a one-time password.
pub async fn open_manager(
    token: &str,
    merchant: quan_core::MerchantId,
    who: &quan_core::api::NewStaff,
) -> Result<quan_core::api::StaffSlip, ApiError> {
    post(
        &format!("/operator/merchants/{}/managers", merchant.0),
        Some(token),
        who,
        None,
    )
    .await
}

/// `GET /merchant/staff`: the shop's manager and cashiers.
pub async fn my_staff(token: &str) -> Result<Vec<quan_core::api::StaffView>, ApiError> {
    get("/merchant/staff", Some(token)).await
}

/// `POST /merchant/staff`: a cashier, with a one-time password.
pub async fn add_cashier(
    token: &str,
    who: &quan_core::api::NewStaff,
) -> Result<quan_core::api::StaffSlip, ApiError> {
    post("/merchant/staff", Some(token), who, None).await
}

/// `POST /merchant/staff/{id}/password-reset`: a new one-time password for a cashier.
pub async fn reset_cashier(token: &str, id: i64) -> Result<quan_core::api::StaffSlip, ApiError> {
    post(
        &format!("/merchant/staff/{id}/password-reset"),
        Some(token),
        &Nothing {},
        None,
    )
    .await
}

/// `POST /merchant/staff/{id}/disable`.
pub async fn disable_cashier(
    token: &str,
    id: i64,
    disabled: bool,
) -> Result<quan_core::api::StaffView, ApiError> {
    let body = quan_core::api::DisableRequest { disabled };
    post(&format!("/merchant/staff/{id}/disable"), Some(token), &body, None).await
}

/// `POST /operator/merchants/import`: the county's list file as it is (an Excel workbook, or CSV
/// in UTF-8 or GBK), previewed or, with `commit`, imported.
pub async fn import_merchants(
    token: &str,
    file: &web_sys::File,
    commit: bool,
) -> Result<quan_core::api::MerchantImport, ApiError> {
    let kind = match file.type_() {
        t if t.is_empty() => "application/octet-stream".to_owned(),
        t => t,
    };
    let text = exchange(
        "POST",
        &format!("/operator/merchants/import?commit={commit}"),
        Some(token),
        Some((file.into(), &kind)),
        None,
        "application/json",
    )
    .await?;
    crate::json::from_str(&text).map_err(|e| ApiError::Unexpected(e.to_string()))
}

/// `POST /operator/merchants`: one merchant added to the registry.
pub async fn add_merchant(
    token: &str,
    merchant: &quan_core::api::MerchantRequest,
) -> Result<quan_core::api::MerchantView, ApiError> {
    post("/operator/merchants", Some(token), merchant, None).await
}

/// `POST /operator/accounts/{id}/password-reset`: a shop account's new one-time password.
pub async fn reset_shop_account(token: &str, id: i64) -> Result<quan_core::api::StaffSlip, ApiError> {
    post(
        &format!("/operator/accounts/{id}/password-reset"),
        Some(token),
        &Nothing {},
        None,
    )
    .await
}

/// `POST /operator/accounts/{id}/disable`.
pub async fn disable_shop_account(
    token: &str,
    id: i64,
    disabled: bool,
) -> Result<quan_core::api::StaffView, ApiError> {
    let body = quan_core::api::DisableRequest { disabled };
    post(
        &format!("/operator/accounts/{id}/disable"),
        Some(token),
        &body,
        None,
    )
    .await
}

/// `GET /operator/campaigns/{id}/revisions`.
pub async fn campaign_versions(
    token: &str,
    campaign: &str,
) -> Result<quan_core::api::CampaignVersions, ApiError> {
    get(&format!("/operator/campaigns/{campaign}/revisions"), Some(token)).await
}

/// `POST /operator/campaigns/{id}/revisions`: previewed, or confirmed with `confirm`.
pub async fn revise(
    token: &str,
    campaign: &str,
    request: &quan_core::api::RevisionRequest,
) -> Result<quan_core::api::RevisionView, ApiError> {
    post(
        &format!("/operator/campaigns/{campaign}/revisions"),
        Some(token),
        request,
        None,
    )
    .await
}

/// `POST /operator/campaigns/{id}/rounds`: previewed, or confirmed with `confirm`.
pub async fn schedule_round(
    token: &str,
    campaign: &str,
    request: &quan_core::api::RoundRequest,
) -> Result<quan_core::api::RevisionView, ApiError> {
    post(
        &format!("/operator/campaigns/{campaign}/rounds"),
        Some(token),
        request,
        None,
    )
    .await
}

/// `GET /operator/campaigns/{id}/busy`.
pub async fn busy(token: &str, campaign: &str) -> Result<quan_core::api::BusyView, ApiError> {
    get(&format!("/operator/campaigns/{campaign}/busy"), Some(token)).await
}

/// `POST /operator/campaigns/{id}/busy`: the overload switch on or off.
pub async fn set_busy(
    token: &str,
    campaign: &str,
    request: &quan_core::api::BusyRequest,
) -> Result<quan_core::api::BusyView, ApiError> {
    post(
        &format!("/operator/campaigns/{campaign}/busy"),
        Some(token),
        request,
        None,
    )
    .await
}
