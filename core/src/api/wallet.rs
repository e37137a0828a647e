//! A resident's claims and wallet: `POST /claims`, `GET /wallet`, a coupon's status.

use serde::{Deserialize, Serialize};

use crate::campaign::Issuance;
use crate::ids::{CampaignId, CategoryId, KindId};
use crate::money::Fen;
use crate::rules::Benefit;
use crate::time::Timestamp;

/// `POST /claims`: a resident claims one denomination of a kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ClaimRequest {
    pub campaign: CampaignId,
    pub kind: KindId,
    /// Index of the denomination within the kind (0 for a rate rule).
    pub denomination: usize,
}

/// A coupon in a resident's wallet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CouponView {
    pub id: crate::ids::CouponId,
    pub campaign: CampaignId,
    pub kind: KindId,
    pub kind_name: String,
    pub denomination: usize,
    pub benefit: Benefit,
    /// The rule in the campaign's words: 满200减40.
    pub words: String,
    pub kind_name_en: String,
    pub status: crate::rules::CouponStatus,
    /// How it came into the wallet: its kind's way of issuing coupons.
    pub source: Issuance,
    /// What it reserved from the pool (its face value, or a rate coupon's cap).
    pub value: Fen,
    /// The discount it gave, once redeemed.
    pub given: Fen,
    pub claimed_at: Timestamp,
    pub expires_at: Timestamp,
    /// Merchant categories where it can be used; empty is any listed merchant.
    pub categories: Vec<CategoryId>,
    /// The key the wallet computes rotating codes with, offline; only while usable.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<crate::code::CouponKey>,
}

/// `GET /wallet`: the resident's coupons, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Wallet {
    pub now: Timestamp,
    pub coupons: Vec<CouponView>,
}

/// `GET /coupons/{id}/status`: the resident's screen polls this while the code is shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CouponStatusView {
    pub id: crate::ids::CouponId,
    pub status: crate::rules::CouponStatus,
    pub given: Fen,
    pub expires_at: Timestamp,
}
