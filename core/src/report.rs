//! The post-campaign report and the audit sample, computed from the ledger alone: issuance,
//! coverage, redemptions, refunds (退货退券), what went back to the pool, the direct leverage
//! ratio (直接带动比 = order amount ÷ discount), the charts' series, and a reproducible random
//! sample of at least 10% of redemption records for the auditors.

use std::collections::{BTreeMap, BTreeSet};

use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

use crate::{ChinaDate, Fen, Timestamp};

/// What a ledger record says happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum LedgerEvent {
    /// Claimed in a release; `amount` is what it reserved from the pool.
    Claim,
    /// Allocated from a registered list (love coupons).
    Allocate,
    /// Issued by shop staff after checking the order.
    Issue,
    /// Redeemed at a till; `amount` is the discount, `order` the order amount.
    Redeem,
    /// A redemption reversed (refund, the coupon back in the wallet); amounts as redeemed.
    Reverse,
    /// Expired unused; `amount` went back to the pool.
    Expire,
    /// Settled after redemption; `amount` (a rate coupon's unused reserve) went back to the pool.
    Settle,
}

impl LedgerEvent {
    pub const ALL: [LedgerEvent; 7] = [
        LedgerEvent::Claim,
        LedgerEvent::Allocate,
        LedgerEvent::Issue,
        LedgerEvent::Redeem,
        LedgerEvent::Reverse,
        LedgerEvent::Expire,
        LedgerEvent::Settle,
    ];

    /// The word stored in the ledger.
    pub fn as_str(self) -> &'static str {
        match self {
            LedgerEvent::Claim => "claim",
            LedgerEvent::Allocate => "allocate",
            LedgerEvent::Issue => "issue",
            LedgerEvent::Redeem => "redeem",
            LedgerEvent::Reverse => "reverse",
            LedgerEvent::Expire => "expire",
            LedgerEvent::Settle => "settle",
        }
    }

    pub fn parse(word: &str) -> Option<LedgerEvent> {
        LedgerEvent::ALL.into_iter().find(|e| e.as_str() == word)
    }

    /// Whether a coupon came into a resident's hands.
    pub fn issues(self) -> bool {
        matches!(
            self,
            LedgerEvent::Claim | LedgerEvent::Allocate | LedgerEvent::Issue
        )
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
    /// Back to the pool from expired coupons and settled rate coupons.
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
        self.redemption_rate_bp = ratio(self.redeemed_count as i64 * 10_000, self.issued_count as i64);
        self.leverage_x100 = ratio(self.order_amount.0 * 100, self.discount.0);
    }
}

/// `num / den` rounded down, or `None` for no denominator.
fn ratio(num: i64, den: i64) -> Option<u64> {
    (den > 0).then(|| u64::try_from(num.max(0) / den).unwrap_or(0))
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
            e if e.issues() => {
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
            // Settle: a rate coupon's unused reserve back to the pool.
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
                e if e.issues() => change[d] -= r.amount,
                LedgerEvent::Expire | LedgerEvent::Settle => change[d] += r.amount,
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
            e if e.issues() => s.issued[b] += 1,
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

#[cfg(test)]
mod tests {
    use super::*;

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
            rec(1, Claim, "retail", 1, 4_000, 0),
            rec(2, Claim, "retail", 1, 1_000, 0),
            rec(3, Claim, "retail", 2, 4_000, 0),
            rec(4, Allocate, "love", 3, 10_000, 0),
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

    #[test]
    fn series_bucket_by_china_hour_and_day_and_burn_the_budget_down() {
        use LedgerEvent::*;
        let records = vec![
            rec(10, Claim, "retail", 1, 4_000, 0),
            rec(10, Claim, "retail", 2, 4_000, 0),
            rec(11, Redeem, "retail", 1, 4_000, 30_000),
            rec(30, Claim, "retail", 3, 1_000, 0),
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
