//! A merchant's own offers (Jishan's four treasures).

use serde::{Deserialize, Serialize};

use crate::ids::{CampaignId, KindId};
use crate::money::OrderAmount;
use crate::rules::Benefit;

/// `POST /merchant/offers`: a listed merchant sets up coupons of a merchant-set kind (Jishan's
/// four treasures): 满`threshold`减 the kind's rate of it, `quantity` of them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OfferRequest {
    pub campaign: CampaignId,
    pub kind: KindId,
    pub threshold: OrderAmount,
    pub quantity: u32,
}

/// A merchant's offer, as residents claim it and its merchant follows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MerchantOffer {
    pub id: i64,
    pub campaign: CampaignId,
    pub kind: KindId,
    pub kind_name: String,
    pub merchant: crate::ids::MerchantId,
    pub merchant_name: String,
    pub benefit: Benefit,
    /// 满200减20.
    pub words: String,
    pub quantity: u32,
    pub claimed: u32,
}
