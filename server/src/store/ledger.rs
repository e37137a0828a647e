//! The ledger: every claim, allocation, redemption, reversal, expiry and settlement, as it
//! happened. The report and the audit sample are drawn from it alone.

use quan_core::report::LedgerEvent;
use quan_core::{Fen, MerchantId, Timestamp};

use super::coupons::CouponRow;
use crate::db::{DbError, Tx};

/// One record.
#[derive(Debug, Clone)]
pub struct Entry<'a> {
    pub at: Timestamp,
    pub event: LedgerEvent,
    pub campaign: &'a str,
    pub kind: &'a str,
    pub round: i64,
    pub coupon: i64,
    pub resident: i64,
    /// The money that moved.
    pub amount: Fen,
    pub order: Fen,
    pub merchant: Option<MerchantId>,
    pub redemption: Option<i64>,
}

impl<'a> Entry<'a> {
    /// A record of `event` on coupon `c`, moving `amount`.
    pub fn of(c: &'a CouponRow, at: Timestamp, event: LedgerEvent, amount: Fen) -> Entry<'a> {
        Entry {
            at,
            event,
            campaign: &c.campaign,
            kind: &c.kind,
            round: c.round,
            coupon: c.id.0,
            resident: c.resident_id,
            amount,
            order: Fen::ZERO,
            merchant: None,
            redemption: None,
        }
    }

    /// …that happened at a till, on an order.
    pub fn at_till(mut self, order: Fen, merchant: MerchantId, redemption: i64) -> Entry<'a> {
        self.order = order;
        self.merchant = Some(merchant);
        self.redemption = Some(redemption);
        self
    }
}

pub async fn record(tx: &mut Tx, e: &Entry<'_>) -> Result<(), DbError> {
    sqlx::query(
        "INSERT INTO ledger (at, event, campaign, kind, round, coupon_id, resident_id, amount, order_amount, \
         merchant_id, redemption_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(e.at.millis())
    .bind(e.event.as_str())
    .bind(e.campaign)
    .bind(e.kind)
    .bind(e.round)
    .bind(e.coupon)
    .bind(e.resident)
    .bind(e.amount.0)
    .bind(e.order.0)
    .bind(e.merchant.map(|m| m.0))
    .bind(e.redemption)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
