//! Coupons shops issue (Jishan's appliance coupons): staff check the order, then issue the kind's
//! rate of it to the customer, found by mobile number. One write transaction with the round's
//! pool row locked first, so parallel issues of a kind are decided one at a time: the customer's
//! limits (slots, as for claims) and the budget hold under any concurrency.

use quan_core::api::{IssueRequest, IssuedCoupon, MerchantView};
use quan_core::campaign::Issuance;
use quan_core::pause::stopping_issue;
use quan_core::report::LedgerEvent;
use quan_core::rules::{check_issue, claim_delta};
use quan_core::slots::LimitScope;
use quan_core::{ErrorCode, Fen, Timestamp};

use super::idempotency::{self, IdemKey, Prior};
use super::ledger::{self, Entry};
use super::residents;
use super::slots::Held;
use super::{pauses, pools};
use crate::campaigns::Campaigns;
use crate::db::{col, Db};
use crate::error::AppError;

/// Issues a coupon, or says why not.
#[allow(clippy::too_many_arguments)]
pub async fn issue(
    db: &Db,
    campaigns: &Campaigns,
    merchant: &MerchantView,
    request: &IssueRequest,
    idem: Option<&IdemKey>,
    now: Timestamp,
) -> Result<Result<IssuedCoupon, Prior>, AppError> {
    if let Some(prior) = idempotency::replayed(db, idem).await? {
        return Ok(Err(prior));
    }
    let (campaign, kind) = super::merchant_kind(
        campaigns,
        merchant,
        request.campaign.as_str(),
        request.kind.as_str(),
        Issuance::Shop,
    )?;
    let phone = quan_core::ids::mobile_number(&request.phone).ok_or_else(|| {
        AppError::new(
            ErrorCode::InvalidRequest,
            "a mobile number has 11 digits and starts with 1",
        )
    })?;
    let resident = residents::by_phone(db, &phone).await?.ok_or_else(|| {
        AppError::new(
            ErrorCode::NotFound,
            "no resident has signed in with this mobile number: ask the customer to open the wallet once",
        )
    })?;
    let date = now.china_date();
    // The round is known before the lock: a pool per round.
    let round_number = campaign.round_on(date).map_or(0, |r| r.number);
    let round = i64::from(round_number);
    let mut tx = db.begin_write().await?;
    if let Some(p) = stopping_issue(&pauses::live(&mut *tx, campaign.id.as_str()).await?, &kind.id) {
        return Err(AppError::new(ErrorCode::ClaimsPaused, p.reason.clone()));
    }
    let pool = sqlx::query(&format!(
        "SELECT available FROM pools WHERE campaign = $1 AND kind = $2 AND round = $3{}",
        db.dialect.for_update()
    ))
    .bind(campaign.id.as_str())
    .bind(kind.id.as_str())
    .bind(round)
    .fetch_optional(&mut *tx)
    .await?;
    let available = match pool {
        Some(r) => Fen(col(&r, "available")?),
        None => Fen::ZERO,
    };
    let held = Held::read(&mut tx, resident, campaign.id.as_str(), kind.id.as_str()).await?;
    let usage = held.usage(0, round_number, date);
    let grant = check_issue(campaign, kind, usage, available, request.order_amount.fen(), now)
        .map_err(|r| AppError::code(r.code()))?;
    let rate = kind.rate.map_or(0, |r| i64::from(r.basis_points));
    let row = sqlx::query(
        "INSERT INTO coupons (campaign, kind, denomination, round, resident_id, source, day, value, threshold, \
         rate_bp, status, given, claimed_at, expires_at) \
         VALUES ($1, $2, 0, $3, $4, $5, $6, $7, 0, $8, 'held', 0, $9, $10) RETURNING id",
    )
    .bind(campaign.id.as_str())
    .bind(kind.id.as_str())
    .bind(i64::from(grant.round))
    .bind(resident.0)
    .bind(Issuance::Shop.as_str())
    .bind(date.to_string())
    .bind(grant.value.0)
    .bind(rate)
    .bind(now.millis())
    .bind(grant.expires.millis())
    .fetch_one(&mut *tx)
    .await?;
    let coupon: i64 = col(&row, "id")?;
    let scopes = LimitScope::for_coupon(&kind.limits, 0, grant.round, date);
    if !held.take(&mut tx, &scopes, coupon).await? {
        // Another issue to the same customer took the last slot between the check and here.
        return Err(AppError::new(
            ErrorCode::LimitReached,
            "another issue to this customer went through just now and used up their limit",
        ));
    }
    ledger::record(
        &mut tx,
        &Entry {
            at: now,
            event: LedgerEvent::Issue(Issuance::Shop),
            campaign: campaign.id.as_str(),
            kind: kind.id.as_str(),
            round: i64::from(grant.round),
            coupon,
            resident: resident.0,
            amount: grant.value,
            order: request.order_amount.fen(),
            merchant: Some(merchant.id),
            redemption: None,
        },
    )
    .await?;
    pools::apply(
        &mut tx,
        campaign.id.as_str(),
        kind.id.as_str(),
        i64::from(grant.round),
        claim_delta(grant.value),
    )
    .await?;
    let benefit = quan_core::rules::Benefit::Rate {
        basis_points: u32::try_from(rate).unwrap_or(0),
        cap: Some(grant.value),
        floor: None,
    };
    let view = IssuedCoupon {
        coupon: quan_core::CouponId(coupon),
        kind: kind.id.clone(),
        kind_name: kind.name.clone(),
        words: benefit.words_zh(),
        value: grant.value,
        expires_at: grant.expires,
        customer: quan_core::ids::masked_mobile(&phone),
    };
    idempotency::commit_with(db, tx, idem, 201, view, now).await
}
