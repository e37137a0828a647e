//! A batch's rows in one statement: its Idempotency-Keys looked up and recorded hundreds at a
//! time, on either backend, with the keys another call recorded first told apart.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::HashSet;

use quan_server::db::Db;
use quan_server::store::idempotency::{lookup, lookup_many, record, record_many, IdemKey, Prior};

const NOW: quan_core::Timestamp = quan_core::Timestamp(1_767_600_000_000);

fn keys(n: usize) -> Vec<IdemKey> {
    (0..n)
        .map(|i| IdemKey::new(format!("r:{i}"), &format!("rush-{i}"), b"claim").unwrap())
        .collect()
}

/// An answer whose text JSON would have to escape: quotes, a backslash, a newline, Chinese.
fn ours(i: usize) -> String {
    format!("{{\"id\":{i},\"words\":\"满200减40 \\\"券\\\"\\n\\\\ 🎫\"}}")
}

#[tokio::test]
async fn a_batch_records_every_answer_as_given_and_names_the_keys_recorded_first_elsewhere() {
    let dir = tempfile::tempdir().unwrap();
    let db = Db::connect(&common::fresh_database(dir.path()).await, 2)
        .await
        .unwrap();
    let keys = keys(700);
    // Another call recorded three of the keys first.
    let first = [0usize, 350, 699];
    let mut tx = db.begin_write().await.unwrap();
    for i in first {
        assert!(record(&mut tx, &keys[i], 201, "theirs", NOW).await.unwrap());
    }
    tx.commit().await.unwrap();

    let mut tx = db.begin_write().await.unwrap();
    let answers: Vec<(&IdemKey, String)> = keys.iter().enumerate().map(|(i, k)| (k, ours(i))).collect();
    let taken = record_many(&mut tx, db.dialect, &answers, 201, NOW)
        .await
        .unwrap();
    let expected: HashSet<(String, String)> = first.iter().map(|&i| keys[i].id()).collect();
    assert_eq!(taken, expected);
    tx.commit().await.unwrap();

    let mut tx = db.begin_write().await.unwrap();
    let all: Vec<&IdemKey> = keys.iter().collect();
    let found = lookup_many(&mut tx, db.dialect, &all).await.unwrap();
    assert_eq!(found.len(), keys.len());
    for (i, k) in keys.iter().enumerate() {
        let body = if first.contains(&i) {
            "theirs".to_owned()
        } else {
            ours(i)
        };
        let want = Prior::Replay { status: 201, body };
        assert_eq!(found[&k.id()].answer(k).unwrap(), want, "key {i}");
        assert_eq!(lookup(&mut tx, k).await.unwrap(), want, "key {i} alone");
    }
    // Other answers under the same keys (a second coupon for a retry) are not recorded: every
    // key is named as recorded first.
    let others: Vec<(&IdemKey, String)> = keys[..10].iter().map(|k| (k, "another".to_owned())).collect();
    let again = record_many(&mut tx, db.dialect, &others, 201, NOW).await.unwrap();
    assert_eq!(again, keys[..10].iter().map(IdemKey::id).collect());
    assert_eq!(
        lookup(&mut tx, &keys[1]).await.unwrap(),
        Prior::Replay {
            status: 201,
            body: ours(1)
        }
    );
    // Keys no one recorded are not found; an empty batch asks nothing.
    let fresh = self::keys(705);
    let unknown: Vec<&IdemKey> = fresh[700..].iter().collect();
    assert!(lookup_many(&mut tx, db.dialect, &unknown)
        .await
        .unwrap()
        .is_empty());
    assert!(lookup_many(&mut tx, db.dialect, &[]).await.unwrap().is_empty());
    assert!(record_many(&mut tx, db.dialect, &[], 201, NOW)
        .await
        .unwrap()
        .is_empty());
    tx.rollback().await.unwrap();
}
