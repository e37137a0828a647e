//! Coupons as residents and tills see them.

use quan_core::api::CouponView;
use quan_core::campaign::Issuance;
use quan_core::code::CouponKey;
use quan_core::rules::{Benefit, CouponStatus};
use quan_core::{CampaignId, CouponId, Fen, KindId, Timestamp};
use sqlx::any::AnyRow;

use crate::campaigns::Campaigns;
use crate::db::{col, DbError};

/// The columns [`CouponRow::read`] needs.
pub const COLUMNS: &str =
    "id, campaign, kind, denomination, round, resident_id, source, value, threshold, rate_bp, status, given, claimed_at, expires_at, merchant_id";

/// One row of `coupons`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CouponRow {
    pub id: CouponId,
    pub campaign: String,
    pub kind: String,
    pub denomination: i64,
    pub round: i64,
    pub resident_id: i64,
    pub source: Issuance,
    pub value: Fen,
    pub threshold: Fen,
    pub rate_bp: i64,
    pub status: CouponStatus,
    pub given: Fen,
    pub claimed_at: Timestamp,
    pub expires_at: Timestamp,
    /// The one merchant where it can be used (a merchant's own offer), if any.
    pub merchant: Option<i64>,
}

pub fn status_str(s: CouponStatus) -> &'static str {
    match s {
        CouponStatus::Held => "held",
        CouponStatus::Redeemed => "redeemed",
        CouponStatus::Closed => "closed",
        CouponStatus::Expired => "expired",
        CouponStatus::Revoked => "revoked",
    }
}

fn parse_status(s: &str) -> Result<CouponStatus, DbError> {
    Ok(match s {
        "held" => CouponStatus::Held,
        "redeemed" => CouponStatus::Redeemed,
        "closed" => CouponStatus::Closed,
        "expired" => CouponStatus::Expired,
        "revoked" => CouponStatus::Revoked,
        other => return Err(DbError(format!("unknown coupon status '{other}'"))),
    })
}

impl CouponRow {
    pub fn read(row: &AnyRow) -> Result<CouponRow, DbError> {
        let source: String = col(row, "source")?;
        let status: String = col(row, "status")?;
        Ok(CouponRow {
            id: CouponId(col(row, "id")?),
            campaign: col(row, "campaign")?,
            kind: col(row, "kind")?,
            denomination: col(row, "denomination")?,
            round: col(row, "round")?,
            resident_id: col(row, "resident_id")?,
            source: Issuance::parse(&source).ok_or_else(|| DbError(format!("unknown source '{source}'")))?,
            value: Fen(col(row, "value")?),
            threshold: Fen(col(row, "threshold")?),
            rate_bp: col(row, "rate_bp")?,
            status: parse_status(&status)?,
            given: Fen(col(row, "given")?),
            claimed_at: Timestamp(col(row, "claimed_at")?),
            expires_at: Timestamp(col(row, "expires_at")?),
            merchant: col(row, "merchant_id")?,
        })
    }

    pub fn benefit(&self) -> Benefit {
        if self.rate_bp > 0 {
            Benefit::Rate {
                basis_points: u32::try_from(self.rate_bp).unwrap_or(0),
                cap: Some(self.value),
                floor: None,
            }
        } else {
            Benefit::ThresholdOff {
                threshold: self.threshold,
                off: self.value,
            }
        }
    }

    /// The status a resident should see at `now`: a held coupon past its expiry is expired even
    /// before the sweep has recorded it.
    pub fn status_at(&self, now: Timestamp) -> CouponStatus {
        match self.status {
            CouponStatus::Held if now > self.expires_at => CouponStatus::Expired,
            CouponStatus::Redeemed if now > self.expires_at => CouponStatus::Closed,
            s => s,
        }
    }

    /// The wallet's view, with the code key while the coupon is usable.
    pub fn view(&self, campaigns: &Campaigns, coupon_master: &[u8], now: Timestamp) -> CouponView {
        let kind = campaigns.kind(&self.campaign, &self.kind).map(|(_, k)| k);
        let status = self.status_at(now);
        let benefit = self.benefit();
        CouponView {
            id: self.id,
            campaign: CampaignId(self.campaign.clone()),
            kind: KindId(self.kind.clone()),
            kind_name: kind.map(|k| k.name.clone()).unwrap_or_else(|| self.kind.clone()),
            kind_name_en: kind.map(|k| k.name_en.clone()).unwrap_or_default(),
            denomination: usize::try_from(self.denomination).unwrap_or(0),
            benefit,
            words: benefit.words_zh(),
            status,
            source: self.source,
            value: self.value,
            given: self.given,
            claimed_at: self.claimed_at,
            expires_at: self.expires_at,
            categories: kind.map(|k| k.categories.clone()).unwrap_or_default(),
            key: (status == CouponStatus::Held).then(|| CouponKey::derive(coupon_master, self.id)),
        }
    }
}
