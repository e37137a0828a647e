//! Pausing part of a running campaign and resuming it: what the bureau sends, and what it and
//! residents see.

use serde::{Deserialize, Serialize};

use crate::ids::CampaignId;
use crate::pause::PauseScope;
use crate::time::Timestamp;

/// `POST /operator/campaigns/{id}/pauses`: pause claims of one kind, all of the campaign's
/// claims, or redemptions in one merchant category, with the reason residents and tills show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PauseRequest {
    pub scope: PauseScope,
    /// The kind (`kind`) or the merchant category (`category`); empty for `claims`.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 64))]
    pub target: String,
    /// Why, in the words residents and tills will read (「系统升级，稍后恢复」).
    #[cfg_attr(feature = "openapi", schema(max_length = 200))]
    pub reason: String,
}

/// A pause, live or resumed, and who made and lifted it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PauseView {
    pub id: i64,
    pub campaign: CampaignId,
    pub scope: PauseScope,
    pub target: String,
    pub reason: String,
    pub paused_at: Timestamp,
    pub paused_by: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resumed_at: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resumed_by: Option<String>,
}

/// The shortest and longest wait the overload switch may ask of residents, in seconds.
pub const BUSY_MIN_SECS: u32 = 5;
pub const BUSY_MAX_SECS: u32 = 600;

/// `POST /operator/campaigns/{id}/busy`: the overload switch. On, residents' claims are asked
/// to come back in `retry_after` seconds (「请稍后再试」) before they queue; tills keep
/// redeeming. Off (`on` false) ends it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BusyRequest {
    pub on: bool,
    /// Seconds, 5 to 600; ignored when `on` is false.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(minimum = 5, maximum = 600))]
    pub retry_after: u32,
}

/// The overload switch of a campaign, as it stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BusyView {
    pub campaign: CampaignId,
    pub on: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_after: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub since: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
}
