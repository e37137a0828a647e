//! The post-campaign report and the audit sample, computed from the ledger alone: issuance,
//! coverage, redemptions, refunds (退货退券), what went back to the pool, the direct leverage
//! ratio (直接带动比 = order amount ÷ discount), the charts' series, and a reproducible random
//! sample of at least 10% of redemption records for the auditors.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

use crate::campaign::Issuance;
use crate::pause::PauseScope;
use crate::revision::Change;
use crate::{ChinaDate, Fen, Timestamp};

/// What a ledger record says happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LedgerEvent {
    /// A coupon came into a resident's hands, the way its kind issues them (claimed in a
    /// release, allocated from a list, issued by a shop, claimed from a merchant's offer);
    /// `amount` is what it reserved from the pool.
    Issue(Issuance),
    /// Redeemed at a till; `amount` is the discount, `order` the order amount.
    Redeem,
    /// A redemption reversed (refund, the coupon back in the wallet); amounts as redeemed.
    Reverse,
    /// Expired unused; `amount` went back to the pool.
    Expire,
    /// A redeemed coupon's life ended; `amount` (a rate coupon's unused reserve) went back to the
    /// pool.
    Close,
}

impl LedgerEvent {
    /// The word stored in the ledger: an issue is stored as its way's word (`claim`, `shop`…).
    pub fn as_str(self) -> &'static str {
        match self {
            LedgerEvent::Issue(way) => way.as_str(),
            LedgerEvent::Redeem => "redeem",
            LedgerEvent::Reverse => "reverse",
            LedgerEvent::Expire => "expire",
            LedgerEvent::Close => "close",
        }
    }

    pub fn parse(word: &str) -> Option<LedgerEvent> {
        if let Some(way) = Issuance::parse(word) {
            return Some(LedgerEvent::Issue(way));
        }
        [
            LedgerEvent::Redeem,
            LedgerEvent::Reverse,
            LedgerEvent::Expire,
            LedgerEvent::Close,
        ]
        .into_iter()
        .find(|e| e.as_str() == word)
    }
}

/// One ledger record, as the report reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub id: i64,
    pub at: Timestamp,
    pub event: LedgerEvent,
    pub kind: String,
    pub coupon: i64,
    pub resident: i64,
    pub amount: Fen,
    pub order: Fen,
    pub merchant: Option<i64>,
    pub redemption: Option<i64>,
}

/// A kind's figures. Ratios are whole numbers in fixed point, so they survive JSON and CSV
/// exactly: `redemption_rate_bp` in basis points (8250 is 82.50%), `leverage_x100` in hundredths
/// (625 is 6.25 yuan of orders for each yuan of discount).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct KindFigures {
    pub kind: String,
    /// The kind's name (empty for the campaign's total).
    #[serde(default)]
    pub name: String,
    /// The kind's budget now (after any reallocation).
    pub budget: Fen,
    pub issued_count: u64,
    pub issued_value: Fen,
    /// Redemptions standing (reversals taken off).
    pub redeemed_count: u64,
    pub discount: Fen,
    pub order_amount: Fen,
    /// Refunds: redemptions reversed, with the coupon returned.
    pub reversed_count: u64,
    pub reversed_discount: Fen,
    pub expired_count: u64,
    /// Back to the pool from expired coupons and closed rate coupons.
    pub returned_value: Fen,
    /// Held by residents now, unredeemed.
    pub held_value: Fen,
    /// Distinct residents given a coupon of this kind (coverage).
    pub residents_issued: u64,
    /// Distinct residents with a redemption standing.
    pub residents_redeemed: u64,
    pub redemption_rate_bp: Option<u64>,
    pub leverage_x100: Option<u64>,
}

impl KindFigures {
    fn finish(&mut self) {
        self.redemption_rate_bp = ratio(
            i128::from(self.redeemed_count) * 10_000,
            i128::from(self.issued_count),
        );
        self.leverage_x100 = ratio(i128::from(self.order_amount.0) * 100, i128::from(self.discount.0));
    }
}

/// `num / den` rounded down, or `None` for no denominator. In `i128`, so no campaign's sums can
/// overflow it.
fn ratio(num: i128, den: i128) -> Option<u64> {
    (den > 0).then(|| u64::try_from(num.max(0) / den).unwrap_or(u64::MAX))
}

/// Counts per bucket for one kind: claims (every issuance) and redemptions standing.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Series {
    pub kind: String,
    pub issued: Vec<u64>,
    pub redeemed: Vec<u64>,
    /// What the pool had left at the end of each bucket (daily series only; empty otherwise).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub available: Vec<Fen>,
}

/// The budget of each kind (what its pools hold together now) and what residents hold.
#[derive(Debug, Clone, Default)]
pub struct PoolState {
    pub budget: Fen,
    pub held: Fen,
}

/// Figures per kind, in the order of `kinds`, and their sum (kind `""`).
pub fn figures(records: &[Record], kinds: &[(String, PoolState)]) -> (Vec<KindFigures>, KindFigures) {
    let mut out: Vec<KindFigures> = kinds
        .iter()
        .map(|(kind, pool)| KindFigures {
            kind: kind.clone(),
            budget: pool.budget,
            held_value: pool.held,
            ..KindFigures::default()
        })
        .collect();
    let mut issued_to: Vec<BTreeSet<i64>> = vec![BTreeSet::new(); kinds.len()];
    // Net redemptions per (kind, resident): a resident counts while one stands.
    let mut standing: Vec<BTreeMap<i64, i64>> = vec![BTreeMap::new(); kinds.len()];
    let mut all_issued = BTreeSet::new();
    let mut all_standing: BTreeMap<i64, i64> = BTreeMap::new();
    for r in records {
        let Some(i) = kinds.iter().position(|(k, _)| *k == r.kind) else {
            continue;
        };
        let f = &mut out[i];
        match r.event {
            LedgerEvent::Issue(_) => {
                f.issued_count += 1;
                f.issued_value += r.amount;
                issued_to[i].insert(r.resident);
                all_issued.insert(r.resident);
            }
            LedgerEvent::Redeem => {
                f.redeemed_count += 1;
                f.discount += r.amount;
                f.order_amount += r.order;
                *standing[i].entry(r.resident).or_default() += 1;
                *all_standing.entry(r.resident).or_default() += 1;
            }
            LedgerEvent::Reverse => {
                f.redeemed_count = f.redeemed_count.saturating_sub(1);
                f.discount -= r.amount;
                f.order_amount -= r.order;
                f.reversed_count += 1;
                f.reversed_discount += r.amount;
                *standing[i].entry(r.resident).or_default() -= 1;
                *all_standing.entry(r.resident).or_default() -= 1;
            }
            LedgerEvent::Expire => {
                f.expired_count += 1;
                f.returned_value += r.amount;
            }
            // Close: a rate coupon's unused reserve back to the pool.
            _ => f.returned_value += r.amount,
        }
    }
    let mut total = KindFigures::default();
    for (i, f) in out.iter_mut().enumerate() {
        f.residents_issued = issued_to[i].len() as u64;
        f.residents_redeemed = standing[i].values().filter(|n| **n > 0).count() as u64;
        f.finish();
        total.budget += f.budget;
        total.held_value += f.held_value;
        total.issued_count += f.issued_count;
        total.issued_value += f.issued_value;
        total.redeemed_count += f.redeemed_count;
        total.discount += f.discount;
        total.order_amount += f.order_amount;
        total.reversed_count += f.reversed_count;
        total.reversed_discount += f.reversed_discount;
        total.expired_count += f.expired_count;
        total.returned_value += f.returned_value;
    }
    total.residents_issued = all_issued.len() as u64;
    total.residents_redeemed = all_standing.values().filter(|n| **n > 0).count() as u64;
    total.finish();
    (out, total)
}

/// Issuances and redemptions per hour (China time) of `day`, per kind.
pub fn hourly(records: &[Record], kinds: &[String], day: ChinaDate) -> Vec<Series> {
    series(records, kinds, 24, |at| {
        (at.china_date() == day).then(|| at.china_time_of_day().hours() as usize)
    })
}

/// Issuances and redemptions per day from `first` to `last`, per kind, with what each kind's pool
/// had left at the end of each day (the budget burn-down).
pub fn daily(
    records: &[Record],
    kinds: &[(String, PoolState)],
    first: ChinaDate,
    last: ChinaDate,
) -> Vec<Series> {
    let days = usize::try_from(first.days_until(last) + 1).unwrap_or(0);
    let names: Vec<String> = kinds.iter().map(|(k, _)| k.clone()).collect();
    let bucket = |at: Timestamp| {
        usize::try_from(first.days_until(at.china_date()))
            .ok()
            .filter(|d| *d < days)
    };
    let mut out = series(records, &names, days, bucket);
    for (s, (kind, pool)) in out.iter_mut().zip(kinds) {
        let mut change = vec![Fen::ZERO; days];
        for r in records.iter().filter(|r| r.kind == *kind) {
            let Some(d) = bucket(r.at) else { continue };
            match r.event {
                LedgerEvent::Issue(_) => change[d] -= r.amount,
                LedgerEvent::Expire | LedgerEvent::Close => change[d] += r.amount,
                _ => {}
            }
        }
        let mut left = pool.budget;
        s.available = change
            .into_iter()
            .map(|c| {
                left += c;
                left
            })
            .collect();
    }
    out
}

fn series(
    records: &[Record],
    kinds: &[String],
    buckets: usize,
    bucket: impl Fn(Timestamp) -> Option<usize>,
) -> Vec<Series> {
    let mut out: Vec<Series> = kinds
        .iter()
        .map(|k| Series {
            kind: k.clone(),
            issued: vec![0; buckets],
            redeemed: vec![0; buckets],
            available: Vec::new(),
        })
        .collect();
    for r in records {
        let (Some(i), Some(b)) = (kinds.iter().position(|k| *k == r.kind), bucket(r.at)) else {
            continue;
        };
        let s = &mut out[i];
        match r.event {
            LedgerEvent::Issue(_) => s.issued[b] += 1,
            LedgerEvent::Redeem => s.redeemed[b] += 1,
            LedgerEvent::Reverse => s.redeemed[b] = s.redeemed[b].saturating_sub(1),
            _ => {}
        }
    }
    out
}

/// `GET /operator/campaigns/{id}/report`: the campaign's figures, per kind and in total, the
/// charts' series, and the audit sample's terms.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CampaignReport {
    pub campaign: String,
    pub name: String,
    pub generated_at: Timestamp,
    pub kinds: Vec<KindFigures>,
    pub total: KindFigures,
    /// The day of the hourly series.
    pub day: ChinaDate,
    pub hourly: Vec<Series>,
    /// The first day of the daily series (the campaign's first day).
    pub first_day: ChinaDate,
    pub daily: Vec<Series>,
    pub audit: AuditTerms,
    /// Patterns for the audit to re-check.
    pub flags: Vec<Flag>,
    /// Every change made to the campaign since its first version, oldest first: revisions,
    /// rounds scheduled, reallocations, pauses and resumptions, and the overload switch.
    pub history: Vec<HistoryEntry>,
    /// Each day given out by draw (预约抽签), oldest first: sign-ups, winners, the seed's
    /// commitment and, once drawn, the seed.
    #[serde(default)]
    pub draws: Vec<crate::api::DrawView>,
}

/// One change made to a running campaign, as its report lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HistoryEntry {
    pub at: Timestamp,
    /// Who made it: the account's name, or "command line" for `quan-server campaigns apply`.
    pub by: String,
    /// Why, as they gave it (the overload switch asks for none).
    pub reason: String,
    pub what: HistoryEvent,
}

/// What a [`HistoryEntry`] changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum HistoryEvent {
    /// A new version: a revised file, a round scheduled, or a reallocation. `version` is absent
    /// for a reallocation recorded before reallocations made versions.
    Revised {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        version: Option<i64>,
        changes: Vec<Change>,
    },
    /// Claims of the campaign, of one kind, or redemptions in one category stopped.
    Paused { scope: PauseScope, target: String },
    /// That pause ended.
    Resumed { scope: PauseScope, target: String },
    /// The overload switch turned on: claims asked to come back in `retry_after` seconds.
    BusyOn { retry_after: u32 },
    /// The overload switch turned off.
    BusyOff,
}

impl HistoryEvent {
    /// The event's word, as the CSV writes it.
    pub fn word(&self) -> &'static str {
        match self {
            HistoryEvent::Revised { .. } => "revised",
            HistoryEvent::Paused { .. } => "paused",
            HistoryEvent::Resumed { .. } => "resumed",
            HistoryEvent::BusyOn { .. } => "busy_on",
            HistoryEvent::BusyOff => "busy_off",
        }
    }
}

fn paused_what(scope: PauseScope, target: &str) -> String {
    match scope {
        PauseScope::Claims => "all claims".into(),
        PauseScope::Kind => format!("claims of {target}"),
        PauseScope::Category => format!("redemptions in {target}"),
    }
}

/// English words, for the CSV and the audit trail; the console words its own.
impl fmt::Display for HistoryEvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HistoryEvent::Revised { version, changes } => {
                if let Some(v) = version {
                    write!(f, "version {v}: ")?;
                }
                let words: Vec<String> = changes.iter().map(ToString::to_string).collect();
                f.write_str(&words.join("; "))
            }
            HistoryEvent::Paused { scope, target } => write!(f, "{} paused", paused_what(*scope, target)),
            HistoryEvent::Resumed { scope, target } => write!(f, "{} resumed", paused_what(*scope, target)),
            HistoryEvent::BusyOn { retry_after } => {
                write!(
                    f,
                    "overload switch on: claims asked to come back in {retry_after} s"
                )
            }
            HistoryEvent::BusyOff => f.write_str("overload switch off"),
        }
    }
}

/// The history in time order (entries of one instant in the order given).
pub fn history(mut entries: Vec<HistoryEntry>) -> Vec<HistoryEntry> {
    entries.sort_by_key(|e| e.at);
    entries
}

/// How the audit sample is drawn: the seed to redraw it with, the share, and the counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditTerms {
    pub seed: u64,
    pub percent: u32,
    /// Redemption records, reversed ones included.
    pub records: u64,
    pub sampled: u64,
}

/// The share of records the audit re-checks, in percent (rules: at least 10%).
pub const AUDIT_PERCENT: u32 = 10;

/// The audit sample: of `ids` (redemption records), the `ceil(n × percent / 100)` whose
/// HMAC-SHA256 under the seed (its decimal digits as the key, the id as 8 big-endian bytes) is
/// smallest, returned in ascending id order. The same seed always draws the same sample, whatever
/// order the records come in; an auditor given the seed can redraw it with any HMAC tool.
pub fn audit_sample(ids: &[i64], seed: u64, percent: u32) -> Vec<i64> {
    let n = ids.len();
    let take = (n * percent.min(100) as usize).div_ceil(100);
    let key = seed.to_string();
    let mut ranked: Vec<([u8; 32], i64)> = ids
        .iter()
        .map(|&id| {
            let mut rank = [0u8; 32];
            if let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(key.as_bytes()) {
                mac.update(&id.to_be_bytes());
                rank.copy_from_slice(&mac.finalize().into_bytes());
            }
            (rank, id)
        })
        .collect();
    ranked.sort_unstable();
    let mut sample: Vec<i64> = ranked.into_iter().take(take).map(|(_, id)| id).collect();
    sample.sort_unstable();
    sample.dedup();
    sample
}

/// One redemption as the audit flags read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redemption {
    pub id: i64,
    pub at: Timestamp,
    pub resident: i64,
    pub merchant: i64,
    pub merchant_name: String,
    pub order: Fen,
    pub threshold: Fen,
    pub reversed: bool,
}

/// A pattern the auditors should look at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum FlagKind {
    /// The same resident at the same merchant several times within minutes: an order split to use
    /// several coupons.
    SplitOrder,
    /// A merchant whose orders sit just at the coupons' thresholds, again and again.
    AtThreshold,
    /// A merchant with many reversals.
    ManyReversals,
}

/// A flag, with the records behind it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Flag {
    pub kind: FlagKind,
    pub merchant: i64,
    pub merchant_name: String,
    /// The resident, for a split order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resident: Option<i64>,
    pub redemptions: Vec<i64>,
}

/// Redemptions of one resident at one merchant within this window make a split order.
pub const SPLIT_WINDOW_SECS: i64 = 30 * 60;
/// …when there are at least this many.
pub const SPLIT_COUNT: usize = 3;
/// An order within this much above its threshold is "just at" it (or 1% of the threshold, if more).
pub const AT_THRESHOLD_MARGIN: Fen = Fen(200);
/// A merchant is flagged when at least this many of its redemptions, and half of them, are just at
/// the threshold.
pub const AT_THRESHOLD_COUNT: usize = 5;
/// A merchant is flagged with at least this many reversals, a fifth of its redemptions or more.
pub const REVERSALS_COUNT: usize = 3;

/// The patterns in `redemptions` that the audit should re-check: split orders, orders just at the
/// threshold, many reversals. Each flag lists its records; flags come merchant by merchant.
pub fn flags(redemptions: &[Redemption]) -> Vec<Flag> {
    let mut by_merchant: BTreeMap<i64, Vec<&Redemption>> = BTreeMap::new();
    for r in redemptions {
        by_merchant.entry(r.merchant).or_default().push(r);
    }
    let mut out = Vec::new();
    for (merchant, mut rs) in by_merchant {
        rs.sort_by_key(|r| (r.resident, r.at, r.id));
        let name = rs.first().map(|r| r.merchant_name.clone()).unwrap_or_default();
        // Split orders: a run of the same resident's redemptions, each within the window of the
        // run's first.
        let mut i = 0;
        while i < rs.len() {
            let start = rs[i];
            let run: Vec<&Redemption> = rs[i..]
                .iter()
                .take_while(|r| {
                    r.resident == start.resident
                        && r.at.millis() - start.at.millis() <= SPLIT_WINDOW_SECS * 1000
                })
                .copied()
                .collect();
            if run.len() >= SPLIT_COUNT {
                out.push(Flag {
                    kind: FlagKind::SplitOrder,
                    merchant,
                    merchant_name: start.merchant_name.clone(),
                    resident: Some(start.resident),
                    redemptions: run.iter().map(|r| r.id).collect(),
                });
                i += run.len();
            } else {
                i += 1;
            }
        }
        let standing: Vec<&&Redemption> = rs.iter().filter(|r| !r.reversed).collect();
        let at: Vec<i64> = standing
            .iter()
            .filter(|r| {
                let margin = AT_THRESHOLD_MARGIN.max(r.threshold.basis_points(100));
                r.threshold.is_positive() && r.order >= r.threshold && r.order - r.threshold <= margin
            })
            .map(|r| r.id)
            .collect();
        if at.len() >= AT_THRESHOLD_COUNT && at.len() * 2 >= standing.len() {
            out.push(Flag {
                kind: FlagKind::AtThreshold,
                merchant,
                merchant_name: name.clone(),
                resident: None,
                redemptions: at,
            });
        }
        let reversed: Vec<i64> = rs.iter().filter(|r| r.reversed).map(|r| r.id).collect();
        if reversed.len() >= REVERSALS_COUNT && reversed.len() * 5 >= rs.len() {
            out.push(Flag {
                kind: FlagKind::ManyReversals,
                merchant,
                merchant_name: name.clone(),
                resident: None,
                redemptions: reversed,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_ledger_word_reads_back_as_its_event_and_no_two_share_a_word() {
        let mut events: Vec<LedgerEvent> = Issuance::ALL.into_iter().map(LedgerEvent::Issue).collect();
        events.extend([
            LedgerEvent::Redeem,
            LedgerEvent::Reverse,
            LedgerEvent::Expire,
            LedgerEvent::Close,
        ]);
        let words: BTreeSet<&str> = events.iter().map(|e| e.as_str()).collect();
        assert_eq!(words.len(), events.len());
        for e in events {
            assert_eq!(LedgerEvent::parse(e.as_str()), Some(e));
        }
        assert_eq!(LedgerEvent::parse("issue"), None);
        // A coupon's source, the campaign file and the ledger name a way of issuing alike.
        for way in Issuance::ALL {
            let json = serde_json::to_string(&way).unwrap();
            assert_eq!(json, format!("\"{}\"", way.as_str()));
        }
    }

    fn rec(id: i64, event: LedgerEvent, kind: &str, resident: i64, amount: i64, order: i64) -> Record {
        Record {
            id,
            at: ChinaDate::new(2022, 12, 20)
                .map_or(Timestamp(0), |d| d.start())
                .plus_secs(id * 3_600),
            event,
            kind: kind.into(),
            coupon: id,
            resident,
            amount: Fen(amount),
            order: Fen(order),
            merchant: Some(1),
            redemption: None,
        }
    }

    #[test]
    fn audit_samples_are_a_tenth_or_more_and_redrawn_by_the_seed() {
        let ids: Vec<i64> = (1..=1_234).collect();
        let a = audit_sample(&ids, 20_221_225, AUDIT_PERCENT);
        assert_eq!(a.len(), 124, "ceil(10% of 1234)");
        let mut shuffled = ids.clone();
        shuffled.reverse();
        assert_eq!(audit_sample(&shuffled, 20_221_225, AUDIT_PERCENT), a);
        let b = audit_sample(&ids, 7, AUDIT_PERCENT);
        assert_ne!(a, b);
        assert!(a.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(audit_sample(&[5], 1, AUDIT_PERCENT), vec![5]);
        assert!(audit_sample(&[], 1, AUDIT_PERCENT).is_empty());
    }

    #[test]
    fn figures_net_out_refunds_and_count_people_once() {
        use LedgerEvent::*;
        let records = vec![
            rec(1, Issue(Issuance::Claim), "retail", 1, 4_000, 0),
            rec(2, Issue(Issuance::Claim), "retail", 1, 1_000, 0),
            rec(3, Issue(Issuance::Claim), "retail", 2, 4_000, 0),
            rec(4, Issue(Issuance::Allocate), "love", 3, 10_000, 0),
            rec(5, Redeem, "retail", 1, 4_000, 25_000),
            rec(6, Redeem, "retail", 2, 4_000, 21_000),
            rec(7, Reverse, "retail", 2, 4_000, 21_000),
            rec(8, Expire, "retail", 1, 1_000, 0),
            rec(9, Redeem, "love", 3, 10_000, 12_000),
        ];
        let pools = [
            (
                "retail".to_owned(),
                PoolState {
                    budget: Fen(100_000),
                    held: Fen(4_000),
                },
            ),
            (
                "love".to_owned(),
                PoolState {
                    budget: Fen(50_000),
                    held: Fen(0),
                },
            ),
        ];
        let (kinds, total) = figures(&records, &pools);
        let retail = &kinds[0];
        assert_eq!((retail.issued_count, retail.issued_value), (3, Fen(9_000)));
        assert_eq!(
            (retail.redeemed_count, retail.discount, retail.order_amount),
            (1, Fen(4_000), Fen(25_000))
        );
        assert_eq!((retail.reversed_count, retail.reversed_discount), (1, Fen(4_000)));
        assert_eq!((retail.expired_count, retail.returned_value), (1, Fen(1_000)));
        assert_eq!((retail.residents_issued, retail.residents_redeemed), (2, 1));
        assert_eq!(retail.redemption_rate_bp, Some(3_333));
        assert_eq!(retail.leverage_x100, Some(625));
        assert_eq!(total.residents_issued, 3);
        assert_eq!(total.residents_redeemed, 2);
        assert_eq!((total.discount, total.order_amount), (Fen(14_000), Fen(37_000)));
        assert_eq!(total.leverage_x100, Some(264));
        assert_eq!(total.budget, Fen(150_000));
    }

    fn redemption(
        id: i64,
        minute: i64,
        resident: i64,
        merchant: i64,
        order: i64,
        reversed: bool,
    ) -> Redemption {
        Redemption {
            id,
            at: Timestamp(minute * 60_000),
            resident,
            merchant,
            merchant_name: format!("m{merchant}"),
            order: Fen(order),
            threshold: Fen(20_000),
            reversed,
        }
    }

    #[test]
    fn flags_split_orders_threshold_hugging_and_reversals() {
        let mut rs = vec![
            // Resident 1 at merchant 7 three times in 20 minutes; resident 2 twice (not enough).
            redemption(1, 0, 1, 7, 30_000, false),
            redemption(2, 10, 1, 7, 30_000, false),
            redemption(3, 20, 1, 7, 30_000, false),
            redemption(4, 0, 2, 7, 30_000, false),
            redemption(5, 5, 2, 7, 30_000, false),
            // Resident 3 at merchant 7 three times, but over hours: no flag.
            redemption(6, 0, 3, 7, 30_000, false),
            redemption(7, 120, 3, 7, 30_000, false),
            redemption(8, 240, 3, 7, 30_000, false),
        ];
        // Merchant 8: six orders of 200.00–201.50 against 满200 thresholds, one fair one.
        for (i, order) in [20_000, 20_050, 20_100, 20_150, 20_000, 20_000]
            .into_iter()
            .enumerate()
        {
            rs.push(redemption(
                100 + i as i64,
                60 * i as i64,
                10 + i as i64,
                8,
                order,
                false,
            ));
        }
        rs.push(redemption(200, 0, 30, 8, 55_000, false));
        // Merchant 9: three reversals of eight.
        for i in 0..8 {
            rs.push(redemption(300 + i, 60 * i, 40 + i, 9, 50_000, i < 3));
        }
        let f = flags(&rs);
        assert_eq!(
            f,
            vec![
                Flag {
                    kind: FlagKind::SplitOrder,
                    merchant: 7,
                    merchant_name: "m7".into(),
                    resident: Some(1),
                    redemptions: vec![1, 2, 3]
                },
                Flag {
                    kind: FlagKind::AtThreshold,
                    merchant: 8,
                    merchant_name: "m8".into(),
                    resident: None,
                    redemptions: vec![100, 101, 102, 103, 104, 105]
                },
                Flag {
                    kind: FlagKind::ManyReversals,
                    merchant: 9,
                    merchant_name: "m9".into(),
                    resident: None,
                    redemptions: vec![300, 301, 302]
                },
            ]
        );
    }

    #[test]
    fn series_bucket_by_china_hour_and_day_and_burn_the_budget_down() {
        use LedgerEvent::*;
        let records = vec![
            rec(10, Issue(Issuance::Claim), "retail", 1, 4_000, 0),
            rec(10, Issue(Issuance::Claim), "retail", 2, 4_000, 0),
            rec(11, Redeem, "retail", 1, 4_000, 30_000),
            rec(30, Issue(Issuance::Claim), "retail", 3, 1_000, 0),
            rec(47, Expire, "retail", 3, 1_000, 0),
        ];
        let day = ChinaDate::new(2022, 12, 20).expect("date");
        let h = hourly(&records, &["retail".into()], day);
        assert_eq!(h[0].issued[10], 2);
        assert_eq!(h[0].redeemed[11], 1);
        assert_eq!(h[0].issued.iter().sum::<u64>(), 2, "hour 30 is the next day");
        let pools = [(
            "retail".to_owned(),
            PoolState {
                budget: Fen(100_000),
                held: Fen::ZERO,
            },
        )];
        let d = daily(&records, &pools, day, day.plus_days(2));
        assert_eq!(d[0].issued, vec![2, 1, 0]);
        assert_eq!(d[0].available, vec![Fen(92_000), Fen(92_000), Fen(92_000)]);
    }
}
