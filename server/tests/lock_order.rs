//! Every way a coupon is issued (a release claim, a merchant's offer, a shop's issue, a
//! love-coupon allocation) and the till's redemptions, all at once on two instances of one
//! database: none waits on another in a circle (on PostgreSQL a deadlock would abort one of them,
//! and its caller would see a 5xx), and afterwards every pool agrees, to the fen, with the coupons
//! and the ledger.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::BTreeMap;
use std::sync::Arc;

use common::{spawn_two, Options, TestApp};
use quan_core::api::{CouponView, MerchantOffer, Role};
use quan_core::code;
use quan_core::report::LedgerEvent;
use quan_core::{ChinaDate, TimeOfDay, Timestamp};
use quan_server::clock::Clock;
use quan_server::store::residents;
use serde_json::json;
use sqlx::Row;

/// One campaign with a kind for each way of issuing coupons.
const FOUR_WAYS: &str = r#"
id = "four-ways"
name = "四种发放"
county = "test"
starts = "2023-06-04"
ends = "2023-06-30"
budget = 31_000
release_time = "10:00"
daily_release = "all"

[[categories]]
id = "retail"
name = "retail"

[[categories]]
id = "appliance"
name = "appliance"

[[categories]]
id = "treasures"
name = "treasures"

[[kinds]]
id = "retail"
name = "零售券"
budget = 10_000
issuance = "claim"
lifetime = "same_day"
categories = ["retail"]
limits = { per_round = 3, held_per_denomination = 1 }
denominations = [{ threshold = 50, off = 10 }]

[[kinds]]
id = "appliance"
name = "家电券"
budget = 10_000
issuance = "shop"
lifetime = "same_day"
categories = ["appliance"]
rate = { basis_points = 1000, cap = 1000 }
limits = { per_day = 1 }

[[kinds]]
id = "treasures"
name = "四宝券"
budget = 10_000
issuance = "merchant"
lifetime = "same_day"
categories = ["treasures"]
rate = { basis_points = 1000 }

[[kinds]]
id = "love"
name = "爱心券"
budget = 1_000
issuance = "allocate"
lifetime = "campaign"
categories = []
allocation = { coupons_per_person = 2 }
denominations = [{ threshold = 0, off = 10 }]

[[rounds]]
number = 1
name = "all"
starts = "2023-06-04"
ends = "2023-06-30"
quota = { retail = 10_000, appliance = 10_000, treasures = 10_000 }
"#;

const CAMPAIGN: &str = "four-ways";
const RESIDENTS: usize = 60;
const SHOP_CUSTOMERS: usize = 30;
const OFFER_QUANTITY: u32 = 40;
const LISTED_PER_INSTANCE: usize = 15;

fn afternoon() -> Timestamp {
    ChinaDate::new(2023, 6, 8).unwrap().at(TimeOfDay(14 * 3_600))
}

/// A well-formed resident ID number (GB 11643): 17 digits and their check character.
fn id_number(n: usize) -> String {
    let body = format!("14052119500315{n:03}");
    let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = body
        .bytes()
        .zip(weights)
        .map(|(b, w)| u32::from(b - b'0') * w)
        .sum();
    let check = b"10X98765432"[(sum % 11) as usize] as char;
    format!("{body}{check}")
}

/// What one call answered: which way, its status, and the refusal's code if any.
#[derive(Debug)]
struct Answer {
    way: &'static str,
    status: u16,
    code: Option<String>,
}

async fn answer(way: &'static str, res: reqwest::Response) -> (Answer, serde_json::Value) {
    let status = res.status().as_u16();
    let body: serde_json::Value = res.json().await.unwrap_or(serde_json::Value::Null);
    let code = body["code"].as_str().map(str::to_owned);
    (Answer { way, status, code }, body)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_four_ways_and_the_till_at_once_on_two_instances_never_deadlock_and_conserve_money() {
    let options = || Options {
        clock: Clock::starting_at(afternoon()),
        campaigns: Some(vec![("four.toml", FOUR_WAYS.to_owned())]),
        ..Options::default()
    };
    let (first, second) = spawn_two(options).await;
    let apps = [Arc::new(first), Arc::new(second)];

    // Each instance has its own till, shop and operator; one merchant's offer serves both.
    let mut tills = Vec::new();
    let mut shops = Vec::new();
    let mut operators = Vec::new();
    for (i, app) in apps.iter().enumerate() {
        tills.push(app.merchant(&format!("零售{i}"), "retail").await.1);
        shops.push(app.merchant(&format!("家电{i}"), "appliance").await.1);
        operators.push(app.staff(&format!("op{i}"), Role::Operator, None).await);
    }
    let (_, treasures) = apps[0].merchant("四宝店", "treasures").await;
    let res = apps[0]
        .post(
            "/merchant/offers",
            &treasures,
            json!({"campaign": CAMPAIGN, "kind": "treasures", "threshold": 20_000, "quantity": OFFER_QUANTITY}),
        )
        .await;
    assert_eq!(res.status(), 201);
    let offer: MerchantOffer = res.json().await.unwrap();

    let mut residents_tokens = Vec::new();
    for r in 0..RESIDENTS {
        residents_tokens.push(apps[r % 2].resident(&format!("resident-{r}")).await.1);
    }
    let mut phones = Vec::new();
    for s in 0..SHOP_CUSTOMERS {
        let phone = format!("1370000{s:04}");
        let (id, _) = apps[s % 2].resident(&format!("customer-{s}")).await;
        residents::set_phone(&apps[0].state.db, id, &phone).await.unwrap();
        phones.push(phone);
    }

    let mut tasks = tokio::task::JoinSet::new();
    for (r, token) in residents_tokens.into_iter().enumerate() {
        let app = apps[r % 2].clone();
        let till = tills[r % 2].clone();
        let offer = offer.id;
        tasks.spawn(async move {
            let mut answers = Vec::new();
            // A release claim, redeemed at once at the till: the coupon's row, then its pool.
            let (a, body) = answer("claim", claim(&app, &token).await).await;
            answers.push(a);
            if let Ok(c) = serde_json::from_value::<CouponView>(body) {
                let key = c.key.as_ref().unwrap();
                let digits = code::generate(key, c.id, app.clock.now(), c.expires_at).unwrap();
                let res = app
                    .post(
                        "/merchant/redemptions",
                        &till,
                        json!({"code": digits.digits(), "order_amount": 6_000}),
                    )
                    .await;
                answers.push(answer("redeem", res).await.0);
            }
            let res = app
                .post(&format!("/offers/{offer}/claim"), &token, json!({}))
                .await;
            answers.push(answer("offer", res).await.0);
            answers
        });
    }
    for (s, phone) in phones.into_iter().enumerate() {
        let app = apps[s % 2].clone();
        let shop = shops[s % 2].clone();
        tasks.spawn(async move {
            let res = app
                .post(
                    "/merchant/issues",
                    &shop,
                    json!({"campaign": CAMPAIGN, "kind": "appliance", "phone": phone, "order_amount": 80_000}),
                )
                .await;
            vec![answer("issue", res).await.0]
        });
    }
    for (i, op) in operators.into_iter().enumerate() {
        let app = apps[i].clone();
        tasks.spawn(async move {
            let csv: String = (0..LISTED_PER_INSTANCE)
                .map(|n| format!("{},持卡人{i}-{n}\n", id_number(i * 100 + n)))
                .collect();
            let res = app
                .post(
                    "/operator/allocations",
                    &op,
                    json!({"campaign": CAMPAIGN, "kind": "love", "csv": csv}),
                )
                .await;
            vec![answer("allocate", res).await.0]
        });
    }

    let mut granted: BTreeMap<&str, usize> = BTreeMap::new();
    while let Some(done) = tasks.join_next().await {
        for a in done.unwrap() {
            match (a.status, a.code.as_deref()) {
                (200 | 201, _) => *granted.entry(a.way).or_default() += 1,
                // The offer's quantity is less than the residents who want it.
                (409, Some("sold_out")) if a.way == "offer" => {}
                _ => panic!("{a:?}"),
            }
        }
    }
    assert_eq!(granted.get("claim"), Some(&RESIDENTS));
    assert_eq!(granted.get("redeem"), Some(&RESIDENTS));
    assert_eq!(granted.get("offer"), Some(&(OFFER_QUANTITY as usize)));
    assert_eq!(granted.get("issue"), Some(&SHOP_CUSTOMERS));
    assert_eq!(granted.get("allocate"), Some(&2));

    for app in &apps {
        app.assert_conserved().await;
    }
    let db = &apps[1].state.db;
    // The pools say what the coupons say: held is what unredeemed coupons reserve and what
    // redeemed ones reserve beyond their discount; redeemed is the discounts given.
    let pools = held_and_redeemed(
        db,
        "SELECT kind, CAST(SUM(held) AS BIGINT) AS held, CAST(SUM(redeemed) AS BIGINT) AS redeemed \
         FROM pools WHERE campaign = $1 GROUP BY kind",
    )
    .await;
    let coupons = held_and_redeemed(
        db,
        "SELECT kind, \
                CAST(SUM(CASE status WHEN 'held' THEN value WHEN 'redeemed' THEN value - given ELSE 0 END) AS BIGINT) AS held, \
                CAST(SUM(CASE WHEN status IN ('redeemed', 'closed') THEN given ELSE 0 END) AS BIGINT) AS redeemed \
         FROM coupons WHERE campaign = $1 GROUP BY kind",
    )
    .await;
    assert_eq!(pools.len(), 4, "{pools:?}");
    for (kind, want) in &coupons {
        assert_eq!(pools.get(kind), Some(want), "{kind}: pools against coupons");
    }
    // And the ledger says it too: each coupon issued once, in its way's word, for its value;
    // each redemption once, for its discount.
    let ledger = sqlx::query(
        "SELECT l.kind, l.event, COUNT(*) AS n, CAST(SUM(l.amount) AS BIGINT) AS amount \
         FROM ledger l WHERE l.campaign = $1 GROUP BY l.kind, l.event",
    )
    .bind(CAMPAIGN)
    .fetch_all(&db.pool)
    .await
    .unwrap();
    let mut recorded: BTreeMap<(String, String), (i64, i64)> = BTreeMap::new();
    for r in &ledger {
        recorded.insert((r.get("kind"), r.get("event")), (r.get("n"), r.get("amount")));
    }
    let given_out = |kind: &str, way: quan_core::campaign::Issuance| {
        recorded
            .get(&(kind.to_owned(), LedgerEvent::Issue(way).as_str().to_owned()))
            .copied()
    };
    use quan_core::campaign::Issuance;
    let n = |x: usize| i64::try_from(x).unwrap();
    assert_eq!(
        given_out("retail", Issuance::Claim),
        Some((n(RESIDENTS), n(RESIDENTS) * 1_000))
    );
    assert_eq!(
        given_out("appliance", Issuance::Shop),
        Some((n(SHOP_CUSTOMERS), n(SHOP_CUSTOMERS) * 8_000))
    );
    assert_eq!(
        given_out("treasures", Issuance::Merchant),
        Some((i64::from(OFFER_QUANTITY), i64::from(OFFER_QUANTITY) * 2_000))
    );
    let listed = n(2 * LISTED_PER_INSTANCE);
    assert_eq!(
        given_out("love", Issuance::Allocate),
        Some((listed * 2, listed * 2 * 1_000))
    );
    assert_eq!(
        recorded.get(&("retail".to_owned(), "redeem".to_owned())),
        Some(&(n(RESIDENTS), n(RESIDENTS) * 1_000))
    );
    assert_eq!(pools.get("retail"), Some(&(0, n(RESIDENTS) * 1_000)));
}

/// Per kind, the `held` and `redeemed` that `sql` sums for the campaign.
async fn held_and_redeemed(db: &quan_server::db::Db, sql: &str) -> BTreeMap<String, (i64, i64)> {
    sqlx::query(sql)
        .bind(CAMPAIGN)
        .fetch_all(&db.pool)
        .await
        .unwrap()
        .iter()
        .map(|r| (r.get("kind"), (r.get("held"), r.get("redeemed"))))
        .collect()
}

/// A claim of the campaign's one retail denomination.
async fn claim(app: &TestApp, token: &str) -> reqwest::Response {
    app.post(
        "/claims",
        token,
        json!({"campaign": CAMPAIGN, "kind": "retail", "denomination": 0}),
    )
    .await
}
