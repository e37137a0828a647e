//! Signing in (a demo phone, the host's token, a staff account), the session, and roles.

use serde::{Deserialize, Serialize};

use super::merchants::MerchantView;
use crate::time::Timestamp;

/// `POST /session/demo`: demo sign-in with a phone number (demo mode only).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DemoSignIn {
    #[cfg_attr(feature = "openapi", schema(pattern = r"^[\s-]*1(?:[\s-]*[0-9]){10}[\s-]*$"))]
    pub phone: String,
}

/// `POST /session/host`: sign-in with the token the host app issued.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HostSignIn {
    pub token: String,
}

/// `POST /session/account`: merchant staff or operator sign-in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AccountSignIn {
    pub username: String,
    pub password: String,
}

/// Who signed in, and the bearer token for `Authorization: Bearer …`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Session {
    pub token: String,
    pub role: Role,
    pub name: String,
    pub expires_at: Timestamp,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub merchant: Option<MerchantView>,
    /// The password was set by someone else: nothing but choosing a new one is allowed yet.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub must_change_password: bool,
    /// The account's sign-in before this one, for the holder to recognise or not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous_sign_in: Option<SignInRecord>,
}

/// When and from where an account signed in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SignInRecord {
    pub at: Timestamp,
    /// The client's address, as the server saw it.
    pub from: String,
}

/// `POST /session/password`: a staff account's new password, in place of the current one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PasswordChange {
    #[cfg_attr(feature = "openapi", schema(max_length = 200))]
    pub current: String,
    /// At least 8 characters, of 3 of: lower case, upper case, digits, other; not a common one.
    #[cfg_attr(feature = "openapi", schema(min_length = 8, max_length = 200))]
    pub new: String,
}

/// What a signed-in party may do. Each staff role has its own rights and no more: the server
/// checks the role on every route (`Rights` in the server's `auth.rs`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Role {
    Resident,
    /// The county bureau: its campaigns, merchants, love list, reallocations and reports.
    Operator,
    /// The contracted bank: the subsidy queue and the settlement exports.
    Reviewer,
    /// The audit office: reads reports, the audit sample and the audit trail; writes nothing.
    Auditor,
    /// One shop's manager: its till, its cashiers and its settlement.
    MerchantManager,
    /// One shop's cashier: the till.
    Cashier,
}

impl Role {
    /// Every role a staff account can have.
    pub const STAFF: [Role; 5] = [
        Role::Operator,
        Role::Reviewer,
        Role::Auditor,
        Role::MerchantManager,
        Role::Cashier,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Resident => "resident",
            Role::Operator => "operator",
            Role::Reviewer => "reviewer",
            Role::Auditor => "auditor",
            Role::MerchantManager => "merchant_manager",
            Role::Cashier => "cashier",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        [Role::Resident]
            .into_iter()
            .chain(Role::STAFF)
            .find(|r| r.as_str() == s)
    }

    /// Whether the role works at a shop's till (and so belongs to one merchant).
    pub fn at_till(self) -> bool {
        matches!(self, Role::MerchantManager | Role::Cashier)
    }
}
