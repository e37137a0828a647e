//! What the server keeps: everything that changes goes through here, inside transactions, and
//! moves money only by the deltas of `quan_core::rules::transition`.

pub mod accounts;
pub mod allocations;
pub mod applications;
pub mod claims;
pub mod coupons;
pub mod idempotency;
pub mod issues;
pub mod ledger;
pub mod love_cards;
pub mod merchants;
pub mod offers;
pub mod redemptions;
pub mod reports;
pub mod residents;
pub mod sessions;
pub mod sweep;

use quan_core::campaign::Campaign;
use quan_core::Fen;
use rand::RngCore;

use crate::db::{col, Db, DbError};

/// Creates each kind's pools (one per round, plus round 0 for what no round gives out) if they
/// are not there yet. Runs at start-up on every instance; creating twice changes nothing.
pub async fn ensure_pools(db: &Db, campaigns: &[Campaign]) -> Result<(), DbError> {
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

/// The master secret all instances share: made once, at the first start, and kept.
pub async fn master_secret(db: &Db) -> Result<Vec<u8>, DbError> {
    let mut fresh = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut fresh);
    let hex: String = fresh.iter().map(|b| format!("{b:02x}")).collect();
    let mut tx = db.begin_write().await?;
    sqlx::query("INSERT INTO settings (name, value) VALUES ('master_secret', $1) ON CONFLICT DO NOTHING")
        .bind(&hex)
        .execute(&mut *tx)
        .await?;
    let row = sqlx::query("SELECT value FROM settings WHERE name = 'master_secret'")
        .fetch_one(&mut *tx)
        .await?;
    tx.commit().await?;
    let stored: String = col(&row, "value")?;
    (0..stored.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(stored.get(i..i + 2).unwrap_or("zz"), 16))
        .collect::<Result<Vec<u8>, _>>()
        .map_err(|_| DbError("the stored master secret is not hexadecimal".into()))
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

/// A kind a merchant acts on itself (issuing in the shop, or setting up its own coupons): it must
/// exist, be issued that way, and apply in the merchant's category; a blacklisted merchant does
/// nothing.
pub fn merchant_kind<'a>(
    campaigns: &'a crate::campaigns::Campaigns,
    merchant: &quan_core::api::MerchantView,
    campaign: &str,
    kind: &str,
    issuance: quan_core::campaign::Issuance,
) -> Result<(&'a Campaign, &'a quan_core::campaign::Kind), crate::error::AppError> {
    use crate::error::AppError;
    use quan_core::ErrorCode;
    let (c, k) = campaigns
        .kind(campaign, kind)
        .ok_or_else(|| AppError::new(ErrorCode::NotFound, "no such campaign or coupon kind"))?;
    if k.issuance != issuance {
        return Err(AppError::new(
            ErrorCode::InvalidRequest,
            "this kind is not issued that way",
        ));
    }
    if merchant.blacklisted {
        return Err(AppError::code(ErrorCode::MerchantBlacklisted));
    }
    if !k.applies_in(&merchant.category) {
        return Err(AppError::new(
            ErrorCode::WrongCategory,
            "this merchant is not listed for this kind",
        ));
    }
    Ok((c, k))
}
