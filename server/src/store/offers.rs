//! Coupons merchants set up themselves (Jishan's four treasures): a listed merchant offers
//! 满X减(the campaign's rate of X), so many of them; residents claim one of each offer until the
//! quantity is gone; each redeems only at its merchant, and counts in its settlement. A claim
//! is one transaction: the offer's count and the round's pool, both conditional updates, and a
//! limit slot per resident and offer, and the Idempotency-Key's first answer.

use quan_core::api::{CouponView, MerchantOffer, MerchantView, OfferRequest};
use quan_core::campaign::Issuance;
use quan_core::pause::stopping_issue;
use quan_core::report::LedgerEvent;
use quan_core::rules::{check_offer, claim_delta, Benefit};
use quan_core::{CampaignId, ErrorCode, Fen, KindId, MerchantId, ResidentId, Timestamp};
use sqlx::any::AnyRow;

use super::coupons::{CouponRow, COLUMNS};
use super::idempotency::{self, IdemKey, Prior};
use super::ledger::{self, Entry};
use super::slots::Held;
use super::{pauses, pools};
use crate::campaigns::{Campaigns, Live};
use crate::db::{col, Db};
use crate::error::AppError;
use quan_core::slots::LimitScope;

/// The most coupons one offer may hold.
pub const MAX_QUANTITY: u32 = 100_000;

/// Sets up an offer: the merchant must be listed for the kind, the kind set up by merchants.
pub async fn create(
    db: &Db,
    campaigns: &Campaigns,
    merchant: &MerchantView,
    req: &OfferRequest,
    now: Timestamp,
) -> Result<MerchantOffer, AppError> {
    let (_, kind) = super::merchant_kind(
        campaigns,
        merchant,
        req.campaign.as_str(),
        req.kind.as_str(),
        Issuance::Merchant,
    )?;
    let rate = kind.rate.map_or(0, |r| r.basis_points);
    let threshold = req.threshold.fen();
    let off = threshold.basis_points(rate);
    if !off.is_positive() || threshold < Fen(1_000) {
        return Err(AppError::new(
            ErrorCode::InvalidRequest,
            "the order amount must be at least 10 yuan",
        ));
    }
    if req.quantity == 0 || req.quantity > MAX_QUANTITY {
        return Err(AppError::new(
            ErrorCode::InvalidRequest,
            format!("an offer holds 1 to {MAX_QUANTITY} coupons"),
        ));
    }
    let mut tx = db.begin_write().await?;
    let row = sqlx::query(
        "INSERT INTO merchant_offers (campaign, kind, merchant_id, threshold, off, quantity, claimed, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, 0, $7) RETURNING id",
    )
    .bind(req.campaign.as_str())
    .bind(req.kind.as_str())
    .bind(merchant.id.0)
    .bind(threshold.0)
    .bind(off.0)
    .bind(i64::from(req.quantity))
    .bind(now.millis())
    .fetch_one(&mut *tx)
    .await?;
    let id: i64 = col(&row, "id")?;
    tx.commit().await?;
    one(db, campaigns, id)
        .await?
        .ok_or_else(|| AppError::internal("the offer just made is gone"))
}

fn read(campaigns: &Campaigns, row: &AnyRow) -> Result<MerchantOffer, AppError> {
    let campaign: String = col(row, "campaign")?;
    let kind: String = col(row, "kind")?;
    let benefit = Benefit::ThresholdOff {
        threshold: Fen(col(row, "threshold")?),
        off: Fen(col(row, "off")?),
    };
    let count = |name: &str| {
        col::<i64>(row, name)
            .map(|n| u32::try_from(n).unwrap_or(0))
            .map_err(AppError::internal)
    };
    Ok(MerchantOffer {
        id: col(row, "id")?,
        kind_name: campaigns
            .kind(&campaign, &kind)
            .map(|(_, k)| k.name.clone())
            .unwrap_or_default(),
        campaign: CampaignId::from(campaign.as_str()),
        kind: KindId::from(kind.as_str()),
        merchant: MerchantId(col(row, "merchant_id")?),
        merchant_name: col(row, "merchant_name")?,
        words: benefit.words_zh(),
        benefit,
        quantity: count("quantity")?,
        claimed: count("claimed")?,
    })
}

const SELECT: &str =
    "SELECT o.*, m.name AS merchant_name FROM merchant_offers o JOIN merchants m ON m.id = o.merchant_id";

async fn one(db: &Db, campaigns: &Campaigns, id: i64) -> Result<Option<MerchantOffer>, AppError> {
    let row = sqlx::query(&format!("{SELECT} WHERE o.id = $1"))
        .bind(id)
        .fetch_optional(&db.pool)
        .await?;
    row.map(|r| read(campaigns, &r)).transpose()
}

/// Offers of running campaigns, with coupons left, from merchants not blacklisted (for residents);
/// or one merchant's, all of them (for the merchant).
pub async fn list(
    db: &Db,
    campaigns: &Campaigns,
    merchant: Option<MerchantId>,
    now: Timestamp,
) -> Result<Vec<MerchantOffer>, AppError> {
    let rows = match merchant {
        Some(m) => {
            sqlx::query(&format!("{SELECT} WHERE o.merchant_id = $1 ORDER BY o.id"))
                .bind(m.0)
                .fetch_all(&db.pool)
                .await
        }
        None => {
            sqlx::query(&format!(
            "{SELECT} WHERE o.claimed < o.quantity AND m.blacklisted = 0 AND m.suspended = 0 ORDER BY o.id"
        ))
            .fetch_all(&db.pool)
            .await
        }
    }?;
    let running = |o: &MerchantOffer| {
        campaigns
            .get(o.campaign.as_str())
            .is_some_and(|c| c.phase(now) == quan_core::campaign::Phase::Running)
    };
    rows.iter()
        .map(|r| read(campaigns, r))
        .filter(|o| merchant.is_some() || o.as_ref().map_or(true, running))
        .collect()
}

/// A resident claims one coupon of an offer: one per resident and offer, while the offer has
/// some left and the kind's pool covers it. A retry with the same `idem` gets the first answer.
pub async fn claim(
    db: &Db,
    live: &Live,
    coupon_master: &[u8],
    resident: ResidentId,
    id: i64,
    idem: Option<&IdemKey>,
    now: Timestamp,
) -> Result<Result<CouponView, Prior>, AppError> {
    if let Some(prior) = idempotency::replayed(db, idem).await? {
        return Ok(Err(prior));
    }
    let campaigns = live.now();
    let offer = one(db, &campaigns, id)
        .await?
        .ok_or_else(|| AppError::new(ErrorCode::NotFound, "no such offer"))?;
    // Under the bureau's overload switch, as a release claim is.
    live.hold(offer.campaign.as_str())?;
    let (campaign, kind) = campaigns
        .kind(offer.campaign.as_str(), offer.kind.as_str())
        .ok_or_else(|| {
            AppError::new(
                ErrorCode::NotFound,
                "the offer's kind is no longer in the campaign",
            )
        })?;
    let value = offer.benefit.face_value().unwrap_or(Fen::ZERO);
    let date = now.china_date();
    let round = campaign.round_on(date).map_or(0, |r| r.number);
    let mut tx = db.begin_write().await?;
    if let Some(p) = stopping_issue(&pauses::live(&mut *tx, campaign.id.as_str()).await?, &kind.id) {
        return Err(AppError::new(ErrorCode::ClaimsPaused, p.reason.clone()));
    }
    // The offer's row first: claims of one offer are decided one after another.
    let counted =
        sqlx::query("UPDATE merchant_offers SET claimed = claimed + 1 WHERE id = $1 AND claimed < quantity")
            .bind(id)
            .execute(&mut *tx)
            .await?;
    if counted.rows_affected() != 1 {
        return Err(AppError::new(
            ErrorCode::SoldOut,
            "this offer's coupons are all claimed",
        ));
    }
    // Then the rules, as for any claim: the round, the kind's limits, the kind's pool.
    let held = Held::read(&mut tx, resident, campaign.id.as_str(), kind.id.as_str()).await?;
    let available: Fen = Fen(sqlx::query_scalar::<_, i64>(
        "SELECT available FROM pools WHERE campaign = $1 AND kind = $2 AND round = $3",
    )
    .bind(campaign.id.as_str())
    .bind(kind.id.as_str())
    .bind(i64::from(round))
    .fetch_optional(&mut *tx)
    .await?
    .unwrap_or(0));
    let grant = check_offer(campaign, kind, value, held.usage(0, round, date), available, now)
        .map_err(super::claims::refusal)?;
    let round = i64::from(grant.round);
    if !pools::take(
        &mut tx,
        campaign.id.as_str(),
        kind.id.as_str(),
        round,
        claim_delta(value),
    )
    .await?
    {
        return Err(AppError::new(ErrorCode::SoldOut, "the kind's budget is spent"));
    }
    let row = sqlx::query(&format!(
        "INSERT INTO coupons (campaign, kind, denomination, round, resident_id, source, day, value, threshold, \
         rate_bp, status, given, claimed_at, expires_at, merchant_id) \
         VALUES ($1, $2, 0, $3, $4, $5, $6, $7, $8, 0, 'held', 0, $9, $10, $11) RETURNING {COLUMNS}"
    ))
    .bind(campaign.id.as_str())
    .bind(kind.id.as_str())
    .bind(round)
    .bind(resident.0)
    .bind(Issuance::Merchant.as_str())
    .bind(date.to_string())
    .bind(value.0)
    .bind(offer.benefit.threshold().0)
    .bind(now.millis())
    .bind(grant.expires.millis())
    .bind(offer.merchant.0)
    .fetch_one(&mut *tx)
    .await?;
    let coupon = CouponRow::read(&row)?;
    // The kind's limits' slots, and the offer's own: one coupon of each offer a resident.
    let mut scopes = LimitScope::for_coupon(&kind.limits, 0, grant.round, date);
    scopes.push(LimitScope::Offer(id));
    if !held.take(&mut tx, &scopes, coupon.id.0).await? {
        return Err(AppError::new(
            ErrorCode::LimitReached,
            "one coupon of each offer a resident",
        ));
    }
    ledger::record(
        &mut tx,
        &Entry::of(&coupon, now, LedgerEvent::Issue(Issuance::Merchant), value),
    )
    .await?;
    let view = coupon.view(&campaigns, coupon_master, now);
    idempotency::commit_with(db, tx, idem, 201, view, now).await
}
