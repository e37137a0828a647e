//! `quan-server backup` on a live server: taken in the middle of a rush, the copy holds every
//! claim acknowledged before it began, and a server started on it finds its pools conserved; the
//! documents are copied beside it.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::{qinshui_day3, spawn, Options};
use quan_core::api::CouponView;
use quan_core::CouponId;
use quan_server::backup::backup;
use quan_server::clock::Clock;
use quan_server::db::Dialect;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_backup_taken_during_a_rush_restores_every_acknowledged_claim() {
    let clock = Clock::starting_at(qinshui_day3(10, 0, 0));
    let app = Arc::new(
        spawn(Options {
            clock: clock.clone(),
            ..Options::default()
        })
        .await,
    );
    let uploads = app.state.uploads.as_ref().clone();
    if app.state.db.dialect == Dialect::Postgres {
        // PostgreSQL has its own tool, and the command says so.
        let dir = tempfile::tempdir().unwrap();
        let refused = backup(&app.state.db, &uploads, &dir.path().join("b"))
            .await
            .unwrap_err();
        assert!(refused.contains("pg_dump"), "{refused}");
        return;
    }
    // A document, and a half-written one that is not copied.
    std::fs::create_dir_all(&uploads).unwrap();
    let name = "ab".repeat(32);
    std::fs::write(uploads.join(&name), b"%PDF-1.4 invoice").unwrap();
    std::fs::write(uploads.join(format!("{name}.7.part")), b"half").unwrap();
    let mut tokens = Vec::new();
    for i in 0..400 {
        tokens.push(app.resident(&format!("rush-{i}")).await.1);
    }
    let acknowledged: Arc<Mutex<Vec<(Instant, CouponId)>>> = Arc::default();
    let mut rush = tokio::task::JoinSet::new();
    for token in tokens {
        let (app, acknowledged) = (app.clone(), acknowledged.clone());
        rush.spawn(async move {
            let res = app.claim_retail(&token).await;
            if res.status() == 201 {
                let coupon: CouponView = res.json().await.unwrap();
                acknowledged.lock().unwrap().push((Instant::now(), coupon.id));
            }
        });
    }
    // Once the rush is under way: some claims acknowledged, more coming.
    let under_way = async {
        while acknowledged.lock().unwrap().len() < 40 {
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
    };
    tokio::time::timeout(Duration::from_secs(60), under_way)
        .await
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("backup");
    let began = Instant::now();
    let copy = backup(&app.state.db, &uploads, &dest).await.unwrap();
    while rush.join_next().await.is_some() {}
    let before: Vec<CouponId> = acknowledged
        .lock()
        .unwrap()
        .iter()
        .filter(|(at, _)| *at < began)
        .map(|(_, id)| *id)
        .collect();
    assert!(before.len() >= 40, "{} claims before the backup", before.len());
    assert_eq!(copy.documents, 1);
    assert!(dest.join("uploads").join(&name).exists());
    // A second backup into the same folder is refused.
    assert!(backup(&app.state.db, &uploads, &dest).await.is_err());

    let restored = spawn(Options {
        clock,
        database_url: Some(format!("sqlite:{}", copy.database.display())),
        ..Options::default()
    })
    .await;
    for id in &before {
        let row = sqlx::query("SELECT COUNT(*) AS n FROM coupons WHERE id = $1")
            .bind(id.0)
            .fetch_one(&restored.state.db.pool)
            .await
            .unwrap();
        let n: i64 = sqlx::Row::get(&row, "n");
        assert_eq!(n, 1, "coupon {} acknowledged before the backup", id.0);
    }
    restored.assert_conserved().await;
    app.assert_conserved().await;
}
