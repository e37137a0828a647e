//! The audit trail: every privileged act, with who did it, in which role, when, from which
//! address, what was done to which object, and how it ended.
//!
//! Append-only: nothing in the server updates or deletes an entry, and the database refuses to
//! (a trigger). Tamper-evident: each entry's hash covers the entry and the hash of the one
//! before it, so a changed, removed or inserted row breaks the chain at that row, and
//! [`verify`] names it (`quan-server audit verify`).

use quan_core::api::{AuditAct, AuditEntry};
use quan_core::Timestamp;
use serde::Deserialize;
use sha2::{Digest, Sha256};

use crate::db::{col, Db, DbError};

/// What a handler adds to its act's entry (the account it made, say), as an extension of its
/// response: the request alone does not say it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Detail(pub String);

/// `res` with `detail` for its audit entry.
pub fn with_detail(mut res: axum::response::Response, detail: String) -> axum::response::Response {
    res.extensions_mut().insert(Detail(detail));
    res
}

/// How long entries are kept at least (网络安全法 第二十一条: six months); nothing deletes them.
pub const KEEP_DAYS: i64 = 183;

/// The hash `entry` must carry: SHA-256 over its fields and the previous entry's hash.
fn expected_hash(entry: &AuditEntry) -> String {
    let a = &entry.act;
    let fields = serde_json::json!([
        entry.seq,
        entry.at.millis(),
        a.account,
        a.actor,
        a.role,
        a.address,
        a.action,
        a.object,
        a.result,
        a.detail,
        entry.prev_hash,
    ]);
    let digest = Sha256::digest(fields.to_string().as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Appends `act` at `at`. Appends are serialised by the one row of `audit_head`, whose update
/// waits for any other append in flight, so the chain never forks.
pub async fn record(db: &Db, act: AuditAct, at: Timestamp) -> Result<i64, DbError> {
    let mut tx = db.begin_write().await?;
    let head = sqlx::query("UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash")
        .fetch_one(&mut *tx)
        .await?;
    let mut entry = AuditEntry {
        seq: col(&head, "seq")?,
        at,
        act: AuditAct {
            account: act.account,
            actor: clip(act.actor),
            role: clip(act.role),
            address: clip(act.address),
            action: clip(act.action),
            object: clip(act.object),
            result: clip(act.result),
            detail: clip(act.detail),
        },
        prev_hash: col(&head, "hash")?,
        hash: String::new(),
    };
    entry.hash = expected_hash(&entry);
    let a = &entry.act;
    sqlx::query(
        "INSERT INTO audit_log (seq, at, account_id, actor, role, address, action, object, result, \
         detail, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
    )
    .bind(entry.seq)
    .bind(entry.at.millis())
    .bind(a.account)
    .bind(&a.actor)
    .bind(&a.role)
    .bind(&a.address)
    .bind(&a.action)
    .bind(&a.object)
    .bind(&a.result)
    .bind(&a.detail)
    .bind(&entry.prev_hash)
    .bind(&entry.hash)
    .execute(&mut *tx)
    .await?;
    sqlx::query("UPDATE audit_head SET hash = $1 WHERE id = 1")
        .bind(&entry.hash)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(entry.seq)
}

/// Appends `act`, logging rather than failing when the database cannot take it: the act itself
/// has happened, and the log line keeps it.
pub async fn record_or_log(db: &Db, act: AuditAct, at: Timestamp) {
    if let Err(e) = record(db, act.clone(), at).await {
        tracing::error!(error = %e, ?act, "the audit trail could not take an entry");
    }
}

/// A field's first 1,000 characters (an entry is a record, not a store of request bodies).
fn clip(mut s: String) -> String {
    if let Some((i, _)) = s.char_indices().nth(1_000) {
        s.truncate(i);
    }
    s
}

/// Which entries to read.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct Filter {
    /// From this instant (milliseconds since the epoch), inclusive.
    #[param(minimum = 0, maximum = 9_007_199_254_740_991_i64)]
    pub from: Option<i64>,
    /// Before this instant, exclusive.
    #[param(minimum = 0, maximum = 9_007_199_254_740_991_i64)]
    pub until: Option<i64>,
    /// The actor's name, exactly.
    #[param(max_length = 200)]
    pub actor: Option<String>,
    /// Actions that contain this text, e.g. `sign_in` or `/blacklist`.
    #[param(max_length = 200)]
    pub action: Option<String>,
    /// At most this many entries, newest first (at most 5,000; 500 when not given).
    #[param(minimum = 1, maximum = 5_000)]
    pub limit: Option<i64>,
}

/// The most entries one read returns.
pub const MAX_READ: i64 = 5_000;

/// The latest instant a filter may name: the largest whole number JSON carries exactly.
const MAX_INSTANT: i64 = 9_007_199_254_740_991;

impl Filter {
    /// The filter, if every value is within its bounds; else what is out of them, in words.
    pub fn checked(self) -> Result<Filter, String> {
        for (name, v) in [("from", self.from), ("until", self.until)] {
            if v.is_some_and(|v| !(0..=MAX_INSTANT).contains(&v)) {
                return Err(format!(
                    "{name} is milliseconds since the epoch, from 0 to {MAX_INSTANT}"
                ));
            }
        }
        if self.limit.is_some_and(|l| !(1..=MAX_READ).contains(&l)) {
            return Err(format!("limit is from 1 to {MAX_READ}"));
        }
        for (name, v) in [("actor", &self.actor), ("action", &self.action)] {
            if v.as_ref().is_some_and(|v| v.chars().count() > 200) {
                return Err(format!("{name} has at most 200 characters"));
            }
        }
        Ok(self)
    }
}

fn read_entry(row: &sqlx::any::AnyRow) -> Result<AuditEntry, DbError> {
    Ok(AuditEntry {
        seq: col(row, "seq")?,
        at: Timestamp(col(row, "at")?),
        act: AuditAct {
            account: col(row, "account_id")?,
            actor: col(row, "actor")?,
            role: col(row, "role")?,
            address: col(row, "address")?,
            action: col(row, "action")?,
            object: col(row, "object")?,
            result: col(row, "result")?,
            detail: col(row, "detail")?,
        },
        prev_hash: col(row, "prev_hash")?,
        hash: col(row, "hash")?,
    })
}

/// The entries `filter` asks for, newest first.
pub async fn read(db: &Db, filter: &Filter) -> Result<Vec<AuditEntry>, DbError> {
    let limit = filter.limit.unwrap_or(500).clamp(1, MAX_READ);
    let rows = sqlx::query(
        "SELECT * FROM audit_log WHERE at >= $1 AND at < $2 AND ($3 = '' OR actor = $3) \
         AND action LIKE $4 ESCAPE '!' ORDER BY seq DESC LIMIT $5",
    )
    .bind(filter.from.unwrap_or(0))
    .bind(filter.until.unwrap_or(i64::MAX))
    .bind(filter.actor.clone().unwrap_or_default())
    .bind(format!(
        "%{}%",
        like_literal(filter.action.as_deref().unwrap_or(""))
    ))
    .bind(limit)
    .fetch_all(&db.pool)
    .await?;
    rows.iter().map(read_entry).collect()
}

/// `text` matched as itself in a LIKE pattern with `ESCAPE '!'`.
fn like_literal(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '%' | '_' | '!') {
            out.push('!');
        }
        out.push(c);
    }
    out
}

/// What checking the chain found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Every entry links to the one before, and the head names the last.
    Intact { entries: i64 },
    /// The first entry that does not fit, and how.
    Broken { seq: i64, why: String },
}

/// Walks the whole trail from the first entry.
pub async fn verify(db: &Db) -> Result<Verdict, DbError> {
    let mut prev_hash = String::new();
    let mut expected_seq = 1;
    let mut after = 0i64;
    loop {
        let rows = sqlx::query("SELECT * FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT 1000")
            .bind(after)
            .fetch_all(&db.pool)
            .await?;
        if rows.is_empty() {
            break;
        }
        for row in &rows {
            let e = read_entry(row)?;
            if e.seq != expected_seq {
                return Ok(Verdict::Broken {
                    seq: expected_seq,
                    why: format!("entry {expected_seq} is missing (the next is {})", e.seq),
                });
            }
            if e.prev_hash != prev_hash {
                return Ok(Verdict::Broken {
                    seq: e.seq,
                    why: "it does not carry the hash of the entry before it".into(),
                });
            }
            if e.hash != expected_hash(&e) {
                return Ok(Verdict::Broken {
                    seq: e.seq,
                    why: "its content does not match its hash: it was changed".into(),
                });
            }
            prev_hash = e.hash;
            expected_seq += 1;
            after = e.seq;
        }
    }
    let head = sqlx::query("SELECT seq, hash FROM audit_head WHERE id = 1")
        .fetch_one(&db.pool)
        .await?;
    let (head_seq, head_hash): (i64, String) = (col(&head, "seq")?, col(&head, "hash")?);
    if head_seq != expected_seq - 1 || head_hash != prev_hash {
        return Ok(Verdict::Broken {
            seq: head_seq.max(expected_seq),
            why: format!(
                "the trail ends at entry {} but its head names entry {head_seq}: entries were removed from the end",
                expected_seq - 1
            ),
        });
    }
    Ok(Verdict::Intact {
        entries: expected_seq - 1,
    })
}

/// The trail as CSV, for the auditor's export.
pub fn csv(entries: &[AuditEntry]) -> String {
    let mut out = String::from("seq,at,actor,role,address,action,object,result,detail,hash\n");
    for e in entries {
        let a = &e.act;
        let fields = [
            e.seq.to_string(),
            e.at.china_display(),
            a.actor.clone(),
            a.role.clone(),
            a.address.clone(),
            a.action.clone(),
            a.object.clone(),
            a.result.clone(),
            a.detail.clone(),
            e.hash.clone(),
        ];
        let line: Vec<String> = fields.iter().map(|f| crate::routes::reports::field(f)).collect();
        out.push_str(&line.join(","));
        out.push('\n');
    }
    out
}
