//! One test per rule of the two seed campaigns, each naming the clause of the published plan it
//! encodes. The campaigns are the files the server ships.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use quan_core::campaign::{Campaign, Issuance, Lifetime};
use quan_core::rules::{
    check_claim, check_issue, check_offer, coupon_expiry, daily_release, transition, Benefit, ClaimRefusal,
    Conservation, CouponStatus, Event, IssueRefusal, LimitKind, Usage,
};
use quan_core::subsidy::{car_subsidy, grant, invoice_date_ok, VehicleClass};
use quan_core::{CategoryId, ChinaDate, ErrorCode, Fen, KindId, TimeOfDay, Timestamp};

fn qinshui() -> Campaign {
    Campaign::from_toml(include_str!("../../server/campaigns/qinshui-2022-r2.toml")).unwrap()
}

fn jishan() -> Campaign {
    Campaign::from_toml(include_str!("../../server/campaigns/jishan-2023.toml")).unwrap()
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

const PLENTY: Fen = Fen(1_000_000_000);

// 沁水 三、活动时间: 2022年9月25日至10月15日。
#[test]
fn qinshui_period_is_25_september_to_15_october_2022() {
    let c = qinshui();
    assert_eq!((c.starts, c.ends), (date(2022, 9, 25), date(2022, 10, 15)));
}

// 沁水 四、活动投入: 总规模1270万元，零售通用券400万元、加油券200万元、数码家电券370.9万元、
// 住餐文旅券200万元、爱心消费券99.1万元。
#[test]
fn qinshui_budget_is_split_by_kind() {
    let c = qinshui();
    assert_eq!(c.budget, yuan(12_700_000));
    let budget = |k: &str| c.kind(&KindId::from(k)).unwrap().budget;
    assert_eq!(budget("retail"), yuan(4_000_000));
    assert_eq!(budget("fuel"), yuan(2_000_000));
    assert_eq!(budget("digital"), yuan(3_709_000));
    assert_eq!(budget("dining"), yuan(2_000_000));
    assert_eq!(budget("love"), yuan(991_000));
}

// 沁水 七(一) 第一轮：9月25日至10月8日，拟发放700万元 (200/100/300/100)；第二轮：470.9万元，时间待定。
#[test]
fn qinshui_rounds_are_data_with_their_quotas() {
    let c = qinshui();
    let r1 = &c.rounds[0];
    assert_eq!(
        (r1.starts, r1.ends),
        (Some(date(2022, 9, 25)), Some(date(2022, 10, 8)))
    );
    assert_eq!(r1.quota.values().copied().sum::<Fen>(), yuan(7_000_000));
    assert_eq!(r1.quota[&KindId::from("digital")], yuan(3_000_000));
    let r2 = &c.rounds[1];
    assert_eq!(r2.starts, None);
    assert_eq!(r2.quota.values().copied().sum::<Fen>(), yuan(4_709_000));
    // Between round 1 and an unscheduled round 2 nothing is claimable, and the resident is told
    // it has not started (dates to be set), not that it is over.
    let retail = c.kind(&KindId::from("retail")).unwrap();
    let r = check_claim(
        &c,
        retail,
        0,
        Usage::default(),
        PLENTY,
        at(date(2022, 10, 10), 11, 0),
    );
    assert_eq!(r, Err(ClaimRefusal::NotStarted { opens_at: None }));
}

// 沁水 七(一) 券种配置 1-4: the denominations of each kind.
#[test]
fn qinshui_denominations_are_the_published_ones() {
    let c = qinshui();
    let words = |k: &str| -> Vec<String> {
        c.kind(&KindId::from(k))
            .unwrap()
            .denominations
            .iter()
            .map(|d| Benefit::from(*d).words_zh())
            .collect()
    };
    assert_eq!(words("retail"), ["满50减10", "满200减40"]);
    assert_eq!(words("fuel"), ["满100减20", "满200减40"]);
    assert_eq!(
        words("digital"),
        ["满600减120", "满3000减300", "满5000减500", "满10000减1000"]
    );
    assert_eq!(words("dining"), ["满50减10", "满200减40", "满500减100"]);
}

// 沁水 七(一): 每轮投放时间为每天上午10:00 — nothing before 10:00 China time, whatever the zone.
#[test]
fn qinshui_release_is_daily_at_ten_china_time() {
    let c = qinshui();
    let retail = c.kind(&KindId::from("retail")).unwrap();
    let day = date(2022, 9, 27);
    let early = check_claim(&c, retail, 0, Usage::default(), PLENTY, at(day, 9, 59));
    assert_eq!(
        early,
        Err(ClaimRefusal::NotStarted {
            opens_at: Some(at(day, 10, 0))
        })
    );
    assert!(check_claim(&c, retail, 0, Usage::default(), PLENTY, at(day, 10, 0)).is_ok());
    // 10:00 in China is 02:00 UTC.
    assert_eq!(at(day, 10, 0).millis() % 86_400_000, 2 * 3_600_000);
    // Before the campaign and after it.
    let before = check_claim(
        &c,
        retail,
        0,
        Usage::default(),
        PLENTY,
        at(date(2022, 9, 24), 12, 0),
    );
    assert_eq!(before.map_err(|r| r.code()), Err(ErrorCode::NotStarted));
    let after = check_claim(
        &c,
        retail,
        0,
        Usage::default(),
        PLENTY,
        at(date(2022, 10, 16), 12, 0),
    );
    assert_eq!(after, Err(ClaimRefusal::Ended));
}

// 沁水 七(一): 票券有效期当天23：59分有效.
#[test]
fn qinshui_coupons_expire_at_the_end_of_the_claim_day() {
    let c = qinshui();
    let retail = c.kind(&KindId::from("retail")).unwrap();
    assert_eq!(retail.lifetime, Lifetime::SameDay);
    let day = date(2022, 9, 30);
    let expires = coupon_expiry(&c, retail, at(day, 10, 0));
    assert_eq!(expires, day.last_instant());
    assert_eq!(expires.china_time_of_day(), TimeOfDay::parse("23:59:59").unwrap());
    let grant = check_claim(&c, retail, 1, Usage::default(), PLENTY, at(day, 10, 1)).unwrap();
    assert_eq!(grant.expires, expires);
}

// 沁水 七(一): 单日未核销票券自动释放回资金池 — an expired coupon's value returns to the pool.
#[test]
fn qinshui_unredeemed_coupons_return_to_the_pool() {
    let mut acc = Conservation {
        budget: yuan(100),
        available: yuan(60),
        held: yuan(40),
        redeemed: Fen::ZERO,
    };
    let (status, delta) = transition(CouponStatus::Held, yuan(40), Fen::ZERO, Event::Expire).unwrap();
    acc.apply(delta);
    assert_eq!(status, CouponStatus::Expired);
    assert_eq!(acc.available, yuan(100));
    assert!(acc.holds());
}

// 沁水 七(一): 单活动周期内，单用户限3次领取机会 — [reading] cycle = round.
#[test]
fn qinshui_three_claims_per_round() {
    let c = qinshui();
    let fuel = c.kind(&KindId::from("fuel")).unwrap();
    let now = at(date(2022, 10, 1), 10, 0);
    let used = Usage {
        claims_this_round: 2,
        ..Usage::default()
    };
    assert!(check_claim(&c, fuel, 0, used, PLENTY, now).is_ok());
    let used = Usage {
        claims_this_round: 3,
        ..Usage::default()
    };
    assert_eq!(
        check_claim(&c, fuel, 0, used, PLENTY, now),
        Err(ClaimRefusal::LimitReached(LimitKind::PerRound))
    );
}

// 沁水 券种配置: 同一面额票券，单用户限领取1张 — [reading] one held at a time per denomination.
#[test]
fn qinshui_one_coupon_of_a_denomination_at_a_time() {
    let c = qinshui();
    let dining = c.kind(&KindId::from("dining")).unwrap();
    let now = at(date(2022, 10, 1), 10, 0);
    let holding = Usage {
        held_of_denomination: 1,
        held_of_kind: 1,
        claims_this_round: 1,
        ..Usage::default()
    };
    assert_eq!(
        check_claim(&c, dining, 2, holding, PLENTY, now),
        Err(ClaimRefusal::LimitReached(LimitKind::HeldPerDenomination))
    );
    // Another denomination of the same kind is fine.
    let other = Usage {
        held_of_denomination: 0,
        ..holding
    };
    assert!(check_claim(&c, dining, 1, other, PLENTY, now).is_ok());
}

// 沁水 券种配置 3: 数码家电券（单用户限领取1张）— one held, whatever the denomination.
#[test]
fn qinshui_digital_one_coupon_whatever_the_denomination() {
    let c = qinshui();
    let digital = c.kind(&KindId::from("digital")).unwrap();
    let now = at(date(2022, 10, 1), 10, 0);
    let holding = Usage {
        held_of_kind: 1,
        claims_this_round: 1,
        ..Usage::default()
    };
    assert_eq!(
        check_claim(&c, digital, 3, holding, PLENTY, now),
        Err(ClaimRefusal::LimitReached(LimitKind::HeldPerKind))
    );
}

// 沁水 七(一): a claim takes from what is left of today's release; none left is "sold out".
#[test]
fn qinshui_sold_out_when_todays_release_is_gone() {
    let c = qinshui();
    let retail = c.kind(&KindId::from("retail")).unwrap();
    let now = at(date(2022, 10, 1), 10, 0);
    assert_eq!(
        check_claim(&c, retail, 1, Usage::default(), yuan(39), now),
        Err(ClaimRefusal::SoldOut)
    );
    assert_eq!(
        check_claim(&c, retail, 1, Usage::default(), yuan(40), now).map(|g| g.value),
        Ok(yuan(40))
    );
    // A resident at their limit hears about the limit, not about the pool.
    let used = Usage {
        claims_this_round: 3,
        ..Usage::default()
    };
    assert_eq!(
        check_claim(&c, retail, 1, used, Fen::ZERO, now).map_err(|r| r.code()),
        Err(ErrorCode::LimitReached)
    );
}

// 沁水 七(一) [reading]: the round's pool is released evenly over its remaining days.
#[test]
fn qinshui_daily_release_spreads_the_round_pool() {
    let c = qinshui();
    let r1 = &c.rounds[0];
    // 14 days, 2,000,000 yuan: the first day offers a fourteenth.
    let first = daily_release(c.daily_release, r1, date(2022, 9, 25), yuan(2_000_000));
    assert_eq!(first, Fen((yuan(2_000_000).0 + 13) / 14));
    // On the last day everything left is offered.
    assert_eq!(
        daily_release(c.daily_release, r1, date(2022, 10, 8), yuan(1234)),
        yuan(1234)
    );
    assert_eq!(
        daily_release(c.daily_release, r1, date(2022, 10, 9), yuan(1234)),
        Fen::ZERO
    );
}

// 沁水 七(一) 使用: order amount ≥ threshold; 满200减40.
#[test]
fn qinshui_threshold_off() {
    let b = Benefit::ThresholdOff {
        threshold: yuan(200),
        off: yuan(40),
    };
    assert_eq!(b.discount(Fen(19_999)), Err(ErrorCode::BelowThreshold));
    assert_eq!(b.discount(yuan(200)), Ok(yuan(40)));
    assert_eq!(b.discount(yuan(5_000)), Ok(yuan(40)));
}

// 沁水 七(一) 使用: the coupon's kind must match the merchant's category (fuel only at a fuel station).
#[test]
fn qinshui_kind_must_match_the_merchant_category() {
    let c = qinshui();
    let fuel = c.kind(&KindId::from("fuel")).unwrap();
    assert!(fuel.applies_in(&CategoryId::from("fuel")));
    assert!(!fuel.applies_in(&CategoryId::from("retail")));
    let love = c.kind(&KindId::from("love")).unwrap();
    assert!(love.applies_in(&CategoryId::from("fuel")) && love.applies_in(&CategoryId::from("dining")));
}

// 沁水 七(二): 每人1000元「爱心消费券」 — [reading] ten no-threshold coupons of 100 yuan, for the
// whole campaign, allocated not claimed.
#[test]
fn qinshui_love_coupons_are_allocated_for_the_campaign() {
    let c = qinshui();
    let love = c.kind(&KindId::from("love")).unwrap();
    assert_eq!(love.issuance, Issuance::Allocate);
    let per_person = love.denominations[0].off.0 * i64::from(love.allocation.unwrap().coupons_per_person);
    assert_eq!(Fen(per_person), yuan(1_000));
    assert_eq!(love.budget.0 / per_person, 991);
    let b = Benefit::from(love.denominations[0]);
    assert_eq!(
        b.discount(yuan(30)),
        Ok(yuan(30)),
        "no threshold, and never more than the order"
    );
    assert_eq!(
        coupon_expiry(&c, love, at(date(2022, 9, 26), 8, 0)),
        date(2022, 10, 15).last_instant()
    );
    let refused = check_claim(
        &c,
        love,
        0,
        Usage::default(),
        PLENTY,
        at(date(2022, 9, 26), 10, 0),
    );
    assert_eq!(refused, Err(ClaimRefusal::NotClaimable));
}

// 稷山 二、活动时间 / 三、活动投入: 2023年6月4日至6月30日，400万元。
#[test]
fn jishan_period_and_budget() {
    let c = jishan();
    assert_eq!(
        (c.starts, c.ends, c.budget),
        (date(2023, 6, 4), date(2023, 6, 30), yuan(4_000_000))
    );
    assert_eq!(c.subsidies[0].budget, yuan(1_000_000));
    assert_eq!(
        c.kind(&KindId::from("appliance")).unwrap().budget,
        yuan(1_000_000)
    );
    assert_eq!(
        c.kind(&KindId::from("treasures")).unwrap().budget,
        yuan(2_000_000)
    );
}

// 稷山 六(一): 新能源车发票金额6%，燃油车5%；最低3000元，不足3000元按3000元核补。
#[test]
fn jishan_car_subsidy_rates_and_floor() {
    let c = jishan();
    let car = &c.subsidies[0];
    assert_eq!(
        car_subsidy(car, VehicleClass::NewEnergy, yuan(100_000)),
        Some(yuan(6_000))
    );
    assert_eq!(
        car_subsidy(car, VehicleClass::Fuel, yuan(100_000)),
        Some(yuan(5_000))
    );
    assert_eq!(
        car_subsidy(car, VehicleClass::Fuel, yuan(40_000)),
        Some(yuan(3_000))
    );
    assert_eq!(
        car_subsidy(car, VehicleClass::NewEnergy, yuan(49_999)),
        Some(yuan(3_000))
    );
}

// 稷山 六(一): 购车发票的开票日期需在活动时间之内。
#[test]
fn jishan_invoice_date_inside_the_period() {
    let c = jishan();
    assert!(invoice_date_ok(&c, date(2023, 6, 4)));
    assert!(invoice_date_ok(&c, date(2023, 6, 30)));
    assert!(!invoice_date_ok(&c, date(2023, 6, 3)));
    assert!(!invoice_date_ok(&c, date(2023, 7, 1)));
}

// 稷山 六(一): 以提交申请的先后顺序为准，直至补贴资金用完为止 — [reading] granted only if the
// whole subsidy still fits.
#[test]
fn jishan_car_subsidy_first_come_while_the_whole_subsidy_fits() {
    let c = jishan();
    let rule = c.subsidies[0].grant;
    let mut left = c.subsidies[0].budget;
    let mut granted = 0;
    // 200 applications of 6,000 yuan in submission order: 166 fit into 1,000,000 yuan.
    for _ in 0..200 {
        if let Some(g) = grant(rule, yuan(6_000), left) {
            left -= g;
            granted += 1;
        }
    }
    assert_eq!(granted, 166);
    assert_eq!(left, yuan(4_000));
    // The next smaller one still fits.
    assert_eq!(grant(rule, yuan(3_000), left), Some(yuan(3_000)));
}

// 稷山 六(二): 按商品金额10%补贴 (8000元电视补贴800元)，单张最高优惠1000元。
#[test]
fn jishan_appliance_ten_percent_capped_at_1000() {
    let c = jishan();
    let k = c.kind(&KindId::from("appliance")).unwrap();
    let b = Benefit::from(k.rate.unwrap());
    assert_eq!(b.discount(yuan(8_000)), Ok(yuan(800)));
    assert_eq!(b.discount(yuan(25_000)), Ok(yuan(1_000)));
    assert_eq!(b.words_zh(), "立减10%，最高减1000");
    assert_eq!(k.issuance, Issuance::Shop);
}

// 稷山 六(二): 每人每天限领1张，活动期间限领2张。
#[test]
fn jishan_appliance_one_a_day_two_in_the_campaign() {
    let c = jishan();
    let k = c.kind(&KindId::from("appliance")).unwrap();
    assert_eq!((k.limits.per_day, k.limits.per_campaign), (Some(1), Some(2)));
}

// 稷山 六(二): 商家核实订单后发放政府消费券 — what staff issue, and when they may not.
#[test]
fn jishan_appliance_issued_in_the_shop_on_the_checked_order() {
    let c = jishan();
    let k = c.kind(&KindId::from("appliance")).unwrap();
    let day = at(date(2023, 6, 10), 15, 0);
    let issue = |usage, left, order| check_issue(&c, k, usage, left, order, day);
    let g = issue(Usage::default(), yuan(1_000_000), yuan(8_000)).unwrap();
    assert_eq!(g.value, yuan(800), "the coupon reserves exactly its discount");
    assert_eq!(g.expires, coupon_expiry(&c, k, day));
    assert_eq!(
        issue(Usage::default(), yuan(1_000_000), yuan(30_000))
            .unwrap()
            .value,
        yuan(1_000)
    );
    let today = Usage {
        claims_today: 1,
        claims_in_campaign: 1,
        ..Usage::default()
    };
    assert_eq!(
        issue(today, yuan(1_000_000), yuan(8_000)),
        Err(IssueRefusal::Claim(ClaimRefusal::LimitReached(LimitKind::PerDay)))
    );
    let twice = Usage {
        claims_in_campaign: 2,
        ..Usage::default()
    };
    assert_eq!(
        issue(twice, yuan(1_000_000), yuan(8_000)),
        Err(IssueRefusal::Claim(ClaimRefusal::LimitReached(
            LimitKind::PerCampaign
        )))
    );
    assert_eq!(
        issue(Usage::default(), yuan(700), yuan(8_000)),
        Err(IssueRefusal::Claim(ClaimRefusal::SoldOut)),
        "first come until the budget is spent: a coupon is whole or not at all"
    );
    assert_eq!(
        issue(Usage::default(), yuan(1_000), yuan(0)),
        Err(IssueRefusal::OrderTooSmall)
    );
    let after = check_issue(
        &c,
        k,
        Usage::default(),
        yuan(1_000),
        yuan(8_000),
        at(date(2023, 7, 1), 10, 0),
    );
    assert_eq!(after, Err(IssueRefusal::Claim(ClaimRefusal::Ended)));
    let retail = c.kind(&KindId::from("treasures")).unwrap();
    assert_eq!(
        check_issue(&c, retail, Usage::default(), yuan(1_000), yuan(8_000), day),
        Err(IssueRefusal::NotShopIssued)
    );
}

// 稷山 六(三): 「稷山四宝」商户按政府补贴10%的力度设置消费券。
#[test]
fn jishan_treasures_at_ten_percent_set_by_merchants() {
    let c = jishan();
    let k = c.kind(&KindId::from("treasures")).unwrap();
    assert_eq!(k.issuance, Issuance::Merchant);
    assert_eq!(k.rate.map(|r| r.basis_points), Some(1_000));
}

// rules.md C: budget = available + held + redeemed, through a refund and an expiry.
#[test]
fn conservation_through_redeem_reverse_and_expire() {
    let mut acc = Conservation {
        budget: yuan(1_000),
        available: yuan(1_000),
        ..Default::default()
    };
    acc.apply(quan_core::rules::claim_delta(yuan(40)));
    let (s, d) = transition(
        CouponStatus::Held,
        yuan(40),
        Fen::ZERO,
        Event::Redeem { discount: yuan(40) },
    )
    .unwrap();
    acc.apply(d);
    assert!(acc.holds() && s == CouponStatus::Redeemed && acc.redeemed == yuan(40));
    // 退货退券: a full refund returns the coupon to the wallet.
    let (s, d) = transition(s, yuan(40), yuan(40), Event::Reverse).unwrap();
    acc.apply(d);
    assert!(acc.holds() && s == CouponStatus::Held && acc.held == yuan(40));
    assert_eq!(
        transition(s, yuan(40), Fen::ZERO, Event::Reverse).map(|x| x.0),
        Err(ErrorCode::NotReversible)
    );
    let (_, d) = transition(s, yuan(40), Fen::ZERO, Event::Expire).unwrap();
    acc.apply(d);
    assert_eq!(
        acc,
        Conservation {
            budget: yuan(1_000),
            available: yuan(1_000),
            ..Default::default()
        }
    );
}

// 稷山 六(二): a rate coupon reserves its cap; what it did not give returns when its day ends, and a
// refund after that returns the discount to the pool.
#[test]
fn conservation_of_a_rate_coupon() {
    let cap = yuan(1_000);
    let mut acc = Conservation {
        budget: yuan(5_000),
        available: yuan(5_000),
        ..Default::default()
    };
    acc.apply(quan_core::rules::claim_delta(cap));
    let (s, d) = transition(
        CouponStatus::Held,
        cap,
        Fen::ZERO,
        Event::Redeem { discount: yuan(800) },
    )
    .unwrap();
    acc.apply(d);
    assert_eq!(
        (acc.held, acc.redeemed, acc.available),
        (yuan(200), yuan(800), yuan(4_000))
    );
    let (s, d) = transition(s, cap, yuan(800), Event::Expire).unwrap();
    acc.apply(d);
    assert_eq!(
        (s, acc.held, acc.available),
        (CouponStatus::Closed, Fen::ZERO, yuan(4_200))
    );
    let (s, d) = transition(s, cap, yuan(800), Event::Reverse).unwrap();
    acc.apply(d);
    assert_eq!(
        (s, acc.available, acc.redeemed),
        (CouponStatus::Expired, yuan(5_000), Fen::ZERO)
    );
    assert!(acc.holds());
}

// 沁水 七(一): one coupon per order — a redeemed coupon cannot be redeemed again.
#[test]
fn a_coupon_redeems_once() {
    let r = transition(
        CouponStatus::Redeemed,
        yuan(40),
        yuan(40),
        Event::Redeem { discount: yuan(40) },
    );
    assert_eq!(r.map(|x| x.0), Err(ErrorCode::AlreadyRedeemed));
    let r = transition(
        CouponStatus::Expired,
        yuan(40),
        Fen::ZERO,
        Event::Redeem { discount: yuan(40) },
    );
    assert_eq!(r.map(|x| x.0), Err(ErrorCode::CodeExpired));
}

#[test]
fn campaign_files_that_do_not_add_up_are_refused() {
    let text = include_str!("../../server/campaigns/qinshui-2022-r2.toml")
        .replace("budget = 12_700_000", "budget = 12_000_000");
    let err = Campaign::from_toml(&text).unwrap_err();
    assert!(err.0.contains("do not add up"), "{err}");
    let text = include_str!("../../server/campaigns/jishan-2023.toml")
        .replace("categories = [\"treasures\"]", "categories = [\"nowhere\"]");
    assert!(Campaign::from_toml(&text)
        .unwrap_err()
        .0
        .contains("unknown category"));
    assert!(Campaign::from_toml("id = 3").is_err());
}

#[test]
fn the_demo_moves_a_campaign_keeping_its_shape() {
    let c = qinshui().moved_to(date(2026, 11, 23));
    assert_eq!(c.starts, date(2026, 11, 23));
    assert_eq!(c.ends, date(2026, 12, 13));
    assert_eq!(c.rounds[0].ends, Some(date(2026, 12, 6)));
    assert_eq!(c.rounds[1].starts, None);
    assert!(c.validate().is_ok());
}

// 稷山 四宝消费券: 商户自行设置、居民领取; an offer's coupon is claimed under the same rules as any
// claim: the campaign's dates, the kind's limits, the kind's budget.
#[test]
fn jishan_offers_are_claimed_under_the_campaigns_dates_the_kinds_limits_and_its_budget() {
    let c = jishan();
    let treasures = c.kind(&KindId::from("treasures")).unwrap().clone();
    let value = yuan(20);
    let day = date(2023, 6, 12);
    // An unlimited resident's offer of `value` at `when`, with plenty in the pool.
    let offer_at = |when: Timestamp| check_offer(&c, &treasures, value, Usage::default(), PLENTY, when);
    let ok = offer_at(at(day, 15, 0)).unwrap();
    assert_eq!((ok.round, ok.value), (1, value));
    assert_eq!(ok.expires, coupon_expiry(&c, &treasures, at(day, 15, 0)));
    // Not held to the 10:00 release: a shop's offer is claimed when the resident passes by.
    assert!(offer_at(at(day, 8, 0)).is_ok());
    assert!(matches!(
        offer_at(at(date(2023, 6, 1), 15, 0)),
        Err(ClaimRefusal::NotStarted { .. })
    ));
    assert_eq!(offer_at(at(date(2023, 7, 1), 15, 0)), Err(ClaimRefusal::Ended));
    assert_eq!(
        check_offer(&c, &treasures, value, Usage::default(), yuan(19), at(day, 15, 0)),
        Err(ClaimRefusal::SoldOut)
    );
    // A kind's limits hold for offers too.
    let mut limited = treasures.clone();
    limited.limits.per_day = Some(1);
    let used = Usage {
        claims_today: 1,
        ..Usage::default()
    };
    assert_eq!(
        check_offer(&c, &limited, value, used, PLENTY, at(day, 15, 0)),
        Err(ClaimRefusal::LimitReached(LimitKind::PerDay))
    );
    // Only a merchant-set kind has offers, and only of some value.
    let appliance = c.kind(&KindId::from("appliance")).unwrap();
    assert_eq!(
        check_offer(&c, appliance, value, Usage::default(), PLENTY, at(day, 15, 0)),
        Err(ClaimRefusal::NotClaimable)
    );
    assert_eq!(
        check_offer(
            &c,
            &treasures,
            Fen::ZERO,
            Usage::default(),
            PLENTY,
            at(day, 15, 0)
        ),
        Err(ClaimRefusal::NotClaimable)
    );
}
