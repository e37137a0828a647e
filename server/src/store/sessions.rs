//! Staff sessions. A staff token names a row here, so a session ends at once on every instance
//! when it is signed out, when its account is disabled, or when it idles past its role's limit.
//! (Residents' sessions are the host app's: their tokens stand alone, and cost no query.)

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use quan_core::api::{MerchantView, Role};
use quan_core::{CategoryId, MerchantId, Timestamp};
use rand::RngCore;

use crate::db::{col, Db, DbError};

/// How long a session may idle, by where its role works.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Idle {
    /// Operators, reviewers and auditors, in the console.
    pub console_ms: i64,
    /// Managers and cashiers, at the till: one shift.
    pub till_ms: i64,
}

impl Idle {
    pub fn for_role(self, role: Role) -> i64 {
        if role.at_till() {
            self.till_ms
        } else {
            self.console_ms
        }
    }
}

/// A signed-in staff account, as its session resolves on each request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedIn {
    pub session: String,
    pub account: i64,
    pub username: String,
    pub role: Role,
    /// The shop of a manager or cashier, read afresh (a blacklisting shows at once).
    pub merchant: Option<MerchantView>,
    /// An operator limited to one county's campaigns; empty for all.
    pub county: String,
    pub must_change_password: bool,
}

impl SignedIn {
    /// Whether this account may act in `county`: one limited to a county, in that one alone.
    pub fn covers(&self, county: &str) -> bool {
        self.county.is_empty() || self.county == county
    }
}

/// Why a session no longer works, in words the holder can act on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ended {
    Unknown,
    SignedOut,
    Disabled,
    Idle,
    Expired,
}

impl Ended {
    pub fn words(self) -> &'static str {
        match self {
            Ended::Unknown => "the session is not valid: sign in again",
            Ended::SignedOut => "the session was signed out: sign in again",
            Ended::Disabled => "this account has been disabled",
            Ended::Idle => "the session ended after a time without use: sign in again",
            Ended::Expired => "the session has expired: sign in again",
        }
    }
}

/// A new session's id: 128 random bits.
fn new_id() -> String {
    let mut bytes = [0u8; 16];
    rand::thread_rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Opens a session for `account`, lasting at most until `expires`. Its id.
pub async fn open(
    db: &Db,
    account: i64,
    now: Timestamp,
    expires: Timestamp,
    address: &str,
) -> Result<String, DbError> {
    let id = new_id();
    let mut tx = db.begin_write().await?;
    sqlx::query(
        "INSERT INTO sessions (id, account_id, created_at, last_seen_at, expires_at, address) \
         VALUES ($1, $2, $3, $3, $4, $5)",
    )
    .bind(&id)
    .bind(account)
    .bind(now.millis())
    .bind(expires.millis())
    .bind(address)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// A use of a session is written back at most this often (idling is measured to within it).
const TOUCH_EVERY_MS: i64 = 60_000;

/// The account a session belongs to, if the session still works at `now`.
pub async fn resolve(
    db: &Db,
    id: &str,
    now: Timestamp,
    idle: Idle,
) -> Result<Result<SignedIn, Ended>, DbError> {
    let row = sqlx::query(
        "SELECT s.last_seen_at, s.expires_at, s.revoked_at, a.id, a.username, a.role, a.county, \
                a.disabled_at, a.must_change_password, \
                m.id AS m_id, m.name AS m_name, m.category AS m_category, m.county AS m_county, \
                m.blacklisted AS m_blacklisted, m.suspended AS m_suspended \
         FROM sessions s JOIN accounts a ON a.id = s.account_id \
         LEFT JOIN merchants m ON m.id = a.merchant_id \
         WHERE s.id = $1",
    )
    .bind(id)
    .fetch_optional(&db.pool)
    .await?;
    let Some(row) = row else {
        return Ok(Err(Ended::Unknown));
    };
    let role: String = col(&row, "role")?;
    let role = Role::parse(&role).ok_or_else(|| DbError(format!("unknown role '{role}'")))?;
    let last_seen: i64 = col(&row, "last_seen_at")?;
    if col::<Option<i64>>(&row, "revoked_at")?.is_some() {
        return Ok(Err(Ended::SignedOut));
    }
    if col::<Option<i64>>(&row, "disabled_at")?.is_some() {
        return Ok(Err(Ended::Disabled));
    }
    if now.millis() > col::<i64>(&row, "expires_at")? {
        return Ok(Err(Ended::Expired));
    }
    if now.millis() - last_seen > idle.for_role(role) {
        return Ok(Err(Ended::Idle));
    }
    let merchant = match col::<Option<i64>>(&row, "m_id")? {
        Some(m) => Some(MerchantView {
            id: MerchantId(m),
            name: col(&row, "m_name")?,
            category: CategoryId(col(&row, "m_category")?),
            county: col(&row, "m_county")?,
            blacklisted: col::<i64>(&row, "m_blacklisted")? != 0,
            suspended: col::<i64>(&row, "m_suspended")? != 0,
            // The till needs none of the registry's particulars, nor the reasons.
            blacklist_reason: String::new(),
            suspension_reason: String::new(),
            credit_code: String::new(),
            address: String::new(),
            contact: String::new(),
        }),
        None => None,
    };
    if now.millis() - last_seen > TOUCH_EVERY_MS {
        sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE id = $2 AND last_seen_at < $1")
            .bind(now.millis())
            .bind(id)
            .execute(&db.pool)
            .await?;
    }
    Ok(Ok(SignedIn {
        session: id.to_owned(),
        account: col(&row, "id")?,
        username: col(&row, "username")?,
        role,
        merchant,
        county: col(&row, "county")?,
        must_change_password: col::<i64>(&row, "must_change_password")? != 0,
    }))
}

/// Ends one session (signing out).
pub async fn revoke(db: &Db, id: &str, now: Timestamp) -> Result<(), DbError> {
    sqlx::query("UPDATE sessions SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL")
        .bind(now.millis())
        .bind(id)
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// Ends every session of an account but `keep` (a password change or reset).
pub async fn revoke_all(db: &Db, account: i64, keep: Option<&str>, now: Timestamp) -> Result<u64, DbError> {
    let done = sqlx::query(
        "UPDATE sessions SET revoked_at = $1 WHERE account_id = $2 AND revoked_at IS NULL AND id <> $3",
    )
    .bind(now.millis())
    .bind(account)
    .bind(keep.unwrap_or(""))
    .execute(&db.pool)
    .await?;
    Ok(done.rows_affected())
}
