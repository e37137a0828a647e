//! The pools: each kind's budget, one row per round (and round 0 for what no round gives out),
//! split into what is still available, what residents hold, and what they have redeemed. The
//! table checks that the three add up to the budget after every statement, and that none goes
//! below zero.
//!
//! [`apply`] and [`take`] are the one place a coupon's life moves a pool's accounts: by the
//! deltas of `quan_core::rules::transition` and `claim_delta`, all three in one statement.

use quan_core::campaign::Campaign;
use quan_core::rules::Delta;
use quan_core::Fen;

use crate::db::{col, Db, DbError, Tx};

/// Moves pool (`campaign`, `kind`, `round`) by `d`, if none of its accounts would go below zero;
/// whether it did (a pool that cannot give what a claim asks is sold out, and nothing changes).
pub async fn take(tx: &mut Tx, campaign: &str, kind: &str, round: i64, d: Delta) -> Result<bool, DbError> {
    if d == Delta::default() {
        return Ok(true);
    }
    let done = sqlx::query(
        "UPDATE pools SET available = available + $1, held = held + $2, redeemed = redeemed + $3 \
         WHERE campaign = $4 AND kind = $5 AND round = $6 \
           AND available + $1 >= 0 AND held + $2 >= 0 AND redeemed + $3 >= 0",
    )
    .bind(d.available.0)
    .bind(d.held.0)
    .bind(d.redeemed.0)
    .bind(campaign)
    .bind(kind)
    .bind(round)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Moves the pool by `d`, which must fit: a delta the pool cannot take is a fault (the caller
/// decided the coupon's change against what it read in the same transaction).
pub async fn apply(tx: &mut Tx, campaign: &str, kind: &str, round: i64, d: Delta) -> Result<(), DbError> {
    if take(tx, campaign, kind, round, d).await? {
        Ok(())
    } else {
        Err(DbError(format!(
            "pool {campaign}/{kind}/{round} cannot take {d:?}: it is missing, or would go below zero"
        )))
    }
}

/// Creates each kind's pools (one per round, plus round 0 for what no round gives out) if they
/// are not there yet. Runs at start-up on every instance; creating twice changes nothing.
pub async fn ensure(db: &Db, campaigns: &[Campaign]) -> Result<(), DbError> {
    let mut tx = db.begin_write().await?;
    for c in campaigns {
        for sub in &c.subsidies {
            sqlx::query(
                "INSERT INTO subsidy_budgets (campaign, subsidy, budget, reserved, paid) \
                 VALUES ($1, $2, $3, 0, 0) ON CONFLICT DO NOTHING",
            )
            .bind(c.id.as_str())
            .bind(sub.id.as_str())
            .bind(sub.budget.0)
            .execute(&mut *tx)
            .await?;
        }
        for k in &c.kinds {
            let mut rest = k.budget;
            let mut rows: Vec<(i64, Fen)> = Vec::new();
            for r in &c.rounds {
                if let Some(q) = r.quota.get(&k.id) {
                    rows.push((i64::from(r.number), *q));
                    rest -= *q;
                }
            }
            rows.push((0, rest));
            for (round, budget) in rows {
                sqlx::query(
                    "INSERT INTO pools (campaign, kind, round, budget, available, held, redeemed) \
                     VALUES ($1, $2, $3, $4, $4, 0, 0) ON CONFLICT DO NOTHING",
                )
                .bind(c.id.as_str())
                .bind(k.id.as_str())
                .bind(round)
                .bind(budget.0)
                .execute(&mut *tx)
                .await?;
            }
        }
    }
    tx.commit().await?;
    Ok(())
}

/// One kind's accounts, summed over its pools: the conservation check.
pub async fn conservation(
    db: &Db,
    campaign: &str,
    kind: &str,
) -> Result<quan_core::rules::Conservation, DbError> {
    let row = sqlx::query(
        "SELECT CAST(COALESCE(SUM(budget), 0) AS BIGINT) AS budget, \
                CAST(COALESCE(SUM(available), 0) AS BIGINT) AS available, \
                CAST(COALESCE(SUM(held), 0) AS BIGINT) AS held, \
                CAST(COALESCE(SUM(redeemed), 0) AS BIGINT) AS redeemed \
         FROM pools WHERE campaign = $1 AND kind = $2",
    )
    .bind(campaign)
    .bind(kind)
    .fetch_one(&db.pool)
    .await?;
    Ok(quan_core::rules::Conservation {
        budget: Fen(col(&row, "budget")?),
        available: Fen(col(&row, "available")?),
        held: Fen(col(&row, "held")?),
        redeemed: Fen(col(&row, "redeemed")?),
    })
}
