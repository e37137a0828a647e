//! The console's words, apart from the resident's and the till's so that neither download
//! carries them.

use crate::i18n::Lang;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Word {
    Title,
    NotOperator,
    Campaign,
    Figures,
    Kind,
    Total,
    Budget,
    Issued,
    Held,
    Redeemed,
    Discount,
    Orders,
    Refunds,
    Returned,
    RedemptionRate,
    Coverage,
    Leverage,
    Hourly,
    Daily,
    BurnDown,
    IssuedLegend,
    RedeemedLegend,
    Today,
    Yesterday,
    Refresh,
    Downloads,
    ReportCsv,
    AuditCsv,
    AuditTerms,
    Loading,
    Residents,
    UpdatedAt,
}

pub fn w(lang: Lang, word: Word) -> &'static str {
    use Word::*;
    let zh = lang == Lang::Zh;
    let pick = |z: &'static str, e: &'static str| if zh { z } else { e };
    match word {
        Title => pick("运营后台", "Operator console"),
        NotOperator => pick(
            "此账号不是运营或审核账号，不能打开后台。请退出后用运营账号登录。",
            "This account is not an operator's or a reviewer's. Sign out and sign in with one.",
        ),
        Campaign => pick("活动", "Campaign"),
        Figures => pick("各券种数据", "Figures by coupon kind"),
        Kind => pick("券种", "Kind"),
        Total => pick("合计", "Total"),
        Budget => pick("预算", "Budget"),
        Issued => pick("已发放", "Issued"),
        Held => pick("持有未用", "Held"),
        Redeemed => pick("已核销", "Redeemed"),
        Discount => pick("优惠金额", "Discount"),
        Orders => pick("带动消费", "Orders"),
        Refunds => pick("退货退券", "Refunds"),
        Returned => pick("退回资金池", "Back to pool"),
        RedemptionRate => pick("核销率", "Redemption rate"),
        Coverage => pick("覆盖人数", "Residents reached"),
        Leverage => pick("直接带动比", "Leverage ratio"),
        Hourly => pick("每小时发放与核销", "Issued and redeemed per hour"),
        Daily => pick("每日发放与核销", "Issued and redeemed per day"),
        BurnDown => pick("资金池余额（占预算）", "Pool left (share of budget)"),
        IssuedLegend => pick("发放", "Issued"),
        RedeemedLegend => pick("核销", "Redeemed"),
        Today => pick("今天", "Today"),
        Yesterday => pick("昨天", "Yesterday"),
        Refresh => pick("刷新", "Refresh"),
        Downloads => pick("报表与抽查", "Report and audit"),
        ReportCsv => pick("下载活动报表（CSV）", "Download the report (CSV)"),
        AuditCsv => pick("下载 10% 抽查样本（CSV）", "Download the 10% audit sample (CSV)"),
        AuditTerms => pick("抽查样本", "Audit sample"),
        Loading => pick("正在加载…", "Loading…"),
        Residents => pick("人", "residents"),
        UpdatedAt => pick("数据时间", "As of"),
    }
}
