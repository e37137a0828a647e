//! A database made by an earlier version is brought up to date without losing or misreading a
//! row: the schema as it stood before a migration is built, rows are written the way that
//! version wrote them, and `Db::connect` runs the rest.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::borrow::Cow;

use quan_server::db::Db;
use sqlx::migrate::Migrator;
use sqlx::{AnyConnection, Connection, Executor, Row};

static SQLITE: Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES: Migrator = sqlx::migrate!("./migrations/postgres");

/// Brings the database at `url` to `version` and no further.
async fn migrate_to(url: &str, version: i64) -> AnyConnection {
    sqlx::any::install_default_drivers();
    let postgres = url.starts_with("postgres");
    let all = if postgres { &POSTGRES } else { &SQLITE };
    let upto = Migrator {
        migrations: Cow::Owned(
            all.migrations
                .iter()
                .filter(|m| m.version <= version)
                .cloned()
                .collect(),
        ),
        ..Migrator::DEFAULT
    };
    let url = if postgres {
        url.to_owned()
    } else {
        format!("{url}?mode=rwc")
    };
    let mut conn = AnyConnection::connect(&url).await.expect("connect");
    if !postgres {
        conn.execute("PRAGMA foreign_keys = OFF").await.expect("pragma");
    }
    upto.run(&mut conn).await.expect("the earlier migrations");
    conn
}

/// The rows of `sql`: a number and a word each.
async fn pairs(db: &Db, sql: &str) -> Vec<(i64, String)> {
    sqlx::query(sql)
        .fetch_all(&db.pool)
        .await
        .expect(sql)
        .iter()
        .map(|r| (r.get::<i64, _>(0), r.get::<String, _>(1)))
        .collect()
}

#[tokio::test]
async fn coupons_and_ledger_records_take_one_word_for_one_idea_on_upgrade() {
    let dir = tempfile::tempdir().expect("tempdir");
    let url = common::fresh_database(dir.path()).await;
    let mut conn = migrate_to(&url, 10).await;
    // As version 10 wrote them: a release claim, a merchant's offer claimed (source 'claim',
    // with its merchant), a shop's issue (ledger 'issue'), a love-coupon allocation, and a
    // redeemed coupon whose day is over ('settled', ledger 'settle').
    for sql in [
        "INSERT INTO residents (id, subject, created_at) VALUES (1, 'r1', 0)",
        "INSERT INTO coupons (id, campaign, kind, denomination, round, resident_id, source, day, value, \
         threshold, rate_bp, status, given, claimed_at, expires_at, merchant_id) VALUES \
         (1, 'c', 'retail', 0, 1, 1, 'claim', '2023-05-01', 4000, 20000, 0, 'held', 0, 0, 1, NULL), \
         (2, 'c', 'treasures', 0, 1, 1, 'claim', '2023-05-01', 5000, 30000, 0, 'held', 0, 0, 1, 7), \
         (3, 'c', 'appliances', 0, 1, 1, 'shop', '2023-05-01', 9000, 0, 1500, 'held', 0, 0, 1, NULL), \
         (4, 'c', 'love', 0, 0, 1, 'allocate', '2023-05-01', 1000, 0, 0, 'held', 0, 0, 1, NULL), \
         (5, 'c', 'appliance', 0, 1, 1, 'shop', '2023-05-01', 9000, 0, 1500, 'settled', 6000, 0, 1, NULL)",
        "INSERT INTO ledger (at, event, campaign, kind, round, coupon_id, resident_id, amount) VALUES \
         (0, 'claim', 'c', 'retail', 1, 1, 1, 4000), \
         (0, 'claim', 'c', 'treasures', 1, 2, 1, 5000), \
         (0, 'issue', 'c', 'appliances', 1, 3, 1, 9000), \
         (0, 'allocate', 'c', 'love', 0, 4, 1, 1000), \
         (1, 'redeem', 'c', 'retail', 1, 1, 1, 4000), \
         (2, 'settle', 'c', 'appliance', 1, 5, 1, 3000)",
    ] {
        conn.execute(sql).await.expect(sql);
    }
    conn.close().await.expect("close");

    let db = Db::connect(&url, 2).await.expect("the migrations after");
    let sources = pairs(&db, "SELECT id, source || ' ' || status FROM coupons ORDER BY id").await;
    let words =
        |v: &[(i64, &str)]| -> Vec<(i64, String)> { v.iter().map(|(i, w)| (*i, (*w).to_owned())).collect() };
    assert_eq!(
        sources,
        words(&[
            (1, "claim held"),
            (2, "merchant held"),
            (3, "shop held"),
            (4, "allocate held"),
            (5, "shop closed")
        ])
    );
    let events = pairs(&db, "SELECT coupon_id, event FROM ledger ORDER BY id").await;
    assert_eq!(
        events,
        words(&[
            (1, "claim"),
            (2, "merchant"),
            (3, "shop"),
            (4, "allocate"),
            (1, "redeem"),
            (5, "close")
        ])
    );
    // Every word reads back as the event core knows.
    for (_, w) in &events {
        assert!(quan_core::report::LedgerEvent::parse(w).is_some(), "{w}");
    }
    // And the table still says what a source may be: a merchant's coupon names its merchant.
    let wrong = sqlx::query(
        "INSERT INTO coupons (campaign, kind, denomination, round, resident_id, source, day, value, \
         threshold, rate_bp, status, given, claimed_at, expires_at, merchant_id) VALUES \
         ('c', 'treasures', 0, 1, 1, 'merchant', '2023-05-01', 5000, 30000, 0, 'held', 0, 0, 1, NULL)",
    )
    .execute(&db.pool)
    .await;
    assert!(
        wrong.is_err(),
        "a merchant's coupon without its merchant was stored"
    );
}
