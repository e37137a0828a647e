//! Revising a running campaign: the words of a revision, what it may not change, and the
//! property that no accepted revision breaks a pool's accounts.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;

use proptest::prelude::*;
use proptest::test_runner::TestCaseError;
use quan_core::campaign::{Campaign, Round};
use quan_core::revision::{
    first_releases, reallocate, revise, with_round, Accounts, Change, PoolState, ReallocationRefusal,
};
use quan_core::{ChinaDate, Fen, KindId, TimeOfDay, Timestamp};

const QINSHUI: &str = include_str!("../../server/campaigns/qinshui-2022-r2.toml");

fn qinshui() -> Campaign {
    Campaign::from_toml(QINSHUI).unwrap()
}

fn date(y: i32, m: u8, d: u8) -> ChinaDate {
    ChinaDate::new(y, m, d).unwrap()
}

fn at(d: ChinaDate, h: u32, m: u32) -> Timestamp {
    d.at(TimeOfDay::hm(h, m).unwrap())
}

fn yuan(y: i64) -> Fen {
    Fen::from_yuan(y)
}

/// The pools as the server makes them for a fresh campaign: a pool per round with its quota, and
/// round 0 with the rest; nothing given out yet.
fn fresh(c: &Campaign) -> Accounts {
    let mut a = Accounts::default();
    for k in &c.kinds {
        let mut rest = k.budget;
        for r in &c.rounds {
            if let Some(q) = r.quota.get(&k.id) {
                a.pools.insert(
                    (k.id.clone(), r.number),
                    PoolState {
                        budget: *q,
                        available: *q,
                        ..PoolState::default()
                    },
                );
                rest -= *q;
            }
        }
        a.pools.insert(
            (k.id.clone(), 0),
            PoolState {
                budget: rest,
                available: rest,
                ..PoolState::default()
            },
        );
    }
    a
}

fn round2(starts: ChinaDate, ends: ChinaDate) -> Round {
    let mut r = qinshui().rounds[1].clone();
    r.starts = Some(starts);
    r.ends = Some(ends);
    r
}

#[test]
fn scheduling_round_two_is_one_change_in_words_and_moves_nothing() {
    let c = qinshui();
    let revised = with_round(&c, round2(date(2022, 10, 9), date(2022, 10, 15)));
    let now = at(date(2022, 10, 3), 9, 0);
    let r = revise(&c, &revised, &fresh(&c), now).unwrap();
    assert_eq!(
        r.changes,
        vec![Change::RoundDates {
            round: 2,
            from_starts: None,
            from_ends: None,
            to_starts: Some(date(2022, 10, 9)),
            to_ends: Some(date(2022, 10, 15)),
        }]
    );
    assert_eq!(
        r.changes[0].to_string(),
        "round 2 dates to be set → 2022-10-09 to 2022-10-15"
    );
    assert!(
        r.pools.is_empty(),
        "the quota was already the round's: {:?}",
        r.pools
    );
    // Seven days: the first day offers a seventh of each quota, rounded up.
    let firsts: BTreeMap<KindId, Fen> = first_releases(&revised, &revised.rounds[1]).into_iter().collect();
    assert_eq!(firsts[&KindId::from("retail")], Fen((yuan(2_000_000).0 + 6) / 7));
    assert_eq!(firsts[&KindId::from("digital")], Fen((yuan(709_000).0 + 6) / 7));
}

#[test]
fn a_budget_cut_and_a_new_round_read_as_words_and_move_round_zero_and_the_round() {
    let c = qinshui();
    let mut revised = c.clone();
    // Retail down by 500,000, taken from round 2's quota; 300,000 of it into a third round.
    revised.kinds[0].budget = yuan(3_500_000);
    revised.budget = c.budget - yuan(500_000);
    revised.rounds[1]
        .quota
        .insert(KindId::from("retail"), yuan(1_200_000));
    let mut third = round2(date(2022, 10, 14), date(2022, 10, 15));
    third.number = 3;
    third.name = "第三轮".into();
    third.quota = BTreeMap::from([(KindId::from("retail"), yuan(300_000))]);
    revised.rounds.push(third);
    let r = revise(&c, &revised, &fresh(&c), at(date(2022, 9, 27), 12, 0)).unwrap();
    let words: Vec<String> = r.changes.iter().map(ToString::to_string).collect();
    assert_eq!(
        words,
        [
            "budget 12700000.00 → 12200000.00 yuan",
            "round 2 retail quota 2000000.00 → 1200000.00 yuan",
            "round 3 added, 2022-10-14 to 2022-10-15",
            "round 3 retail quota 0.00 → 300000.00 yuan",
            "retail budget 4000000.00 → 3500000.00 yuan",
        ]
    );
    let after = fresh(&c).after(&r);
    let retail = |round| after.pools[&(KindId::from("retail"), round)];
    assert_eq!(retail(2).budget, yuan(1_200_000));
    assert_eq!(retail(3).budget, yuan(300_000));
    assert_eq!(retail(0).budget, Fen::ZERO);
}

#[test]
fn a_round_that_has_begun_stays_as_it_is() {
    let c = qinshui();
    let mut revised = c.clone();
    revised.rounds[0].ends = Some(date(2022, 10, 5));
    // Before round 1's first release (09:59 on its first day) it may still change.
    assert!(revise(&c, &revised, &fresh(&c), at(date(2022, 9, 24), 23, 0)).is_ok());
    let e = revise(&c, &revised, &fresh(&c), at(date(2022, 9, 25), 10, 0)).unwrap_err();
    assert!(e.0.contains("round 1 (第一轮) has begun"), "{e}");
}

#[test]
fn the_release_time_of_a_running_round_stays() {
    let c = qinshui();
    let mut revised = c.clone();
    revised.release_time = TimeOfDay::hm(9, 0).unwrap();
    let e = revise(&c, &revised, &fresh(&c), at(date(2022, 9, 27), 8, 0)).unwrap_err();
    assert!(
        e.0.contains("round 1 (第一轮) releases at the campaign's release time while it runs"),
        "{e}"
    );
    // Once round 1 is over, later rounds may release at another time.
    let r = revise(&c, &revised, &fresh(&c), at(date(2022, 10, 9), 8, 0)).unwrap();
    assert_eq!(r.changes.len(), 1);
}

#[test]
fn a_round_cannot_be_scheduled_to_begin_in_the_past() {
    let c = qinshui();
    let revised = with_round(&c, round2(date(2022, 10, 9), date(2022, 10, 15)));
    // At 09:59 on its first day it may still be scheduled; at 10:00 its release has gone by.
    assert!(revise(&c, &revised, &fresh(&c), at(date(2022, 10, 9), 9, 59)).is_ok());
    let e = revise(&c, &revised, &fresh(&c), at(date(2022, 10, 9), 10, 0)).unwrap_err();
    assert!(e.0.contains("would begin in the past"), "{e}");
}

#[test]
fn overlapping_rounds_are_refused_in_words() {
    let c = qinshui();
    let revised = with_round(&c, round2(date(2022, 10, 8), date(2022, 10, 15)));
    let e = revise(&c, &revised, &fresh(&c), at(date(2022, 9, 20), 9, 0)).unwrap_err();
    assert!(e.0.contains("rounds 1 and 2 overlap"), "{e}");
}

#[test]
fn a_kinds_rules_stay_once_residents_can_hold_its_coupons() {
    let c = qinshui();
    let mut revised = c.clone();
    revised.kinds[0].denominations[0].off = yuan(15);
    assert_eq!(
        revise(&c, &revised, &fresh(&c), at(date(2022, 9, 20), 9, 0))
            .unwrap()
            .changes,
        vec![Change::KindRules {
            kind: KindId::from("retail")
        }]
    );
    let e = revise(&c, &revised, &fresh(&c), at(date(2022, 9, 25), 8, 0)).unwrap_err();
    assert!(e.0.contains("kind retail: its denominations"), "{e}");
}

#[test]
fn a_budget_cut_cannot_take_what_residents_hold() {
    let c = qinshui();
    let mut a = fresh(&c);
    // Round 1's retail pool is nearly all claimed, and no round-0 money is left.
    let p = a.pools.get_mut(&(KindId::from("retail"), 1)).unwrap();
    p.available = yuan(100);
    p.held = yuan(2_000_000) - yuan(100);
    let mut revised = c.clone();
    revised.kinds[0].budget = yuan(3_000_000);
    revised.budget = c.budget - yuan(1_000_000);
    revised.rounds[1]
        .quota
        .insert(KindId::from("retail"), yuan(1_000_000));
    // Round 2's pool gives up 1,000,000: allowed, round 2 has not begun.
    let r = revise(&c, &revised, &a, at(date(2022, 9, 28), 12, 0)).unwrap();
    assert_eq!(
        a.after(&r).pools[&(KindId::from("retail"), 2)].budget,
        yuan(1_000_000)
    );
    // Had a reallocation taken 1,500,000 of round 2's retail pool to another kind, the same
    // revision would take more than the pool has left.
    let p = a.pools.get_mut(&(KindId::from("retail"), 2)).unwrap();
    p.budget = yuan(500_000);
    p.available = yuan(500_000);
    let e = revise(&c, &revised, &a, at(date(2022, 9, 28), 12, 0)).unwrap_err();
    assert!(
        e.0.contains("kind retail: round 2 has 500000.00 yuan left to give out, and the revision takes 1000000.00 yuan from it"),
        "{e}"
    );
}

#[test]
fn a_revision_of_another_campaign_is_refused() {
    let c = qinshui();
    let mut other = c.clone();
    other.id = "jishan-2023".into();
    assert!(revise(&c, &other, &fresh(&c), at(date(2022, 9, 20), 9, 0)).is_err());
}

#[test]
fn the_campaign_round_trips_through_its_stored_form() {
    let c = qinshui();
    let json = serde_json::to_string(&c).unwrap();
    let back: Campaign = serde_json::from_str(&json).unwrap();
    assert_eq!(back, c);
    let jishan = Campaign::from_toml(include_str!("../../server/campaigns/jishan-2023.toml")).unwrap();
    let back: Campaign = serde_json::from_str(&serde_json::to_string(&jishan).unwrap()).unwrap();
    assert_eq!(back, jishan);
}

/// Accounts of a campaign some way into its life: each pool of a round that has begun (and
/// round 0) has given some of its budget out, held or redeemed.
fn accounts_at(c: &Campaign, now: Timestamp, taken: &[(u16, u16)]) -> Accounts {
    let mut a = fresh(c);
    for (i, ((_, round), p)) in a.pools.iter_mut().enumerate() {
        let begun = *round == 0
            || c.rounds
                .iter()
                .any(|r| r.number == *round && c.round_begun(r, now));
        if !begun {
            continue;
        }
        let (h, r) = taken[i % taken.len()];
        let held = Fen(p.budget.0 / 1000 * i64::from(h % 500));
        let redeemed = Fen(p.budget.0 / 1000 * i64::from(r % 500));
        p.held = held;
        p.redeemed = redeemed;
        p.available = p.budget - held - redeemed;
    }
    a
}

/// Every pool of `after` is whole (available + held + redeemed = budget, none below zero), and
/// holds and has redeemed what it did in `before`.
fn whole_and_held_as_before(before: &Accounts, after: &Accounts) -> Result<(), TestCaseError> {
    for (key, p) in &after.pools {
        prop_assert!(p.available.0 >= 0, "{key:?} {p:?}");
        prop_assert_eq!(p.available + p.held + p.redeemed, p.budget, "{:?}", key);
        let was = before.pools.get(key).copied().unwrap_or_default();
        prop_assert_eq!((p.held, p.redeemed), (was.held, was.redeemed));
    }
    Ok(())
}

proptest! {
    /// Any accepted revision, at any moment of the campaign, keeps every pool's accounts whole
    /// (available + held + redeemed = budget, none below zero), leaves what residents hold and
    /// have redeemed as it was, and moves each kind's budget by exactly the revision's difference.
    #[test]
    fn accepted_revisions_keep_every_pool_whole(
        day in -3i64..24,
        hour in 0u32..24,
        taken in proptest::collection::vec((0u16..1000, 0u16..1000), 1..8),
        budgets in proptest::collection::vec(-800_000i64..800_000, 5),
        quotas in proptest::collection::vec(0i64..=1000, 4),
        round2_start in 12i64..21,
        round2_days in 1i64..8,
        schedule in any::<bool>(),
    ) {
        let c = qinshui();
        let now = at(c.starts.plus_days(day), hour, 30);
        let accounts = accounts_at(&c, now, &taken);
        let mut revised = c.clone();
        let round1 = revised.rounds[0].quota.clone();
        for (k, d) in revised.kinds.iter_mut().zip(&budgets) {
            let floor = round1.get(&k.id).copied().unwrap_or(Fen::ZERO);
            k.budget = Fen((k.budget.0 + d * 100).max(floor.0));
        }
        // Round 2 gets a share of what round 1 leaves of each kind's revised budget.
        let kinds: Vec<KindId> = revised.rounds[1].quota.keys().cloned().collect();
        for (k, share) in kinds.iter().zip(&quotas) {
            let left = revised.kind(k).unwrap().budget - round1.get(k).copied().unwrap_or(Fen::ZERO);
            revised.rounds[1].quota.insert(k.clone(), Fen(left.0 / 1000 * share));
        }
        if schedule {
            // Some days after round 1 ends (2022-10-08), within the campaign (to 2022-10-15).
            let s = c.starts.plus_days(round2_start);
            revised.rounds[1].starts = Some(s);
            revised.rounds[1].ends = Some(s.plus_days(round2_days - 1).min(c.ends));
        }
        revised.budget = revised.kinds.iter().map(|k| k.budget).sum::<Fen>()
            + revised.subsidies.iter().map(|s| s.budget).sum::<Fen>();
        if let Ok(r) = revise(&c, &revised, &accounts, now) {
            let after = accounts.after(&r);
            whole_and_held_as_before(&accounts, &after)?;
            for (old, new) in c.kinds.iter().zip(&revised.kinds) {
                let sum = |a: &Accounts| a.pools.iter().filter(|((k, _), _)| k == &old.id).map(|(_, p)| p.budget).sum::<Fen>();
                prop_assert_eq!(sum(&after) - sum(&accounts), new.budget - old.budget);
            }
            for (old, new) in c.rounds.iter().zip(&revised.rounds) {
                if c.round_begun(old, now) {
                    prop_assert_eq!(old, new);
                }
            }
        }
    }
}

#[test]
fn a_reallocation_is_refused_in_words_when_it_cannot_be_made() {
    let c = qinshui();
    let a = fresh(&c);
    let today = c.starts;
    let (retail, fuel): (KindId, KindId) = ("retail".into(), "fuel".into());
    let refused = |from: &KindId, to: &KindId, amount: Fen| reallocate(&c, &a, from, to, amount, today).err();
    assert_eq!(
        refused(&retail, &retail, yuan(1)),
        Some(ReallocationRefusal::Kinds)
    );
    assert_eq!(
        refused(&retail, &"nope".into(), yuan(1)),
        Some(ReallocationRefusal::Kinds)
    );
    assert_eq!(
        refused(&retail, &fuel, Fen::ZERO),
        Some(ReallocationRefusal::Amount)
    );
    let all = c.kind(&retail).unwrap().budget;
    assert_eq!(
        refused(&retail, &fuel, all + Fen(1)),
        Some(ReallocationRefusal::TooLittleLeft)
    );
    let (moved, r) = reallocate(&c, &a, &retail, &fuel, all, today).unwrap();
    assert_eq!(moved.kind(&retail).unwrap().budget, Fen::ZERO);
    assert_eq!(
        r.changes,
        [Change::Reallocated {
            from_kind: retail,
            to_kind: fuel,
            amount: all
        }]
    );
    assert!(moved.validate().is_ok(), "{:?}", moved.validate());
}

proptest! {
    /// Any accepted reallocation keeps every pool whole and what residents hold as it was, moves
    /// exactly the amount from one kind's budget to the other's with the campaign's total
    /// unchanged, and leaves a version that says what the pools hold: each kind's budget is the
    /// sum of its pools, and each round's quota its round's pool.
    #[test]
    fn accepted_reallocations_keep_every_pool_whole_and_the_version_true(
        day in -3i64..24,
        taken in proptest::collection::vec((0u16..1000, 0u16..1000), 1..8),
        from in 0usize..5,
        to in 0usize..5,
        amount in 1i64..3_000_000,
    ) {
        let c = qinshui();
        let now = at(c.starts.plus_days(day), 12, 0);
        let accounts = accounts_at(&c, now, &taken);
        let (from, to) = (c.kinds[from % c.kinds.len()].id.clone(), c.kinds[to % c.kinds.len()].id.clone());
        let amount = Fen::from_yuan(amount);
        let Ok((moved, r)) = reallocate(&c, &accounts, &from, &to, amount, now.china_date()) else {
            return Ok(());
        };
        let after = accounts.after(&r);
        whole_and_held_as_before(&accounts, &after)?;
        prop_assert_eq!(moved.kind(&from).unwrap().budget, c.kind(&from).unwrap().budget - amount);
        prop_assert_eq!(moved.kind(&to).unwrap().budget, c.kind(&to).unwrap().budget + amount);
        prop_assert_eq!(moved.budget, c.budget);
        for k in &moved.kinds {
            let pools: Fen = after.pools.iter().filter(|((id, _), _)| id == &k.id).map(|(_, p)| p.budget).sum();
            prop_assert_eq!(pools, k.budget, "{}", k.id);
        }
        for round in &moved.rounds {
            for (k, quota) in &round.quota {
                let pool = after.pools.get(&(k.clone(), round.number)).map_or(Fen::ZERO, |p| p.budget);
                prop_assert_eq!(*quota, pool, "round {} {}", round.number, k);
            }
        }
        prop_assert!(moved.validate().is_ok(), "{:?}", moved.validate());
    }
}

#[test]
fn what_runs_is_written_as_a_campaign_file_that_reads_back_as_it_is() {
    let jishan = Campaign::from_toml(include_str!("../../server/campaigns/jishan-2023.toml")).unwrap();
    let c = qinshui();
    let (moved, _) = reallocate(
        &c,
        &fresh(&c),
        &"fuel".into(),
        &"retail".into(),
        yuan(1_000),
        c.starts,
    )
    .unwrap();
    for campaign in [c, jishan, moved] {
        let file = campaign.to_toml().unwrap();
        assert_eq!(Campaign::from_toml(&file).unwrap(), campaign, "{file}");
    }
}
