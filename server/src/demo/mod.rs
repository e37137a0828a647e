//! Demo mode: merchants of each category with a manager and a cashier, an operator, a reviewer
//! and an auditor, and a
//! love-coupon list, so a newcomer has a live campaign to sign into. Never for production: the
//! passwords and the host key below are published.

use quan_core::api::Role;
use quan_core::KindId;

use crate::state::AppState;
use crate::store::{accounts, allocations};

pub mod activity;

/// The password of every demo account.
pub const PASSWORD: &str = "demo1234";

/// Demo merchants: name, category, county, staff account name.
pub const MERCHANTS: [(&str, &str, &str, &str); 7] = [
    ("沁水百货大楼", "retail", "沁水县", "retail"),
    ("中石化沁水城区加油站", "fuel", "沁水县", "fuel"),
    ("沁水数码家电城", "appliance", "沁水县", "appliance"),
    ("沁河人家饭店", "dining", "沁水县", "dining"),
    ("稷山家电商场", "appliance", "稷山县", "jishan-appliance"),
    ("稷山四宝特产店", "treasures", "稷山县", "treasures"),
    ("稷山汽贸", "car-dealer", "稷山县", "dealer"),
];

/// People on the demo love-coupon list (valid, fictitious ID numbers).
pub const LOVE_LIST: &str =
    "身份证号,姓名\n11010519491231002X,王秀英\n140521195003150016,李建国\n140521196208080028,赵桂兰\n";

/// The demo host app's signing key: the demo host page signs residents' tokens with it.
pub fn host_key() -> ed25519_dalek::SigningKey {
    ed25519_dalek::SigningKey::from_bytes(&[42u8; 32])
}

/// The demo's accounts and love list; with `activity`, a campaign's worth of claims and
/// redemptions too (see [`activity`]).
pub async fn seed(state: &AppState, activity: bool) -> Result<(), String> {
    let campaigns = state.campaigns.now();
    let now = state.clock.now();
    let db = &state.db;
    let hash = state
        .hasher
        .hash(PASSWORD.to_owned())
        .await
        .map_err(|e| format!("{e:?}"))?;
    let mut tills = Vec::new();
    for (name, category, county, username) in MERCHANTS {
        let m = accounts::ensure_merchant(db, name, category, county, now)
            .await
            .map_err(|e| e.to_string())?;
        let account = accounts::ensure_account(
            db,
            username,
            &hash,
            Role::MerchantManager,
            Some(m),
            &format!("{name} 店长"),
            now,
        )
        .await
        .map_err(|e| e.to_string())?;
        accounts::ensure_account(
            db,
            &format!("{username}-cashier"),
            &hash,
            Role::Cashier,
            Some(m),
            &format!("{name} 收银员"),
            now,
        )
        .await
        .map_err(|e| e.to_string())?;
        if let Some(merchant) = accounts::merchant(db, m).await.map_err(|e| e.to_string())? {
            tills.push(activity::Till { merchant, account });
        }
    }
    accounts::ensure_account(
        db,
        "operator",
        &hash,
        Role::Operator,
        None,
        "县商务局 操作员",
        now,
    )
    .await
    .map_err(|e| e.to_string())?;
    accounts::ensure_account(
        db,
        "reviewer",
        &hash,
        Role::Reviewer,
        None,
        "承办银行 审核员",
        now,
    )
    .await
    .map_err(|e| e.to_string())?;
    accounts::ensure_account(db, "auditor", &hash, Role::Auditor, None, "县审计局 审计员", now)
        .await
        .map_err(|e| e.to_string())?;
    let love = KindId::from("love");
    for campaign in campaigns.iter() {
        if let Some(kind) = campaign.kind(&love) {
            allocations::import(db, campaign, kind, LOVE_LIST, now)
                .await
                .map_err(|e| format!("{e:?}"))?;
        }
    }
    if activity {
        activity::make(state, &tills).await?;
    }
    Ok(())
}

/// How to sign in as each, printed at start.
pub fn credentials() -> String {
    let mut out = String::from("Demo sign-in (password for every account: demo1234)\n");
    out.push_str("  residents: any mobile number, e.g. 13800000001\n");
    out.push_str("  operator:  operator      reviewer: reviewer      auditor: auditor\n");
    for (name, category, _, username) in MERCHANTS {
        out.push_str(&format!(
            "  merchant:  {username:<17} {name} ({category}); its cashier: {username}-cashier\n"
        ));
    }
    out
}

/// A one-day campaign with one kind, for load tests and rehearsals of the 10:00 rush: `pool`
/// coupons of 1 yuan (no threshold, or 满10减1), released all at once at 10:00 on `day`, with the
/// per-resident `limits` given as a TOML inline table.
pub fn rush_campaign(day: &str, pool: i64, limits: &str) -> String {
    format!(
        r#"id = "rush"
name = "rush"
county = "test"
starts = "{day}"
ends = "{day}"
budget = {pool}
release_time = "10:00"
daily_release = "all"

[[categories]]
id = "retail"
name = "retail"

[[kinds]]
id = "snack"
name = "snack"
budget = {pool}
issuance = "claim"
lifetime = "same_day"
categories = ["retail"]
limits = {limits}
denominations = [{{ threshold = 0, off = 1 }}, {{ threshold = 10, off = 1 }}]

[[rounds]]
number = 1
name = "only"
starts = "{day}"
ends = "{day}"
quota = {{ snack = {pool} }}
"#
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_list_has_valid_id_numbers() {
        for line in LOVE_LIST.lines().skip(1) {
            let id = line.split(',').next().unwrap_or_default();
            assert!(allocations::id_number_ok(id), "{id}");
        }
    }
}
