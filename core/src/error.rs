//! The API's error codes: one serialisable enum that the server answers with and the widget
//! matches on to choose its words.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A stable, machine-readable reason for a refusal. Serialised in `snake_case`; the set only grows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ErrorCode {
    /// Today's release of this denomination is gone.
    SoldOut,
    /// Before today's release time, or before the campaign or round starts.
    NotStarted,
    /// The campaign or its round is over.
    Ended,
    /// A per-resident limit (per round, per day, per denomination held) is used up.
    LimitReached,
    /// The order amount does not reach the coupon's threshold.
    BelowThreshold,
    /// The coupon's kind does not apply in this merchant's category.
    WrongCategory,
    /// The code shown is older than the previous 30-second step: the resident should refresh.
    CodeStale,
    /// The coupon behind the code has expired.
    CodeExpired,
    /// The code is malformed, altered or forged.
    CodeInvalid,
    /// The coupon was already redeemed.
    AlreadyRedeemed,
    /// The merchant is blacklisted and may redeem nothing.
    MerchantBlacklisted,
    /// The bureau has suspended the merchant for now: it redeems nothing until resumed.
    MerchantSuspended,
    /// The day's coupons of this kind are given by a draw among those who signed up, not claimed.
    ByDraw,
    /// The day's sign-up for the draw has closed (or the day's draw is done).
    SignUpClosed,
    /// The resident has already signed up for this day's draw of this kind.
    AlreadySignedUp,
    /// The bureau has paused claims of this kind (or all of the campaign's): `detail` is its
    /// reason, in its own words.
    ClaimsPaused,
    /// The bureau has paused redemptions in this merchant's category: `detail` is its reason.
    RedemptionsPaused,
    /// The redemption was already reversed, or cannot be.
    NotReversible,
    /// A revision of a campaign that would change what has begun (a round whose release has
    /// opened, what residents hold): `detail` says what, in words.
    RevisionRefused,
    /// No such resource.
    NotFound,
    /// No valid credentials.
    Unauthorized,
    /// Signed in, but not allowed to do this.
    Forbidden,
    /// Too many wrong passwords: the account is locked for a while (Retry-After says how long).
    AccountLocked,
    /// The account's password was set by someone else: the holder must choose a new one first.
    PasswordChangeRequired,
    /// An account of that name exists already.
    NameTaken,
    /// The request body is not valid JSON.
    MalformedRequest,
    /// The request is JSON but not of the expected shape or values.
    InvalidRequest,
    /// The request has no JSON content type.
    UnsupportedMediaType,
    /// The endpoint does not take this method (`Allow` says which it takes).
    MethodNotAllowed,
    /// The body is larger than the endpoint takes.
    PayloadTooLarge,
    /// The Idempotency-Key was used before with a different request.
    IdempotencyMismatch,
    /// The first request with this Idempotency-Key is still running.
    IdempotencyInProgress,
    /// Too many requests: wait as Retry-After says.
    RateLimited,
    /// The server failed; nothing was changed that is not reported.
    Internal,
    /// The server cannot take requests just now (starting, shutting down, overloaded).
    Unavailable,
}

impl ErrorCode {
    pub const ALL: [ErrorCode; 35] = [
        ErrorCode::SoldOut,
        ErrorCode::NotStarted,
        ErrorCode::Ended,
        ErrorCode::LimitReached,
        ErrorCode::BelowThreshold,
        ErrorCode::WrongCategory,
        ErrorCode::CodeStale,
        ErrorCode::CodeExpired,
        ErrorCode::CodeInvalid,
        ErrorCode::AlreadyRedeemed,
        ErrorCode::MerchantBlacklisted,
        ErrorCode::MerchantSuspended,
        ErrorCode::ByDraw,
        ErrorCode::SignUpClosed,
        ErrorCode::AlreadySignedUp,
        ErrorCode::ClaimsPaused,
        ErrorCode::RedemptionsPaused,
        ErrorCode::NotReversible,
        ErrorCode::RevisionRefused,
        ErrorCode::NotFound,
        ErrorCode::Unauthorized,
        ErrorCode::Forbidden,
        ErrorCode::AccountLocked,
        ErrorCode::PasswordChangeRequired,
        ErrorCode::NameTaken,
        ErrorCode::MalformedRequest,
        ErrorCode::InvalidRequest,
        ErrorCode::UnsupportedMediaType,
        ErrorCode::MethodNotAllowed,
        ErrorCode::PayloadTooLarge,
        ErrorCode::IdempotencyMismatch,
        ErrorCode::IdempotencyInProgress,
        ErrorCode::RateLimited,
        ErrorCode::Internal,
        ErrorCode::Unavailable,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::SoldOut => "sold_out",
            ErrorCode::NotStarted => "not_started",
            ErrorCode::Ended => "ended",
            ErrorCode::LimitReached => "limit_reached",
            ErrorCode::BelowThreshold => "below_threshold",
            ErrorCode::WrongCategory => "wrong_category",
            ErrorCode::CodeStale => "code_stale",
            ErrorCode::CodeExpired => "code_expired",
            ErrorCode::CodeInvalid => "code_invalid",
            ErrorCode::AlreadyRedeemed => "already_redeemed",
            ErrorCode::MerchantBlacklisted => "merchant_blacklisted",
            ErrorCode::MerchantSuspended => "merchant_suspended",
            ErrorCode::ByDraw => "by_draw",
            ErrorCode::SignUpClosed => "sign_up_closed",
            ErrorCode::AlreadySignedUp => "already_signed_up",
            ErrorCode::ClaimsPaused => "claims_paused",
            ErrorCode::RedemptionsPaused => "redemptions_paused",
            ErrorCode::NotReversible => "not_reversible",
            ErrorCode::RevisionRefused => "revision_refused",
            ErrorCode::NotFound => "not_found",
            ErrorCode::Unauthorized => "unauthorized",
            ErrorCode::Forbidden => "forbidden",
            ErrorCode::AccountLocked => "account_locked",
            ErrorCode::PasswordChangeRequired => "password_change_required",
            ErrorCode::NameTaken => "name_taken",
            ErrorCode::MalformedRequest => "malformed_request",
            ErrorCode::InvalidRequest => "invalid_request",
            ErrorCode::UnsupportedMediaType => "unsupported_media_type",
            ErrorCode::MethodNotAllowed => "method_not_allowed",
            ErrorCode::PayloadTooLarge => "payload_too_large",
            ErrorCode::IdempotencyMismatch => "idempotency_mismatch",
            ErrorCode::IdempotencyInProgress => "idempotency_in_progress",
            ErrorCode::RateLimited => "rate_limited",
            ErrorCode::Internal => "internal",
            ErrorCode::Unavailable => "unavailable",
        }
    }

    /// The HTTP status the API answers this code with.
    pub fn http_status(self) -> u16 {
        match self {
            ErrorCode::SoldOut
            | ErrorCode::NotStarted
            | ErrorCode::Ended
            | ErrorCode::LimitReached
            | ErrorCode::AlreadyRedeemed
            | ErrorCode::NotReversible
            | ErrorCode::RevisionRefused
            | ErrorCode::ClaimsPaused
            | ErrorCode::RedemptionsPaused
            | ErrorCode::ByDraw
            | ErrorCode::SignUpClosed
            | ErrorCode::AlreadySignedUp
            | ErrorCode::NameTaken => 409,
            ErrorCode::BelowThreshold
            | ErrorCode::WrongCategory
            | ErrorCode::CodeStale
            | ErrorCode::CodeExpired
            | ErrorCode::CodeInvalid
            | ErrorCode::InvalidRequest
            | ErrorCode::IdempotencyMismatch => 422,
            ErrorCode::MerchantBlacklisted
            | ErrorCode::MerchantSuspended
            | ErrorCode::Forbidden
            | ErrorCode::PasswordChangeRequired => 403,
            ErrorCode::NotFound => 404,
            ErrorCode::Unauthorized => 401,
            ErrorCode::MalformedRequest => 400,
            ErrorCode::UnsupportedMediaType => 415,
            ErrorCode::MethodNotAllowed => 405,
            ErrorCode::PayloadTooLarge => 413,
            ErrorCode::IdempotencyInProgress => 409,
            ErrorCode::RateLimited | ErrorCode::AccountLocked => 429,
            ErrorCode::Internal => 500,
            ErrorCode::Unavailable => 503,
        }
    }

    /// A short English title for the problem document; the widget has its own words.
    pub fn title(self) -> &'static str {
        match self {
            ErrorCode::SoldOut => "Sold out for today",
            ErrorCode::NotStarted => "Not started yet",
            ErrorCode::Ended => "The campaign has ended",
            ErrorCode::LimitReached => "Limit reached",
            ErrorCode::BelowThreshold => "Order amount below the coupon's threshold",
            ErrorCode::WrongCategory => "Coupon not valid at this merchant",
            ErrorCode::CodeStale => "Code is out of date",
            ErrorCode::CodeExpired => "Coupon has expired",
            ErrorCode::CodeInvalid => "Code is not valid",
            ErrorCode::AlreadyRedeemed => "Coupon already used",
            ErrorCode::MerchantBlacklisted => "Merchant may not redeem coupons",
            ErrorCode::MerchantSuspended => "Merchant suspended from redeeming for now",
            ErrorCode::ByDraw => "Given by draw: sign up for it",
            ErrorCode::SignUpClosed => "Sign-up for the draw has closed",
            ErrorCode::AlreadySignedUp => "Already signed up for this draw",
            ErrorCode::ClaimsPaused => "Claims paused by the bureau",
            ErrorCode::RedemptionsPaused => "Redemptions paused in this category",
            ErrorCode::NotReversible => "Redemption cannot be reversed",
            ErrorCode::RevisionRefused => "The revision would change what has begun",
            ErrorCode::NotFound => "Not found",
            ErrorCode::Unauthorized => "Sign-in required",
            ErrorCode::Forbidden => "Not allowed",
            ErrorCode::AccountLocked => "Account locked after wrong passwords",
            ErrorCode::PasswordChangeRequired => "A new password must be set first",
            ErrorCode::NameTaken => "That account name is taken",
            ErrorCode::MalformedRequest => "Malformed request",
            ErrorCode::InvalidRequest => "Invalid request",
            ErrorCode::UnsupportedMediaType => "Unsupported media type",
            ErrorCode::MethodNotAllowed => "Method not allowed",
            ErrorCode::PayloadTooLarge => "Request body too large",
            ErrorCode::IdempotencyMismatch => "Idempotency key reused with a different request",
            ErrorCode::IdempotencyInProgress => "Request with this idempotency key still running",
            ErrorCode::RateLimited => "Too many requests",
            ErrorCode::Internal => "Internal error",
            ErrorCode::Unavailable => "Service unavailable",
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An RFC 9457 problem document, as the API sends it with `application/problem+json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Problem {
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    pub code: ErrorCode,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

impl Problem {
    pub fn new(code: ErrorCode, detail: impl Into<Option<String>>) -> Problem {
        Problem {
            kind: format!("/problems/{}", code.as_str()),
            title: code.title().to_owned(),
            status: code.http_status(),
            code,
            detail: detail.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_serialise_as_their_names() {
        for code in ErrorCode::ALL {
            let json = serde_json::to_string(&code).unwrap_or_default();
            assert_eq!(json, format!("\"{}\"", code.as_str()));
            let back: ErrorCode = serde_json::from_str(&json).unwrap_or(ErrorCode::Internal);
            assert_eq!(back, code);
        }
    }

    #[test]
    fn only_server_faults_are_5xx() {
        for code in ErrorCode::ALL {
            let server_fault = matches!(code, ErrorCode::Internal | ErrorCode::Unavailable);
            assert_eq!(code.http_status() >= 500, server_fault, "{code}");
        }
    }
}
