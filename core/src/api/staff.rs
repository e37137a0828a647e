//! Staff accounts: who works at a shop or the bureau, and the one-time passwords to start.

use serde::{Deserialize, Serialize};

use super::session::{Role, SignInRecord};

/// A staff account, as the shop's manager or the bureau sees it (never its password).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StaffView {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub disabled: bool,
    /// Its password is a one-time one still: the holder has not signed in to choose their own.
    pub must_change_password: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_sign_in: Option<SignInRecord>,
}

/// `POST /merchant/staff`, `POST /operator/merchants/{id}/managers`: a new account for someone
/// at a shop.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewStaff {
    /// 1 to 64 characters, no spaces; unique across the deployment.
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 64))]
    pub username: String,
    /// The name the till and the audit trail show (a person's name).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 100))]
    pub display_name: String,
}

/// A one-time password, shown this once for the slip handed to the account's holder, who must
/// choose their own at the first sign-in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StaffSlip {
    pub account: StaffView,
    pub password: String,
}

/// `POST /merchant/staff/{id}/disable`: an account disabled (its sessions end at once) or
/// enabled again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DisableRequest {
    pub disabled: bool,
}
