//! What the server keeps: everything that changes goes through here, inside transactions, and
//! moves money only by the deltas of `quan_core::rules::transition`.

pub mod accounts;
pub mod allocations;
pub mod applications;
pub mod busy;
pub mod claims;
pub mod coupons;
pub mod draws;
pub mod history;
pub mod idempotency;
pub mod issues;
pub mod ledger;
pub mod love_cards;
pub mod merchants;
pub mod offers;
pub mod pauses;
pub mod pools;
pub mod redemptions;
pub mod reports;
pub mod residents;
pub mod revisions;
pub mod sessions;
pub mod slots;
pub mod sweep;

use quan_core::campaign::Campaign;
use rand::RngCore;

use crate::db::{col, Db, DbError};

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
    if let Some(refusal) = merchant.refusal() {
        return Err(AppError::code(refusal));
    }
    if !k.applies_in(&merchant.category) {
        return Err(AppError::new(
            ErrorCode::WrongCategory,
            "this merchant is not listed for this kind",
        ));
    }
    Ok((c, k))
}
