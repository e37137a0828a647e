//! The operator's money: settlements, love-coupon allocations and budget reallocations.

use serde::{Deserialize, Serialize};

use crate::ids::{CampaignId, KindId};
use crate::money::Fen;
use crate::time::Timestamp;

/// One line of a settlement: what a merchant redeemed of one kind, reversals taken off.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SettlementLine {
    pub merchant: crate::ids::MerchantId,
    pub merchant_name: String,
    pub kind: KindId,
    pub kind_name: String,
    /// Redemptions standing.
    pub count: u64,
    /// The coupons' value given at the till: what the merchant claims from the bank.
    pub discount: Fen,
    pub order_amount: Fen,
}

/// A campaign's settlements: a merchant's own (`GET /merchant/campaigns/{id}/settlement`)
/// or every merchant's (`GET /operator/campaigns/{id}/settlements`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Settlement {
    pub campaign: CampaignId,
    pub lines: Vec<SettlementLine>,
    pub count: u64,
    pub discount: Fen,
}

/// `POST /operator/allocations`: the love-coupon list as CSV (one ID number a line, an optional
/// name after a comma), allocated at once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AllocationRequest {
    pub campaign: String,
    pub kind: String,
    pub csv: String,
}

/// What an allocation list import did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AllocationReport {
    /// People allocated now.
    pub allocated: u32,
    /// People already on the list before (nothing changed for them).
    pub already_listed: u32,
    /// Lines refused, with the line number and why.
    pub refused: Vec<(usize, String)>,
    /// What the allocation took from the kind's pool.
    pub amount: Fen,
}

/// `POST /operator/campaigns/{id}/reallocations`: budget moved from one kind to another (what
/// the first has not given out yet).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReallocationRequest {
    pub from_kind: KindId,
    pub to_kind: KindId,
    pub amount: Fen,
    /// Why, for the record (the bureau's decision, say).
    pub reason: String,
}

/// A budget reallocation, as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Reallocation {
    pub id: i64,
    pub at: Timestamp,
    pub from_kind: KindId,
    pub to_kind: KindId,
    pub amount: Fen,
    pub reason: String,
}
