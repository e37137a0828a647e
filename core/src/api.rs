//! The JSON API's bodies, shared by the server that sends them and the widget that reads them.
//! Paths are under `/api/v1`.

use serde::{Deserialize, Serialize};

use crate::campaign::{Campaign, Issuance, Lifetime, Phase};
use crate::ids::{CampaignId, CategoryId, KindId};
use crate::money::{Fen, OrderAmount};
use crate::rules::Benefit;
use crate::subsidy::{ApplicationStatus, DocumentRole, ReviewAction, VehicleClass};
use crate::time::{ChinaDate, TimeOfDay, Timestamp};

/// `GET /time`: the server's clock, for the widget's offset measurement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ServerTime {
    /// Milliseconds since the Unix epoch.
    pub now: Timestamp,
}

/// `GET /config`: what the widget needs to know about the server it talks to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WidgetConfig {
    /// Whether demo sign-in is offered.
    pub demo: bool,
    /// Origins of host apps that may frame the widget, hand it a resident's token by
    /// `postMessage`, and receive its events.
    pub host_origins: Vec<String>,
}

/// `GET /campaigns`: one campaign as residents see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CampaignView {
    pub id: CampaignId,
    pub name: String,
    pub name_en: String,
    pub county: String,
    pub starts: ChinaDate,
    pub ends: ChinaDate,
    pub release_time: TimeOfDay,
    /// Today's date in China, by the server's clock.
    pub today: ChinaDate,
    /// When today's release opens.
    pub release_at: Timestamp,
    pub phase: Phase,
    pub kinds: Vec<KindView>,
    /// The merchant categories taking part, with their names.
    pub categories: Vec<CategoryView>,
}

/// A merchant category and its names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CategoryView {
    pub id: CategoryId,
    pub name: String,
    pub name_en: String,
}

/// A coupon kind as residents see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct KindView {
    pub id: KindId,
    pub name: String,
    pub name_en: String,
    pub issuance: Issuance,
    pub lifetime: Lifetime,
    pub categories: Vec<CategoryId>,
    pub limits: crate::campaign::Limits,
    /// What is left of today's release (or, before the release time, what it will offer);
    /// absent for kinds not released daily.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub left_today: Option<Fen>,
    /// What a coupon of the kind can be: its denominations, or its one rate rule.
    pub denominations: Vec<DenominationView>,
}

/// One thing a resident can hold: a denomination (满200减40) or a rate rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DenominationView {
    /// Index of the denomination within its kind (0 for a rate rule).
    pub index: usize,
    pub benefit: Benefit,
    /// The rule in the campaign's words: 满200减40.
    pub words: String,
    /// The rule in English.
    pub words_en: String,
}

impl CampaignView {
    /// The resident's view of `campaign` at `now`.
    pub fn of(campaign: &Campaign, now: Timestamp) -> CampaignView {
        let today = now.china_date();
        CampaignView {
            id: campaign.id.clone(),
            name: campaign.name.clone(),
            name_en: campaign.name_en.clone(),
            county: campaign.county.clone(),
            starts: campaign.starts,
            ends: campaign.ends,
            release_time: campaign.release_time,
            today,
            release_at: campaign.release_at(today),
            phase: campaign.phase(now),
            categories: campaign
                .categories
                .iter()
                .map(|c| CategoryView {
                    id: c.id.clone(),
                    name: c.name.clone(),
                    name_en: c.name_en.clone(),
                })
                .collect(),
            kinds: campaign
                .kinds
                .iter()
                .map(|k| KindView {
                    id: k.id.clone(),
                    name: k.name.clone(),
                    name_en: k.name_en.clone(),
                    issuance: k.issuance,
                    lifetime: k.lifetime,
                    categories: k.categories.clone(),
                    limits: k.limits,
                    left_today: None,
                    denominations: k
                        .benefits()
                        .into_iter()
                        .enumerate()
                        .map(|(index, benefit)| DenominationView {
                            index,
                            benefit,
                            words: benefit.words_zh(),
                            words_en: benefit.words_en(),
                        })
                        .collect(),
                })
                .collect(),
        }
    }
}

/// `GET /me/usage`: what a resident has used of each kind's limits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct KindUsage {
    pub campaign: CampaignId,
    pub kind: KindId,
    pub claims_this_round: u32,
    pub claims_today: u32,
    pub claims_in_campaign: u32,
    /// Denominations claimed today (one of each may be held a day).
    pub denominations_today: Vec<usize>,
    /// Claims of the kind today, whatever the denomination.
    pub kind_today: u32,
}

impl KindUsage {
    /// The usage a claim of denomination `den` would be checked against.
    pub fn for_denomination(&self, den: usize) -> crate::rules::Usage {
        crate::rules::Usage {
            claims_this_round: self.claims_this_round,
            claims_today: self.claims_today,
            claims_in_campaign: self.claims_in_campaign,
            held_of_denomination: u32::try_from(
                self.denominations_today.iter().filter(|d| **d == den).count(),
            )
            .unwrap_or(u32::MAX),
            held_of_kind: self.kind_today,
        }
    }
}

/// `POST /claims`: a resident claims one denomination of a kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ClaimRequest {
    pub campaign: CampaignId,
    pub kind: KindId,
    /// Index of the denomination within the kind (0 for a rate rule).
    pub denomination: usize,
}

/// A coupon in a resident's wallet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CouponView {
    pub id: crate::ids::CouponId,
    pub campaign: CampaignId,
    pub kind: KindId,
    pub kind_name: String,
    pub denomination: usize,
    pub benefit: Benefit,
    /// The rule in the campaign's words: 满200减40.
    pub words: String,
    pub kind_name_en: String,
    pub status: crate::rules::CouponStatus,
    /// How it came into the wallet: its kind's way of issuing coupons.
    pub source: Issuance,
    /// What it reserved from the pool (its face value, or a rate coupon's cap).
    pub value: Fen,
    /// The discount it gave, once redeemed.
    pub given: Fen,
    pub claimed_at: Timestamp,
    pub expires_at: Timestamp,
    /// Merchant categories where it can be used; empty is any listed merchant.
    pub categories: Vec<CategoryId>,
    /// The key the wallet computes rotating codes with, offline; only while usable.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<crate::code::CouponKey>,
}

/// `GET /wallet`: the resident's coupons, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Wallet {
    pub now: Timestamp,
    pub coupons: Vec<CouponView>,
}

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

/// `POST /merchant/lookup`: what a scanned or typed code is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LookupRequest {
    pub code: String,
}

/// The coupon behind a code, as the till sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LookupResult {
    pub coupon: crate::ids::CouponId,
    pub kind: KindId,
    pub kind_name: String,
    pub benefit: Benefit,
    pub words: String,
    pub expires_at: Timestamp,
    /// Whether it can be used at this merchant; when not, why.
    pub applies_here: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refusal: Option<crate::error::ErrorCode>,
}

/// `POST /merchant/redemptions`: redeem the coupon behind `code` against an order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RedeemRequest {
    pub code: String,
    pub order_amount: OrderAmount,
}

/// A redemption at a till.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RedemptionView {
    pub id: crate::ids::RedemptionId,
    pub coupon: crate::ids::CouponId,
    pub kind: KindId,
    pub kind_name: String,
    pub words: String,
    pub order_amount: Fen,
    pub discount: Fen,
    /// What the customer pays: the order less the discount.
    pub to_pay: Fen,
    pub at: Timestamp,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reversed_at: Option<Timestamp>,
}

/// Totals of one kind, or of everything.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Totals {
    pub count: u64,
    pub discount: Fen,
    pub order_amount: Fen,
}

/// `GET /merchant/today`: today's redemptions at this merchant, newest first, with totals.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MerchantDay {
    pub day: ChinaDate,
    pub redemptions: Vec<RedemptionView>,
    /// Not counting reversed ones.
    pub totals: Totals,
    pub by_kind: Vec<KindTotals>,
}

/// Totals of one coupon kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct KindTotals {
    pub kind: KindId,
    pub totals: Totals,
}

/// `GET /coupons/{id}/status`: the resident's screen polls this while the code is shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CouponStatusView {
    pub id: crate::ids::CouponId,
    pub status: crate::rules::CouponStatus,
    pub given: Fen,
    pub expires_at: Timestamp,
}

/// `POST /merchant/issues`: shop staff, having checked the order, issue a coupon of a
/// shop-issued kind to the customer with this mobile number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IssueRequest {
    pub campaign: CampaignId,
    pub kind: KindId,
    /// The customer's mobile number (as they say it; spaces and dashes are fine).
    #[cfg_attr(feature = "openapi", schema(pattern = r"^[\s-]*1(?:[\s-]*[0-9]){10}[\s-]*$"))]
    pub phone: String,
    /// The order the staff checked, in fen: the coupon is worth the kind's rate of it.
    pub order_amount: OrderAmount,
}

/// A coupon a shop issued, as the staff see it (the customer's wallet has it, with its code).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IssuedCoupon {
    pub coupon: crate::ids::CouponId,
    pub kind: KindId,
    pub kind_name: String,
    /// The rule in the campaign's words: 立减10%，最高减800.
    pub words: String,
    /// What it gives off at most, and reserved from the budget.
    pub value: Fen,
    pub expires_at: Timestamp,
    /// The customer, masked: 138****0001.
    pub customer: String,
}

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

/// One line of a settlement: what a merchant redeemed of one kind, reversals taken off.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SettlementLine {
    pub merchant: crate::ids::MerchantId,
    pub merchant_name: String,
    pub kind: KindId,
    pub kind_name: String,
    /// Redemptions standing.
    pub count: u64,
    /// The coupons' value given at the till: what the merchant claims from the bank.
    pub discount: Fen,
    pub order_amount: Fen,
}

/// A campaign's settlements: a merchant's own (`GET /merchant/campaigns/{id}/settlement`)
/// or every merchant's (`GET /operator/campaigns/{id}/settlements`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Settlement {
    pub campaign: CampaignId,
    pub lines: Vec<SettlementLine>,
    pub count: u64,
    pub discount: Fen,
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

/// `POST /operator/allocations`: the love-coupon list as CSV (one ID number a line, an optional
/// name after a comma), allocated at once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AllocationRequest {
    pub campaign: String,
    pub kind: String,
    pub csv: String,
}

/// What an allocation list import did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AllocationReport {
    /// People allocated now.
    pub allocated: u32,
    /// People already on the list before (nothing changed for them).
    pub already_listed: u32,
    /// Lines refused, with the line number and why.
    pub refused: Vec<(usize, String)>,
    /// What the allocation took from the kind's pool.
    pub amount: Fen,
}

/// `POST /operator/campaigns/{id}/reallocations`: budget moved from one kind to another (what
/// the first has not given out yet).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReallocationRequest {
    pub from_kind: KindId,
    pub to_kind: KindId,
    pub amount: Fen,
    /// Why, for the record (the bureau's decision, say).
    pub reason: String,
}

/// A budget reallocation, as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Reallocation {
    pub id: i64,
    pub at: Timestamp,
    pub from_kind: KindId,
    pub to_kind: KindId,
    pub amount: Fen,
    pub reason: String,
}

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

/// `POST /merchant/offers`: a listed merchant sets up coupons of a merchant-set kind (Jishan's
/// four treasures): 满`threshold`减 the kind's rate of it, `quantity` of them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OfferRequest {
    pub campaign: CampaignId,
    pub kind: KindId,
    pub threshold: OrderAmount,
    pub quantity: u32,
}

/// A merchant's offer, as residents claim it and its merchant follows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MerchantOffer {
    pub id: i64,
    pub campaign: CampaignId,
    pub kind: KindId,
    pub kind_name: String,
    pub merchant: crate::ids::MerchantId,
    pub merchant_name: String,
    pub benefit: Benefit,
    /// 满200减20.
    pub words: String,
    pub quantity: u32,
    pub claimed: u32,
}
