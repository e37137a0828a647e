//! A campaign file in words, as the bureau would check it against its own document before the
//! campaign runs (`quan-server check-campaigns DIR`): dates, budgets, how each kind reaches
//! residents, its denominations and limits, the rounds and the subsidies.

use crate::campaign::{Campaign, DailyRelease, Issuance, Kind, Lifetime, Limits};
use crate::rules::Benefit;

/// `campaign` in Chinese words, a line per fact.
pub fn in_words(campaign: &Campaign) -> String {
    let c = campaign;
    let mut out = vec![
        format!("{} · {} · {}", c.id.as_str(), c.name, c.county),
        format!(
            "  {} 至 {}，总预算 {} 元；每日 {} 发放（{}）",
            c.starts,
            c.ends,
            c.budget,
            c.release_time,
            match c.daily_release {
                DailyRelease::Even => "本轮剩余额度按剩余天数均分",
                DailyRelease::All => "本轮剩余额度每天全部放出",
            }
        ),
    ];
    for k in &c.kinds {
        out.push(kind_words(c, k));
    }
    for r in &c.rounds {
        let dates = match (r.starts, r.ends) {
            (Some(s), Some(e)) => format!("{s} 至 {e}"),
            _ => "日期待定（尚未开始）".to_owned(),
        };
        let quota: Vec<String> = r
            .quota
            .iter()
            .map(|(kind, fen)| {
                let name = c.kind(kind).map_or(kind.as_str(), |k| k.name.as_str());
                format!("{name} {fen} 元")
            })
            .collect();
        out.push(format!(
            "  第 {} 轮「{}」：{dates}；额度 {}",
            r.number,
            r.name,
            quota.join("，")
        ));
    }
    for s in &c.subsidies {
        let dealers = c
            .categories
            .iter()
            .find(|cat| cat.id == s.dealer_category)
            .map_or(s.dealer_category.as_str(), |cat| cat.name.as_str());
        out.push(format!(
            "  补贴「{}」：预算 {} 元，按申请审核发放，经销商类别 {dealers}",
            s.name, s.budget
        ));
    }
    out.join("\n")
}

fn kind_words(c: &Campaign, k: &Kind) -> String {
    let how = match k.issuance {
        Issuance::Claim => "居民每日抢领",
        Issuance::Allocate => "按名单发放（不需领取）",
        Issuance::Shop => "商户在店内核验订单后发放",
        Issuance::Merchant => "商户按活动比例设券，居民领取",
    };
    let lasts = match k.lifetime {
        Lifetime::SameDay => "当日 23:59:59 失效",
        Lifetime::Campaign => "活动结束时失效",
    };
    let categories: Vec<&str> = k
        .categories
        .iter()
        .map(|id| {
            c.categories
                .iter()
                .find(|cat| cat.id == *id)
                .map_or(id.as_str(), |cat| cat.name.as_str())
        })
        .collect();
    let benefits: Vec<String> = k.benefits().into_iter().map(Benefit::words_zh).collect();
    format!(
        "  券种「{}」（{}）：预算 {} 元，{how}，{lasts}；适用 {}；{}；{}",
        k.name,
        k.id.as_str(),
        k.budget,
        categories.join("、"),
        benefits.join("、"),
        limit_words(&k.limits)
    )
}

fn limit_words(l: &Limits) -> String {
    let parts: Vec<String> = [
        l.per_round.map(|n| format!("每人每轮限领 {n} 次")),
        l.per_day.map(|n| format!("每人每日限领 {n} 次")),
        l.per_campaign.map(|n| format!("活动期间每人限领 {n} 次")),
        l.held_per_denomination
            .map(|n| format!("同一面额同时最多持有 {n} 张")),
        l.held_per_kind.map(|n| format!("本券种同时最多持有 {n} 张")),
    ]
    .into_iter()
    .flatten()
    .collect();
    if parts.is_empty() {
        "不限领取次数".to_owned()
    } else {
        parts.join("，")
    }
}

#[cfg(all(test, feature = "toml"))]
mod tests {
    use super::*;

    #[test]
    fn qinshui_reads_as_its_document_says() {
        let text = include_str!("../../server/campaigns/qinshui-2022-r2.toml");
        let c = Campaign::from_toml(text).unwrap_or_else(|e| panic!("{e}"));
        let words = in_words(&c);
        assert!(words.starts_with("qinshui-2022-r2 · "), "{words}");
        assert!(words.contains("每日 10:00:00 发放"), "{words}");
        assert!(words.contains("满200减40"), "{words}");
        assert!(words.contains("当日 23:59:59 失效"), "{words}");
        assert!(words.contains("按名单发放"), "{words}");
    }
}
