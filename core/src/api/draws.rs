//! The release by draw (预约抽签): a resident's sign-ups (`/me/sign-ups`) and each day's draw
//! as anyone may check it (`/campaigns/{id}/draws`).

use serde::{Deserialize, Serialize};

use crate::error::ErrorCode;
use crate::ids::{CampaignId, CouponId, KindId};
use crate::time::{ChinaDate, Timestamp};

/// Today's draw of a campaign, as the claim page shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DrawToday {
    pub sign_up_opens: Timestamp,
    pub sign_up_closes: Timestamp,
    /// The release time, when the draw is made.
    pub draw_at: Timestamp,
}

/// What a sign-up came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum SignUpOutcome {
    /// The draw has not been made yet.
    Waiting,
    /// Drawn: the coupon is in the wallet.
    Won,
    /// Not drawn: the day's release went to those drawn before.
    NotDrawn,
    /// The day ended before the draw was made (no server ran from its time to midnight), so
    /// nothing was drawn that day.
    Missed,
    /// Drawn, but a rule refused the coupon (a limit reached meanwhile, claims paused): `refusal`.
    Refused,
}

/// `POST /me/sign-ups` (with a claim's body: campaign, kind, denomination) and `GET /me/sign-ups`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SignUpView {
    pub campaign: CampaignId,
    pub kind: KindId,
    pub denomination: usize,
    pub day: ChinaDate,
    /// The pseudonym the published list shows for this sign-up.
    pub ticket: String,
    pub signed_up_at: Timestamp,
    pub draw_at: Timestamp,
    pub outcome: SignUpOutcome,
    /// Its place in the draw's order, from 1, once drawn.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coupon: Option<CouponId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refusal: Option<ErrorCode>,
}

/// `GET /campaigns/{id}/draws`: one day's draw, for anyone to check. The seed is shown once the
/// draw is made; before, only its commitment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DrawView {
    pub day: ChinaDate,
    /// SHA-256 of the seed's 32 bytes, in hex, published when the day's sign-up opened.
    pub commitment: String,
    pub committed_at: Timestamp,
    /// The seed, in hex, once the draw is made.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub drawn_at: Option<Timestamp>,
    pub sign_ups: u64,
    pub winners: u64,
}
