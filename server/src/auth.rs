//! Who is calling, and what they may do. Residents come with the host app's token (Ed25519-signed,
//! verified against the configured public key) or, in demo mode, a phone number; staff with a
//! name and a password. Each then holds a session token, an HMAC under a key derived from the
//! master secret all instances share through the database. A resident's token stands alone; a
//! staff token names a session row, so that signing out or disabling an account ends it at once.
//!
//! Each route names the [`Rights`] it needs in its handler's signature; [`resolve`] finds the
//! caller once per request and appends staff's privileged acts to the audit trail.

use std::marker::PhantomData;
use std::sync::{Arc, Mutex};

use axum::body::Body;
use axum::extract::{FromRequestParts, MatchedPath, OriginalUri, State};
use axum::http::request::Parts;
use axum::http::{Method, Request};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::{Hmac, Mac};
use quan_core::api::{MerchantView, Role};
use quan_core::{ErrorCode, ResidentId, Timestamp};
use sha2::Sha256;

use crate::audit;
use crate::error::AppError;
use crate::state::AppState;
use crate::store::sessions::{self, Ended, SignedIn};
use quan_core::api::AuditAct;

type HmacSha256 = Hmac<Sha256>;

/// How long a session lasts.
pub const SESSION_MS: i64 = 12 * 3600 * 1000;

/// Keys derived from the master secret, one per use.
#[derive(Clone)]
pub struct Secrets {
    /// Derives each coupon's code key.
    pub coupon_master: Vec<u8>,
    /// Keys the HMAC of love-coupon cards' PINs.
    pub card_pins: Vec<u8>,
    session_key: Vec<u8>,
}

impl Secrets {
    pub fn from_master(master: &[u8]) -> Secrets {
        Secrets {
            coupon_master: derive(master, b"coupon-keys"),
            card_pins: derive(master, b"card-pins"),
            session_key: derive(master, b"sessions"),
        }
    }

    fn mac(&self, text: &str) -> String {
        let mut mac = match HmacSha256::new_from_slice(&self.session_key) {
            Ok(m) => m,
            Err(_) => return String::new(),
        };
        mac.update(text.as_bytes());
        URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
    }

    /// A session token for `who`, valid until `expires`.
    pub fn sign(&self, who: &Principal, expires: Timestamp) -> String {
        let body = match who {
            Principal::Resident(r) => format!("v1.r.{}.{}", r.0, expires.millis()),
            Principal::Session(id) => format!("v1.s.{id}.{}", expires.millis()),
        };
        let mac = self.mac(&body);
        format!("{body}.{mac}")
    }

    /// The principal a session token names, if it is genuine and unexpired at `now`.
    pub fn verify(&self, token: &str, now: Timestamp) -> Option<Principal> {
        let (body, mac) = token.rsplit_once('.')?;
        let expected = self.mac(body);
        if !constant_time_eq(expected.as_bytes(), mac.as_bytes()) {
            return None;
        }
        let parts: Vec<&str> = body.split('.').collect();
        let (principal, exp) = match parts.as_slice() {
            ["v1", "r", id, exp] => (Principal::Resident(ResidentId(id.parse().ok()?)), exp),
            ["v1", "s", id, exp] if !id.is_empty() => (Principal::Session((*id).to_owned()), exp),
            _ => return None,
        };
        let exp: i64 = exp.parse().ok()?;
        (now.millis() <= exp).then_some(principal)
    }
}

fn derive(master: &[u8], purpose: &[u8]) -> Vec<u8> {
    match HmacSha256::new_from_slice(master) {
        Ok(mut mac) => {
            mac.update(purpose);
            mac.finalize().into_bytes().to_vec()
        }
        Err(_) => Vec::new(),
    }
}

/// Whether two secrets are equal, in time that does not depend on where they differ.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// What a session token names: a resident (the token stands alone), or a staff session (a row
/// in `sessions`, looked up on each request).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Principal {
    Resident(ResidentId),
    Session(String),
}

fn bearer(parts: &Parts) -> Option<&str> {
    parts
        .headers
        .get(axum::http::header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
}

/// Who a request's bearer token names, as [`resolve`] found it for the extractors below.
#[derive(Debug, Clone)]
pub enum Caller {
    Resident(ResidentId),
    Staff(Box<SignedIn>),
    /// A staff session that no longer works, and why.
    Ended(Ended),
    /// A token that is not genuine or has expired.
    Invalid,
}

/// Every API request: its bearer token verified, and a staff token's session looked up (one
/// query), for the extractors; then, for staff, the act appended to the audit trail when it is
/// privileged ([`audited`]).
pub async fn resolve(State(state): State<AppState>, mut req: Request<Body>, next: Next) -> Response {
    let (mut parts, body) = req.into_parts();
    let now = state.clock.now();
    let caller = match bearer(&parts).map(|t| state.secrets.verify(t.trim(), now)) {
        None => None,
        Some(None) => Some(Caller::Invalid),
        Some(Some(Principal::Resident(r))) => Some(Caller::Resident(r)),
        Some(Some(Principal::Session(id))) => {
            match sessions::resolve(&state.db, &id, now, state.idle).await {
                Ok(Ok(staff)) => Some(Caller::Staff(Box::new(staff))),
                Ok(Err(ended)) => Some(Caller::Ended(ended)),
                Err(e) => return AppError::from(e).into_response(),
            }
        }
    };
    let staff = match &caller {
        Some(Caller::Staff(s)) => Some((**s).clone()),
        _ => None,
    };
    if let Some(c) = caller {
        parts.extensions.insert(c);
    }
    let method = parts.method.clone();
    // The whole path: inside `/api/v1`, the request's own URI has the prefix taken off.
    let uri = parts
        .extensions
        .get::<OriginalUri>()
        .map_or_else(|| parts.uri.clone(), |o| o.0.clone());
    let path = uri.path().to_owned();
    let object = match uri.query() {
        Some(q) => format!("{path}?{q}"),
        None => path.clone(),
    };
    let template = parts
        .extensions
        .get::<MatchedPath>()
        .map_or_else(|| path.clone(), |m| m.as_str().to_owned());
    let address = client_address(&parts);
    req = Request::from_parts(parts, body);
    let res = next.run(req).await;
    if let Some(staff) = staff.filter(|_| audited(&method, &path)) {
        let act = AuditAct {
            account: Some(staff.account),
            actor: staff.username,
            role: staff.role.as_str().to_owned(),
            address,
            action: format!("{method} {template}"),
            object,
            result: result_of(&res),
            detail: res
                .extensions()
                .get::<audit::Detail>()
                .map(|d| d.0.clone())
                .unwrap_or_default(),
        };
        audit::record_or_log(&state.db, act, now).await;
    }
    res
}

/// The client's address as the server saw it (through a trusted proxy: the proxy's client).
pub fn client_address(parts: &Parts) -> String {
    parts
        .extensions
        .get::<crate::proxy::Client>()
        .map(|c| c.ip.to_string())
        .unwrap_or_default()
}

/// Which staff requests the audit trail keeps: every one that changes something, every export
/// (CSV), every document or full bank card opened (or tried), and every read of the trail itself.
pub fn audited(method: &Method, path: &str) -> bool {
    let reads = matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS);
    !reads
        || path.ends_with(".csv")
        || path.contains("/documents/")
        || path.ends_with("/payment-details")
        || path.starts_with("/api/v1/audit")
}

/// `ok`, or the refusal's error code (its HTTP status when it has none).
fn result_of(res: &Response) -> String {
    if res.status().is_success() {
        return "ok".into();
    }
    res.extensions()
        .get::<ErrorCode>()
        .map_or_else(|| res.status().as_u16().to_string(), |c| c.as_str().to_owned())
}

fn caller(parts: &Parts) -> Result<&Caller, AppError> {
    parts
        .extensions
        .get::<Caller>()
        .ok_or_else(|| AppError::new(ErrorCode::Unauthorized, "sign in first"))
}

/// A signed-in resident.
pub struct ResidentAuth(pub ResidentId);

impl FromRequestParts<AppState> for ResidentAuth {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, _: &AppState) -> Result<Self, AppError> {
        match caller(parts)? {
            Caller::Resident(r) => Ok(ResidentAuth(*r)),
            Caller::Staff(_) => Err(AppError::new(ErrorCode::Forbidden, "for residents only")),
            Caller::Ended(e) => Err(AppError::new(ErrorCode::Unauthorized, e.words())),
            Caller::Invalid => Err(invalid()),
        }
    }
}

fn invalid() -> AppError {
    AppError::new(ErrorCode::Unauthorized, "the session is not valid or has expired")
}

/// Which staff roles may use a route. Each route names one of these in its handler's
/// signature (`Staff<Bureau>`, `MerchantAuth<Shop>`, …), so a route's rights are read where the
/// route is, and `tests/roles.rs` checks every route against every role.
pub trait Rights {
    const ROLES: &'static [Role];
    /// What a caller of another role is told.
    const REFUSAL: &'static str;
    /// Whether an account that must still choose a new password may use it.
    const BEFORE_NEW_PASSWORD: bool = false;
}

/// The county bureau's work: campaigns, merchants, the love list, reallocations.
pub struct Bureau;
impl Rights for Bureau {
    const ROLES: &'static [Role] = &[Role::Operator];
    const REFUSAL: &'static str = "for the county bureau's operators only";
}

/// The bank's work: the subsidy queue.
pub struct Bank;
impl Rights for Bank {
    const ROLES: &'static [Role] = &[Role::Reviewer];
    const REFUSAL: &'static str = "for the bank's reviewers only";
}

/// Reading the campaign's reports and the audit sample: the bureau, and the audit office.
pub struct Reports;
impl Rights for Reports {
    const ROLES: &'static [Role] = &[Role::Operator, Role::Auditor];
    const REFUSAL: &'static str = "for the county bureau and the audit office only";
}

/// The settlement exports: the bureau, the bank that pays, and the audit office.
pub struct Settlements;
impl Rights for Settlements {
    const ROLES: &'static [Role] = &[Role::Operator, Role::Reviewer, Role::Auditor];
    const REFUSAL: &'static str = "for the bureau, the bank and the audit office only";
}

/// The audit trail: the audit office.
pub struct Audit;
impl Rights for Audit {
    const ROLES: &'static [Role] = &[Role::Auditor];
    const REFUSAL: &'static str = "for the audit office only";
}

/// The till: a shop's manager and its cashiers.
pub struct Till;
impl Rights for Till {
    const ROLES: &'static [Role] = &[Role::MerchantManager, Role::Cashier];
    const REFUSAL: &'static str = "for merchant staff only";
}

/// A shop's own affairs: its settlement, its offers, its cashiers.
pub struct Shop;
impl Rights for Shop {
    const ROLES: &'static [Role] = &[Role::MerchantManager];
    const REFUSAL: &'static str = "for the shop's manager only";
}

/// One's own session: signing out, choosing a new password.
pub struct Own;
impl Rights for Own {
    const ROLES: &'static [Role] = &Role::STAFF;
    const REFUSAL: &'static str = "for staff accounts only";
    const BEFORE_NEW_PASSWORD: bool = true;
}

/// A signed-in staff account whose role `R` admits.
pub struct Staff<R> {
    pub who: SignedIn,
    rights: PhantomData<R>,
}

impl<R> std::ops::Deref for Staff<R> {
    type Target = SignedIn;
    fn deref(&self) -> &SignedIn {
        &self.who
    }
}

impl<R: Rights> FromRequestParts<AppState> for Staff<R> {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, _: &AppState) -> Result<Self, AppError> {
        match caller(parts)? {
            Caller::Staff(s) if !R::ROLES.contains(&s.role) => {
                Err(AppError::new(ErrorCode::Forbidden, R::REFUSAL))
            }
            Caller::Staff(s) if s.must_change_password && !R::BEFORE_NEW_PASSWORD => Err(AppError::new(
                ErrorCode::PasswordChangeRequired,
                "this account's password was set by someone else: choose a new one first",
            )),
            Caller::Staff(s) => Ok(Staff {
                who: (**s).clone(),
                rights: PhantomData,
            }),
            Caller::Resident(_) => Err(AppError::new(ErrorCode::Forbidden, R::REFUSAL)),
            Caller::Ended(e) => Err(AppError::new(ErrorCode::Unauthorized, e.words())),
            Caller::Invalid => Err(invalid()),
        }
    }
}

/// Signed-in merchant staff whose role `R` admits, with their shop as it is now.
pub struct MerchantAuth<R = Till> {
    pub account: i64,
    pub merchant: MerchantView,
    pub staff: Staff<R>,
}

impl<R: Rights> FromRequestParts<AppState> for MerchantAuth<R> {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let staff = Staff::<R>::from_request_parts(parts, state).await?;
        let merchant = staff
            .merchant
            .clone()
            .ok_or_else(|| AppError::new(ErrorCode::Forbidden, "this account belongs to no merchant"))?;
        Ok(MerchantAuth {
            account: staff.account,
            merchant,
            staff,
        })
    }
}

/// Password hashing, off the request path: a few threads of its own (one fewer than the
/// machine's cores, at least one) behind a bounded queue. A flood of sign-ins waits its turn,
/// or is told to come back, and cannot take the cores that claims and redemptions need.
#[derive(Clone)]
pub struct Hasher {
    jobs: std::sync::mpsc::SyncSender<Job>,
}

type Job = Box<dyn FnOnce() + Send>;

/// Sign-ins waiting for a hashing thread; one more is told to try again shortly.
pub const HASH_QUEUE: usize = 64;

impl Hasher {
    pub fn start() -> Hasher {
        let threads = std::thread::available_parallelism()
            .map_or(1, |n| n.get().saturating_sub(1))
            .max(1);
        let (tx, rx) = std::sync::mpsc::sync_channel::<Job>(HASH_QUEUE);
        let rx = Arc::new(Mutex::new(rx));
        for i in 0..threads {
            let rx = rx.clone();
            let spawned = std::thread::Builder::new()
                .name(format!("quan-passwords-{i}"))
                .spawn(move || loop {
                    let job = match rx.lock() {
                        Ok(r) => r.recv(),
                        Err(_) => return,
                    };
                    match job {
                        Ok(job) => job(),
                        Err(_) => return,
                    }
                });
            if let Err(e) = spawned {
                tracing::error!(error = %e, "cannot start a password-hashing thread");
            }
        }
        Hasher { jobs: tx }
    }

    async fn run<T: Send + 'static>(&self, f: impl FnOnce() -> T + Send + 'static) -> Result<T, AppError> {
        let (tx, rx) = tokio::sync::oneshot::channel();
        self.jobs
            .try_send(Box::new(move || {
                let _ = tx.send(f());
            }))
            .map_err(|_| AppError {
                code: ErrorCode::Unavailable,
                detail: Some("too many sign-ins at once: try again in a few seconds".into()),
                retry_after: Some(2),
            })?;
        rx.await.map_err(AppError::internal)
    }

    /// An argon2 hash of `password`.
    pub async fn hash(&self, password: String) -> Result<String, AppError> {
        self.run(move || hash_password(&password))
            .await?
            .map_err(AppError::internal)
    }

    /// As long as checking `password` against an account's hash takes, for a name that has no
    /// account: so whether a name exists does not show in the time the answer takes.
    pub async fn spend_like_a_check(&self, password: String) -> Result<(), AppError> {
        self.run(move || {
            static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
            let hash = HASH.get_or_init(|| hash_password("no such account").unwrap_or_default());
            let _ = password_matches(&password, hash);
        })
        .await
    }

    /// Whether `password` is the one `hash` was made from.
    pub async fn matches(&self, password: String, hash: String) -> Result<bool, AppError> {
        self.run(move || password_matches(&password, &hash)).await
    }
}

/// A one-time password for a slip: `Abcd-2345-efgh`, from letters and digits that cannot be
/// mistaken for one another when read off paper (no 0/O, 1/l/I), about 60 bits of chance.
pub fn one_time_password() -> String {
    use rand::seq::SliceRandom;
    const LOWER: &[u8] = b"abcdefghijkmnpqrstuvwxyz";
    const DIGITS: &[u8] = b"23456789";
    let mut rng = rand::thread_rng();
    let mut pick = |set: &[u8], n: usize| -> String {
        (0..n)
            .filter_map(|_| set.choose(&mut rng).map(|&b| char::from(b)))
            .collect()
    };
    let first: String = pick(LOWER, 4);
    let mut first = first.chars();
    let head = first.next().map(|c| c.to_ascii_uppercase()).unwrap_or('Q');
    format!("{head}{}-{}-{}", first.as_str(), pick(DIGITS, 4), pick(LOWER, 4))
}

/// An argon2 hash of `password`, made on the calling thread (the command line; the server uses
/// [`Hasher`]).
pub fn hash_password(password: &str) -> Result<String, String> {
    use argon2::password_hash::{rand_core::OsRng, PasswordHasher, SaltString};
    let salt = SaltString::generate(&mut OsRng);
    argon2::Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| e.to_string())
}

fn password_matches(password: &str, hash: &str) -> bool {
    use argon2::password_hash::{PasswordHash, PasswordVerifier};
    PasswordHash::new(hash)
        .map(|h| {
            argon2::Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false)
}

/// What the host app says about the resident in its token.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
pub struct HostAssertion {
    /// The host's stable identifier of the real-name person.
    pub sub: String,
    #[serde(default)]
    pub name: String,
    /// The person's mobile number, if the host vouches for it: shop staff find customers by it.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub phone: String,
    /// Milliseconds since the epoch.
    pub exp: i64,
}

/// Verifies a host token: `base64url(assertion JSON) "." base64url(Ed25519 signature of the first part)`.
pub fn verify_host_token(
    key: &ed25519_dalek::VerifyingKey,
    token: &str,
    now: Timestamp,
) -> Result<HostAssertion, AppError> {
    let bad = |why: &str| AppError::new(ErrorCode::Unauthorized, format!("host token: {why}"));
    let (payload, sig) = token
        .trim()
        .split_once('.')
        .ok_or_else(|| bad("not of the form payload.signature"))?;
    let sig = URL_SAFE_NO_PAD
        .decode(sig)
        .map_err(|_| bad("signature is not base64url"))?;
    let sig =
        ed25519_dalek::Signature::from_slice(&sig).map_err(|_| bad("signature has the wrong length"))?;
    key.verify_strict(payload.as_bytes(), &sig)
        .map_err(|_| bad("signature does not verify"))?;
    let json = URL_SAFE_NO_PAD
        .decode(payload)
        .map_err(|_| bad("payload is not base64url"))?;
    let assertion: HostAssertion =
        serde_json::from_slice(&json).map_err(|_| bad("payload is not the expected JSON"))?;
    if assertion.exp < now.millis() {
        return Err(bad("expired"));
    }
    if assertion.sub.trim().is_empty() || assertion.sub.len() > 200 {
        return Err(bad("no subject"));
    }
    Ok(assertion)
}

/// Signs a host token (the demo host page and tests play the host app with this).
pub fn sign_host_token(key: &ed25519_dalek::SigningKey, assertion: &HostAssertion) -> String {
    use ed25519_dalek::Signer;
    let payload = URL_SAFE_NO_PAD.encode(serde_json::to_vec(assertion).unwrap_or_default());
    let sig = key.sign(payload.as_bytes());
    format!("{payload}.{}", URL_SAFE_NO_PAD.encode(sig.to_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sessions_verify_until_they_expire_and_resist_tampering() {
        let s = Secrets::from_master(b"master");
        let who = Principal::Session("abc".into());
        let t = s.sign(&who, Timestamp(10_000));
        assert_eq!(s.verify(&t, Timestamp(9_000)), Some(who));
        assert_eq!(s.verify(&t, Timestamp(10_001)), None);
        let forged = t.replace("v1.s.abc", "v1.s.abd");
        assert_eq!(s.verify(&forged, Timestamp(9_000)), None);
        assert_eq!(Secrets::from_master(b"other").verify(&t, Timestamp(9_000)), None);
        assert_eq!(s.verify("garbage", Timestamp(0)), None);
    }

    #[test]
    fn one_time_passwords_meet_the_rule_and_differ() {
        let a = one_time_password();
        assert_eq!(quan_core::password::check(&a, "shou.yin"), Ok(()), "{a}");
        assert_eq!(a.len(), 14);
        assert_ne!(a, one_time_password());
    }

    #[test]
    fn host_tokens_verify_only_with_the_hosts_key() {
        let key = ed25519_dalek::SigningKey::from_bytes(&[7u8; 32]);
        let assertion = HostAssertion {
            sub: "bank:42".into(),
            name: "张三".into(),
            phone: String::new(),
            exp: 5_000,
        };
        let token = sign_host_token(&key, &assertion);
        assert_eq!(
            verify_host_token(&key.verifying_key(), &token, Timestamp(1_000)).ok(),
            Some(assertion)
        );
        assert!(verify_host_token(&key.verifying_key(), &token, Timestamp(6_000)).is_err());
        let other = ed25519_dalek::SigningKey::from_bytes(&[8u8; 32]);
        assert!(verify_host_token(&other.verifying_key(), &token, Timestamp(1_000)).is_err());
        assert!(verify_host_token(&key.verifying_key(), "x.y", Timestamp(1_000)).is_err());
    }
}
