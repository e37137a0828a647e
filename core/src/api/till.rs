//! At the till: looking a code up, redeeming, the merchant's day, and a shop's issue.

use serde::{Deserialize, Serialize};

use crate::ids::{CampaignId, KindId};
use crate::money::{Fen, OrderAmount};
use crate::rules::Benefit;
use crate::time::{ChinaDate, Timestamp};

/// `POST /merchant/lookup`: what a scanned or typed code is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LookupRequest {
    pub code: String,
}

/// The coupon behind a code, as the till sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LookupResult {
    pub coupon: crate::ids::CouponId,
    pub kind: KindId,
    pub kind_name: String,
    pub benefit: Benefit,
    pub words: String,
    pub expires_at: Timestamp,
    /// Whether it can be used at this merchant; when not, why.
    pub applies_here: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refusal: Option<crate::error::ErrorCode>,
    /// The bureau's own words, when one of its pauses is why (redemptions paused here).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// `POST /merchant/redemptions`: redeem the coupon behind `code` against an order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RedeemRequest {
    pub code: String,
    pub order_amount: OrderAmount,
}

/// A redemption at a till.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RedemptionView {
    pub id: crate::ids::RedemptionId,
    pub coupon: crate::ids::CouponId,
    pub kind: KindId,
    pub kind_name: String,
    pub words: String,
    pub order_amount: Fen,
    pub discount: Fen,
    /// What the customer pays: the order less the discount.
    pub to_pay: Fen,
    pub at: Timestamp,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reversed_at: Option<Timestamp>,
}

/// Totals of one kind, or of everything.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Totals {
    pub count: u64,
    pub discount: Fen,
    pub order_amount: Fen,
}

/// `GET /merchant/today`: today's redemptions at this merchant, newest first, with totals.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MerchantDay {
    pub day: ChinaDate,
    pub redemptions: Vec<RedemptionView>,
    /// Not counting reversed ones.
    pub totals: Totals,
    pub by_kind: Vec<KindTotals>,
}

/// Totals of one coupon kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct KindTotals {
    pub kind: KindId,
    pub totals: Totals,
}

/// `POST /merchant/issues`: shop staff, having checked the order, issue a coupon of a
/// shop-issued kind to the customer with this mobile number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IssueRequest {
    pub campaign: CampaignId,
    pub kind: KindId,
    /// The customer's mobile number (as they say it; spaces and dashes are fine).
    #[cfg_attr(feature = "openapi", schema(pattern = r"^[\s-]*1(?:[\s-]*[0-9]){10}[\s-]*$"))]
    pub phone: String,
    /// The order the staff checked, in fen: the coupon is worth the kind's rate of it.
    pub order_amount: OrderAmount,
}

/// A coupon a shop issued, as the staff see it (the customer's wallet has it, with its code).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IssuedCoupon {
    pub coupon: crate::ids::CouponId,
    pub kind: KindId,
    pub kind_name: String,
    /// The rule in the campaign's words: 立减10%，最高减800.
    pub words: String,
    /// What it gives off at most, and reserved from the budget.
    pub value: Fen,
    pub expires_at: Timestamp,
    /// The customer, masked: 138****0001.
    pub customer: String,
}
