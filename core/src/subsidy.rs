//! Subsidies paid on application (Jishan's car purchase subsidy), apart from coupons: what a
//! campaign file says of them, how much an invoice earns, how the budget decides between
//! applications, and where a reviewer's decision takes an application.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::campaign::Campaign;
use crate::ids::{CategoryId, KindId};
use crate::money::{deserialize_yuan, serialize_yuan, Fen};
use crate::time::ChinaDate;

/// A subsidy paid on application (Jishan's car purchase subsidy), not a coupon.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Subsidy {
    pub id: KindId,
    pub name: String,
    #[serde(default)]
    pub name_en: String,
    #[serde(serialize_with = "serialize_yuan", deserialize_with = "deserialize_yuan")]
    pub budget: Fen,
    /// Rate per vehicle class, in basis points: new-energy 600, fuel 500.
    pub rates: BTreeMap<VehicleClass, u32>,
    /// The least subsidy paid: a smaller result is raised to it.
    #[serde(serialize_with = "serialize_yuan", deserialize_with = "deserialize_yuan")]
    pub floor: Fen,
    /// The merchant category of the dealers where the purchase must be made.
    pub dealer_category: CategoryId,
    /// How the budget decides between applications.
    #[serde(default)]
    pub grant: GrantRule,
}

/// A vehicle's drive, which decides the subsidy rate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum VehicleClass {
    NewEnergy,
    Fuel,
}

/// When an application is granted while the budget runs out.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GrantRule {
    /// **[reading]** Granted only if its whole subsidy still fits the budget left.
    #[default]
    WholeFits,
    /// Granted what is left when less than its subsidy remains.
    Partial,
}

/// Where an application stands. Draft until its four documents are in and it is submitted; then
/// first come, first served by submission time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ApplicationStatus {
    Draft,
    Submitted,
    UnderReview,
    Approved,
    Rejected,
    Paid,
}

impl ApplicationStatus {
    pub const ALL: [ApplicationStatus; 6] = [
        ApplicationStatus::Draft,
        ApplicationStatus::Submitted,
        ApplicationStatus::UnderReview,
        ApplicationStatus::Approved,
        ApplicationStatus::Rejected,
        ApplicationStatus::Paid,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ApplicationStatus::Draft => "draft",
            ApplicationStatus::Submitted => "submitted",
            ApplicationStatus::UnderReview => "under_review",
            ApplicationStatus::Approved => "approved",
            ApplicationStatus::Rejected => "rejected",
            ApplicationStatus::Paid => "paid",
        }
    }

    pub fn parse(word: &str) -> Option<ApplicationStatus> {
        ApplicationStatus::ALL.into_iter().find(|s| s.as_str() == word)
    }
}

/// The documents an application carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum DocumentRole {
    IdCard,
    BankCard,
    Invoice,
    Licence,
}

impl DocumentRole {
    pub const ALL: [DocumentRole; 4] = [
        DocumentRole::IdCard,
        DocumentRole::BankCard,
        DocumentRole::Invoice,
        DocumentRole::Licence,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            DocumentRole::IdCard => "id_card",
            DocumentRole::BankCard => "bank_card",
            DocumentRole::Invoice => "invoice",
            DocumentRole::Licence => "licence",
        }
    }

    pub fn parse(word: &str) -> Option<DocumentRole> {
        DocumentRole::ALL.into_iter().find(|r| r.as_str() == word)
    }
}

/// What a reviewer decides.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ReviewAction {
    /// Take it up: submitted → under review.
    Review,
    /// Approve, reserving the subsidy from the budget (first come, first served).
    Approve,
    /// Reject, with the reason the applicant will read.
    Reject,
    /// The bank has paid it to the applicant's card.
    MarkPaid,
}

/// The subsidy on a car bought for `invoice`: the class's rate, raised to the floor, never more
/// than the invoice itself.
pub fn car_subsidy(subsidy: &Subsidy, class: VehicleClass, invoice: Fen) -> Option<Fen> {
    subsidy_at(*subsidy.rates.get(&class)?, subsidy.floor, invoice)
}

/// `rate` (basis points) of the invoice, at least `floor`, never more than the invoice itself;
/// `None` for an invoice of nothing.
pub fn subsidy_at(rate: u32, floor: Fen, invoice: Fen) -> Option<Fen> {
    invoice
        .is_positive()
        .then(|| invoice.basis_points(rate).max(floor).min(invoice))
}

/// Whether an invoice dated `date` counts: it must fall inside the campaign's period.
pub fn invoice_date_ok(campaign: &Campaign, date: ChinaDate) -> bool {
    campaign.starts <= date && date <= campaign.ends
}

/// How much of `amount` is granted with `left` of the subsidy budget remaining, or `None` when
/// nothing is. First come, first served: the caller asks in submission order.
pub fn grant(rule: GrantRule, amount: Fen, left: Fen) -> Option<Fen> {
    match rule {
        GrantRule::WholeFits => (amount <= left).then_some(amount),
        GrantRule::Partial => left.is_positive().then(|| amount.min(left)),
    }
}

/// Where a reviewer's `action` takes an application in `status`, or `None` if it cannot:
/// submitted → under review → approved or rejected → (approved) paid; a submitted application
/// may be decided without being taken up first; drafts and closed applications take no action.
pub fn review_step(status: ApplicationStatus, action: ReviewAction) -> Option<ApplicationStatus> {
    use ApplicationStatus as S;
    use ReviewAction as A;
    match (status, action) {
        (S::Submitted, A::Review) => Some(S::UnderReview),
        (S::Submitted | S::UnderReview, A::Approve) => Some(S::Approved),
        (S::Submitted | S::UnderReview, A::Reject) => Some(S::Rejected),
        (S::Approved, A::MarkPaid) => Some(S::Paid),
        _ => None,
    }
}
