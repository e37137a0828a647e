//! Properties of the rules over random inputs.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use proptest::prelude::*;
use quan_core::code::{self, CouponKey, STEP_SECS};
use quan_core::rules::{claim_delta, transition, Benefit, Conservation, CouponStatus, Event};
use quan_core::{CouponId, ErrorCode, Fen, Timestamp};

fn benefit() -> impl Strategy<Value = Benefit> {
    prop_oneof![
        (0i64..2_000_000, 1i64..200_000).prop_map(|(t, o)| Benefit::ThresholdOff {
            threshold: Fen(t.max(o)),
            off: Fen(o)
        }),
        (
            1u32..10_000,
            proptest::option::of(1i64..1_000_000),
            proptest::option::of(1i64..1_000_000)
        )
            .prop_map(|(bp, cap, floor)| Benefit::Rate {
                basis_points: bp,
                cap: cap.map(Fen),
                floor: floor.map(Fen)
            }),
    ]
}

proptest! {
    /// The discount never exceeds the order amount, and is granted exactly when the amount
    /// reaches the threshold.
    #[test]
    fn discount_is_bounded_and_granted_at_the_threshold(b in benefit(), amount in 0i64..10_000_000) {
        let amount = Fen(amount);
        match b.discount(amount) {
            Ok(d) => {
                prop_assert!(d <= amount);
                prop_assert!(d.is_positive());
                prop_assert!(amount >= b.threshold());
            }
            Err(e) => {
                prop_assert_eq!(e, ErrorCode::BelowThreshold);
                prop_assert!(amount < b.threshold() || !amount.is_positive());
            }
        }
    }

    /// A threshold-off coupon gives exactly its `off` from the threshold on.
    #[test]
    fn threshold_off_gives_off(threshold in 1i64..1_000_000, off in 1i64..1_000_000, extra in 0i64..1_000_000) {
        let threshold = threshold.max(off);
        let b = Benefit::ThresholdOff { threshold: Fen(threshold), off: Fen(off) };
        prop_assert_eq!(b.discount(Fen(threshold + extra)), Ok(Fen(off)));
        prop_assert_eq!(b.discount(Fen(threshold - 1)), Err(ErrorCode::BelowThreshold));
    }

    /// A generated code verifies inside its window and fails outside it.
    #[test]
    fn codes_verify_only_in_their_window(
        coupon in 0i64..=code::MAX_COUPON,
        shown_at in 1_600_000_000_000i64..1_900_000_000_000,
        later_ms in 0i64..3_600_000,
        master in proptest::collection::vec(any::<u8>(), 1..64),
    ) {
        let key = CouponKey::derive(&master, CouponId(coupon));
        let shown_at = Timestamp(shown_at);
        let expires = Timestamp(i64::MAX / 4);
        let shown = code::generate(&key, CouponId(coupon), shown_at, expires).unwrap();
        let parsed = code::parse(shown.digits()).unwrap();
        prop_assert_eq!(parsed.coupon, CouponId(coupon));
        let checked_at = shown_at.plus_millis(later_ms);
        let steps_later = code::step_of(checked_at) - code::step_of(shown_at);
        let result = parsed.verify(&key, checked_at, expires);
        if steps_later <= 1 {
            prop_assert_eq!(result, Ok(()));
        } else if steps_later < 99 {
            prop_assert_eq!(result, Err(ErrorCode::CodeStale));
        } else {
            // Two step digits recognise a code for 50 minutes; an older one reads as not genuine.
            prop_assert!(result.is_err());
        }
        // Never past the coupon's expiry.
        let expiry = shown_at.plus_millis(later_ms / 2);
        if checked_at > expiry && steps_later < 99 {
            prop_assert_eq!(parsed.verify(&key, checked_at, expiry), Err(ErrorCode::CodeExpired));
        }
        // Another coupon's key does not verify it.
        let other = CouponKey::derive(&master, CouponId(coupon ^ 1));
        prop_assert_eq!(parsed.verify(&other, shown_at, expires), Err(ErrorCode::CodeInvalid));
    }

    /// Any single-digit change to a code is caught: by the check digit or by the MAC.
    #[test]
    fn altered_codes_never_verify(coupon in 0i64..1_000_000, pos in 0usize..20, delta in 1u8..10) {
        let key = CouponKey::derive(b"k", CouponId(coupon));
        let now = Timestamp(1_700_000_000_000);
        let shown = code::generate(&key, CouponId(coupon), now, Timestamp(i64::MAX / 4)).unwrap();
        let mut digits: Vec<u8> = shown.digits().bytes().collect();
        digits[pos] = b'0' + (digits[pos] - b'0' + delta) % 10;
        let altered = String::from_utf8(digits).unwrap();
        if let Ok(parsed) = code::parse(&altered) {
            prop_assert!(parsed.verify(&key, now, Timestamp(i64::MAX / 4)).is_err());
        }
    }

    /// The code parser never panics, whatever it is given.
    #[test]
    fn code_parser_never_panics(text in ".{0,64}") {
        let _ = code::parse(&text);
    }

    #[test]
    fn code_parser_never_panics_on_digit_soup(text in "[0-9 \\-]{0,40}") {
        if let Ok(p) = code::parse(&text) {
            let key = CouponKey::derive(b"k", p.coupon);
            let _ = p.verify(&key, Timestamp(1_700_000_000_000), Timestamp(1_800_000_000_000));
        }
    }

    /// Money typed by people never panics the parser, and what parses prints back the same.
    #[test]
    fn money_parser_round_trips(text in "[0-9.,¥ -]{0,16}") {
        if let Ok(f) = Fen::parse_yuan(&text) {
            prop_assert_eq!(Fen::parse_yuan(&f.to_string()), Ok(f));
        }
    }
}

/// What can happen to a kind's coupons.
#[derive(Debug, Clone)]
enum Op {
    Claim { value: i64 },
    Redeem { coupon: usize, order: i64 },
    Reverse { coupon: usize },
    Expire { coupon: usize },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (1i64..5_000).prop_map(|value| Op::Claim { value }),
        (any::<usize>(), 0i64..20_000).prop_map(|(coupon, order)| Op::Redeem { coupon, order }),
        any::<usize>().prop_map(|coupon| Op::Reverse { coupon }),
        any::<usize>().prop_map(|coupon| Op::Expire { coupon }),
    ]
}

/// The reference: only the coupons, with the accounts computed from scratch.
#[derive(Default)]
struct Reference {
    coupons: Vec<Coupon>,
}

#[derive(Clone, Copy)]
struct Coupon {
    value: Fen,
    status: CouponStatus,
    given: Fen,
    benefit: Benefit,
    life_over: bool,
}

impl Reference {
    fn sums(&self, budget: Fen) -> Conservation {
        let mut held = Fen::ZERO;
        let mut redeemed = Fen::ZERO;
        for c in &self.coupons {
            match c.status {
                CouponStatus::Held => held += c.value,
                CouponStatus::Redeemed => {
                    held += c.value - c.given;
                    redeemed += c.given;
                }
                CouponStatus::Closed => redeemed += c.given,
                CouponStatus::Expired | CouponStatus::Revoked => {}
            }
        }
        Conservation {
            budget,
            available: budget - held - redeemed,
            held,
            redeemed,
        }
    }
}

proptest! {
    /// Budget conservation over random sequences of claim, redeem, reverse and expire: the
    /// running accounts (moved only by `transition`'s deltas, as the server moves them) always
    /// equal the accounts recomputed from the coupons, and the pool never goes below zero.
    #[test]
    fn budget_is_conserved(budget in 0i64..50_000, ops in proptest::collection::vec(op(), 0..200), rate in any::<bool>()) {
        let budget = Fen(budget);
        let mut acc = Conservation { budget, available: budget, ..Default::default() };
        let mut reference = Reference::default();
        for op in ops {
            let pick = |i: usize, r: &Reference| (!r.coupons.is_empty()).then(|| i % r.coupons.len());
            match op {
                Op::Claim { value } => {
                    let value = Fen(value);
                    if acc.available < value {
                        continue; // sold out: the claim is refused, nothing moves
                    }
                    let benefit = if rate {
                        Benefit::Rate { basis_points: 1_000, cap: Some(value), floor: None }
                    } else {
                        Benefit::ThresholdOff { threshold: value, off: value }
                    };
                    acc.apply(claim_delta(value));
                    reference.coupons.push(Coupon { value, status: CouponStatus::Held, given: Fen::ZERO, benefit, life_over: false });
                }
                Op::Redeem { coupon, order } => {
                    let Some(i) = pick(coupon, &reference) else { continue };
                    let c = reference.coupons[i];
                    let Ok(discount) = c.benefit.discount(Fen(order)) else { continue };
                    match transition(c.status, c.value, c.given, Event::Redeem { discount }) {
                        Ok((s, d)) => {
                            acc.apply(d);
                            reference.coupons[i].status = s;
                            reference.coupons[i].given = discount;
                        }
                        Err(e) => prop_assert!(c.status != CouponStatus::Held, "{e}"),
                    }
                }
                Op::Reverse { coupon } => {
                    let Some(i) = pick(coupon, &reference) else { continue };
                    let c = reference.coupons[i];
                    match transition(c.status, c.value, c.given, Event::Reverse) {
                        Ok((s, d)) => {
                            acc.apply(d);
                            reference.coupons[i].status = s;
                            reference.coupons[i].given = Fen::ZERO;
                        }
                        Err(e) => {
                            prop_assert_eq!(e, ErrorCode::NotReversible);
                            prop_assert!(!matches!(c.status, CouponStatus::Redeemed | CouponStatus::Closed));
                        }
                    }
                }
                Op::Expire { coupon } => {
                    let Some(i) = pick(coupon, &reference) else { continue };
                    let c = reference.coupons[i];
                    if c.life_over {
                        continue;
                    }
                    reference.coupons[i].life_over = true;
                    if let Ok((s, d)) = transition(c.status, c.value, c.given, Event::Expire) {
                        acc.apply(d);
                        reference.coupons[i].status = s;
                    }
                }
            }
            prop_assert!(acc.holds(), "{acc:?}");
            prop_assert_eq!(acc, reference.sums(budget));
        }
    }
}
#[test]
fn a_step_is_thirty_seconds() {
    assert_eq!(code::step_of(Timestamp(29_999)), 0);
    assert_eq!(code::step_of(Timestamp(30_000)), 1);
    assert_eq!(STEP_SECS, 30);
}

proptest! {
    /// Orders at and near the bound, redeemed and some reversed, sum in the report to exactly
    /// what they add up to, with the leverage ratio computed without overflow.
    #[test]
    fn report_sums_of_orders_at_the_bound_are_exact(
        orders in proptest::collection::vec(
            prop_oneof![Just(quan_core::money::MAX_ORDER.0), 0i64..=quan_core::money::MAX_ORDER.0],
            1..400,
        ),
        reversed in proptest::collection::vec(any::<bool>(), 400),
    ) {
        use quan_core::report::{figures, LedgerEvent, PoolState, Record};
        let mut records = Vec::new();
        let mut standing: i128 = 0;
        for (i, order) in orders.iter().enumerate() {
            let record = |event, id| Record {
                id,
                at: Timestamp(1_700_000_000_000),
                event,
                kind: "retail".into(),
                coupon: i as i64,
                resident: i as i64,
                amount: Fen(4_000),
                order: Fen(*order),
                merchant: Some(1),
                redemption: Some(i as i64),
            };
            records.push(record(LedgerEvent::Redeem, 2 * i as i64));
            standing += i128::from(*order);
            if reversed[i] {
                records.push(record(LedgerEvent::Reverse, 2 * i as i64 + 1));
                standing -= i128::from(*order);
            }
        }
        let (kinds, total) = figures(&records, &[("retail".into(), PoolState::default())]);
        prop_assert_eq!(i128::from(kinds[0].order_amount.0), standing);
        prop_assert_eq!(i128::from(total.order_amount.0), standing);
        let discount = i128::from(total.discount.0);
        if discount > 0 {
            prop_assert_eq!(total.leverage_x100.map(i128::from), Some(standing * 100 / discount));
        }
    }
}
