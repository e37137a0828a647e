//! The audit trail: every privileged act, as the auditors read it.

use serde::{Deserialize, Serialize};

use crate::time::Timestamp;

/// One privileged act, as the audit trail keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditAct {
    /// The account that acted; none for the command line, or an unknown name at sign-in.
    pub account: Option<i64>,
    /// The account's name, or what was typed at a failed sign-in, or `command line`.
    pub actor: String,
    /// The role acted in (`operator`, …, or `admin` for the command line).
    pub role: String,
    /// The client address, as the server saw it.
    pub address: String,
    /// What was done, e.g. `sign_in` or `POST /api/v1/operator/merchants/{id}/blacklist`.
    pub action: String,
    /// What it was done to, e.g. the request's path or an account's name.
    pub object: String,
    /// `ok`, or the refusal's error code, or the HTTP status.
    pub result: String,
    /// Anything else worth keeping, in words.
    pub detail: String,
}

/// One entry of the audit trail: an act, its place in the chain, and the hash that links it to
/// the entry before.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditEntry {
    pub seq: i64,
    pub at: Timestamp,
    #[serde(flatten)]
    pub act: AuditAct,
    pub prev_hash: String,
    pub hash: String,
}
