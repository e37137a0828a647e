//! Redemption at the till, and its reversal. The server alone knows whether a coupon was used:
//! the change from `held` to `redeemed` is one conditional update, so of two tills scanning the
//! same coupon at the same instant exactly one succeeds.

use quan_core::api::{KindTotals, LookupResult, MerchantDay, MerchantView, RedemptionView, Totals};
use quan_core::code::{self, CouponKey};
use quan_core::pause::{stopping_redemption, Pause};
use quan_core::report::LedgerEvent;
use quan_core::rules::{transition, CouponStatus, Event};
use quan_core::{CouponId, ErrorCode, Fen, KindId, MerchantId, RedemptionId, Timestamp};

use super::coupons::{status_str, CouponRow, COLUMNS};
use super::idempotency::{self, IdemKey, Prior};
use super::ledger;
use super::{pauses, pools};
use crate::campaigns::Campaigns;
use crate::db::{col, Db, DbError};
use crate::error::AppError;

fn db_err(e: DbError) -> AppError {
    AppError::internal(e)
}

/// The coupon behind a scanned or typed code, checked: genuine, current, usable.
pub async fn read_code(
    db: &Db,
    coupon_master: &[u8],
    text: &str,
    now: Timestamp,
) -> Result<CouponRow, AppError> {
    let parsed = code::parse(text).map_err(|e| AppError::new(ErrorCode::CodeInvalid, e.to_string()))?;
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM coupons WHERE id = $1"))
        .bind(parsed.coupon.0)
        .fetch_optional(&db.pool)
        .await?;
    let coupon = match row {
        Some(r) => CouponRow::read(&r).map_err(db_err)?,
        None => return Err(AppError::new(ErrorCode::CodeInvalid, "no coupon has this code")),
    };
    let key = CouponKey::derive(coupon_master, coupon.id);
    parsed
        .verify(&key, now, coupon.expires_at)
        .map_err(|c| AppError::new(c, code_words(c)))?;
    usable(&coupon, now)?;
    Ok(coupon)
}

fn code_words(c: ErrorCode) -> &'static str {
    match c {
        ErrorCode::CodeStale => "the code is out of date: ask the customer to refresh it",
        ErrorCode::CodeExpired => "the coupon has expired",
        _ => "the code is not genuine",
    }
}

fn usable(c: &CouponRow, now: Timestamp) -> Result<(), AppError> {
    match c.status_at(now) {
        CouponStatus::Held => Ok(()),
        CouponStatus::Redeemed | CouponStatus::Closed => Err(AppError::new(
            ErrorCode::AlreadyRedeemed,
            "this coupon has been used",
        )),
        CouponStatus::Expired => Err(AppError::new(ErrorCode::CodeExpired, "the coupon has expired")),
        CouponStatus::Revoked => Err(AppError::new(ErrorCode::CodeInvalid, "the coupon was withdrawn")),
    }
}

/// What the till shows after a scan.
pub fn describe(
    campaigns: &Campaigns,
    coupon: &CouponRow,
    merchant: &MerchantView,
    paused: &[Pause],
) -> LookupResult {
    let kind = campaigns.kind(&coupon.campaign, &coupon.kind).map(|(_, k)| k);
    let pause = stopping_redemption(paused, &merchant.category);
    let refusal = if let Some(refusal) = merchant.refusal() {
        Some(refusal)
    } else if pause.is_some() {
        Some(ErrorCode::RedemptionsPaused)
    } else if !kind.is_some_and(|k| k.applies_in(&merchant.category))
        || coupon.merchant.is_some_and(|m| m != merchant.id.0)
    {
        // Another category's coupon, or another merchant's own offer.
        Some(ErrorCode::WrongCategory)
    } else {
        None
    };
    let benefit = coupon.benefit();
    LookupResult {
        coupon: coupon.id,
        kind: KindId(coupon.kind.clone()),
        kind_name: kind
            .map(|k| k.name.clone())
            .unwrap_or_else(|| coupon.kind.clone()),
        benefit,
        words: benefit.words_zh(),
        expires_at: coupon.expires_at,
        applies_here: refusal.is_none(),
        reason: pause
            .filter(|_| refusal == Some(ErrorCode::RedemptionsPaused))
            .map(|p| p.reason.clone()),
        refusal,
    }
}

/// Redeems the coupon behind `text` against an order of `order` at `merchant`.
#[allow(clippy::too_many_arguments)]
pub async fn redeem(
    db: &Db,
    campaigns: &Campaigns,
    coupon_master: &[u8],
    merchant: &MerchantView,
    account: i64,
    text: &str,
    order: Fen,
    idem: Option<&IdemKey>,
    now: Timestamp,
) -> Result<Result<RedemptionView, Prior>, AppError> {
    if let Some(prior) = idempotency::replayed(db, idem).await? {
        return Ok(Err(prior));
    }
    if let Some(refusal) = merchant.refusal() {
        return Err(AppError::new(refusal, "this merchant may not redeem coupons now"));
    }
    if !order.is_positive() {
        return Err(AppError::new(
            ErrorCode::InvalidRequest,
            "the order amount must be more than zero",
        ));
    }
    let coupon = read_code(db, coupon_master, text, now).await?;
    // A pause is read in the transaction below, where it is decided.
    let info = describe(campaigns, &coupon, merchant, &[]);
    if let Some(code) = info.refusal {
        return Err(AppError::new(code, "this coupon cannot be used at this merchant"));
    }
    let discount = coupon.benefit().discount(order).map_err(|c| {
        AppError::new(
            c,
            format!(
                "the order must reach {} yuan for this coupon",
                coupon.benefit().threshold()
            ),
        )
    })?;
    let (_, delta) = transition(
        CouponStatus::Held,
        coupon.value,
        Fen::ZERO,
        Event::Redeem { discount },
    )
    .map_err(AppError::code)?;

    let mut tx = db.begin_write().await.map_err(db_err)?;
    if let Some(p) = stopping_redemption(
        &pauses::live(&mut *tx, &coupon.campaign).await?,
        &merchant.category,
    ) {
        return Err(AppError::new(ErrorCode::RedemptionsPaused, p.reason.clone()));
    }
    let done = sqlx::query(
        "UPDATE coupons SET status = 'redeemed', given = $1 WHERE id = $2 AND status = 'held' AND expires_at >= $3",
    )
    .bind(discount.0)
    .bind(coupon.id.0)
    .bind(now.millis())
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() != 1 {
        let _ = tx.rollback().await;
        // Someone else's till was faster (or midnight passed): say which.
        if let Some(k) = idem {
            if let Prior::Replay { status, body } = idempotency::lookup_now(db, k).await? {
                return Ok(Err(Prior::Replay { status, body }));
            }
        }
        let again = read_code(db, coupon_master, text, now).await.err();
        return Err(
            again.unwrap_or_else(|| AppError::new(ErrorCode::AlreadyRedeemed, "this coupon has been used"))
        );
    }
    pools::apply(&mut tx, &coupon.campaign, &coupon.kind, coupon.round, delta)
        .await
        .map_err(db_err)?;
    let day = now.china_date().to_string();
    let row = sqlx::query(
        "INSERT INTO redemptions (coupon_id, merchant_id, account_id, order_amount, discount, at, day) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(coupon.id.0)
    .bind(merchant.id.0)
    .bind(account)
    .bind(order.0)
    .bind(discount.0)
    .bind(now.millis())
    .bind(&day)
    .fetch_one(&mut *tx)
    .await?;
    let id: i64 = col(&row, "id").map_err(db_err)?;
    ledger::record(
        &mut tx,
        &ledger::Entry::of(&coupon, now, LedgerEvent::Redeem, discount).at_till(order, merchant.id, id),
    )
    .await
    .map_err(db_err)?;
    let view = RedemptionView {
        id: RedemptionId(id),
        coupon: coupon.id,
        kind: info.kind,
        kind_name: info.kind_name,
        words: info.words,
        order_amount: order,
        discount,
        to_pay: order - discount,
        at: now,
        reversed_at: None,
    };
    idempotency::commit_with(db, tx, idem, 201, view, now).await
}

/// Reverses a redemption of this merchant's (a refund with the coupon returned): the coupon goes
/// back to the wallet with its original expiry, or, past that, its discount back to the pool.
pub async fn reverse(
    db: &Db,
    campaigns: &Campaigns,
    merchant: MerchantId,
    account: i64,
    id: RedemptionId,
    idem: Option<&IdemKey>,
    now: Timestamp,
) -> Result<Result<RedemptionView, Prior>, AppError> {
    if let Some(prior) = idempotency::replayed(db, idem).await? {
        return Ok(Err(prior));
    }
    let mut tx = db.begin_write().await.map_err(db_err)?;
    let lock = db.dialect.for_update();
    let row = sqlx::query(&format!(
        "SELECT coupon_id, order_amount, discount, at, reversed_at FROM redemptions \
         WHERE id = $1 AND merchant_id = $2{lock}"
    ))
    .bind(id.0)
    .bind(merchant.0)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(row) = row else {
        return Err(AppError::new(
            ErrorCode::NotFound,
            "no such redemption at this merchant",
        ));
    };
    if col::<Option<i64>>(&row, "reversed_at").map_err(db_err)?.is_some() {
        return Err(AppError::new(
            ErrorCode::NotReversible,
            "this redemption was already reversed",
        ));
    }
    let coupon_id: i64 = col(&row, "coupon_id").map_err(db_err)?;
    let order = Fen(col(&row, "order_amount").map_err(db_err)?);
    let at = Timestamp(col(&row, "at").map_err(db_err)?);
    let c = sqlx::query(&format!("SELECT {COLUMNS} FROM coupons WHERE id = $1{lock}"))
        .bind(coupon_id)
        .fetch_one(&mut *tx)
        .await?;
    let mut coupon = CouponRow::read(&c).map_err(db_err)?;
    let given = coupon.given;
    // A redeemed coupon whose day is over but not yet swept is closed first.
    if coupon.status == CouponStatus::Redeemed && now > coupon.expires_at {
        let (to, d) =
            transition(coupon.status, coupon.value, given, Event::Expire).map_err(AppError::code)?;
        pools::apply(&mut tx, &coupon.campaign, &coupon.kind, coupon.round, d)
            .await
            .map_err(db_err)?;
        coupon.status = to;
    }
    let (to, delta) =
        transition(coupon.status, coupon.value, given, Event::Reverse).map_err(AppError::code)?;
    sqlx::query("UPDATE coupons SET status = $1, given = 0 WHERE id = $2")
        .bind(status_str(to))
        .bind(coupon.id.0)
        .execute(&mut *tx)
        .await?;
    pools::apply(&mut tx, &coupon.campaign, &coupon.kind, coupon.round, delta)
        .await
        .map_err(db_err)?;
    sqlx::query("UPDATE redemptions SET reversed_at = $1, reversed_by = $2 WHERE id = $3")
        .bind(now.millis())
        .bind(account)
        .bind(id.0)
        .execute(&mut *tx)
        .await?;
    ledger::record(
        &mut tx,
        &ledger::Entry::of(&coupon, now, LedgerEvent::Reverse, given).at_till(order, merchant, id.0),
    )
    .await
    .map_err(db_err)?;
    let kind = campaigns.kind(&coupon.campaign, &coupon.kind).map(|(_, k)| k);
    let view = RedemptionView {
        id,
        coupon: coupon.id,
        kind: KindId(coupon.kind.clone()),
        kind_name: kind.map(|k| k.name.clone()).unwrap_or_default(),
        words: coupon.benefit().words_zh(),
        order_amount: order,
        discount: given,
        to_pay: order - given,
        at,
        reversed_at: Some(now),
    };
    idempotency::commit_with(db, tx, idem, 200, view, now).await
}

/// Today's redemptions at a merchant, newest first, with totals of those not reversed.
pub async fn merchant_day(
    db: &Db,
    campaigns: &Campaigns,
    merchant: MerchantId,
    now: Timestamp,
) -> Result<MerchantDay, AppError> {
    let day = now.china_date();
    let rows = sqlx::query(
        "SELECT r.id, r.coupon_id, r.order_amount, r.discount, r.at, r.reversed_at, c.campaign, c.kind, c.value, \
         c.threshold, c.rate_bp FROM redemptions r JOIN coupons c ON c.id = r.coupon_id \
         WHERE r.merchant_id = $1 AND r.day = $2 ORDER BY r.at DESC, r.id DESC",
    )
    .bind(merchant.0)
    .bind(day.to_string())
    .fetch_all(&db.pool)
    .await?;
    let mut out = MerchantDay {
        day,
        redemptions: Vec::new(),
        totals: Totals::default(),
        by_kind: Vec::new(),
    };
    for r in rows {
        let get = |name: &str| col::<i64>(&r, name).map_err(db_err);
        let campaign: String = col(&r, "campaign").map_err(db_err)?;
        let kind_id: String = col(&r, "kind").map_err(db_err)?;
        let kind = campaigns.kind(&campaign, &kind_id).map(|(_, k)| k);
        let rate = get("rate_bp")?;
        let benefit = if rate > 0 {
            quan_core::rules::Benefit::Rate {
                basis_points: u32::try_from(rate).unwrap_or(0),
                cap: Some(Fen(get("value")?)),
                floor: None,
            }
        } else {
            quan_core::rules::Benefit::ThresholdOff {
                threshold: Fen(get("threshold")?),
                off: Fen(get("value")?),
            }
        };
        let order = Fen(get("order_amount")?);
        let discount = Fen(get("discount")?);
        let reversed_at = col::<Option<i64>>(&r, "reversed_at")
            .map_err(db_err)?
            .map(Timestamp);
        if reversed_at.is_none() {
            add(&mut out.totals, order, discount);
            let i = match out.by_kind.iter().position(|k| k.kind.as_str() == kind_id) {
                Some(i) => i,
                None => {
                    out.by_kind.push(KindTotals {
                        kind: KindId(kind_id.clone()),
                        totals: Totals::default(),
                    });
                    out.by_kind.len() - 1
                }
            };
            if let Some(k) = out.by_kind.get_mut(i) {
                add(&mut k.totals, order, discount);
            }
        }
        out.redemptions.push(RedemptionView {
            id: RedemptionId(get("id")?),
            coupon: CouponId(get("coupon_id")?),
            kind: KindId(kind_id.clone()),
            kind_name: kind.map(|k| k.name.clone()).unwrap_or(kind_id),
            words: benefit.words_zh(),
            order_amount: order,
            discount,
            to_pay: order - discount,
            at: Timestamp(get("at")?),
            reversed_at,
        });
    }
    Ok(out)
}

fn add(t: &mut Totals, order: Fen, discount: Fen) {
    t.count += 1;
    t.order_amount += order;
    t.discount += discount;
}
