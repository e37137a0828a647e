//! Car-purchase subsidy applications: the rates and floor, the invoice-date window, documents
//! checked and stored by hash, submission, the reviewers' decisions with their log, and a budget
//! that concurrent approvals never overspend.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::sync::Arc;

use common::{spawn, Options, TestApp};
use quan_core::api::{ApplicationView, Dealer, DocumentView, Role};
use quan_core::subsidy::ApplicationStatus;
use quan_core::{ChinaDate, ErrorCode, Fen, Problem, TimeOfDay, Timestamp};
use quan_server::clock::Clock;
use serde_json::json;
use sha2::{Digest, Sha256};

const JPEG: &[u8] = b"\xFF\xD8\xFF\xE0\x00\x10JFIF\x00 a photo of a document";
const PDF: &[u8] = b"%PDF-1.7\n% a scanned invoice\n";

fn jishan(day: u8) -> Timestamp {
    ChinaDate::new(2023, 6, day).unwrap().at(TimeOfDay(11 * 3_600))
}

async fn setup(campaigns: Option<Vec<(&'static str, String)>>) -> TestApp {
    spawn(Options {
        clock: Clock::starting_at(jishan(12)),
        campaigns,
        ..Options::default()
    })
    .await
}

async fn reviewer(app: &TestApp) -> String {
    app.staff("bank", Role::Reviewer, None).await
}

async fn problem(res: reqwest::Response) -> (u16, ErrorCode) {
    let status = res.status().as_u16();
    (status, res.json::<Problem>().await.unwrap().code)
}

async fn put_doc(
    app: &TestApp,
    token: &str,
    id: i64,
    role: &str,
    body: &[u8],
    ct: &str,
) -> reqwest::Response {
    app.client
        .put(app.url(&format!("/applications/{id}/documents/{role}")))
        .bearer_auth(token)
        .header("content-type", ct)
        .body(body.to_vec())
        .send()
        .await
        .unwrap()
}

/// A draft for a car of `invoice_yuan`, with its four documents, submitted.
async fn submitted(
    app: &TestApp,
    campaign: &str,
    who: &str,
    invoice_yuan: i64,
    vehicle: &str,
) -> (String, ApplicationView) {
    let (_, token) = app.resident(who).await;
    let dealers: Vec<Dealer> = app
        .get(&format!("/campaigns/{campaign}/subsidies/car/dealers"), &token)
        .await
        .json()
        .await
        .unwrap();
    let res = app
        .post(
            "/applications",
            &token,
            json!({"campaign": campaign, "subsidy": "car", "invoice_amount": invoice_yuan * 100,
                   "invoice_date": "2023-06-10", "vehicle": vehicle, "dealer": dealers[0].id,
                   "bank_card": "6222 0212 3456 7890", "phone": "13800001111"}),
        )
        .await;
    assert_eq!(res.status(), 201);
    let draft: ApplicationView = res.json().await.unwrap();
    for role in ["id_card", "bank_card", "licence"] {
        assert_eq!(
            put_doc(app, &token, draft.id, role, JPEG, "image/jpeg")
                .await
                .status(),
            200
        );
    }
    assert_eq!(
        put_doc(app, &token, draft.id, "invoice", PDF, "application/pdf")
            .await
            .status(),
        200
    );
    let res = app
        .post(&format!("/applications/{}/submit", draft.id), &token, json!({}))
        .await;
    assert_eq!(res.status(), 200);
    (token, res.json().await.unwrap())
}

#[tokio::test]
async fn the_subsidy_is_six_or_five_percent_at_least_3000_for_an_invoice_inside_the_campaign() {
    let app = setup(None).await;
    app.merchant("稷山汽贸", "car-dealer").await;
    let (_, ne) = submitted(&app, "jishan-2023", "a", 150_000, "new_energy").await;
    assert_eq!(ne.expected, Fen(900_000), "6% of 150,000 yuan");
    let (_, fuel) = submitted(&app, "jishan-2023", "b", 100_000, "fuel").await;
    assert_eq!(fuel.expected, Fen(500_000), "5% of 100,000 yuan");
    let (_, small) = submitted(&app, "jishan-2023", "c", 40_000, "fuel").await;
    assert_eq!(small.expected, Fen(300_000), "2,000 raised to the 3,000 floor");
    assert_eq!(small.status, ApplicationStatus::Submitted);
    assert_eq!(small.bank_card, "6222 **** **** 7890");
    assert_eq!(small.phone, "138****1111");
    // An invoice dated outside the campaign is refused, in words.
    let (_, token) = app.resident("d").await;
    let res = app
        .post(
            "/applications",
            &token,
            json!({"campaign": "jishan-2023", "subsidy": "car", "invoice_amount": 10_000_000,
                   "invoice_date": "2023-07-01", "vehicle": "fuel", "dealer": 1,
                   "bank_card": "6222021234567890", "phone": "13800001111"}),
        )
        .await;
    assert_eq!(res.status(), 422);
    let p: Problem = res.json().await.unwrap();
    assert!(p.detail.unwrap_or_default().contains("2023-06-04 to 2023-06-30"));
}

#[tokio::test]
async fn documents_are_checked_kept_by_hash_and_required_before_submission() {
    let app = setup(None).await;
    app.merchant("稷山汽贸", "car-dealer").await;
    let (_, token) = app.resident("e").await;
    let draft: ApplicationView = app
        .post(
            "/applications",
            &token,
            json!({"campaign": "jishan-2023", "subsidy": "car", "invoice_amount": 12_000_000,
                   "invoice_date": "2023-06-05", "vehicle": "new_energy", "dealer": 1,
                   "bank_card": "6222021234567890", "phone": "13800001111"}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(draft.status, ApplicationStatus::Draft);
    // Not a photo or PDF; a PDF that says it is a JPEG; too large.
    let text = put_doc(&app, &token, draft.id, "id_card", b"just text", "text/plain").await;
    assert_eq!(problem(text).await, (415, ErrorCode::UnsupportedMediaType));
    let lying = put_doc(&app, &token, draft.id, "id_card", PDF, "image/jpeg").await;
    assert_eq!(problem(lying).await.1, ErrorCode::UnsupportedMediaType);
    let mut huge = JPEG.to_vec();
    huge.resize(9 * 1024 * 1024, 0);
    assert_eq!(
        put_doc(&app, &token, draft.id, "id_card", &huge, "image/jpeg")
            .await
            .status(),
        413
    );
    let doc: DocumentView = put_doc(&app, &token, draft.id, "id_card", JPEG, "image/jpeg")
        .await
        .json()
        .await
        .unwrap();
    let hash: String = Sha256::digest(JPEG).iter().map(|b| format!("{b:02x}")).collect();
    assert_eq!(doc.sha256, hash);
    let stored = std::fs::read(app.state.uploads.join(&hash)).unwrap();
    assert_eq!(
        app.state.vault.open_file(&hash, stored).unwrap(),
        JPEG,
        "kept outside the database, sealed, named by its hash"
    );
    // Three are missing: submission says which.
    let res = app
        .post(&format!("/applications/{}/submit", draft.id), &token, json!({}))
        .await;
    assert_eq!(res.status(), 422);
    let p: Problem = res.json().await.unwrap();
    assert!(p
        .detail
        .unwrap_or_default()
        .contains("bank_card, invoice, licence"));
    // The applicant reads it back; another resident cannot.
    let mine = app
        .get(&format!("/applications/{}/documents/id_card", draft.id), &token)
        .await;
    assert_eq!(mine.bytes().await.unwrap().as_ref(), JPEG);
    let (_, other) = app.resident("f").await;
    assert_eq!(
        app.get(&format!("/applications/{}/documents/id_card", draft.id), &other)
            .await
            .status(),
        404
    );
}

#[tokio::test]
async fn reviewers_take_up_approve_reject_and_pay_and_every_step_is_logged() {
    let app = setup(None).await;
    app.merchant("稷山汽贸", "car-dealer").await;
    let (buyer, a) = submitted(&app, "jishan-2023", "g", 150_000, "new_energy").await;
    let (_, b) = submitted(&app, "jishan-2023", "h", 90_000, "fuel").await;
    let bank = reviewer(&app).await;
    let op = app.operator().await;
    // In submission order, for the bank's reviewers alone: not the bureau, not residents.
    let queue: Vec<ApplicationView> = app.get("/review/applications", &bank).await.json().await.unwrap();
    assert_eq!(queue.iter().map(|x| x.id).collect::<Vec<_>>(), vec![a.id, b.id]);
    assert_eq!(app.get("/review/applications", &op).await.status(), 403);
    assert_eq!(app.get("/review/applications", &buyer).await.status(), 403);
    let by_op = app
        .post(
            &format!("/review/applications/{}", a.id),
            &op,
            json!({"action": "approve"}),
        )
        .await;
    assert_eq!(by_op.status(), 403);
    let decide = |id: i64, body: serde_json::Value| {
        let (app, bank) = (&app, bank.clone());
        async move { app.post(&format!("/review/applications/{id}"), &bank, body).await }
    };
    let taken: ApplicationView = decide(a.id, json!({"action": "review"}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(taken.status, ApplicationStatus::UnderReview);
    let approved: ApplicationView = decide(a.id, json!({"action": "approve"}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        (approved.status, approved.granted),
        (ApplicationStatus::Approved, Fen(900_000))
    );
    // A rejection needs its reason, which the applicant reads.
    assert_eq!(
        problem(decide(b.id, json!({"action": "reject"})).await).await.0,
        422
    );
    let rejected: ApplicationView = decide(
        b.id,
        json!({"action": "reject", "reason": "发票抬头与身份证姓名不一致"}),
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(rejected.status, ApplicationStatus::Rejected);
    assert_eq!(
        problem(decide(b.id, json!({"action": "approve"})).await).await.0,
        422,
        "closed"
    );
    let paid: ApplicationView = decide(a.id, json!({"action": "mark_paid"}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(paid.status, ApplicationStatus::Paid);
    let mine: Vec<ApplicationView> = app.get("/applications", &buyer).await.json().await.unwrap();
    assert_eq!(mine[0].status, ApplicationStatus::Paid);
    // Who did what, when, for how much.
    let log: Vec<(String, i64)> = sqlx::query_as("SELECT action, amount FROM review_log ORDER BY id")
        .fetch_all(&app.state.db.pool)
        .await
        .unwrap();
    let actions: Vec<&str> = log.iter().map(|(a, _)| a.as_str()).collect();
    assert_eq!(actions, vec!["under_review", "approved", "rejected", "paid"]);
    assert_eq!(log[1].1, 900_000);
    let (reserved, paid): (i64, i64) =
        sqlx::query_as("SELECT reserved, paid FROM subsidy_budgets WHERE campaign = 'jishan-2023'")
            .fetch_one(&app.state.db.pool)
            .await
            .unwrap();
    assert_eq!((reserved, paid), (0, 900_000));
}

/// A campaign whose car subsidy has 10,000 yuan: three applications at the 3,000 floor fit.
const SMALL: &str = r#"
id = "small-car"
name = "small"
county = "test"
starts = "2023-06-04"
ends = "2023-06-30"
budget = 10_000
release_time = "10:00"
daily_release = "all"
kinds = []

[[categories]]
id = "car-dealer"
name = "dealer"

[[subsidies]]
id = "car"
name = "car"
budget = 10_000
rates = { new_energy = 600, fuel = 500 }
floor = 3_000
dealer_category = "car-dealer"
grant = "whole_fits"
"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_approvals_never_overspend_the_budget() {
    let app = Arc::new(setup(Some(vec![("small.toml", SMALL.to_owned())])).await);
    app.merchant("汽贸", "car-dealer").await;
    let mut ids = Vec::new();
    for i in 0..5 {
        ids.push(
            submitted(&app, "small-car", &format!("buyer{i}"), 40_000, "fuel")
                .await
                .1
                .id,
        );
    }
    let bank = reviewer(&app).await;
    let mut tasks = tokio::task::JoinSet::new();
    for id in ids {
        let (app, bank) = (app.clone(), bank.clone());
        tasks.spawn(async move {
            let res = app
                .post(
                    &format!("/review/applications/{id}"),
                    &bank,
                    json!({"action": "approve"}),
                )
                .await;
            res.status().as_u16()
        });
    }
    let mut statuses = Vec::new();
    while let Some(s) = tasks.join_next().await {
        statuses.push(s.unwrap());
    }
    statuses.sort_unstable();
    assert_eq!(statuses, vec![200, 200, 200, 409, 409], "3 × 3,000 fit in 10,000");
    let reserved: i64 =
        sqlx::query_scalar("SELECT reserved FROM subsidy_budgets WHERE campaign = 'small-car'")
            .fetch_one(&app.state.db.pool)
            .await
            .unwrap();
    assert_eq!(reserved, 900_000);
}

/// The data key of [`sealed_setup`]'s server, so that a test can rotate it.
const OLD_KEY: &str = "0f1e2d3c4b5a69788796a5b4c3d2e1f00112233445566778899aabbccddeeff0";

async fn sealed_setup() -> TestApp {
    spawn(Options {
        clock: Clock::starting_at(jishan(12)),
        tune: |c| c.data_key = Some(DataKey::parse(OLD_KEY).unwrap()),
        ..Options::default()
    })
    .await
}

use quan_server::vault::{DataKey, Field, Vault};

/// What the database holds for application `id`: its bank card and phone columns.
async fn stored_numbers(app: &TestApp, id: i64) -> (String, String) {
    let row: (String, String) = sqlx::query_as("SELECT bank_card, phone FROM applications WHERE id = $1")
        .bind(id)
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap();
    row
}

#[tokio::test]
async fn bank_cards_phones_and_documents_are_sealed_at_rest_and_lists_show_them_masked() {
    let app = sealed_setup().await;
    app.merchant("稷山汽贸", "car-dealer").await;
    let (_, a) = submitted(&app, "jishan-2023", "g", 150_000, "new_energy").await;
    let (card, phone) = stored_numbers(&app, a.id).await;
    for (stored, plain) in [(&card, "6222021234567890"), (&phone, "13800001111")] {
        assert!(stored.starts_with("enc:v1:"), "{stored}");
        assert!(!stored.contains(plain) && !stored.contains(&plain[plain.len() - 4..]));
    }
    let vault = Vault::new(DataKey::parse(OLD_KEY).unwrap(), &[]);
    assert_eq!(
        vault.open(Field::ApplicationBankCard, &card).unwrap(),
        "6222021234567890"
    );
    // The files on disk are neither the photo nor the PDF, nor contain them.
    for d in &a.documents {
        let on_disk = std::fs::read(app.state.uploads.join(&d.sha256)).unwrap();
        assert!(!on_disk.starts_with(b"\xFF\xD8\xFF") && !on_disk.starts_with(b"%PDF"));
        assert!(!on_disk.windows(10).any(|w| w == &PDF[..10] || w == &JPEG[6..16]));
    }
    // The applicant and the reviewer still get the document as uploaded.
    let bank = reviewer(&app).await;
    let pdf = app
        .get(&format!("/review/applications/{}/documents/invoice", a.id), &bank)
        .await;
    assert_eq!(pdf.status(), 200);
    assert_eq!(pdf.bytes().await.unwrap().as_ref(), PDF);
    // Lists show both masked.
    let queue: Vec<ApplicationView> = app.get("/review/applications", &bank).await.json().await.unwrap();
    assert_eq!(
        (queue[0].bank_card.as_str(), queue[0].phone.as_str()),
        ("6222 **** **** 7890", "138****1111")
    );
}

#[tokio::test]
async fn only_the_applications_reviewer_sees_the_full_card_and_every_look_is_in_the_audit_trail() {
    let app = sealed_setup().await;
    app.merchant("稷山汽贸", "car-dealer").await;
    let (buyer, a) = submitted(&app, "jishan-2023", "g", 150_000, "new_energy").await;
    let first = app.staff("bank.li", Role::Reviewer, None).await;
    let second = app.staff("bank.wang", Role::Reviewer, None).await;
    let op = app.operator().await;
    let auditor = app.staff("shen.ji", Role::Auditor, None).await;
    let path = format!("/review/applications/{}/payment-details", a.id);
    // Before anyone takes it up, nobody; and never the bureau, the auditor or the applicant here.
    assert_eq!(
        problem(app.get(&path, &first).await).await,
        (403, ErrorCode::Forbidden)
    );
    for token in [&op, &auditor, &buyer] {
        assert_eq!(app.get(&path, token).await.status(), 403);
    }
    let res = app
        .post(
            &format!("/review/applications/{}", a.id),
            &first,
            json!({"action": "review"}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let full: quan_core::api::PaymentDetails = app.get(&path, &first).await.json().await.unwrap();
    assert_eq!(
        (full.bank_card.as_str(), full.phone.as_str()),
        ("6222021234567890", "13800001111")
    );
    assert_eq!(
        problem(app.get(&path, &second).await).await,
        (403, ErrorCode::Forbidden)
    );
    assert_eq!(
        app.get("/review/applications/999/payment-details", &first)
            .await
            .status(),
        404
    );
    let entries: Vec<quan_core::api::AuditEntry> =
        app.get("/audit/entries", &auditor).await.json().await.unwrap();
    let looks: Vec<(String, String)> = entries
        .iter()
        .rev()
        .filter(|e| e.act.action.ends_with("/payment-details"))
        .map(|e| (e.act.actor.clone(), e.act.result.clone()))
        .collect();
    assert_eq!(
        looks,
        [
            ("bank.li", "forbidden"),
            ("op", "forbidden"),
            ("shen.ji", "forbidden"),
            ("bank.li", "ok"),
            ("bank.wang", "forbidden"),
            ("bank.li", "not_found"),
        ]
        .map(|(a, r)| (a.to_owned(), r.to_owned()))
    );
    let ok = entries
        .iter()
        .find(|e| e.act.action.ends_with("/payment-details") && e.act.result == "ok")
        .unwrap();
    assert!(ok.act.detail.contains("in full"), "{}", ok.act.detail);
}

#[tokio::test]
async fn rotating_the_data_key_seals_everything_again_and_the_old_key_can_go() {
    let app = sealed_setup().await;
    app.merchant("稷山汽贸", "car-dealer").await;
    let (_, a) = submitted(&app, "jishan-2023", "g", 150_000, "new_energy").await;
    // A row from before encryption, plain.
    sqlx::query("UPDATE applications SET phone = '13800002222' WHERE id = $1")
        .bind(a.id)
        .execute(&app.state.db.pool)
        .await
        .unwrap();
    let old = DataKey::parse(OLD_KEY).unwrap();
    let new = DataKey::generate();
    let uploads = app.state.uploads.as_ref().clone();
    // The command, as README has it: the new key, and the old one as the previous.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_quan-server"))
        .args(["data-key", "rotate"])
        .env("QUAN_DATABASE_URL", &app.database_url)
        .env("QUAN_UPLOADS", &uploads)
        .env("QUAN_DATA_KEY", new.to_hex())
        .env("QUAN_DATA_KEY_PREVIOUS", OLD_KEY)
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{said}");
    assert!(
        said.contains("1 applications, 2 documents"),
        "one application; a photo and a PDF: {said}"
    );
    // Run again, it has nothing left to do.
    let rotating = Vault::new(new.clone(), std::slice::from_ref(&old));
    let again = quan_server::store::applications::reseal(&app.state.db, &rotating, &uploads)
        .await
        .unwrap();
    assert_eq!((again.applications, again.documents), (0, 0));
    // The new key alone opens everything; the old key alone opens nothing.
    let new_only = Vault::new(new, &[]);
    let old_only = Vault::new(old, &[]);
    let (card, phone) = stored_numbers(&app, a.id).await;
    assert_eq!(
        new_only.open(Field::ApplicationBankCard, &card).unwrap(),
        "6222021234567890"
    );
    assert_eq!(
        new_only.open(Field::ApplicationPhone, &phone).unwrap(),
        "13800002222"
    );
    assert!(old_only.open(Field::ApplicationPhone, &phone).is_err());
    for d in &a.documents {
        let on_disk = std::fs::read(uploads.join(&d.sha256)).unwrap();
        let plain = new_only.open_file(&d.sha256, on_disk.clone()).unwrap();
        assert_eq!(format!("{:x}", Sha256::digest(&plain)), d.sha256);
        assert!(old_only.open_file(&d.sha256, on_disk).is_err());
    }
    // The rotation is in the audit trail.
    let auditor = app.staff("shen.ji", Role::Auditor, None).await;
    let entries: Vec<quan_core::api::AuditEntry> =
        app.get("/audit/entries", &auditor).await.json().await.unwrap();
    assert!(entries
        .iter()
        .any(|e| e.act.action == "data_key_rotate" && e.act.role == "admin"));
}

#[tokio::test]
async fn outside_demo_mode_the_server_does_not_start_without_a_data_key() {
    let dir = tempfile::tempdir().unwrap();
    let config = quan_server::Config {
        addr: "127.0.0.1:0".parse().unwrap(),
        database_url: format!("sqlite:{}", dir.path().join("q.db").display()),
        uploads_dir: dir.path().join("uploads"),
        ..quan_server::Config::default()
    };
    let e = quan_server::Server::build(config.clone(), Clock::system())
        .await
        .err()
        .expect("refused");
    assert!(
        e.contains("data key") && e.contains("quan-server data-key new"),
        "{e}"
    );
    // In demo mode it starts, with a key of its own.
    let demo = quan_server::Config { demo: true, ..config };
    assert!(quan_server::Server::build(demo, Clock::system()).await.is_ok());
}
