//! The release by draw: a round switched to `draw` in its campaign file, who may sign up and
//! when, and the draw's order — the same for the same seed whatever order the list is in, and
//! fair: over many seeds every ticket is first about equally often.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use proptest::prelude::*;
use quan_core::campaign::{Campaign, Release, SignUpWindow};
use quan_core::draw::{order, Seed};
use quan_core::rules::{check_claim, check_release, check_sign_up, ClaimRefusal, LimitKind, Usage};
use quan_core::{ChinaDate, Fen, KindId, TimeOfDay, Timestamp};

const QINSHUI: &str = include_str!("../../server/campaigns/qinshui-2022-r2.toml");

/// Qinshui with its first round given out by draw, sign-up 08:00–09:55.
fn by_draw() -> Campaign {
    let text = QINSHUI.replacen(
        "number = 1\nname = \"第一轮\"\n",
        "number = 1\nname = \"第一轮\"\nrelease = \"draw\"\nsign_up = { opens = \"08:00\", closes = \"09:55\" }\n",
        1,
    );
    Campaign::from_toml(&text).unwrap()
}

fn at(h: u32, m: u32) -> Timestamp {
    ChinaDate::new(2022, 9, 27)
        .unwrap()
        .at(TimeOfDay::hm(h, m).unwrap())
}

#[test]
fn a_round_is_switched_to_draw_in_its_campaign_file_and_written_back_the_same() {
    let c = by_draw();
    let r = &c.rounds[0];
    assert_eq!(r.release, Release::Draw);
    assert_eq!(
        r.sign_up,
        Some(SignUpWindow {
            opens: TimeOfDay::hm(8, 0).unwrap(),
            closes: TimeOfDay::hm(9, 55).unwrap()
        })
    );
    assert_eq!(c.rounds[1].release, Release::Rush);
    let again = Campaign::from_toml(&c.to_toml().unwrap()).unwrap();
    assert_eq!(again, c);
    // A rush round writes nothing of it: the seeds' files read as before.
    assert!(!Campaign::from_toml(QINSHUI)
        .unwrap()
        .to_toml()
        .unwrap()
        .contains("\nrelease = "));
}

#[test]
fn a_draw_needs_a_window_that_closes_by_the_release_time() {
    let with = |extra: &str| {
        let text = QINSHUI.replacen(
            "number = 1\nname = \"第一轮\"\n",
            &format!("number = 1\nname = \"第一轮\"\n{extra}\n"),
            1,
        );
        Campaign::from_toml(&text).map(|_| ()).map_err(|e| e.to_string())
    };
    assert!(with("release = \"draw\"")
        .unwrap_err()
        .contains("needs its sign-up window"));
    assert!(with("sign_up = { opens = \"08:00\", closes = \"09:00\" }")
        .unwrap_err()
        .contains("not released by draw"));
    let late = with("release = \"draw\"\nsign_up = { opens = \"08:00\", closes = \"10:05\" }").unwrap_err();
    assert!(late.contains("close by the release time (10:00:00)"), "{late}");
    let backwards =
        with("release = \"draw\"\nsign_up = { opens = \"09:00\", closes = \"08:00\" }").unwrap_err();
    assert!(backwards.contains("open before it closes"), "{backwards}");
    assert!(with("release = \"lottery\"").is_err());
    assert_eq!(
        with("release = \"draw\"\nsign_up = { opens = \"08:00\", closes = \"10:00\" }"),
        Ok(())
    );
}

#[test]
fn sign_up_is_open_in_its_window_only_and_claims_give_way_to_the_draw() {
    let c = by_draw();
    let retail = c.kind(&KindId::from("retail")).unwrap();
    let none = Usage::default();
    assert_eq!(
        check_sign_up(&c, retail, 1, none, at(7, 59)),
        Err(ClaimRefusal::NotStarted {
            opens_at: Some(at(8, 0))
        })
    );
    assert_eq!(check_sign_up(&c, retail, 1, none, at(8, 0)), Ok(()));
    assert_eq!(check_sign_up(&c, retail, 1, none, at(9, 54)), Ok(()));
    assert_eq!(
        check_sign_up(&c, retail, 1, none, at(9, 55)),
        Err(ClaimRefusal::SignUpClosed)
    );
    assert_eq!(
        check_sign_up(&c, retail, 9, none, at(9, 0)),
        Err(ClaimRefusal::NotClaimable)
    );
    let used = Usage {
        claims_this_round: 3,
        ..Usage::default()
    };
    assert_eq!(
        check_sign_up(&c, retail, 1, used, at(9, 0)),
        Err(ClaimRefusal::LimitReached(LimitKind::PerRound))
    );
    // Nobody claims on a draw day, before the release or after it; the draw gives at 10:00.
    let plenty = Fen::from_yuan(1_000_000);
    assert_eq!(
        check_claim(&c, retail, 1, none, plenty, at(10, 30)),
        Err(ClaimRefusal::ByDraw)
    );
    assert_eq!(
        check_claim(&c, retail, 1, none, plenty, at(9, 0)),
        Err(ClaimRefusal::ByDraw)
    );
    assert!(check_release(&c, retail, 1, none, plenty, at(10, 0), Release::Draw).is_ok());
    assert_eq!(
        check_release(&c, retail, 1, used, plenty, at(10, 0), Release::Draw),
        Err(ClaimRefusal::LimitReached(LimitKind::PerRound))
    );
    assert_eq!(
        check_release(&c, retail, 1, none, Fen::from_yuan(39), at(10, 0), Release::Draw),
        Err(ClaimRefusal::SoldOut)
    );
    // On a rush day there is nothing to sign up for, and the draw grants nothing.
    let rush = Campaign::from_toml(QINSHUI).unwrap();
    let retail = rush.kind(&KindId::from("retail")).unwrap();
    assert_eq!(
        check_sign_up(&rush, retail, 1, none, at(9, 0)),
        Err(ClaimRefusal::NotByDraw)
    );
    assert_eq!(
        check_release(&rush, retail, 1, none, plenty, at(10, 0), Release::Draw),
        Err(ClaimRefusal::NotByDraw)
    );
}

fn seed_of(n: u64) -> Seed {
    let mut s = [0u8; 32];
    s[..8].copy_from_slice(&n.to_be_bytes());
    s
}

proptest! {
    #[test]
    fn the_order_depends_on_the_seed_and_the_tickets_not_on_the_list_order(
        n in any::<u64>(),
        tickets in proptest::collection::btree_set("[0-9a-f]{16}", 0..40),
        rotate in 0usize..40,
    ) {
        let tickets: Vec<String> = tickets.into_iter().collect();
        let ordered = |list: &[String]| -> Vec<String> {
            order(&seed_of(n), list).into_iter().map(|i| list[i].clone()).collect()
        };
        let first = ordered(&tickets);
        let mut shuffled = tickets.clone();
        if !shuffled.is_empty() {
            let k = rotate % shuffled.len();
            shuffled.rotate_left(k);
            shuffled.reverse();
        }
        prop_assert_eq!(ordered(&shuffled), first.clone());
        // Every ticket once.
        let mut sorted = first;
        sorted.sort();
        prop_assert_eq!(sorted, tickets);
    }
}

/// Pearson's chi-squared statistic of `counts` against an equal share each.
fn chi_squared(counts: &[u64]) -> f64 {
    let total: u64 = counts.iter().sum();
    let expected = total as f64 / counts.len() as f64;
    counts
        .iter()
        .map(|&c| (c as f64 - expected).powi(2) / expected)
        .sum()
}

#[test]
fn over_many_seeds_every_ticket_is_first_and_last_about_equally_often() {
    let tickets: Vec<String> = (0..10)
        .map(|i| format!("{:016x}", (i as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15)))
        .collect();
    let mut first = [0u64; 10];
    let mut last = [0u64; 10];
    let mut pairs = 0u64;
    let seeds = 20_000;
    for n in 0..seeds {
        let o = order(&seed_of(n), &tickets);
        first[o[0]] += 1;
        last[o[9]] += 1;
        // Ticket 0 before ticket 1: half the time.
        let p0 = o.iter().position(|&i| i == 0).unwrap();
        let p1 = o.iter().position(|&i| i == 1).unwrap();
        pairs += u64::from(p0 < p1);
    }
    // 9 degrees of freedom: 27.88 is exceeded by chance once in a thousand.
    assert!(chi_squared(&first) < 27.88, "first places {first:?}");
    assert!(chi_squared(&last) < 27.88, "last places {last:?}");
    // Half of 20,000 with a standard deviation of about 71: 4 of them either side.
    assert!(
        pairs.abs_diff(seeds / 2) < 284,
        "ticket 0 before 1 in {pairs} of {seeds}"
    );
    // And the statistic can fail: a draw that keeps the list's order one time in ten is caught.
    let mut biased = [0u64; 10];
    for n in 0..seeds {
        let o = if n % 10 == 0 {
            (0..10).collect()
        } else {
            order(&seed_of(n), &tickets)
        };
        biased[o[0]] += 1;
    }
    assert!(chi_squared(&biased) > 27.88, "biased first places {biased:?}");
}
