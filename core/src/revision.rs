//! Revising a running campaign (「根据参与单位核销情况动态调整资金比例，灵活调整发放安排」):
//! what a new version of a campaign changes, in words, whether it may be made, and how it moves
//! the pools.
//!
//! A revision never reaches back: what residents hold keeps the value, threshold and expiry it
//! was issued with; a round whose first release has opened keeps its dates and quotas; once the
//! campaign has begun, a kind keeps its rules (denominations, rate, lifetime, categories). Money
//! moves by differences, as a reallocation moves it: a kind's budget raised by 100,000 adds
//! 100,000 to what it has left to give out, and a round's quota changed moves the difference
//! between that round's pool and the pool of what no round gives out (round 0). Both accounts of
//! a pool, its budget and what is available, move together, so every pool keeps
//! `available + held + redeemed = budget`.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::campaign::{Campaign, CampaignError, DailyRelease, Kind, Limits, Release, Round, SignUpWindow};
use crate::ids::{CampaignId, KindId};
use crate::money::Fen;
use crate::rules::daily_release;
use crate::subsidy::Subsidy;
use crate::time::{ChinaDate, TimeOfDay, Timestamp};

/// One difference between the running version of a campaign and a revision of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "change", rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Change {
    /// The campaign's published name.
    Name {
        from: String,
        to: String,
    },
    /// The campaign's period.
    Period {
        from_starts: ChinaDate,
        from_ends: ChinaDate,
        to_starts: ChinaDate,
        to_ends: ChinaDate,
    },
    /// The campaign's total budget.
    Budget {
        from: Fen,
        to: Fen,
    },
    /// When each day's release opens (where a round sets none of its own).
    ReleaseTime {
        from: TimeOfDay,
        to: TimeOfDay,
    },
    /// How a round's pool is spread over its days.
    DailyRelease {
        from: DailyRelease,
        to: DailyRelease,
    },
    /// The merchant categories, or their names.
    Categories,
    KindAdded {
        kind: KindId,
        name: String,
        budget: Fen,
    },
    KindRemoved {
        kind: KindId,
        name: String,
    },
    KindRenamed {
        kind: KindId,
        from: String,
        to: String,
    },
    KindBudget {
        kind: KindId,
        from: Fen,
        to: Fen,
    },
    KindLimits {
        kind: KindId,
        from: Limits,
        to: Limits,
    },
    /// A kind's denominations, rate, lifetime, issuance, categories or allocation.
    KindRules {
        kind: KindId,
    },
    SubsidyAdded {
        subsidy: KindId,
        name: String,
        budget: Fen,
    },
    SubsidyRemoved {
        subsidy: KindId,
        name: String,
    },
    SubsidyBudget {
        subsidy: KindId,
        from: Fen,
        to: Fen,
    },
    /// A subsidy's name, rates, floor, dealers or grant rule.
    SubsidyRules {
        subsidy: KindId,
    },
    RoundAdded {
        round: u32,
        name: String,
        starts: Option<ChinaDate>,
        ends: Option<ChinaDate>,
    },
    RoundRemoved {
        round: u32,
        name: String,
    },
    RoundRenamed {
        round: u32,
        from: String,
        to: String,
    },
    RoundDates {
        round: u32,
        from_starts: Option<ChinaDate>,
        from_ends: Option<ChinaDate>,
        to_starts: Option<ChinaDate>,
        to_ends: Option<ChinaDate>,
    },
    RoundReleaseTime {
        round: u32,
        from: Option<TimeOfDay>,
        to: Option<TimeOfDay>,
    },
    /// How the round's days are given out: first come, or by draw with its sign-up window.
    RoundRelease {
        round: u32,
        from: Release,
        to: Release,
        sign_up: Option<SignUpWindow>,
    },
    RoundQuota {
        round: u32,
        kind: KindId,
        from: Fen,
        to: Fen,
    },
    /// English names or the source document.
    Details,
    /// A reallocation (预算调剂): budget moved from one kind to another while the campaign runs.
    Reallocated {
        from_kind: KindId,
        to_kind: KindId,
        amount: Fen,
    },
}

fn dates(starts: Option<ChinaDate>, ends: Option<ChinaDate>) -> String {
    match (starts, ends) {
        (Some(s), Some(e)) => format!("{s} to {e}"),
        _ => "dates to be set".into(),
    }
}

fn time(t: Option<TimeOfDay>) -> String {
    t.map_or_else(|| "the campaign's release time".into(), |t| t.to_string())
}

fn release(r: Release) -> &'static str {
    match r {
        Release::Rush => "first come",
        Release::Draw => "draw",
    }
}

/// English words, for the command line and the audit trail; the console words its own.
impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Change::Name { from, to } => write!(f, "name {from} → {to}"),
            Change::Period {
                from_starts,
                from_ends,
                to_starts,
                to_ends,
            } => write!(
                f,
                "period {from_starts} to {from_ends} → {to_starts} to {to_ends}"
            ),
            Change::Budget { from, to } => write!(f, "budget {from} → {to} yuan"),
            Change::ReleaseTime { from, to } => write!(f, "daily release {from} → {to}"),
            Change::DailyRelease { from, to } => write!(f, "daily release rule {from:?} → {to:?}"),
            Change::Categories => f.write_str("merchant categories changed"),
            Change::KindAdded { kind, budget, .. } => write!(f, "kind {kind} added, budget {budget} yuan"),
            Change::KindRemoved { kind, .. } => write!(f, "kind {kind} removed"),
            Change::KindRenamed { kind, from, to } => write!(f, "kind {kind} renamed {from} → {to}"),
            Change::KindBudget { kind, from, to } => write!(f, "{kind} budget {from} → {to} yuan"),
            Change::KindLimits { kind, .. } => write!(f, "{kind} limits per resident changed"),
            Change::KindRules { kind } => write!(f, "{kind} rules changed"),
            Change::SubsidyAdded { subsidy, budget, .. } => {
                write!(f, "subsidy {subsidy} added, budget {budget} yuan")
            }
            Change::SubsidyRemoved { subsidy, .. } => write!(f, "subsidy {subsidy} removed"),
            Change::SubsidyBudget { subsidy, from, to } => {
                write!(f, "subsidy {subsidy} budget {from} → {to} yuan")
            }
            Change::SubsidyRules { subsidy } => write!(f, "subsidy {subsidy} rules changed"),
            Change::RoundAdded {
                round, starts, ends, ..
            } => write!(f, "round {round} added, {}", dates(*starts, *ends)),
            Change::RoundRemoved { round, .. } => write!(f, "round {round} removed"),
            Change::RoundRenamed { round, from, to } => write!(f, "round {round} renamed {from} → {to}"),
            Change::RoundDates {
                round,
                from_starts,
                from_ends,
                to_starts,
                to_ends,
            } => write!(
                f,
                "round {round} {} → {}",
                dates(*from_starts, *from_ends),
                dates(*to_starts, *to_ends)
            ),
            Change::RoundReleaseTime { round, from, to } => {
                write!(f, "round {round} releases at {} → {}", time(*from), time(*to))
            }
            Change::RoundRelease {
                round,
                from,
                to,
                sign_up,
            } => {
                write!(
                    f,
                    "round {round} released by {} → {}",
                    release(*from),
                    release(*to)
                )?;
                match sign_up {
                    Some(w) => write!(f, " (sign-up {}–{})", w.opens, w.closes),
                    None => Ok(()),
                }
            }
            Change::RoundQuota {
                round,
                kind,
                from,
                to,
            } => {
                write!(f, "round {round} {kind} quota {from} → {to} yuan")
            }
            Change::Details => f.write_str("English names or source changed"),
            Change::Reallocated {
                from_kind,
                to_kind,
                amount,
            } => write!(f, "{amount} yuan moved from {from_kind} to {to_kind}"),
        }
    }
}

/// A revision's reason, trimmed: one line of at most 200 characters (it may be empty), or why
/// not, in words. The console and the command line both check it here.
pub fn check_reason(text: &str) -> Result<&str, &'static str> {
    let text = text.trim();
    if text.chars().count() > 200 || text.chars().any(char::is_control) {
        return Err("a reason is one line of at most 200 characters");
    }
    Ok(text)
}

/// Where one pool of a kind stands: round 0 is what no round gives out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PoolState {
    pub budget: Fen,
    pub available: Fen,
    pub held: Fen,
    pub redeemed: Fen,
}

/// Where one subsidy's budget stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SubsidyState {
    pub budget: Fen,
    pub reserved: Fen,
    pub paid: Fen,
}

/// What the pools and subsidy budgets hold now, by kind and round, and by subsidy.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Accounts {
    pub pools: BTreeMap<(KindId, u32), PoolState>,
    pub subsidies: BTreeMap<KindId, SubsidyState>,
}

/// One pool's budget and availability both moved by `by` (a pool not there yet is made empty
/// first).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PoolMove {
    pub kind: KindId,
    pub round: u32,
    pub by: Fen,
}

/// One subsidy's budget moved by `by`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubsidyMove {
    pub subsidy: KindId,
    pub by: Fen,
}

/// An accepted revision: what it changes, in words, and what it moves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Revision {
    pub changes: Vec<Change>,
    pub pools: Vec<PoolMove>,
    pub subsidies: Vec<SubsidyMove>,
}

impl Accounts {
    /// The accounts after `revision`'s moves.
    pub fn after(&self, revision: &Revision) -> Accounts {
        let mut next = self.clone();
        for m in &revision.pools {
            let p = next.pools.entry((m.kind.clone(), m.round)).or_default();
            p.budget += m.by;
            p.available += m.by;
        }
        for m in &revision.subsidies {
            next.subsidies.entry(m.subsidy.clone()).or_default().budget += m.by;
        }
        next
    }

    fn pool(&self, kind: &KindId, round: u32) -> PoolState {
        self.pools
            .get(&(kind.clone(), round))
            .copied()
            .unwrap_or_default()
    }
}

fn refuse<T>(campaign: &CampaignId, words: String) -> Result<T, CampaignError> {
    Err(CampaignError(format!("campaign {campaign}: {words}")))
}

/// A kind's rules, apart from its name, budget and limits (which a running campaign may change).
fn same_rules(a: &Kind, b: &Kind) -> bool {
    a.issuance == b.issuance
        && a.lifetime == b.lifetime
        && a.categories == b.categories
        && a.denominations == b.denominations
        && a.rate == b.rate
        && a.allocation == b.allocation
}

fn subsidy_rules(a: &Subsidy) -> impl PartialEq + '_ {
    (&a.name, &a.rates, a.floor, &a.dealer_category, a.grant)
}

/// Decides a revision of `running` into `revised` at `now`, against what the pools and subsidy
/// budgets hold (`accounts`): its changes in words and its moves, or why it cannot be made, in
/// words. A revision that changes nothing is accepted with no changes.
pub fn revise(
    running: &Campaign,
    revised: &Campaign,
    accounts: &Accounts,
    now: Timestamp,
) -> Result<Revision, CampaignError> {
    revised.validate()?;
    let id = &running.id;
    if revised.id != running.id {
        return refuse(
            id,
            format!("the revision is of campaign {}, not this one", revised.id),
        );
    }
    let today = now.china_date();
    let begun = today >= running.starts;
    let mut changes = Vec::new();

    if running.name != revised.name {
        changes.push(Change::Name {
            from: running.name.clone(),
            to: revised.name.clone(),
        });
    }
    if (running.starts, running.ends) != (revised.starts, revised.ends) {
        if begun && revised.starts != running.starts {
            return refuse(id, "the campaign has begun: its first day cannot move".into());
        }
        if revised.ends < today && revised.ends != running.ends {
            return refuse(id, format!("the campaign cannot end before today ({today})"));
        }
        if revised.ends < running.ends
            && running
                .kinds
                .iter()
                .any(|k| k.lifetime == crate::campaign::Lifetime::Campaign)
            && begun
        {
            return refuse(
                id,
                "residents hold coupons valid to the campaign's last day: it cannot come sooner".into(),
            );
        }
        changes.push(Change::Period {
            from_starts: running.starts,
            from_ends: running.ends,
            to_starts: revised.starts,
            to_ends: revised.ends,
        });
    }
    if running.budget != revised.budget {
        changes.push(Change::Budget {
            from: running.budget,
            to: revised.budget,
        });
    }
    if running.release_time != revised.release_time {
        let today_round = running.rounds.iter().find(|r| {
            running.round_begun(r, now) && r.ends.is_some_and(|e| e >= today) && r.release_time.is_none()
        });
        if let Some(r) = today_round {
            return refuse(
                id,
                format!(
                    "round {} ({}) releases at the campaign's release time while it runs: it stays {}",
                    r.number, r.name, running.release_time
                ),
            );
        }
        changes.push(Change::ReleaseTime {
            from: running.release_time,
            to: revised.release_time,
        });
    }
    if running.daily_release != revised.daily_release {
        changes.push(Change::DailyRelease {
            from: running.daily_release,
            to: revised.daily_release,
        });
    }
    if running.categories != revised.categories {
        let kept = running
            .categories
            .iter()
            .all(|c| revised.categories.iter().any(|r| r.id == c.id));
        if begun && !kept {
            return refuse(
                id,
                "the campaign has begun: a merchant category cannot be removed (merchants are listed in it)"
                    .into(),
            );
        }
        changes.push(Change::Categories);
    }

    // Rounds, by number: one that has begun stays as it is.
    let numbers: BTreeSet<u32> = running
        .rounds
        .iter()
        .chain(&revised.rounds)
        .map(|r| r.number)
        .collect();
    let mut quota_moves: BTreeMap<KindId, Vec<(u32, Fen)>> = BTreeMap::new();
    for n in numbers {
        let old = running.rounds.iter().find(|r| r.number == n);
        let new = revised.rounds.iter().find(|r| r.number == n);
        if old == new {
            continue;
        }
        if let Some(o) = old.filter(|o| running.round_begun(o, now)) {
            return refuse(
                id,
                format!(
                    "round {n} ({}) has begun: its dates, release time and quotas stay as they are",
                    o.name
                ),
            );
        }
        if let Some(r) = new.filter(|r| revised.round_begun(r, now)) {
            return refuse(
                id,
                format!(
                    "round {n} ({}) would begin in the past: its first release must be after now",
                    r.name
                ),
            );
        }
        round_changes(n, old, new, &mut changes);
        let kinds: BTreeSet<&KindId> = old
            .iter()
            .chain(new.iter())
            .flat_map(|r| r.quota.keys())
            .collect();
        for kind in kinds {
            let before = old.and_then(|r| r.quota.get(kind)).copied().unwrap_or(Fen::ZERO);
            let after = new.and_then(|r| r.quota.get(kind)).copied().unwrap_or(Fen::ZERO);
            if before != after {
                changes.push(Change::RoundQuota {
                    round: n,
                    kind: kind.clone(),
                    from: before,
                    to: after,
                });
                quota_moves
                    .entry(kind.clone())
                    .or_default()
                    .push((n, after - before));
            }
        }
    }

    // Kinds: their budgets move round 0 by the difference, less what the rounds' quotas took.
    let mut pools = Vec::new();
    for old in &running.kinds {
        if revised.kind(&old.id).is_some() {
            continue;
        }
        let touched = accounts
            .pools
            .iter()
            .any(|((k, _), p)| k == &old.id && (p.held.is_positive() || p.redeemed.is_positive()));
        if begun || touched {
            return refuse(
                id,
                format!(
                    "kind {} cannot be removed once the campaign has begun: pause its claims, or lower its budget to what it has given out",
                    old.id
                ),
            );
        }
        changes.push(Change::KindRemoved {
            kind: old.id.clone(),
            name: old.name.clone(),
        });
        for ((k, round), p) in &accounts.pools {
            if k == &old.id && p.budget.is_positive() {
                pools.push(PoolMove {
                    kind: k.clone(),
                    round: *round,
                    by: Fen::ZERO - p.budget,
                });
            }
        }
    }
    for new in &revised.kinds {
        let old = running.kind(&new.id);
        let old_budget = old.map_or(Fen::ZERO, |k| k.budget);
        match old {
            None => changes.push(Change::KindAdded {
                kind: new.id.clone(),
                name: new.name.clone(),
                budget: new.budget,
            }),
            Some(old) => {
                if old.name != new.name {
                    changes.push(Change::KindRenamed {
                        kind: new.id.clone(),
                        from: old.name.clone(),
                        to: new.name.clone(),
                    });
                }
                if !same_rules(old, new) {
                    if begun {
                        return refuse(
                            id,
                            format!(
                                "kind {}: its denominations, rate, lifetime and categories cannot change once the campaign has begun (residents hold its coupons); add a new kind instead",
                                new.id
                            ),
                        );
                    }
                    changes.push(Change::KindRules { kind: new.id.clone() });
                }
                if old.budget != new.budget {
                    changes.push(Change::KindBudget {
                        kind: new.id.clone(),
                        from: old.budget,
                        to: new.budget,
                    });
                }
                if old.limits != new.limits {
                    changes.push(Change::KindLimits {
                        kind: new.id.clone(),
                        from: old.limits,
                        to: new.limits,
                    });
                }
            }
        }
        let rounds = quota_moves.remove(&new.id).unwrap_or_default();
        let to_rounds: Fen = rounds.iter().map(|(_, by)| *by).sum();
        let rest = new.budget - old_budget - to_rounds;
        for (round, by) in rounds.into_iter().chain([(0, rest)]) {
            if by == Fen::ZERO {
                continue;
            }
            let p = accounts.pool(&new.id, round);
            if (p.available + by).0 < 0 {
                let place = if round == 0 {
                    "what no round gives out".to_owned()
                } else {
                    format!("round {round}")
                };
                return refuse(
                    id,
                    format!(
                        "kind {}: {place} has {} yuan left to give out, and the revision takes {} yuan from it",
                        new.id,
                        p.available,
                        Fen::ZERO - by
                    ),
                );
            }
            pools.push(PoolMove {
                kind: new.id.clone(),
                round,
                by,
            });
        }
    }

    // Subsidies: budgets move by the difference, never below what is reserved and paid.
    let mut subsidies = Vec::new();
    for old in &running.subsidies {
        if !revised.subsidies.iter().any(|s| s.id == old.id) {
            let s = accounts.subsidies.get(&old.id).copied().unwrap_or_default();
            if begun || s.reserved.is_positive() || s.paid.is_positive() {
                return refuse(
                    id,
                    format!("subsidy {} cannot be removed once the campaign has begun", old.id),
                );
            }
            changes.push(Change::SubsidyRemoved {
                subsidy: old.id.clone(),
                name: old.name.clone(),
            });
            if s.budget.is_positive() {
                subsidies.push(SubsidyMove {
                    subsidy: old.id.clone(),
                    by: Fen::ZERO - s.budget,
                });
            }
        }
    }
    for new in &revised.subsidies {
        let old = running.subsidies.iter().find(|s| s.id == new.id);
        let before = old.map_or(Fen::ZERO, |s| s.budget);
        match old {
            None => changes.push(Change::SubsidyAdded {
                subsidy: new.id.clone(),
                name: new.name.clone(),
                budget: new.budget,
            }),
            Some(old) => {
                if subsidy_rules(old) != subsidy_rules(new) {
                    if begun {
                        return refuse(
                            id,
                            format!(
                                "subsidy {}: its rates, floor and dealers cannot change once the campaign has begun (applications were made under them)",
                                new.id
                            ),
                        );
                    }
                    changes.push(Change::SubsidyRules {
                        subsidy: new.id.clone(),
                    });
                }
                if old.budget != new.budget {
                    changes.push(Change::SubsidyBudget {
                        subsidy: new.id.clone(),
                        from: old.budget,
                        to: new.budget,
                    });
                }
            }
        }
        let by = new.budget - before;
        if by != Fen::ZERO {
            let s = accounts.subsidies.get(&new.id).copied().unwrap_or_default();
            if (s.budget + by).0 < (s.reserved + s.paid).0 {
                return refuse(
                    id,
                    format!(
                        "subsidy {}: {} yuan is reserved or paid, more than the revised budget leaves",
                        new.id,
                        s.reserved + s.paid
                    ),
                );
            }
            subsidies.push(SubsidyMove {
                subsidy: new.id.clone(),
                by,
            });
        }
    }

    if (running.name_en != revised.name_en || running.source != revised.source)
        || running
            .kinds
            .iter()
            .any(|o| revised.kind(&o.id).is_some_and(|n| n.name_en != o.name_en))
        || running.subsidies.iter().any(|o| {
            revised
                .subsidies
                .iter()
                .any(|n| n.id == o.id && n.name_en != o.name_en)
        })
    {
        changes.push(Change::Details);
    }
    Ok(Revision {
        changes,
        pools,
        subsidies,
    })
}

fn round_changes(n: u32, old: Option<&Round>, new: Option<&Round>, changes: &mut Vec<Change>) {
    match (old, new) {
        (None, Some(r)) => changes.push(Change::RoundAdded {
            round: n,
            name: r.name.clone(),
            starts: r.starts,
            ends: r.ends,
        }),
        (Some(r), None) => changes.push(Change::RoundRemoved {
            round: n,
            name: r.name.clone(),
        }),
        (Some(o), Some(r)) => {
            if o.name != r.name {
                changes.push(Change::RoundRenamed {
                    round: n,
                    from: o.name.clone(),
                    to: r.name.clone(),
                });
            }
            if (o.starts, o.ends) != (r.starts, r.ends) {
                changes.push(Change::RoundDates {
                    round: n,
                    from_starts: o.starts,
                    from_ends: o.ends,
                    to_starts: r.starts,
                    to_ends: r.ends,
                });
            }
            if o.release_time != r.release_time {
                changes.push(Change::RoundReleaseTime {
                    round: n,
                    from: o.release_time,
                    to: r.release_time,
                });
            }
            if (o.release, o.sign_up) != (r.release, r.sign_up) {
                changes.push(Change::RoundRelease {
                    round: n,
                    from: o.release,
                    to: r.release,
                    sign_up: r.sign_up,
                });
            }
        }
        (None, None) => {}
    }
}

/// The first day's release of each kind a round gives a quota, as the preview shows it: the
/// round's quota spread by the campaign's daily release rule over the round's days.
pub fn first_releases(campaign: &Campaign, round: &Round) -> Vec<(KindId, Fen)> {
    let Some(first) = round.starts else {
        return Vec::new();
    };
    round
        .quota
        .iter()
        .map(|(kind, quota)| {
            (
                kind.clone(),
                daily_release(campaign.daily_release, round, first, *quota),
            )
        })
        .collect()
}

/// Why a reallocation cannot be made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReallocationRefusal {
    /// Not two different kinds of the campaign.
    Kinds,
    /// The amount is not more than zero.
    Amount,
    /// The first kind has less than that left to give out.
    TooLittleLeft,
}

impl fmt::Display for ReallocationRefusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ReallocationRefusal::Kinds => "two different kinds of this campaign",
            ReallocationRefusal::Amount => "the amount must be more than zero",
            ReallocationRefusal::TooLittleLeft => "the kind has less than that left to give out",
        })
    }
}

/// A reallocation (预算调剂) as a revision of `running` on `today`: `amount` of kind `from`'s
/// budget moved to kind `to`. It takes from what `from` has left to give out (round 0 first, then
/// the latest rounds) and adds to the pool `to` draws on today (its round's, where today's round
/// gives `to` a quota, else round 0). The version it makes has both budgets moved, and the round
/// quotas with them, so what runs says what the pools hold; a released day keeps its release.
pub fn reallocate(
    running: &Campaign,
    accounts: &Accounts,
    from: &KindId,
    to: &KindId,
    amount: Fen,
    today: ChinaDate,
) -> Result<(Campaign, Revision), ReallocationRefusal> {
    if from == to || running.kind(from).is_none() || running.kind(to).is_none() {
        return Err(ReallocationRefusal::Kinds);
    }
    if !amount.is_positive() {
        return Err(ReallocationRefusal::Amount);
    }
    let mut rounds: Vec<u32> = accounts
        .pools
        .keys()
        .filter(|(k, _)| k == from)
        .map(|(_, r)| *r)
        .collect();
    // Round 0 first, then the latest rounds.
    rounds.sort_by_key(|r| (*r != 0, std::cmp::Reverse(*r)));
    let mut left = amount;
    let mut pools = Vec::new();
    for round in rounds {
        if !left.is_positive() {
            break;
        }
        let take = accounts.pool(from, round).available.min(left);
        if take.is_positive() {
            pools.push(PoolMove {
                kind: from.clone(),
                round,
                by: Fen::ZERO - take,
            });
            left -= take;
        }
    }
    if left.is_positive() {
        return Err(ReallocationRefusal::TooLittleLeft);
    }
    let into = running
        .round_on(today)
        .filter(|r| r.quota.contains_key(to))
        .map_or(0, |r| r.number);
    pools.push(PoolMove {
        kind: to.clone(),
        round: into,
        by: amount,
    });
    let mut revised = running.clone();
    for m in &pools {
        if let Some(k) = revised.kinds.iter_mut().find(|k| k.id == m.kind) {
            k.budget += m.by;
        }
        if m.round != 0 {
            let quota = revised
                .rounds
                .iter_mut()
                .find(|r| r.number == m.round)
                .and_then(|r| r.quota.get_mut(&m.kind));
            if let Some(q) = quota {
                *q += m.by;
            }
        }
    }
    let revision = Revision {
        changes: vec![Change::Reallocated {
            from_kind: from.clone(),
            to_kind: to.clone(),
            amount,
        }],
        pools,
        subsidies: Vec::new(),
    };
    Ok((revised, revision))
}

/// `running` with round `round` set (added, or put in place of the round of its number).
pub fn with_round(running: &Campaign, round: Round) -> Campaign {
    let mut c = running.clone();
    match c.rounds.iter_mut().find(|r| r.number == round.number) {
        Some(r) => *r = round,
        None => {
            c.rounds.push(round);
            c.rounds.sort_by_key(|r| r.number);
        }
    }
    c
}
