//! Car-purchase subsidy applications, their documents, and the reviewers' decisions.

use serde::{Deserialize, Serialize};

use crate::ids::{CampaignId, KindId};
use crate::money::{Fen, OrderAmount};
use crate::subsidy::{ApplicationStatus, DocumentRole, ReviewAction, VehicleClass};
use crate::time::{ChinaDate, Timestamp};

/// A listed car dealer, for the subsidy application form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Dealer {
    pub id: crate::ids::MerchantId,
    pub name: String,
}

/// `POST /applications`: a car-purchase subsidy application, before its documents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApplicationRequest {
    pub campaign: CampaignId,
    /// The subsidy's id in the campaign (`car`).
    pub subsidy: KindId,
    /// The sales invoice's amount, in fen.
    pub invoice_amount: OrderAmount,
    pub invoice_date: ChinaDate,
    pub vehicle: VehicleClass,
    pub dealer: crate::ids::MerchantId,
    /// The buyer's own bank card, where the subsidy is paid.
    pub bank_card: String,
    #[cfg_attr(feature = "openapi", schema(pattern = r"^[\s-]*1(?:[\s-]*[0-9]){10}[\s-]*$"))]
    pub phone: String,
}

/// A document as stored: its kind of file, size, and SHA-256 (the file is kept outside the
/// database, named by it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DocumentView {
    pub role: DocumentRole,
    pub media_type: String,
    pub bytes: u64,
    pub sha256: String,
}

/// An application as its applicant and the reviewers see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApplicationView {
    pub id: i64,
    pub campaign: CampaignId,
    pub subsidy: KindId,
    pub status: ApplicationStatus,
    /// The applicant's name as the host app gave it (masked mobile in demo mode).
    pub applicant: String,
    pub invoice_amount: Fen,
    pub invoice_date: ChinaDate,
    pub vehicle: VehicleClass,
    pub dealer: Dealer,
    /// Masked: its first and last four digits, `6222 **** **** 1234`. In full:
    /// [`PaymentDetails`], for the application's reviewer.
    pub bank_card: String,
    /// Masked: `138****0001`.
    pub phone: String,
    /// The subsidy the rules give (6% or 5% of the invoice, at least the floor).
    pub expected: Fen,
    /// What was granted on approval (reserved from the budget), then paid.
    pub granted: Fen,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub submitted_at: Option<Timestamp>,
    /// Why it was rejected.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub reason: String,
    pub documents: Vec<DocumentView>,
}

/// `GET /review/applications/{id}/payment-details`: the applicant's bank card and mobile number in
/// full, to pay the subsidy and to call. Only the reviewer who took the application up reads them,
/// and every read is in the audit trail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PaymentDetails {
    pub bank_card: String,
    pub phone: String,
}

/// `POST /review/applications/{id}`: a reviewer's decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReviewRequest {
    pub action: ReviewAction,
    #[serde(default)]
    pub reason: String,
}

/// `GET /subsidies`: each running campaign's subsidies, with what the application form needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SubsidyView {
    pub campaign: CampaignId,
    pub campaign_name: String,
    pub id: KindId,
    pub name: String,
    pub name_en: String,
    /// Invoices must be dated inside these (China dates).
    pub starts: ChinaDate,
    pub ends: ChinaDate,
    /// Rate per vehicle class, in basis points.
    pub new_energy_bp: u32,
    pub fuel_bp: u32,
    /// The least subsidy paid.
    pub floor: Fen,
    pub dealers: Vec<Dealer>,
}
