//! A campaign's history, as its report lists it: each version after the first (revised files,
//! rounds scheduled, reallocations), each pause and resumption, and each turn of the overload
//! switch, oldest first.

use quan_core::report::{self, HistoryEntry, HistoryEvent};
use quan_core::revision::Change;
use quan_core::{Fen, KindId, Timestamp};

use crate::db::{col, Db, DbError};
use crate::store::accounts::shown_name;
use crate::store::{pauses, revisions};

/// Every change made to `campaign` since its first version, oldest first.
pub async fn history(db: &Db, campaign: &str) -> Result<Vec<HistoryEntry>, DbError> {
    let mut out = Vec::new();
    for v in revisions::list(db, campaign).await? {
        // The first version is the seed; a demo's seed moved to today changes nothing.
        let (Some(at), Some(by)) = (v.at, v.by) else {
            continue;
        };
        if v.version == 1 || v.changes.is_empty() {
            continue;
        }
        out.push(HistoryEntry {
            at,
            by,
            reason: v.reason,
            what: HistoryEvent::Revised {
                version: Some(v.version),
                changes: v.changes,
            },
        });
    }
    // Reallocations recorded before reallocations made versions.
    let rows = sqlx::query(
        "SELECT r.at, r.from_kind, r.to_kind, r.amount, r.reason, a.display_name, a.username \
         FROM reallocations r JOIN accounts a ON a.id = r.account_id \
         WHERE r.campaign = $1 AND r.version IS NULL ORDER BY r.id",
    )
    .bind(campaign)
    .fetch_all(&db.pool)
    .await?;
    for r in &rows {
        out.push(HistoryEntry {
            at: Timestamp(col(r, "at")?),
            by: shown_name(col(r, "display_name")?, col(r, "username")?).unwrap_or_default(),
            reason: col(r, "reason")?,
            what: HistoryEvent::Revised {
                version: None,
                changes: vec![Change::Reallocated {
                    from_kind: KindId(col(r, "from_kind")?),
                    to_kind: KindId(col(r, "to_kind")?),
                    amount: Fen(col(r, "amount")?),
                }],
            },
        });
    }
    for p in pauses::list(db, campaign).await? {
        out.push(HistoryEntry {
            at: p.paused_at,
            by: p.paused_by,
            reason: p.reason.clone(),
            what: HistoryEvent::Paused {
                scope: p.scope,
                target: p.target.clone(),
            },
        });
        if let Some(at) = p.resumed_at {
            out.push(HistoryEntry {
                at,
                by: p.resumed_by.unwrap_or_default(),
                reason: p.reason,
                what: HistoryEvent::Resumed {
                    scope: p.scope,
                    target: p.target,
                },
            });
        }
    }
    let rows = sqlx::query(
        "SELECT l.at, l.retry_after, a.display_name, a.username FROM busy_log l \
         JOIN accounts a ON a.id = l.account_id WHERE l.campaign = $1 ORDER BY l.id",
    )
    .bind(campaign)
    .fetch_all(&db.pool)
    .await?;
    for r in &rows {
        let wait: Option<i64> = col(r, "retry_after")?;
        out.push(HistoryEntry {
            at: Timestamp(col(r, "at")?),
            by: shown_name(col(r, "display_name")?, col(r, "username")?).unwrap_or_default(),
            reason: String::new(),
            what: match wait {
                Some(secs) => HistoryEvent::BusyOn {
                    retry_after: u32::try_from(secs).unwrap_or(u32::MAX),
                },
                None => HistoryEvent::BusyOff,
            },
        });
    }
    Ok(report::history(out))
}
