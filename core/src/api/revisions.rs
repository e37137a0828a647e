//! Revising a running campaign: a revised file or a round scheduled, previewed in words and then
//! confirmed, and the versions kept.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::campaign::SignUpWindow;
use crate::ids::{CampaignId, KindId};
use crate::money::Fen;
use crate::revision::Change;
use crate::time::{ChinaDate, TimeOfDay, Timestamp};

/// The most a revised campaign file may be.
pub const MAX_FILE: usize = 256 * 1024;

/// `POST /operator/campaigns/{id}/revisions`: a revised campaign file (TOML, as in
/// `server/campaigns/`). Without `confirm` nothing is written: the answer is the preview.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RevisionRequest {
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 262144))]
    pub file: String,
    /// Why, for the versions and the audit trail.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 200))]
    pub reason: String,
    #[serde(default)]
    pub confirm: bool,
    /// With `confirm`: the version the preview said it would make. Refused if another
    /// revision came first.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<i64>,
}

/// `POST /operator/campaigns/{id}/rounds`: a round scheduled (added, or one that has not begun
/// changed), with its dates, its release time and its quota per kind. Without `confirm` nothing
/// is written: the answer is the preview, with each kind's daily release.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RoundRequest {
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 99))]
    pub number: u32,
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 40))]
    pub name: String,
    pub starts: ChinaDate,
    pub ends: ChinaDate,
    /// When its days release, where not at the campaign's release time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub release_time: Option<TimeOfDay>,
    /// Its days given out by draw (预约抽签), with this sign-up window; first come without.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sign_up: Option<SignUpWindow>,
    /// Fen per kind.
    pub quota: BTreeMap<KindId, Fen>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 200))]
    pub reason: String,
    #[serde(default)]
    pub confirm: bool,
    /// With `confirm`: the version the preview said it would make. Refused if another
    /// revision came first.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<i64>,
}

/// The most rounds a campaign may have, and the most kinds a round's quota may name.
pub const MAX_ROUNDS: u32 = 99;
pub const MAX_QUOTA_KINDS: usize = 32;

/// A round's first release of one kind, as the preview shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RoundRelease {
    pub round: u32,
    pub kind: KindId,
    /// The round's first day, and how many days it has.
    pub starts: ChinaDate,
    pub days: i64,
    /// What the first day offers (later days spread what is left, as the campaign's rule says).
    pub per_day: Fen,
}

/// A version of a campaign: one made, or the one a revision would make (`applied` false).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RevisionView {
    pub campaign: CampaignId,
    pub version: i64,
    pub applied: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<Timestamp>,
    /// Who confirmed it: an account's name, `command line`, or `seed` for the first version.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
    pub reason: String,
    /// What it changes from the version before; empty for the seed.
    pub changes: Vec<Change>,
    /// The first releases of each round it adds or schedules.
    pub releases: Vec<RoundRelease>,
}

/// A round as the console shows it, to schedule or change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RoundView {
    pub number: u32,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub starts: Option<ChinaDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ends: Option<ChinaDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub release_time: Option<TimeOfDay>,
    /// Its days given out by draw, with this sign-up window; first come without.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sign_up: Option<SignUpWindow>,
    /// Fen per kind.
    pub quota: BTreeMap<KindId, Fen>,
    /// Whether its first release has opened: then it stays as it is.
    pub begun: bool,
}

/// `GET /operator/campaigns/{id}/revisions`: the campaign as it runs (its version, release time
/// and rounds) and every version, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CampaignVersions {
    pub version: i64,
    pub release_time: TimeOfDay,
    pub rounds: Vec<RoundView>,
    pub versions: Vec<RevisionView>,
}
