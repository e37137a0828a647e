//! `Idempotency-Key`: a retry with the same key returns the first result and changes nothing;
//! the same key with another request is refused (422); while the first is still running, 409.
//!
//! The first result is recorded in the same transaction as its effect, so the two commit
//! together or not at all. Within one instance, a key in flight answers 409 at once; across
//! instances, the second to commit finds the record, rolls back its own effect and replays it.

use std::collections::{HashMap, HashSet};
use std::fmt::Write;
use std::sync::{Arc, Mutex};

use quan_core::{ErrorCode, Timestamp};
use sha2::{Digest, Sha256};

use crate::db::{bind_rows, col, Db, DbError, Dialect, Json, Tx};
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
        let mut hash = String::with_capacity(64);
        for b in Sha256::digest(request) {
            let _ = write!(hash, "{b:02x}");
        }
        Ok(IdemKey {
            owner,
            key: key.to_owned(),
            hash,
        })
    }

    /// Who sent it, and the key: what the first answer is recorded under.
    pub fn id(&self) -> (String, String) {
        (self.owner.clone(), self.key.clone())
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

/// A first answer as recorded: what request it answered, and how.
#[derive(Debug, Clone)]
pub struct Recorded {
    request_hash: String,
    status: u16,
    body: String,
}

impl Recorded {
    fn read(row: &sqlx::any::AnyRow) -> Result<Recorded, DbError> {
        let status: i64 = col(row, "status")?;
        Ok(Recorded {
            request_hash: col(row, "request_hash")?,
            status: u16::try_from(status).unwrap_or(200),
            body: col(row, "body")?,
        })
    }

    /// The answer to give `k` again, or `IdempotencyMismatch` if the key was used for another
    /// request.
    pub fn answer(&self, k: &IdemKey) -> Result<Prior, AppError> {
        if self.request_hash != k.hash {
            return Err(AppError::new(
                ErrorCode::IdempotencyMismatch,
                "this Idempotency-Key was used before with a different request",
            ));
        }
        Ok(Prior::Replay {
            status: self.status,
            body: self.body.clone(),
        })
    }
}

/// The recorded result for `k`, or `IdempotencyMismatch` if the key was used for another request.
pub async fn lookup(executor: &mut Tx, k: &IdemKey) -> Result<Prior, AppError> {
    let row = sqlx::query("SELECT request_hash, status, body FROM idempotency WHERE owner = $1 AND key = $2")
        .bind(&k.owner)
        .bind(&k.key)
        .fetch_optional(&mut **executor)
        .await?;
    match row {
        Some(row) => Recorded::read(&row)?.answer(k),
        None => Ok(Prior::None),
    }
}

/// The columns of the batch statements ([`Dialect::rows`]).
const KEY_ROWS: &[(&str, Json)] = &[("owner", Json::Text), ("key", Json::Text)];
const ANSWER_ROWS: &[(&str, Json)] = &[
    ("owner", Json::Text),
    ("key", Json::Text),
    ("request_hash", Json::Text),
    ("status", Json::Int),
    ("body", Json::Text),
    ("created_at", Json::Int),
];

/// The first answers recorded for any of `keys`, by [`IdemKey::id`]: one query.
pub async fn lookup_many(
    tx: &mut Tx,
    dialect: Dialect,
    keys: &[&IdemKey],
) -> Result<HashMap<(String, String), Recorded>, DbError> {
    let mut out = HashMap::new();
    if keys.is_empty() {
        return Ok(out);
    }
    let list: Vec<(&str, &str)> = keys.iter().map(|k| (k.owner.as_str(), k.key.as_str())).collect();
    let wanted = dialect.rows(1, KEY_ROWS);
    let q = match dialect {
        Dialect::Sqlite => format!(
            "SELECT owner, key, request_hash, status, body FROM idempotency WHERE (owner, key) IN ({wanted})"
        ),
        // Each key looked up by the primary key, whatever the planner guesses of the table
        // (`OFFSET 0` keeps the look-up inside the loop over the keys).
        Dialect::Postgres => format!(
            "SELECT i.owner, i.key, i.request_hash, i.status, i.body FROM ({wanted}) AS w \
             CROSS JOIN LATERAL (SELECT owner, key, request_hash, status, body FROM idempotency \
             WHERE owner = w.owner AND key = w.key OFFSET 0) AS i"
        ),
    };
    for row in bind_rows(sqlx::query(&q), &list)?.fetch_all(&mut **tx).await? {
        out.insert((col(&row, "owner")?, col(&row, "key")?), Recorded::read(&row)?);
    }
    Ok(out)
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

/// Records the first result of each of `answers` (all of one `status`) in one statement; the
/// keys another call recorded first with another answer (whose callers roll back their own
/// effect and replay that one).
pub async fn record_many(
    tx: &mut Tx,
    dialect: Dialect,
    answers: &[(&IdemKey, String)],
    status: u16,
    now: Timestamp,
) -> Result<HashSet<(String, String)>, DbError> {
    if answers.is_empty() {
        return Ok(HashSet::new());
    }
    let q = format!(
        "{} ON CONFLICT DO NOTHING",
        dialect.insert_rows("idempotency", ANSWER_ROWS)
    );
    let rows: Vec<_> = answers
        .iter()
        .map(|(k, body)| {
            (
                k.owner.as_str(),
                k.key.as_str(),
                k.hash.as_str(),
                i64::from(status),
                body.as_str(),
                now.millis(),
            )
        })
        .collect();
    let written = bind_rows(sqlx::query(&q), &rows)?
        .execute(&mut **tx)
        .await?
        .rows_affected();
    if u64::try_from(answers.len()).is_ok_and(|n| n == written) {
        return Ok(HashSet::new());
    }
    // Some were recorded first by another call: those whose recorded answer is not this one.
    let keys: Vec<&IdemKey> = answers.iter().map(|(k, _)| *k).collect();
    let recorded = lookup_many(tx, dialect, &keys).await?;
    let mut taken = HashSet::new();
    for (k, body) in answers {
        if recorded.get(&k.id()).is_none_or(|r| r.body != *body) {
            taken.insert(k.id());
        }
    }
    Ok(taken)
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
