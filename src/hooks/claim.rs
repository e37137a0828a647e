//! A claim as a resident makes it at 10:00: one Idempotency-Key for all its tries, so a retry
//! never claims twice; retried after network trouble or a busy server with full-jitter backoff,
//! honouring Retry-After; never retried after a refusal that will not change (sold out, limit
//! reached, not started).

use quan_core::api::{ClaimRequest, CouponView};
use quan_core::ErrorCode;

use crate::api::{self, ApiError};

/// Tries before giving up (about a minute in all).
pub const MAX_TRIES: u32 = 8;
const BASE_MS: f64 = 400.0;
const CAP_MS: f64 = 8_000.0;

/// How long to wait before try `attempt` (1 = the first retry): the server's Retry-After when it
/// gave one, else full jitter — a uniform wait up to `min(cap, base · 2^attempt)` — so that a
/// crowd retrying together spreads out. `random` is in [0, 1).
pub fn backoff_ms(attempt: u32, retry_after_s: Option<u32>, random: f64) -> u32 {
    if let Some(s) = retry_after_s {
        return s.saturating_mul(1000).min(60_000);
    }
    let ceiling = (BASE_MS * 2f64.powi(attempt.min(16) as i32)).min(CAP_MS);
    (ceiling * random.clamp(0.0, 1.0)) as u32
}

/// Whether a failure may go away by trying again.
pub fn worth_retrying(e: &ApiError) -> bool {
    match e {
        ApiError::Network(_) => true,
        ApiError::Unexpected(_) => false,
        ApiError::Problem { problem, .. } => {
            matches!(
                problem.code,
                ErrorCode::Unavailable
                    | ErrorCode::RateLimited
                    | ErrorCode::IdempotencyInProgress
                    | ErrorCode::Internal
            )
        }
    }
}

/// Calls `call` until it succeeds, fails in a way that will not change, or has been tried
/// `tries` times, waiting as [`backoff_ms`] says between tries; `on_retry` is told before each
/// retry (to say "still trying"). The caller keeps one Idempotency-Key for all of them.
pub async fn with_retries<T, Fut: std::future::Future<Output = Result<T, ApiError>>>(
    tries: u32,
    mut call: impl FnMut() -> Fut,
    on_retry: impl Fn(u32),
) -> Result<T, ApiError> {
    let mut attempt = 0;
    loop {
        match call().await {
            Ok(v) => return Ok(v),
            Err(e) if worth_retrying(&e) && attempt + 1 < tries => {
                attempt += 1;
                on_retry(attempt);
                let wait = backoff_ms(attempt, e.retry_after(), js_sys::Math::random());
                gloo_timers::future::TimeoutFuture::new(wait).await;
            }
            Err(e) => return Err(e),
        }
    }
}

/// Claims, retrying as above.
pub async fn claim(
    token: &str,
    request: &ClaimRequest,
    on_retry: impl Fn(u32),
) -> Result<CouponView, ApiError> {
    let key = api::new_key();
    with_retries(MAX_TRIES, || api::claim_once(token, request, &key), on_retry).await
}
