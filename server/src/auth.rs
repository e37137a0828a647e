//! Who is calling. Residents come with the host app's token (Ed25519-signed, verified against
//! the configured public key) or, in demo mode, a phone number; merchant staff and operators with
//! a name and a password. Each then holds a session token that any instance can verify alone:
//! an HMAC under a key derived from the master secret all instances share through the database.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::{Hmac, Mac};
use quan_core::api::Role;
use quan_core::{ErrorCode, MerchantId, ResidentId, Timestamp};
use sha2::Sha256;

use crate::error::AppError;
use crate::startup::AppState;

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
    pub fn issue(&self, who: &Principal, expires: Timestamp) -> String {
        let body = match who {
            Principal::Resident(r) => format!("v1.r.{}.{}", r.0, expires.millis()),
            Principal::Account { id, role, merchant } => {
                format!(
                    "v1.a.{id}.{}.{}.{}",
                    role.as_str(),
                    merchant.map_or(0, |m| m.0),
                    expires.millis()
                )
            }
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
            ["v1", "a", id, role, merchant, exp] => {
                let merchant: i64 = merchant.parse().ok()?;
                (
                    Principal::Account {
                        id: id.parse().ok()?,
                        role: Role::parse(role)?,
                        merchant: (merchant > 0).then_some(MerchantId(merchant)),
                    },
                    exp,
                )
            }
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

/// A signed-in party.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Principal {
    Resident(ResidentId),
    Account {
        id: i64,
        role: Role,
        merchant: Option<MerchantId>,
    },
}

fn bearer(parts: &Parts) -> Option<&str> {
    parts
        .headers
        .get(axum::http::header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
}

fn principal(parts: &Parts, state: &AppState) -> Result<Principal, AppError> {
    let token = bearer(parts).ok_or_else(|| AppError::new(ErrorCode::Unauthorized, "sign in first"))?;
    state
        .secrets
        .verify(token.trim(), state.clock.now())
        .ok_or_else(|| AppError::new(ErrorCode::Unauthorized, "the session is not valid or has expired"))
}

/// A signed-in resident.
pub struct ResidentAuth(pub ResidentId);

impl FromRequestParts<AppState> for ResidentAuth {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        match principal(parts, state)? {
            Principal::Resident(r) => Ok(ResidentAuth(r)),
            Principal::Account { .. } => Err(AppError::new(ErrorCode::Forbidden, "for residents only")),
        }
    }
}

/// Signed-in merchant staff, with their merchant.
pub struct MerchantAuth {
    pub account: i64,
    pub merchant: MerchantId,
}

impl FromRequestParts<AppState> for MerchantAuth {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        match principal(parts, state)? {
            Principal::Account {
                id,
                role: Role::Merchant,
                merchant: Some(merchant),
            } => Ok(MerchantAuth {
                account: id,
                merchant,
            }),
            _ => Err(AppError::new(ErrorCode::Forbidden, "for merchant staff only")),
        }
    }
}

/// A signed-in operator (or reviewer, who may do what operators do with applications).
pub struct OperatorAuth {
    pub account: i64,
    pub role: Role,
}

impl FromRequestParts<AppState> for OperatorAuth {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        match principal(parts, state)? {
            Principal::Account {
                id,
                role: role @ (Role::Operator | Role::Reviewer),
                ..
            } => Ok(OperatorAuth { account: id, role }),
            _ => Err(AppError::new(ErrorCode::Forbidden, "for operators only")),
        }
    }
}

/// What the host app says about the resident in its token.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
pub struct HostClaims {
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

/// Verifies a host token: `base64url(claims JSON) "." base64url(Ed25519 signature of the first part)`.
pub fn verify_host_token(
    key: &ed25519_dalek::VerifyingKey,
    token: &str,
    now: Timestamp,
) -> Result<HostClaims, AppError> {
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
    let claims: HostClaims =
        serde_json::from_slice(&json).map_err(|_| bad("payload is not the expected JSON"))?;
    if claims.exp < now.millis() {
        return Err(bad("expired"));
    }
    if claims.sub.trim().is_empty() || claims.sub.len() > 200 {
        return Err(bad("no subject"));
    }
    Ok(claims)
}

/// Signs a host token (the demo host page and tests play the host app with this).
pub fn sign_host_token(key: &ed25519_dalek::SigningKey, claims: &HostClaims) -> String {
    use ed25519_dalek::Signer;
    let payload = URL_SAFE_NO_PAD.encode(serde_json::to_vec(claims).unwrap_or_default());
    let sig = key.sign(payload.as_bytes());
    format!("{payload}.{}", URL_SAFE_NO_PAD.encode(sig.to_bytes()))
}

/// Hashes a password with argon2 (off the async threads: it is slow on purpose).
pub async fn hash_password(password: String) -> Result<String, AppError> {
    tokio::task::spawn_blocking(move || {
        use argon2::password_hash::{rand_core::OsRng, PasswordHasher, SaltString};
        let salt = SaltString::generate(&mut OsRng);
        argon2::Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(AppError::internal)
    })
    .await
    .map_err(AppError::internal)?
}

/// Checks a password against its argon2 hash.
pub async fn password_matches(password: String, hash: String) -> bool {
    tokio::task::spawn_blocking(move || {
        use argon2::password_hash::{PasswordHash, PasswordVerifier};
        PasswordHash::new(&hash)
            .map(|h| {
                argon2::Argon2::default()
                    .verify_password(password.as_bytes(), &h)
                    .is_ok()
            })
            .unwrap_or(false)
    })
    .await
    .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sessions_verify_until_they_expire_and_resist_tampering() {
        let s = Secrets::from_master(b"master");
        let who = Principal::Account {
            id: 7,
            role: Role::Merchant,
            merchant: Some(MerchantId(3)),
        };
        let t = s.issue(&who, Timestamp(10_000));
        assert_eq!(s.verify(&t, Timestamp(9_000)), Some(who));
        assert_eq!(s.verify(&t, Timestamp(10_001)), None);
        let forged = t.replace("v1.a.7.merchant", "v1.a.7.operator");
        assert_eq!(s.verify(&forged, Timestamp(9_000)), None);
        assert_eq!(Secrets::from_master(b"other").verify(&t, Timestamp(9_000)), None);
        assert_eq!(s.verify("garbage", Timestamp(0)), None);
    }

    #[test]
    fn host_tokens_verify_only_with_the_hosts_key() {
        let key = ed25519_dalek::SigningKey::from_bytes(&[7u8; 32]);
        let claims = HostClaims {
            sub: "bank:42".into(),
            name: "张三".into(),
            phone: String::new(),
            exp: 5_000,
        };
        let token = sign_host_token(&key, &claims);
        assert_eq!(
            verify_host_token(&key.verifying_key(), &token, Timestamp(1_000)).ok(),
            Some(claims)
        );
        assert!(verify_host_token(&key.verifying_key(), &token, Timestamp(6_000)).is_err());
        let other = ed25519_dalek::SigningKey::from_bytes(&[8u8; 32]);
        assert!(verify_host_token(&other.verifying_key(), &token, Timestamp(1_000)).is_err());
        assert!(verify_host_token(&key.verifying_key(), "x.y", Timestamp(1_000)).is_err());
    }
}
