//! Limit slots: where a per-resident limit counts. Each coupon given out takes one numbered slot
//! in every scope that limits it; the store keeps slots under a key that lets each be taken once,
//! so the database has the last word on every limit. A scope is written as text in the store
//! (`round:2`, `day:2022-09-27`, `campaign`, `den:1:2022-09-27`, `kind:2022-09-27`, `offer:7`),
//! and only [`LimitScope`] writes and reads that text.

use crate::campaign::Limits;
use crate::rules::Usage;
use crate::ChinaDate;

/// Where a limit counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LimitScope {
    /// Claims in one round (`Limits::per_round`).
    Round(u32),
    /// Claims on one China day (`Limits::per_day`).
    Day(ChinaDate),
    /// Claims over the whole campaign (`Limits::per_campaign`).
    Campaign,
    /// Coupons of one denomination held, by the day they were given (with same-day expiry, what
    /// is held today) (`Limits::held_per_denomination`).
    Denomination { index: usize, day: ChinaDate },
    /// Coupons of the kind held, by day (`Limits::held_per_kind`).
    Kind(ChinaDate),
    /// One coupon of a merchant's offer a resident.
    Offer(i64),
}

impl LimitScope {
    /// The scopes that limit a coupon of denomination `index` given on `day` in `round`, under
    /// `limits`: one for each limit the kind has.
    pub fn for_coupon(limits: &Limits, index: usize, round: u32, day: ChinaDate) -> Vec<LimitScope> {
        [
            (limits.per_round, LimitScope::Round(round)),
            (limits.per_day, LimitScope::Day(day)),
            (limits.per_campaign, LimitScope::Campaign),
            (
                limits.held_per_denomination,
                LimitScope::Denomination { index, day },
            ),
            (limits.held_per_kind, LimitScope::Kind(day)),
        ]
        .into_iter()
        .filter_map(|(limit, scope)| limit.map(|_| scope))
        .collect()
    }

    /// The scope as the store keeps it.
    pub fn key(&self) -> String {
        match self {
            LimitScope::Round(n) => format!("round:{n}"),
            LimitScope::Day(d) => format!("day:{d}"),
            LimitScope::Campaign => "campaign".to_owned(),
            LimitScope::Denomination { index, day } => format!("den:{index}:{day}"),
            LimitScope::Kind(d) => format!("kind:{d}"),
            LimitScope::Offer(id) => format!("offer:{id}"),
        }
    }

    /// A scope from the store's text; `None` for text no version of the store wrote.
    pub fn parse(key: &str) -> Option<LimitScope> {
        let date = |t: &str| ChinaDate::parse(t).ok();
        if key == "campaign" {
            return Some(LimitScope::Campaign);
        }
        let (tag, rest) = key.split_once(':')?;
        match tag {
            "round" => rest.parse().ok().map(LimitScope::Round),
            "day" => date(rest).map(LimitScope::Day),
            "kind" => date(rest).map(LimitScope::Kind),
            "offer" => rest.parse().ok().map(LimitScope::Offer),
            "den" => {
                let (index, day) = rest.split_once(':')?;
                Some(LimitScope::Denomination {
                    index: index.parse().ok()?,
                    day: date(day)?,
                })
            }
            _ => None,
        }
    }
}

impl Usage {
    /// Counts `n` slots of `scope` into what a resident has used of a claim of denomination
    /// `index` on `day` in `round` (a past day's or round's slots count for nothing now).
    pub fn count(&mut self, scope: LimitScope, n: u32, index: usize, round: u32, day: ChinaDate) {
        match scope {
            LimitScope::Round(r) if r == round => self.claims_this_round = n,
            LimitScope::Day(d) if d == day => self.claims_today = n,
            LimitScope::Campaign => self.claims_in_campaign = n,
            LimitScope::Denomination { index: i, day: d } if i == index && d == day => {
                self.held_of_denomination = n
            }
            LimitScope::Kind(d) if d == day => self.held_of_kind = n,
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_scope_reads_back_as_it_was_written() {
        let day = ChinaDate::new(2022, 9, 27).unwrap();
        for scope in [
            LimitScope::Round(2),
            LimitScope::Day(day),
            LimitScope::Campaign,
            LimitScope::Denomination { index: 1, day },
            LimitScope::Kind(day),
            LimitScope::Offer(7),
        ] {
            assert_eq!(LimitScope::parse(&scope.key()), Some(scope), "{}", scope.key());
        }
        // The text the store has always held.
        assert_eq!(
            LimitScope::Denomination { index: 1, day }.key(),
            "den:1:2022-09-27"
        );
        assert_eq!(LimitScope::Round(2).key(), "round:2");
        for nonsense in [
            "",
            "campaign:1",
            "round:x",
            "den:1",
            "day:2022-13-01",
            "offer:",
            "week:3",
        ] {
            assert_eq!(LimitScope::parse(nonsense), None, "{nonsense}");
        }
    }

    #[test]
    fn only_the_kinds_limits_have_scopes_and_only_todays_slots_count() {
        let day = ChinaDate::new(2022, 9, 27).unwrap();
        let limits = Limits {
            per_round: Some(3),
            held_per_denomination: Some(1),
            ..Limits::default()
        };
        assert_eq!(
            LimitScope::for_coupon(&limits, 1, 2, day),
            vec![LimitScope::Round(2), LimitScope::Denomination { index: 1, day }]
        );
        let mut usage = Usage::default();
        usage.count(LimitScope::Round(1), 3, 1, 2, day);
        usage.count(
            LimitScope::Denomination {
                index: 1,
                day: day.plus_days(-1),
            },
            1,
            1,
            2,
            day,
        );
        usage.count(LimitScope::Denomination { index: 0, day }, 1, 1, 2, day);
        assert_eq!(usage, Usage::default(), "another round, day or denomination");
        usage.count(LimitScope::Round(2), 2, 1, 2, day);
        usage.count(LimitScope::Denomination { index: 1, day }, 1, 1, 2, day);
        assert_eq!((usage.claims_this_round, usage.held_of_denomination), (2, 1));
    }
}
