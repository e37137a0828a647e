//! What the report and the audit sample read: the ledger, the pools, the redemptions, and the
//! campaign's audit seed.

use quan_core::report::{LedgerEvent, PoolState, Record};
use quan_core::{Fen, Timestamp};
use rand::Rng;
use sqlx::any::AnyRow;

use crate::db::{col, Db, DbError, Tx};

/// Every ledger record of a campaign, in the order they were written. (Read with the pools in one
/// read transaction, the figures agree with each other.)
pub async fn records(tx: &mut Tx, campaign: &str) -> Result<Vec<Record>, DbError> {
    let rows = sqlx::query(
        "SELECT id, at, event, kind, coupon_id, resident_id, amount, order_amount, merchant_id, redemption_id \
         FROM ledger WHERE campaign = $1 ORDER BY id",
    )
    .bind(campaign)
    .fetch_all(&mut **tx)
    .await?;
    rows.iter()
        .map(|row| {
            let event: String = col(row, "event")?;
            Ok(Record {
                id: col(row, "id")?,
                at: Timestamp(col(row, "at")?),
                event: LedgerEvent::parse(&event)
                    .ok_or_else(|| DbError(format!("unknown ledger event {event}")))?,
                kind: col(row, "kind")?,
                coupon: col(row, "coupon_id")?,
                resident: col(row, "resident_id")?,
                amount: Fen(col(row, "amount")?),
                order: Fen(col(row, "order_amount")?),
                merchant: col(row, "merchant_id")?,
                redemption: col(row, "redemption_id")?,
            })
        })
        .collect()
}

/// Each kind's budget and what residents hold, summed over its pools.
pub async fn pool_states(tx: &mut Tx, campaign: &str) -> Result<Vec<(String, PoolState)>, DbError> {
    let rows = sqlx::query(
        "SELECT kind, CAST(SUM(budget) AS BIGINT) AS budget, CAST(SUM(held) AS BIGINT) AS held \
         FROM pools WHERE campaign = $1 GROUP BY kind",
    )
    .bind(campaign)
    .fetch_all(&mut **tx)
    .await?;
    rows.iter()
        .map(|row| {
            Ok((
                col(row, "kind")?,
                PoolState {
                    budget: Fen(col(row, "budget")?),
                    held: Fen(col(row, "held")?),
                },
            ))
        })
        .collect()
}

/// The campaign's audit seed: drawn once, at the first report, and kept, so every report and
/// export names the same sample.
pub async fn audit_seed(db: &Db, campaign: &str) -> Result<u64, DbError> {
    let name = format!("audit_seed:{campaign}");
    let fresh: u64 = rand::thread_rng().gen_range(100_000_000..1_000_000_000);
    let mut tx = db.begin_write().await?;
    sqlx::query("INSERT INTO settings (name, value) VALUES ($1, $2) ON CONFLICT DO NOTHING")
        .bind(&name)
        .bind(fresh.to_string())
        .execute(&mut *tx)
        .await?;
    let row = sqlx::query("SELECT value FROM settings WHERE name = $1")
        .bind(&name)
        .fetch_one(&mut *tx)
        .await?;
    tx.commit().await?;
    let stored: String = col(&row, "value")?;
    stored
        .parse()
        .map_err(|_| DbError(format!("the stored audit seed of {campaign} is not a number")))
}

/// One redemption record as the auditors re-check it.
#[derive(Debug, Clone)]
pub struct AuditRow {
    pub id: i64,
    pub at: Timestamp,
    pub kind: String,
    pub coupon: i64,
    pub resident: i64,
    pub merchant: i64,
    pub merchant_name: String,
    pub order: Fen,
    pub discount: Fen,
    pub threshold: Fen,
    pub reversed_at: Option<Timestamp>,
}

impl AuditRow {
    fn read(row: &AnyRow) -> Result<AuditRow, DbError> {
        Ok(AuditRow {
            id: col(row, "id")?,
            at: Timestamp(col(row, "at")?),
            kind: col(row, "kind")?,
            coupon: col(row, "coupon_id")?,
            resident: col(row, "resident_id")?,
            merchant: col(row, "merchant_id")?,
            merchant_name: col(row, "merchant_name")?,
            order: Fen(col(row, "order_amount")?),
            discount: Fen(col(row, "discount")?),
            threshold: Fen(col(row, "threshold")?),
            reversed_at: col::<Option<i64>>(row, "reversed_at")?.map(Timestamp),
        })
    }
}

/// Every redemption of a campaign, reversed ones included, by id.
pub async fn redemptions(tx: &mut Tx, campaign: &str) -> Result<Vec<AuditRow>, DbError> {
    let rows = sqlx::query(
        "SELECT r.id, r.at, c.kind, r.coupon_id, c.resident_id, r.merchant_id, m.name AS merchant_name, \
                r.order_amount, r.discount, c.threshold, r.reversed_at \
         FROM redemptions r JOIN coupons c ON c.id = r.coupon_id JOIN merchants m ON m.id = r.merchant_id \
         WHERE c.campaign = $1 ORDER BY r.id",
    )
    .bind(campaign)
    .fetch_all(&mut **tx)
    .await?;
    rows.iter().map(AuditRow::read).collect()
}

/// The settlements of a campaign: redemptions standing, per merchant and kind (one
/// merchant's, if given).
pub async fn settlement(
    db: &Db,
    campaigns: &crate::campaigns::Campaigns,
    campaign: &str,
    merchant: Option<quan_core::MerchantId>,
) -> Result<quan_core::api::Settlement, DbError> {
    let rows = sqlx::query(
        "SELECT r.merchant_id, m.name AS merchant_name, c.kind, CAST(COUNT(*) AS BIGINT) AS n, \
                CAST(SUM(r.discount) AS BIGINT) AS discount, CAST(SUM(r.order_amount) AS BIGINT) AS orders \
         FROM redemptions r JOIN coupons c ON c.id = r.coupon_id JOIN merchants m ON m.id = r.merchant_id \
         WHERE c.campaign = $1 AND r.reversed_at IS NULL AND ($2 = 0 OR r.merchant_id = $2) \
         GROUP BY r.merchant_id, m.name, c.kind ORDER BY r.merchant_id, c.kind",
    )
    .bind(campaign)
    .bind(merchant.map_or(0, |m| m.0))
    .fetch_all(&db.pool)
    .await?;
    let kind_name = |kind: &str| {
        campaigns
            .kind(campaign, kind)
            .map(|(_, k)| k.name.clone())
            .unwrap_or_default()
    };
    let lines = rows
        .iter()
        .map(|row| {
            let kind: String = col(row, "kind")?;
            Ok(quan_core::api::SettlementLine {
                merchant: quan_core::MerchantId(col(row, "merchant_id")?),
                merchant_name: col(row, "merchant_name")?,
                kind_name: kind_name(&kind),
                kind: quan_core::KindId::from(kind.as_str()),
                count: u64::try_from(col::<i64>(row, "n")?).unwrap_or(0),
                discount: Fen(col(row, "discount")?),
                order_amount: Fen(col(row, "orders")?),
            })
        })
        .collect::<Result<Vec<_>, DbError>>()?;
    Ok(quan_core::api::Settlement {
        campaign: quan_core::CampaignId::from(campaign),
        count: lines.iter().map(|l| l.count).sum(),
        discount: lines.iter().map(|l| l.discount).sum(),
        lines,
    })
}

/// A campaign's reallocations, oldest first.
pub async fn reallocations(db: &Db, campaign: &str) -> Result<Vec<quan_core::api::Reallocation>, DbError> {
    let rows = sqlx::query(
        "SELECT id, at, from_kind, to_kind, amount, reason FROM reallocations WHERE campaign = $1 ORDER BY id",
    )
    .bind(campaign)
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(quan_core::api::Reallocation {
                id: col(row, "id")?,
                at: quan_core::Timestamp(col(row, "at")?),
                from_kind: quan_core::KindId::from(col::<String>(row, "from_kind")?.as_str()),
                to_kind: quan_core::KindId::from(col::<String>(row, "to_kind")?.as_str()),
                amount: Fen(col(row, "amount")?),
                reason: col(row, "reason")?,
            })
        })
        .collect()
}
