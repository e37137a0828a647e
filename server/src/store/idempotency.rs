//! `Idempotency-Key`: a retry with the same key returns the first result and changes nothing;
//! the same key with another request is refused (422); while the first is still running, 409.
//!
//! The first result is recorded in the same transaction as its effect, so the two commit
//! together or not at all. Within one instance, a key in flight answers 409 at once; across
//! instances, the second to commit finds the record, rolls back its own effect and replays it.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};

use quan_core::{ErrorCode, Timestamp};
use sha2::{Digest, Sha256};

use crate::db::{col, Db, DbError, Tx};
use crate::error::AppError;

/// A call's key, who made it, and a hash of what it asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdemKey {
    pub owner: String,
    pub key: String,
    pub hash: String,
}

impl IdemKey {
    /// `key` as the caller `owner` sent it, for a request whose meaning hashes to `request`.
    pub fn new(owner: String, key: &str, request: &[u8]) -> Result<IdemKey, AppError> {
        let key = Some(key.trim())
            .filter(|k| !k.is_empty() && k.len() <= 128 && k.bytes().all(|b| b.is_ascii_graphic()))
            .ok_or_else(|| {
                AppError::new(
                    ErrorCode::InvalidRequest,
                    "Idempotency-Key must be 1 to 128 printable ASCII characters",
                )
            })?;
        let hash = Sha256::digest(request)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        Ok(IdemKey {
            owner,
            key: key.to_owned(),
            hash,
        })
    }
}

/// What an earlier call with the same key left.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Prior {
    None,
    /// The first result, to be given again.
    Replay {
        status: u16,
        body: String,
    },
}

/// The recorded result for `k`, or `IdempotencyMismatch` if the key was used for another request.
pub async fn lookup(executor: &mut Tx, k: &IdemKey) -> Result<Prior, AppError> {
    let row = sqlx::query("SELECT request_hash, status, body FROM idempotency WHERE owner = $1 AND key = $2")
        .bind(&k.owner)
        .bind(&k.key)
        .fetch_optional(&mut **executor)
        .await?;
    let Some(row) = row else { return Ok(Prior::None) };
    let hash: String = col(&row, "request_hash")?;
    if hash != k.hash {
        return Err(AppError::new(
            ErrorCode::IdempotencyMismatch,
            "this Idempotency-Key was used before with a different request",
        ));
    }
    let status: i64 = col(&row, "status")?;
    Ok(Prior::Replay {
        status: u16::try_from(status).unwrap_or(200),
        body: col(&row, "body")?,
    })
}

/// The same, outside a transaction.
pub async fn lookup_now(db: &Db, k: &IdemKey) -> Result<Prior, AppError> {
    let mut tx = db.begin_read().await?;
    let prior = lookup(&mut tx, k).await;
    let _ = tx.rollback().await;
    prior
}

/// The first answer to `k`, if a call with this key already had one.
pub async fn replayed(db: &Db, k: Option<&IdemKey>) -> Result<Option<Prior>, AppError> {
    match k {
        Some(k) => match lookup_now(db, k).await? {
            Prior::None => Ok(None),
            prior => Ok(Some(prior)),
        },
        None => Ok(None),
    }
}

/// Records the first result; `false` if another instance recorded one first (the caller then
/// rolls back and replays that one).
pub async fn record(
    tx: &mut Tx,
    k: &IdemKey,
    status: u16,
    body: &str,
    now: Timestamp,
) -> Result<bool, DbError> {
    let done = sqlx::query(
        "INSERT INTO idempotency (owner, key, request_hash, status, body, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING",
    )
    .bind(&k.owner)
    .bind(&k.key)
    .bind(&k.hash)
    .bind(i64::from(status))
    .bind(body)
    .bind(now.millis())
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Keys in flight in this instance.
#[derive(Clone, Default)]
pub struct InFlight(Arc<Mutex<HashSet<(String, String)>>>);

/// Holds a key in flight until dropped.
pub struct InFlightGuard {
    set: InFlight,
    entry: (String, String),
}

impl InFlight {
    /// Marks `k` in flight, or answers 409 if it already is.
    pub fn enter(&self, k: &IdemKey) -> Result<InFlightGuard, AppError> {
        let entry = (k.owner.clone(), k.key.clone());
        let mut set = self
            .0
            .lock()
            .map_err(|_| AppError::internal("idempotency set poisoned"))?;
        if !set.insert(entry.clone()) {
            return Err(AppError::new(
                ErrorCode::IdempotencyInProgress,
                "a request with this Idempotency-Key is still running",
            ));
        }
        Ok(InFlightGuard {
            set: self.clone(),
            entry,
        })
    }
}

impl Drop for InFlightGuard {
    fn drop(&mut self) {
        if let Ok(mut set) = self.set.0.lock() {
            set.remove(&self.entry);
        }
    }
}

/// Commits `tx` with `view` recorded as the first answer to `k` (if a key was given). If another
/// instance answered the key first, rolls back and gives that answer instead.
pub async fn commit_with<T: serde::Serialize>(
    db: &Db,
    mut tx: Tx,
    k: Option<&IdemKey>,
    status: u16,
    view: T,
    now: Timestamp,
) -> Result<Result<T, Prior>, AppError> {
    if let Some(k) = k {
        let body = serde_json::to_string(&view).unwrap_or_default();
        if !record(&mut tx, k, status, &body, now).await? {
            let _ = tx.rollback().await;
            return match lookup_now(db, k).await? {
                Prior::Replay { status, body } => Ok(Err(Prior::Replay { status, body })),
                Prior::None => Err(AppError::code(ErrorCode::IdempotencyInProgress)),
            };
        }
    }
    tx.commit().await?;
    Ok(Ok(view))
}
