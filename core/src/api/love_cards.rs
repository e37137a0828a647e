//! Printed love-coupon cards and their redemption at the till.

use serde::{Deserialize, Serialize};

use super::till::LookupResult;
use crate::money::{Fen, OrderAmount};

/// A love-coupon card as printed: the number (also in its QR) and the PIN, shown this once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PrintedCard {
    pub number: String,
    pub pin: String,
    pub holder: String,
    /// Love coupons left on it, and their value.
    pub coupons: u64,
    pub value: Fen,
}

/// A love-coupon card as the bureau lists it (no PIN).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CardView {
    pub number: String,
    pub holder: String,
    pub active: bool,
    pub coupons: u64,
    pub value: Fen,
}

/// `POST /merchant/cards/lookup`: a card presented at the till, with the PIN its holder types.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CardRequest {
    pub number: String,
    pub pin: String,
}

/// `POST /merchant/cards/redeem`: one love coupon of the card against this order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CardRedeemRequest {
    pub number: String,
    pub pin: String,
    pub order_amount: OrderAmount,
}

/// What a card holds, and the coupon the next order would use.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CardLookup {
    pub holder: String,
    pub coupons: u64,
    pub value: Fen,
    pub next: LookupResult,
}
