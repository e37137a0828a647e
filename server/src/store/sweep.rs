//! The end of a coupon's life: at 23:59:59 China time a held coupon expires and its value
//! returns to the pool; a redeemed one is closed and what it reserved beyond its discount
//! returns. Each with a record in the ledger.

use std::collections::BTreeMap;
use std::time::Duration;

use quan_core::report::LedgerEvent;
use quan_core::rules::{transition, CouponStatus, Delta, Event};
use quan_core::Timestamp;

use super::coupons::{status_str, CouponRow, COLUMNS};
use super::ledger;
use super::pools;
use crate::clock::Clock;
use crate::db::{Db, DbError, Tx};

/// How many coupons one pass takes at most (the rest in the next).
const CHUNK: i64 = 2_000;

/// Ends the life of every coupon whose expiry has passed by `now`, inside `tx`. Returns how
/// many coupons it ended.
pub async fn expire_due(tx: &mut Tx, db: &Db, now: Timestamp) -> Result<usize, DbError> {
    let mut total = 0;
    loop {
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM coupons WHERE status IN ('held', 'redeemed') AND expires_at < $1 \
             ORDER BY id LIMIT $2{}",
            db.dialect.for_update()
        ))
        .bind(now.millis())
        .bind(CHUNK)
        .fetch_all(&mut **tx)
        .await?;
        if rows.is_empty() {
            return Ok(total);
        }
        // Ordered: pools are locked in one order by every transaction (see ARCHITECTURE.md).
        let mut pools: BTreeMap<(String, String, i64), Delta> = BTreeMap::new();
        for row in &rows {
            let c = CouponRow::read(row)?;
            let Ok((to, delta)) = transition(c.status, c.value, c.given, Event::Expire) else {
                continue;
            };
            let returned = delta.available;
            sqlx::query("UPDATE coupons SET status = $1 WHERE id = $2 AND status = $3")
                .bind(status_str(to))
                .bind(c.id.0)
                .bind(status_str(c.status))
                .execute(&mut **tx)
                .await?;
            let event = if c.status == CouponStatus::Held {
                LedgerEvent::Expire
            } else {
                LedgerEvent::Close
            };
            ledger::record(tx, &ledger::Entry::of(&c, now, event, returned)).await?;
            let acc = pools
                .entry((c.campaign.clone(), c.kind.clone(), c.round))
                .or_default();
            acc.available += delta.available;
            acc.held += delta.held;
            acc.redeemed += delta.redeemed;
        }
        for ((campaign, kind, round), d) in pools {
            pools::apply(tx, &campaign, &kind, round, d).await?;
        }
        total += rows.len();
    }
}

/// Runs the sweep now and then: every half minute, and right after each China midnight.
pub fn start(db: Db, clock: Clock) {
    tokio::spawn(async move {
        loop {
            let now = clock.now();
            match sweep_once(&db, now).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(coupons = n, "expired and closed coupons returned to their pools"),
                Err(e) => tracing::error!(error = %e, "expiry sweep failed; it will run again"),
            }
            let next_midnight = now.china_date().plus_days(1).start();
            let until_midnight = (next_midnight.millis() - now.millis()).max(0) + 5;
            let wait = until_midnight.min(30_000);
            tokio::time::sleep(Duration::from_millis(u64::try_from(wait).unwrap_or(30_000))).await;
        }
    });
}

/// One sweep in its own transaction.
pub async fn sweep_once(db: &Db, now: Timestamp) -> Result<usize, DbError> {
    let mut tx = db.begin_write().await?;
    let n = expire_due(&mut tx, db, now).await?;
    tx.commit().await?;
    Ok(n)
}
