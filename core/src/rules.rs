//! The campaign rules as pure functions. The server decides with them, the widget explains with
//! them; neither has rules of its own.

use serde::{Deserialize, Serialize};

use crate::campaign::{
    Campaign, DailyRelease, Denomination, Issuance, Kind, Lifetime, RateRule, Release, Round,
};
use crate::error::ErrorCode;
use crate::money::Fen;
use crate::time::{ChinaDate, Timestamp};

/// What a coupon takes off an order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "rule", rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Benefit {
    /// 满`threshold`减`off`; a threshold of 0 is a no-threshold coupon.
    ThresholdOff { threshold: Fen, off: Fen },
    /// A share of the order amount, capped and floored.
    Rate {
        basis_points: u32,
        cap: Option<Fen>,
        floor: Option<Fen>,
    },
}

impl From<Denomination> for Benefit {
    fn from(d: Denomination) -> Benefit {
        Benefit::ThresholdOff {
            threshold: d.threshold,
            off: d.off,
        }
    }
}

impl From<RateRule> for Benefit {
    fn from(r: RateRule) -> Benefit {
        Benefit::Rate {
            basis_points: r.basis_points,
            cap: r.cap,
            floor: r.floor,
        }
    }
}

impl Kind {
    /// What a coupon of this kind can be, in the campaign file's order: each denomination
    /// (满200减40), or the kind's one rate rule (10%, at most 1,000 yuan). A coupon's
    /// `denomination` is an index into this.
    pub fn benefits(&self) -> Vec<Benefit> {
        (0..self.denominations.len().max(1))
            .filter_map(|i| self.benefit(i))
            .collect()
    }

    /// The `index`th of [`Kind::benefits`], if there is one.
    pub fn benefit(&self, index: usize) -> Option<Benefit> {
        match self.rate {
            Some(r) if self.denominations.is_empty() => (index == 0).then(|| r.into()),
            _ => self.denominations.get(index).map(|d| (*d).into()),
        }
    }
}

impl Benefit {
    /// The discount on an order of `amount`, or `BelowThreshold`. Never more than the order.
    pub fn discount(self, amount: Fen) -> Result<Fen, ErrorCode> {
        if !amount.is_positive() {
            return Err(ErrorCode::BelowThreshold);
        }
        let d = match self {
            Benefit::ThresholdOff { threshold, off } => {
                if amount < threshold {
                    return Err(ErrorCode::BelowThreshold);
                }
                off
            }
            Benefit::Rate {
                basis_points,
                cap,
                floor,
            } => {
                let mut d = amount.basis_points(basis_points);
                if let Some(c) = cap {
                    d = d.min(c);
                }
                if let Some(f) = floor {
                    d = d.max(f);
                }
                d
            }
        };
        let d = d.min(amount);
        if d.is_positive() {
            Ok(d)
        } else {
            // A rate of a tiny amount rounds down to nothing: below what the coupon applies to.
            Err(ErrorCode::BelowThreshold)
        }
    }

    /// The most this coupon can take off: what a claim reserves from the pool.
    pub fn face_value(self) -> Option<Fen> {
        match self {
            Benefit::ThresholdOff { off, .. } => Some(off),
            Benefit::Rate { cap, .. } => cap,
        }
    }

    /// The order amount from which the coupon applies.
    pub fn threshold(self) -> Fen {
        match self {
            Benefit::ThresholdOff { threshold, .. } => threshold,
            Benefit::Rate { floor: Some(f), .. } if f.is_positive() => Fen(1),
            // The least amount whose share rounds to at least one fen.
            Benefit::Rate { basis_points, .. } => {
                Fen((10_000 + i64::from(basis_points.max(1)) - 1) / i64::from(basis_points.max(1)))
            }
        }
    }

    /// The rule in the campaign's own words: `满200减40`, `无门槛减100`, `10%，最高减1000`.
    pub fn words_zh(self) -> String {
        match self {
            Benefit::ThresholdOff { threshold, off } if threshold == Fen::ZERO => {
                format!("无门槛减{}", off.yuan_compact())
            }
            Benefit::ThresholdOff { threshold, off } => {
                format!("满{}减{}", threshold.yuan_compact(), off.yuan_compact())
            }
            Benefit::Rate {
                basis_points, cap, ..
            } => {
                let pct = percent_text(basis_points);
                match cap {
                    Some(c) => format!("立减{pct}%，最高减{}", c.yuan_compact()),
                    None => format!("立减{pct}%"),
                }
            }
        }
    }

    /// The rule in English: `40 off 200`, `100 off, no minimum`, `10% off, at most 1000`.
    pub fn words_en(self) -> String {
        match self {
            Benefit::ThresholdOff { threshold, off } if threshold == Fen::ZERO => {
                format!("¥{} off, no minimum", off.yuan_compact())
            }
            Benefit::ThresholdOff { threshold, off } => {
                format!("¥{} off ¥{}", off.yuan_compact(), threshold.yuan_compact())
            }
            Benefit::Rate {
                basis_points, cap, ..
            } => {
                let pct = percent_text(basis_points);
                match cap {
                    Some(c) => format!("{pct}% off, at most ¥{}", c.yuan_compact()),
                    None => format!("{pct}% off"),
                }
            }
        }
    }
}

fn percent_text(bp: u32) -> String {
    if bp.is_multiple_of(100) {
        (bp / 100).to_string()
    } else {
        format!("{}.{:02}", bp / 100, bp % 100)
            .trim_end_matches('0')
            .to_owned()
    }
}

/// When a coupon claimed (or allocated) at `at` expires: the last instant it may be redeemed.
pub fn coupon_expiry(campaign: &Campaign, kind: &Kind, at: Timestamp) -> Timestamp {
    let end = campaign.last_instant();
    match kind.lifetime {
        Lifetime::SameDay => at.china_date().last_instant().min(end),
        Lifetime::Campaign => end,
    }
}

/// How much of a round's pool is offered on `date`, given what was left in the pool at the
/// release (`pool_left`): the campaign's [`DailyRelease`] reading.
pub fn daily_release(rule: DailyRelease, round: &Round, date: ChinaDate, pool_left: Fen) -> Fen {
    let days = round.days_left(date);
    if days <= 0 || !pool_left.is_positive() {
        return Fen::ZERO;
    }
    match rule {
        DailyRelease::All => pool_left,
        // Rounded up, so the last day never strands a remainder of a few fen.
        DailyRelease::Even => Fen((pool_left.0 + days - 1) / days),
    }
}

/// What the server knows of one resident's coupons of one kind when a claim arrives.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Usage {
    pub claims_this_round: u32,
    pub claims_today: u32,
    pub claims_in_campaign: u32,
    /// Unexpired, unredeemed coupons of the requested denomination.
    pub held_of_denomination: u32,
    /// Unexpired, unredeemed coupons of the kind.
    pub held_of_kind: u32,
}

impl crate::campaign::Limits {
    /// The first limit that `usage` has used up, in the order residents are told of them.
    pub fn first_reached(&self, usage: Usage) -> Option<LimitKind> {
        let over = |limit: Option<u32>, used: u32| limit.is_some_and(|max| used >= max);
        [
            (self.per_round, usage.claims_this_round, LimitKind::PerRound),
            (self.per_day, usage.claims_today, LimitKind::PerDay),
            (
                self.per_campaign,
                usage.claims_in_campaign,
                LimitKind::PerCampaign,
            ),
            (
                self.held_per_denomination,
                usage.held_of_denomination,
                LimitKind::HeldPerDenomination,
            ),
            (self.held_per_kind, usage.held_of_kind, LimitKind::HeldPerKind),
        ]
        .into_iter()
        .find(|(limit, used, _)| over(*limit, *used))
        .map(|(_, _, kind)| kind)
    }
}

/// Which per-resident limit stopped a claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum LimitKind {
    PerRound,
    PerDay,
    PerCampaign,
    HeldPerDenomination,
    HeldPerKind,
}

/// Why a claim is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClaimRefusal {
    /// Not yet: opens at the given instant (today's release, or the round's or campaign's start).
    NotStarted {
        opens_at: Option<Timestamp>,
    },
    Ended,
    SoldOut,
    LimitReached(LimitKind),
    /// This kind is not claimed (allocated, shop-issued) or has no such denomination.
    NotClaimable,
    /// The day is given out by a draw: residents sign up for it, they do not claim.
    ByDraw,
    /// A sign-up for a day that is given out first come, not by draw.
    NotByDraw,
    /// The day's sign-up window has closed.
    SignUpClosed,
}

impl ClaimRefusal {
    pub fn code(self) -> ErrorCode {
        match self {
            ClaimRefusal::NotStarted { .. } => ErrorCode::NotStarted,
            ClaimRefusal::Ended => ErrorCode::Ended,
            ClaimRefusal::SoldOut => ErrorCode::SoldOut,
            ClaimRefusal::LimitReached(_) => ErrorCode::LimitReached,
            ClaimRefusal::NotClaimable | ClaimRefusal::NotByDraw => ErrorCode::InvalidRequest,
            ClaimRefusal::ByDraw => ErrorCode::ByDraw,
            ClaimRefusal::SignUpClosed => ErrorCode::SignUpClosed,
        }
    }
}

/// A claim that the rules allow: which round it draws on, what it reserves, when it expires.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClaimGrant {
    pub round: u32,
    pub value: Fen,
    pub expires: Timestamp,
}

/// May a resident with `usage` claim denomination `denomination` of `kind` at `now`, with
/// `left_today` of today's release unclaimed? Limits are checked before the pool, so a resident
/// whose own limit is used up is told so rather than "sold out". On a day given out by draw,
/// nobody claims: the draw grants, through [`check_release`].
pub fn check_claim(
    campaign: &Campaign,
    kind: &Kind,
    denomination: usize,
    usage: Usage,
    left_today: Fen,
    now: Timestamp,
) -> Result<ClaimGrant, ClaimRefusal> {
    check_release(
        campaign,
        kind,
        denomination,
        usage,
        left_today,
        now,
        Release::Rush,
    )
}

/// A coupon of today's release, given as `how` says: a resident's claim (`Rush`, the same as
/// [`check_claim`]), or the draw's grant to one it drew (`Draw`), by the same rules on a day
/// the round gives out by draw.
pub fn check_release(
    campaign: &Campaign,
    kind: &Kind,
    denomination: usize,
    usage: Usage,
    left_today: Fen,
    now: Timestamp,
    how: Release,
) -> Result<ClaimGrant, ClaimRefusal> {
    if !matches!(kind.issuance, Issuance::Claim | Issuance::Merchant) {
        return Err(ClaimRefusal::NotClaimable);
    }
    let benefit = kind.benefit(denomination).ok_or(ClaimRefusal::NotClaimable)?;
    let value = benefit.face_value().ok_or(ClaimRefusal::NotClaimable)?;
    let date = now.china_date();
    let round = running_round(campaign, now)?;
    match (round.release, how) {
        (Release::Draw, Release::Rush) => return Err(ClaimRefusal::ByDraw),
        (Release::Rush, Release::Draw) => return Err(ClaimRefusal::NotByDraw),
        _ => {}
    }
    let opens = campaign.release_at(date);
    if now < opens {
        return Err(ClaimRefusal::NotStarted {
            opens_at: Some(opens),
        });
    }
    within_limits_and_pool(campaign, kind, round, value, usage, left_today, now)
}

/// May a resident with `usage` sign up at `now` for today's draw of denomination
/// `denomination` of `kind`? Only on a day given out by draw, inside its sign-up window, for
/// a denomination they could claim, and while their limits leave room. (One sign-up a kind a
/// day is the store's to keep.)
pub fn check_sign_up(
    campaign: &Campaign,
    kind: &Kind,
    denomination: usize,
    usage: Usage,
    now: Timestamp,
) -> Result<(), ClaimRefusal> {
    if !matches!(kind.issuance, Issuance::Claim | Issuance::Merchant) {
        return Err(ClaimRefusal::NotClaimable);
    }
    let benefit = kind.benefit(denomination).ok_or(ClaimRefusal::NotClaimable)?;
    benefit.face_value().ok_or(ClaimRefusal::NotClaimable)?;
    let date = now.china_date();
    let round = running_round(campaign, now)?;
    let window = match (round.release, round.sign_up) {
        (Release::Draw, Some(w)) => w,
        _ => return Err(ClaimRefusal::NotByDraw),
    };
    if now < date.at(window.opens) {
        return Err(ClaimRefusal::NotStarted {
            opens_at: Some(date.at(window.opens)),
        });
    }
    if now >= date.at(window.closes) {
        return Err(ClaimRefusal::SignUpClosed);
    }
    match kind.limits.first_reached(usage) {
        Some(limit) => Err(ClaimRefusal::LimitReached(limit)),
        None => Ok(()),
    }
}

/// May a resident with `usage` claim a coupon of a merchant's offer, worth `value` of `kind`, at
/// `now`, with `available` left in the kind's pool for this round? Checked in a claim's order:
/// the campaign and its round, the kind's limits, then the money. (An offer's own count, and its
/// one coupon a resident, are the offer's.) Offers are not held to the daily release time.
pub fn check_offer(
    campaign: &Campaign,
    kind: &Kind,
    value: Fen,
    usage: Usage,
    available: Fen,
    now: Timestamp,
) -> Result<ClaimGrant, ClaimRefusal> {
    if kind.issuance != Issuance::Merchant || !value.is_positive() {
        return Err(ClaimRefusal::NotClaimable);
    }
    let round = running_round(campaign, now)?;
    within_limits_and_pool(campaign, kind, round, value, usage, available, now)
}

/// How every way of issuing a coupon ends, once its round is known: the kind's limits before
/// the money, so that a resident whose own limit is used up is told so rather than "sold out";
/// then a coupon worth `value` if `left` covers it.
fn within_limits_and_pool(
    campaign: &Campaign,
    kind: &Kind,
    round: &crate::campaign::Round,
    value: Fen,
    usage: Usage,
    left: Fen,
    now: Timestamp,
) -> Result<ClaimGrant, ClaimRefusal> {
    if let Some(limit) = kind.limits.first_reached(usage) {
        return Err(ClaimRefusal::LimitReached(limit));
    }
    if left < value {
        return Err(ClaimRefusal::SoldOut);
    }
    Ok(ClaimGrant {
        round: round.number,
        value,
        expires: coupon_expiry(campaign, kind, now),
    })
}

/// The round running at `now`, or why there is none: before the campaign, between rounds (with
/// when the next opens), or after.
fn running_round(campaign: &Campaign, now: Timestamp) -> Result<&crate::campaign::Round, ClaimRefusal> {
    let date = now.china_date();
    match campaign.phase(now) {
        crate::campaign::Phase::Before => {
            return Err(ClaimRefusal::NotStarted {
                opens_at: Some(campaign.release_at(campaign.starts)),
            })
        }
        crate::campaign::Phase::After => return Err(ClaimRefusal::Ended),
        crate::campaign::Phase::Running => {}
    }
    campaign.round_on(date).ok_or_else(|| {
        let next = campaign
            .rounds
            .iter()
            .filter_map(|r| r.starts)
            .filter(|s| *s > date)
            .min();
        match next {
            Some(d) => ClaimRefusal::NotStarted {
                opens_at: Some(campaign.release_at(d)),
            },
            None if campaign.rounds.iter().any(|r| r.starts.is_none()) => {
                ClaimRefusal::NotStarted { opens_at: None }
            }
            None => ClaimRefusal::Ended,
        }
    })
}

/// Why shop staff may not issue a coupon.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IssueRefusal {
    /// The kind is not one that shops issue.
    NotShopIssued,
    /// The order gives no discount at the kind's rate.
    OrderTooSmall,
    /// The campaign or its round is not running, the budget is spent, or the customer's limit is
    /// used up (as for claims).
    Claim(ClaimRefusal),
}

impl IssueRefusal {
    pub fn code(self) -> ErrorCode {
        match self {
            IssueRefusal::NotShopIssued => ErrorCode::InvalidRequest,
            IssueRefusal::OrderTooSmall => ErrorCode::BelowThreshold,
            IssueRefusal::Claim(r) => r.code(),
        }
    }
}

/// May shop staff issue a coupon of `kind` for an order of `order`, checked in the shop, to a
/// customer with `usage`, with `available` left in the round's pool? The coupon is worth the
/// kind's rate of that order, within its cap (Jishan: 10%, at most 1,000 yuan), and reserves
/// exactly that; it expires as the kind says. Issued whole or not at all: a budget with less
/// left than the coupon's worth is spent.
pub fn check_issue(
    campaign: &Campaign,
    kind: &Kind,
    usage: Usage,
    available: Fen,
    order: Fen,
    now: Timestamp,
) -> Result<ClaimGrant, IssueRefusal> {
    if kind.issuance != Issuance::Shop {
        return Err(IssueRefusal::NotShopIssued);
    }
    let rule = kind.rate.ok_or(IssueRefusal::NotShopIssued)?;
    let value = Benefit::from(rule)
        .discount(order)
        .ok()
        .filter(|v| v.is_positive())
        .ok_or(IssueRefusal::OrderTooSmall)?;
    let round = running_round(campaign, now).map_err(IssueRefusal::Claim)?;
    within_limits_and_pool(campaign, kind, round, value, usage, available, now).map_err(IssueRefusal::Claim)
}

/// The budget of one kind at one instant, as the records account for it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Conservation {
    pub budget: Fen,
    /// In the pool: not yet released, or released and unclaimed, or returned.
    pub available: Fen,
    /// Reserved by coupons whose life is not over: unredeemed value, and the part of a redeemed
    /// rate coupon's reservation beyond its discount.
    pub held: Fen,
    /// Discounts given, net of reversals.
    pub redeemed: Fen,
}

impl Conservation {
    /// `budget = available + held + redeemed`, and none of them negative.
    pub fn holds(&self) -> bool {
        self.available.0 >= 0
            && self.held.0 >= 0
            && self.redeemed.0 >= 0
            && self.available + self.held + self.redeemed == self.budget
    }
}

/// A coupon's state in its life: held → redeemed ⇄ (reversed) held; held → expired; redeemed →
/// closed when its day is over.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum CouponStatus {
    /// In a wallet, usable until it expires.
    Held,
    /// Used at a till; while the coupon lives, a refund can put it back in the wallet.
    Redeemed,
    /// Redeemed, and its life is over: what it reserved beyond its discount went back to the pool,
    /// and its accounts are closed. (Not a merchant's settlement, which is the merchant being paid.)
    Closed,
    /// Unused at expiry (or refunded after it); its value went back to the pool.
    Expired,
    /// Taken back by the operator (a lost love-coupon card); its value went back to the pool.
    Revoked,
}

/// What happens to a coupon.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    /// Redeemed with this discount.
    Redeem { discount: Fen },
    /// Its redemption is reversed (a refund with the coupon returned, 退货退券).
    Reverse,
    /// Its life ends (23:59:59 of its day, or the campaign's end).
    Expire,
    /// The operator takes it back.
    Revoke,
}

/// The effect of `event` on a coupon that reserved `value` at claim and has given `given` as
/// discount (zero unless redeemed): its new status and how the kind's accounts change.
///
/// The one place that says where money moves; the server's storage applies exactly these deltas.
/// A redeemed coupon keeps the part of its reservation it did not give (a rate coupon's cap
/// beyond its discount) until its life ends, so that a refund can always put it back in the
/// wallet whole: the pool never lends what a refund may take back.
pub fn transition(
    status: CouponStatus,
    value: Fen,
    given: Fen,
    event: Event,
) -> Result<(CouponStatus, Delta), ErrorCode> {
    use CouponStatus::*;
    let neg = |f: Fen| Fen::ZERO - f;
    match (status, event) {
        (Held, Event::Redeem { discount }) => {
            if discount > value || !discount.is_positive() {
                return Err(ErrorCode::InvalidRequest);
            }
            Ok((
                Redeemed,
                Delta {
                    available: Fen::ZERO,
                    held: neg(discount),
                    redeemed: discount,
                },
            ))
        }
        (Redeemed, Event::Reverse) => Ok((
            Held,
            Delta {
                available: Fen::ZERO,
                held: given,
                redeemed: neg(given),
            },
        )),
        (Redeemed, Event::Expire) => {
            let rest = value - given;
            Ok((
                Closed,
                Delta {
                    available: rest,
                    held: neg(rest),
                    redeemed: Fen::ZERO,
                },
            ))
        }
        (Closed, Event::Reverse) => Ok((
            Expired,
            Delta {
                available: given,
                held: Fen::ZERO,
                redeemed: neg(given),
            },
        )),
        (Held, Event::Expire | Event::Revoke) => {
            let to = if event == Event::Expire { Expired } else { Revoked };
            Ok((
                to,
                Delta {
                    available: value,
                    held: neg(value),
                    redeemed: Fen::ZERO,
                },
            ))
        }
        (Redeemed | Closed, Event::Redeem { .. }) => Err(ErrorCode::AlreadyRedeemed),
        (Expired, Event::Redeem { .. }) => Err(ErrorCode::CodeExpired),
        (Revoked, Event::Redeem { .. }) => Err(ErrorCode::CodeInvalid),
        _ => Err(ErrorCode::NotReversible),
    }
}

/// A change to a kind's accounts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Delta {
    pub available: Fen,
    pub held: Fen,
    pub redeemed: Fen,
}

/// The change a claim of `value` makes.
pub fn claim_delta(value: Fen) -> Delta {
    Delta {
        available: Fen::ZERO - value,
        held: value,
        redeemed: Fen::ZERO,
    }
}

impl Conservation {
    pub fn apply(&mut self, d: Delta) {
        self.available += d.available;
        self.held += d.held;
        self.redeemed += d.redeemed;
    }
}
