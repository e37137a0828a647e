//! Revising a running campaign with no restart: round 2 scheduled in the console, a revised
//! file previewed in words and confirmed, refusals of what has begun, the versions kept, and
//! the command line. A revision confirmed through one instance runs on another within a second.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::time::{Duration, Instant};

use common::{qinshui_day3, spawn, spawn_two, Options, TestApp};
use quan_core::api::{CampaignVersions, RevisionView};
use quan_core::revision::Change;
use quan_core::{ChinaDate, ErrorCode, Fen, KindId, Problem, TimeOfDay, Timestamp};
use quan_server::clock::Clock;
use serde_json::json;

const QINSHUI: &str = "qinshui-2022-r2";
const SEED: &str = include_str!("../campaigns/qinshui-2022-r2.toml");

fn oct(day: u8, h: u32, m: u32) -> Timestamp {
    ChinaDate::new(2022, 10, day)
        .unwrap()
        .at(TimeOfDay::hm(h, m).unwrap())
}

fn yuan(y: i64) -> i64 {
    Fen::from_yuan(y).0
}

/// Round 2 of Qinshui, as the bureau schedules it: 9 to 15 October, the plan's quotas.
fn round_two(confirm: bool) -> serde_json::Value {
    json!({
        "number": 2, "name": "第二轮", "starts": "2022-10-09", "ends": "2022-10-15",
        "quota": {"retail": yuan(2_000_000), "fuel": yuan(1_000_000), "digital": yuan(709_000), "dining": yuan(1_000_000)},
        "reason": "第二轮发放时间确定", "confirm": confirm,
    })
}

async fn refusal(res: reqwest::Response) -> (u16, ErrorCode, String) {
    let status = res.status().as_u16();
    let p: Problem = res.json().await.unwrap();
    (status, p.code, p.detail.unwrap_or_default())
}

/// What is left of today's release of `kind`, as residents are shown it.
async fn left_today(app: &TestApp, kind: &str) -> Option<Fen> {
    app.qinshui_kind(kind).await.left_today
}

/// A server on Qinshui's third day, at noon: round 1 runs.
async fn day3() -> TestApp {
    spawn(Options {
        clock: Clock::starting_at(qinshui_day3(12, 0, 0)),
        ..Options::default()
    })
    .await
}

/// Waits until `app` runs version `version` of Qinshui; how long that took.
async fn runs_version(app: &TestApp, version: i64) -> Duration {
    let started = Instant::now();
    while app.state.campaigns.versions().get(QINSHUI) != Some(&version) {
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "version {version} never arrived"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    started.elapsed()
}

async fn versions(app: &TestApp, op: &str) -> Vec<RevisionView> {
    let res = app
        .get(&format!("/operator/campaigns/{QINSHUI}/revisions"), op)
        .await;
    assert_eq!(res.status(), 200);
    let all: CampaignVersions = res.json().await.unwrap();
    assert_eq!(Some(all.version), all.versions.first().map(|v| v.version));
    all.versions
}

#[tokio::test(flavor = "multi_thread")]
async fn round_two_scheduled_at_0959_on_one_instance_releases_at_1000_on_both() {
    let options = || Options {
        clock: Clock::starting_at(oct(9, 9, 58)),
        ..Options::default()
    };
    let (a, b) = spawn_two(options).await;
    let op = a.operator().await;
    let (_, resident) = b.resident("r1").await;
    // Round 1 ended yesterday and round 2 has no dates: nothing is released today.
    let (status, code, _) = refusal(b.claim_retail(&resident).await).await;
    assert_eq!((status, code), (409, ErrorCode::NotStarted));

    // The preview: one change in words and each kind's first daily release; nothing written.
    let path = format!("/operator/campaigns/{QINSHUI}/rounds");
    let res = a.post(&path, &op, round_two(false)).await;
    assert_eq!(res.status(), 200);
    let preview: RevisionView = res.json().await.unwrap();
    assert!(!preview.applied);
    assert_eq!(preview.version, 2);
    assert_eq!(
        preview.changes,
        vec![Change::RoundDates {
            round: 2,
            from_starts: None,
            from_ends: None,
            to_starts: Some(ChinaDate::new(2022, 10, 9).unwrap()),
            to_ends: Some(ChinaDate::new(2022, 10, 15).unwrap()),
        }]
    );
    let retail = preview
        .releases
        .iter()
        .find(|r| r.kind == KindId::from("retail"))
        .unwrap();
    assert_eq!((retail.days, retail.per_day), (7, Fen((yuan(2_000_000) + 6) / 7)));
    assert_eq!(versions(&a, &op).await.len(), 1, "a preview writes nothing");

    // Confirmed at 09:59 through the first instance; the second runs it within a second.
    a.clock.set(oct(9, 9, 59));
    b.clock.set(oct(9, 9, 59));
    let res = a.post(&path, &op, round_two(true)).await;
    assert_eq!(res.status(), 201);
    let made: RevisionView = res.json().await.unwrap();
    assert!(made.applied);
    assert_eq!(made.by.as_deref(), Some("op"));
    assert_eq!(a.state.campaigns.versions().get(QINSHUI), Some(&2));
    let waited = runs_version(&b, 2).await;
    assert!(
        waited < Duration::from_secs(1),
        "the second instance took {waited:?}"
    );
    assert_eq!(left_today(&b, "retail").await, Some(retail.per_day));
    let (status, code, _) = refusal(b.claim_retail(&resident).await).await;
    assert_eq!((status, code), (409, ErrorCode::NotStarted), "before 10:00");

    let res = b
        .get(
            &format!("/operator/campaigns/{QINSHUI}/revisions"),
            &b.operator().await,
        )
        .await;
    let running: CampaignVersions = res.json().await.unwrap();
    assert_eq!(running.version, 2);
    let flags: Vec<(u32, bool)> = running.rounds.iter().map(|r| (r.number, r.begun)).collect();
    assert_eq!(flags, [(1, true), (2, false)]);

    // 10:00: the release opens on both.
    a.clock.set(oct(9, 10, 0));
    b.clock.set(oct(9, 10, 0));
    assert_eq!(b.claim_retail(&resident).await.status(), 201);
    let (_, other) = a.resident("r2").await;
    assert_eq!(a.claim_retail(&other).await.status(), 201);
    assert_eq!(
        left_today(&a, "retail").await,
        Some(Fen(retail.per_day.0 - 2 * yuan(40)))
    );
    a.assert_conserved().await;

    // Once its release has opened, round 2 stays as it is.
    let mut shorter = round_two(true);
    shorter["ends"] = json!("2022-10-14");
    let (status, code, detail) = refusal(a.post(&path, &op, shorter).await).await;
    assert_eq!((status, code), (409, ErrorCode::RevisionRefused), "{detail}");
    assert!(detail.contains("round 2 (第二轮) has begun"), "{detail}");
}

/// The preview of `file` uploaded for `reason`.
async fn preview(app: &TestApp, op: &str, file: &str, reason: &str) -> RevisionView {
    let res = app
        .post(
            &format!("/operator/campaigns/{QINSHUI}/revisions"),
            op,
            json!({"file": file, "reason": reason}),
        )
        .await;
    let status = res.status();
    let body = res.text().await.unwrap();
    assert_eq!(status, 200, "{body}");
    serde_json::from_str(&body).unwrap()
}

/// A revision's changes in words.
fn words(v: &RevisionView) -> Vec<String> {
    v.changes.iter().map(ToString::to_string).collect()
}

/// Qinshui's file with retail cut to 3,500,000 yuan, taken from round 2's quota.
fn retail_cut() -> String {
    let file = SEED
        .replace("budget = 12_700_000", "budget = 12_200_000")
        .replace("budget = 4_000_000", "budget = 3_500_000");
    let from = "quota = { retail = 2_000_000, fuel = 1_000_000, digital = 709_000, dining = 1_000_000 }";
    assert!(file.contains(from));
    file.replace(
        from,
        "quota = { retail = 1_500_000, fuel = 1_000_000, digital = 709_000, dining = 1_000_000 }",
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn a_revised_file_is_previewed_in_words_then_applied_on_confirm_and_kept() {
    let app = day3().await;
    let op = app.operator().await;
    let path = format!("/operator/campaigns/{QINSHUI}/revisions");
    let (_, resident) = app.resident("r1").await;
    assert_eq!(app.claim_retail(&resident).await.status(), 201);

    let preview = preview(&app, &op, &retail_cut(), "零售核销率低，调减").await;
    assert_eq!(
        words(&preview),
        [
            "budget 12700000.00 → 12200000.00 yuan",
            "round 2 retail quota 2000000.00 → 1500000.00 yuan",
            "retail budget 4000000.00 → 3500000.00 yuan",
        ]
    );
    let retail = |app: &TestApp| {
        let db = app.state.db.clone();
        async move {
            quan_server::store::pools::conservation(&db, QINSHUI, "retail")
                .await
                .unwrap()
        }
    };
    assert_eq!(
        retail(&app).await.budget,
        Fen(yuan(4_000_000)),
        "a preview moves nothing"
    );

    let res = app
        .post(
            &path,
            &op,
            json!({"file": retail_cut(), "reason": "零售核销率低，调减", "confirm": true, "version": preview.version}),
        )
        .await;
    assert_eq!(res.status(), 201);
    let pools = retail(&app).await;
    assert_eq!(pools.budget, Fen(yuan(3_500_000)));
    assert!(pools.holds(), "{pools:?}");
    assert_eq!(pools.held, Fen(yuan(40)), "what the resident holds stays");
    app.assert_conserved().await;

    // The versions, newest first: the revision with its words and reason, then the seed.
    let all = versions(&app, &op).await;
    assert_eq!(all.iter().map(|v| v.version).collect::<Vec<_>>(), [2, 1]);
    assert_eq!(all[0].changes, preview.changes);
    assert_eq!(all[0].reason, "零售核销率低，调减");
    assert_eq!(all[1].by.as_deref(), Some("seed"));

    // A confirm of a preview made before that revision is refused: nobody confirms changes they
    // were not shown.
    let (status, code, detail) = refusal(
        app.post(&path, &op, json!({"file": SEED, "confirm": true, "version": 2}))
            .await,
    )
    .await;
    assert_eq!((status, code), (409, ErrorCode::RevisionRefused));
    assert!(
        detail.contains("revised after the preview (it runs version 2)"),
        "{detail}"
    );

    // The same file again changes nothing.
    let (status, code, detail) = refusal(
        app.post(&path, &op, json!({"file": retail_cut(), "confirm": true}))
            .await,
    )
    .await;
    assert_eq!((status, code), (422, ErrorCode::InvalidRequest));
    assert!(detail.contains("changes nothing"), "{detail}");

    // The audit trail holds the act, with its changes.
    let audited: Vec<String> = sqlx::query_scalar("SELECT detail FROM audit_log ORDER BY seq")
        .fetch_all(&app.state.db.pool)
        .await
        .unwrap();
    assert!(
        audited
            .iter()
            .any(|d| d.starts_with("qinshui-2022-r2 version 2: ")
                && d.contains("retail budget 4000000.00 → 3500000.00 yuan")),
        "{audited:?}"
    );
}

#[tokio::test]
async fn revisions_that_reach_back_are_refused_in_words_and_write_nothing() {
    let app = day3().await;
    let op = app.operator().await;
    let path = format!("/operator/campaigns/{QINSHUI}/revisions");
    let send = |file: String| {
        let (app, op, path) = (&app, &op, &path);
        async move { refusal(app.post(path, op, json!({"file": file, "confirm": true})).await).await }
    };
    // Round 1 runs: its end cannot move.
    let (status, code, detail) = send(SEED.replace("ends = \"2022-10-08\"", "ends = \"2022-10-06\"")).await;
    assert_eq!((status, code), (409, ErrorCode::RevisionRefused));
    assert!(detail.contains("round 1 (第一轮) has begun"), "{detail}");
    // Residents hold retail coupons: its denominations stay.
    let (status, code, detail) = send(SEED.replace(
        "{ threshold = 50, off = 10 },\n  { threshold = 200, off = 40 },\n]\n\n# 2.",
        "{ threshold = 50, off = 15 },\n  { threshold = 200, off = 40 },\n]\n\n# 2.",
    ))
    .await;
    assert_eq!((status, code), (409, ErrorCode::RevisionRefused));
    assert!(detail.contains("kind retail: its denominations"), "{detail}");
    // Not a campaign file, another campaign's file, a file whose sums do not add up.
    let (status, code, _) = send("id = ".into()).await;
    assert_eq!((status, code), (422, ErrorCode::InvalidRequest));
    let (status, code, detail) = send(SEED.replace("id = \"qinshui-2022-r2\"", "id = \"other\"")).await;
    assert_eq!((status, code), (422, ErrorCode::InvalidRequest));
    assert!(detail.contains("not qinshui-2022-r2"), "{detail}");
    let (status, code, detail) = send(SEED.replace("budget = 4_000_000", "budget = 3_000_000")).await;
    assert_eq!((status, code), (422, ErrorCode::InvalidRequest));
    assert!(detail.contains("do not add up"), "{detail}");
    // A round that overlaps round 1.
    let rounds = format!("/operator/campaigns/{QINSHUI}/rounds");
    let mut overlapping = round_two(true);
    overlapping["starts"] = json!("2022-10-08");
    let (status, code, detail) = refusal(app.post(&rounds, &op, overlapping).await).await;
    assert_eq!((status, code), (422, ErrorCode::InvalidRequest));
    assert!(detail.contains("rounds 1 and 2 overlap"), "{detail}");
    // Unbounded numbers are refused before anything is decided.
    let mut huge = round_two(true);
    huge["quota"]["retail"] = json!(i64::MAX);
    let (status, code, _) = refusal(app.post(&rounds, &op, huge).await).await;
    assert_eq!((status, code), (422, ErrorCode::InvalidRequest));
    let (status, code, _) = refusal(
        app.post(&path, &op, json!({"file": "x".repeat(300 * 1024)}))
            .await,
    )
    .await;
    assert!(
        matches!(
            (status, code),
            (422, ErrorCode::InvalidRequest) | (413, ErrorCode::PayloadTooLarge)
        ),
        "{status} {code:?}"
    );

    assert_eq!(versions(&app, &op).await.len(), 1, "nothing was written");
    app.assert_conserved().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_command_line_shows_the_changes_and_applies_only_on_yes() {
    let app = day3().await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("qinshui.toml");
    std::fs::write(&file, retail_cut()).unwrap();
    let file = file.to_str().unwrap();
    let (ok, words) = tokio::task::block_in_place(|| app.command(&["campaigns", "apply", file], "no\n"));
    assert!(!ok, "{words}");
    assert!(
        words.contains("retail budget 4000000.00 → 3500000.00 yuan"),
        "{words}"
    );
    assert!(words.contains("not applied"), "{words}");
    assert_eq!(app.state.campaigns.versions().get(QINSHUI), Some(&1));

    let (ok, words) = tokio::task::block_in_place(|| {
        app.command(&["campaigns", "apply", file, "--reason", "调减零售"], "yes\n")
    });
    assert!(ok, "{words}");
    assert!(words.contains("runs version 2"), "{words}");
    // The running server picks it up without a restart.
    runs_version(&app, 2).await;
    app.assert_conserved().await;
    let (ok, words) = tokio::task::block_in_place(|| app.command(&["campaigns", "versions", QINSHUI], ""));
    assert!(ok, "{words}");
    assert!(
        words.contains("version 2") && words.contains("by command line") && words.contains("(调减零售)"),
        "{words}"
    );
    assert!(
        words.contains("version 1") && words.contains("the seed"),
        "{words}"
    );
}

/// After a reallocation into today's round, the seed file no longer says what runs: uploaded,
/// it would reach back into round 1, and is refused. The campaign as it runs, downloaded as a
/// file, carries the reallocation: edited and uploaded, its changes are the edit alone.
#[tokio::test]
async fn the_file_to_revise_is_the_one_that_runs_downloaded() {
    let app = day3().await;
    let op = app.operator().await;
    let moved = app
        .post(
            &format!("/operator/campaigns/{QINSHUI}/reallocations"),
            &op,
            json!({"from_kind": "fuel", "to_kind": "retail", "amount": yuan(1_000), "reason": "调剂"}),
        )
        .await;
    assert_eq!(moved.status(), 201);
    let path = format!("/operator/campaigns/{QINSHUI}/revisions");
    let stale = app
        .post(&path, &op, json!({"file": retail_cut(), "reason": "零售调减"}))
        .await;
    let (status, code, detail) = refusal(stale).await;
    assert_eq!((status, code), (409, ErrorCode::RevisionRefused), "{detail}");

    let res = app
        .get(&format!("/operator/campaigns/{QINSHUI}/campaign.toml"), &op)
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(
        res.headers()
            .get("content-disposition")
            .and_then(|v| v.to_str().ok()),
        Some("attachment; filename=\"qinshui-2022-r2-v2.toml\"")
    );
    let running = res.text().await.unwrap();
    assert!(
        running.starts_with("# 晋情消费·乐购沁水: version 2, as it runs\n"),
        "{running}"
    );
    // Retail's budget, as the reallocation left it (round 1's quota with it), cut by 500,000
    // yuan from round 2's quota; the total with it.
    assert_eq!(running.matches("retail = 2001000\n").count(), 1, "{running}");
    let edited = running
        .replace("budget = 12700000\n", "budget = 12200000\n")
        .replace("budget = 4001000\n", "budget = 3501000\n")
        .replace("retail = 2000000\n", "retail = 1500000\n");
    assert_ne!(edited, running, "{running}");
    assert_eq!(
        words(&preview(&app, &op, &edited, "零售调减").await),
        [
            "budget 12700000.00 → 12200000.00 yuan",
            "round 2 retail quota 2000000.00 → 1500000.00 yuan",
            "retail budget 4001000.00 → 3501000.00 yuan",
        ]
    );
    // Signed in as nobody: refused.
    assert_eq!(
        app.get(&format!("/operator/campaigns/{QINSHUI}/campaign.toml"), "")
            .await
            .status(),
        401
    );
}
