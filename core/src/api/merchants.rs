//! Merchants: the registry, its import, and a merchant's standing (suspension, blacklist).

use serde::{Deserialize, Serialize};

use crate::ids::CategoryId;

/// A merchant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MerchantView {
    pub id: crate::ids::MerchantId,
    pub name: String,
    pub category: CategoryId,
    /// The county whose bureau lists it.
    #[serde(default)]
    pub county: String,
    /// On the blacklist (market supervision's finding): out of the campaign.
    pub blacklisted: bool,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub blacklist_reason: String,
    /// Suspended by the bureau for now (moved, under inquiry, …); resumed later.
    #[serde(default)]
    pub suspended: bool,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub suspension_reason: String,
    /// Its unified social credit code (统一社会信用代码), when the registry has it.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub credit_code: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub address: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub contact: String,
}

/// `POST /operator/merchants`, `PUT /operator/merchants/{id}`: one merchant, added or edited
/// during the campaign.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MerchantRequest {
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 200))]
    pub name: String,
    /// 18 characters; the last is checked (GB 32100).
    #[cfg_attr(feature = "openapi", schema(min_length = 18, max_length = 18))]
    pub credit_code: String,
    /// A category of the campaigns, by id (`retail`) or Chinese name (零售).
    #[cfg_attr(feature = "openapi", schema(max_length = 200))]
    pub category: String,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 200))]
    pub county: String,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 200))]
    pub address: String,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 200))]
    pub contact: String,
}

/// What importing a list did, or (in a preview) would do, line by line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MerchantImport {
    /// Whether it was written; a preview writes nothing.
    pub committed: bool,
    pub lines: Vec<ImportLine>,
    pub new: u32,
    pub updated: u32,
    pub unchanged: u32,
    pub refused: u32,
}

/// One line of an imported list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportLine {
    /// Its line in the file, the header being line 1.
    pub line: u32,
    pub name: String,
    pub credit_code: String,
    pub outcome: ImportOutcome,
    /// Why it was refused, in words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub problem: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ImportOutcome {
    New,
    Updated,
    Unchanged,
    Refused,
}

impl MerchantView {
    /// Why the merchant may redeem nothing now, if it may not: the blacklist, or a suspension.
    pub fn refusal(&self) -> Option<crate::ErrorCode> {
        if self.blacklisted {
            Some(crate::ErrorCode::MerchantBlacklisted)
        } else if self.suspended {
            Some(crate::ErrorCode::MerchantSuspended)
        } else {
            None
        }
    }
}

/// `POST /operator/merchants/{id}/suspension`: suspend a merchant for now, or resume it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SuspensionRequest {
    /// `true` to suspend, `false` to resume.
    pub suspended: bool,
    /// Why, in words the till shows; needed to suspend.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 200))]
    pub reason: String,
}

/// `POST /operator/merchants/{id}/blacklist`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BlacklistRequest {
    /// `true` to blacklist, `false` to lift it.
    pub blacklisted: bool,
    /// Why (needed to blacklist); kept on the merchant and in the audit trail.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 200))]
    pub reason: String,
}
