//! Staff accounts outside demo mode: signing in and its lockout, sessions that end when signed
//! out, disabled or idle, the first password that must be changed, the audit trail and its
//! chain, and the command line that makes the first operator.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::time::Duration;

use common::{spawn, Options, TestApp};
use quan_core::api::{Role, Session};
use quan_core::{ErrorCode, Problem};
use quan_server::audit::{self, Filter, Verdict};
use quan_server::auth::hash_password;
use quan_server::clock::Clock;
use quan_server::store::accounts;
use serde_json::json;

/// An account with a real password, as `admin create-account` makes it.
async fn account(app: &TestApp, name: &str, role: Role, password: &str, must_change: bool) -> i64 {
    let hash = hash_password(password).expect("hash");
    accounts::create(
        &app.state.db,
        name,
        &hash,
        role,
        None,
        name,
        "",
        must_change,
        app.clock.now(),
    )
    .await
    .expect("create")
    .expect("a new name")
}

async fn sign_in(app: &TestApp, name: &str, password: &str) -> reqwest::Response {
    app.client
        .post(app.url("/session/account"))
        .json(&json!({"username": name, "password": password}))
        .send()
        .await
        .expect("request")
}

async fn code(res: reqwest::Response) -> (u16, ErrorCode) {
    let status = res.status().as_u16();
    let p: Problem = res.json().await.expect("a problem document");
    (status, p.code)
}

fn quiet_address(c: &mut quan_server::Config) {
    // The lockout is the account's; the address's own slowing down has a test of its own.
    c.sign_in_failures = 0;
}

#[tokio::test]
async fn fifty_wrong_passwords_at_once_evaluate_exactly_five_then_the_account_is_locked() {
    let app = spawn(Options {
        clock: Clock::starting_at(common::qinshui_day3(9, 0, 0)),
        tune: quiet_address,
        ..Options::default()
    })
    .await;
    account(&app, "li.ming", Role::Operator, "Tiao-Jian-7", false).await;
    let mut tries = tokio::task::JoinSet::new();
    for i in 0..50 {
        let (client, url) = (app.client.clone(), app.url("/session/account"));
        tries.spawn(async move {
            let body = json!({"username": "li.ming", "password": format!("Wrong-{i}-pass")});
            code(client.post(url).json(&body).send().await.expect("request")).await
        });
    }
    let answers = tries.join_all().await;
    let wrong = answers
        .iter()
        .filter(|a| **a == (401, ErrorCode::Unauthorized))
        .count();
    let locked = answers
        .iter()
        .filter(|a| **a == (429, ErrorCode::AccountLocked))
        .count();
    assert_eq!((wrong, locked), (5, 45), "{answers:?}");
    // The right password waits out the lock too, and is told until when.
    let res = sign_in(&app, "li.ming", "Tiao-Jian-7").await;
    assert_eq!(res.status(), 429);
    let retry: u64 = res.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    // Fifteen minutes from the fifth wrong password, less the seconds the fifty took to answer.
    assert!((780..=900).contains(&retry), "{retry}");
    app.clock.advance_ms(15 * 60 * 1000 + 1_000);
    let res = sign_in(&app, "li.ming", "Tiao-Jian-7").await;
    assert_eq!(res.status(), 200);
    let session: Session = res.json().await.unwrap();
    assert_eq!(session.role, Role::Operator);
    // Every attempt is in the trail, the failures with their code.
    let trail = audit::read(
        &app.state.db,
        &Filter {
            action: Some("sign_in".into()),
            limit: Some(100),
            ..Filter::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(trail.len(), 52);
    assert_eq!(
        trail.iter().filter(|e| e.act.result == "account_locked").count(),
        46
    );
    assert_eq!(trail[0].act.result, "ok: operator");
}

#[tokio::test]
async fn an_address_that_keeps_failing_is_slowed_down_whichever_names_it_tries() {
    let app = spawn(Options {
        tune: |c| c.sign_in_failures = 3,
        ..Options::default()
    })
    .await;
    for i in 0..3 {
        assert_eq!(
            code(sign_in(&app, &format!("nobody-{i}"), "Whatever-1").await).await,
            (401, ErrorCode::Unauthorized)
        );
    }
    let res = sign_in(&app, "nobody-else", "Whatever-1").await;
    assert!(res.headers().contains_key("retry-after"));
    assert_eq!(code(res).await, (429, ErrorCode::RateLimited));
}

#[tokio::test]
async fn a_session_ends_at_once_when_signed_out_disabled_or_left_idle() {
    let app = spawn(Options {
        clock: Clock::starting_at(common::qinshui_day3(9, 0, 0)),
        tune: |c| {
            c.console_idle = Duration::from_secs(30 * 60);
            c.till_idle = Duration::from_secs(10 * 3600);
        },
        ..Options::default()
    })
    .await;
    let id = account(&app, "wang.fang", Role::Operator, "Tiao-Jian-7", false).await;
    let signed = |app: &'static TestApp| async move {
        let s: Session = sign_in(app, "wang.fang", "Tiao-Jian-7")
            .await
            .json()
            .await
            .unwrap();
        s.token
    };
    let app: &'static TestApp = Box::leak(Box::new(app));
    // Signing out ends the session on the server: the token no longer works.
    let token = signed(app).await;
    assert_eq!(app.get("/operator/merchants", &token).await.status(), 200);
    let out = app.post("/session/sign-out", &token, json!(null)).await;
    assert_eq!(out.status(), 204);
    assert_eq!(
        code(app.get("/operator/merchants", &token).await).await,
        (401, ErrorCode::Unauthorized)
    );
    // Disabling the account ends every session it has, at once.
    let (a, b) = (signed(app).await, signed(app).await);
    accounts::set_disabled(&app.state.db, id, true, app.clock.now())
        .await
        .unwrap();
    for t in [&a, &b] {
        let res = app.get("/operator/merchants", t).await;
        let p: Problem = res.json().await.unwrap();
        assert_eq!(p.code, ErrorCode::Unauthorized);
        assert!(p.detail.unwrap().contains("disabled"));
    }
    assert_eq!(code(sign_in(app, "wang.fang", "Tiao-Jian-7").await).await.0, 401);
    accounts::set_disabled(&app.state.db, id, false, app.clock.now())
        .await
        .unwrap();
    // A console session lasts 30 minutes unused; use keeps it going.
    let token = signed(app).await;
    app.clock.advance_ms(20 * 60 * 1000);
    assert_eq!(app.get("/operator/merchants", &token).await.status(), 200);
    app.clock.advance_ms(20 * 60 * 1000);
    assert_eq!(app.get("/operator/merchants", &token).await.status(), 200);
    app.clock.advance_ms(31 * 60 * 1000);
    let p: Problem = app.get("/operator/merchants", &token).await.json().await.unwrap();
    assert!(p.detail.unwrap().contains("without use"), "idle");
    // A till's lasts a shift.
    let m = accounts::ensure_merchant(&app.state.db, "沁水百货大楼", "retail", "沁水县", app.clock.now())
        .await
        .unwrap();
    let hash = hash_password("Shou-Yin-2026").unwrap();
    accounts::create(
        &app.state.db,
        "till-1",
        &hash,
        Role::Cashier,
        Some(m),
        "",
        "",
        false,
        app.clock.now(),
    )
    .await
    .unwrap();
    let till: Session = sign_in(app, "till-1", "Shou-Yin-2026")
        .await
        .json()
        .await
        .unwrap();
    app.clock.advance_ms(3 * 3600 * 1000);
    assert_eq!(app.get("/merchant/today", &till.token).await.status(), 200);
}

#[tokio::test]
async fn a_password_set_by_someone_else_must_be_changed_before_anything_else() {
    let app = spawn(Options::default()).await;
    account(&app, "zhao.lei", Role::Auditor, "Chu-Shi-2026", true).await;
    let res = sign_in(&app, "zhao.lei", "Chu-Shi-2026").await;
    let s: Session = res.json().await.unwrap();
    assert!(s.must_change_password);
    assert_eq!(
        code(app.get("/audit/entries", &s.token).await).await,
        (403, ErrorCode::PasswordChangeRequired)
    );
    let change = |current: &str, new: &str| {
        let (app, token) = (&app, s.token.clone());
        let body = json!({"current": current, "new": new});
        async move { app.post("/session/password", &token, body).await }
    };
    assert_eq!(
        code(change("wrong", "Xin-Mi-Ma-88").await).await,
        (401, ErrorCode::Unauthorized)
    );
    let weak: Problem = change("Chu-Shi-2026", "password").await.json().await.unwrap();
    assert_eq!(weak.code, ErrorCode::InvalidRequest);
    assert!(weak.detail.unwrap().contains("at least 3"));
    assert_eq!(change("Chu-Shi-2026", "Xin-Mi-Ma-88").await.status(), 204);
    assert_eq!(app.get("/audit/entries", &s.token).await.status(), 200);
    // The next sign-in shows the one before it.
    let again: Session = sign_in(&app, "zhao.lei", "Xin-Mi-Ma-88")
        .await
        .json()
        .await
        .unwrap();
    assert!(!again.must_change_password);
    let before = again.previous_sign_in.expect("the sign-in before");
    assert_eq!(before.from, "127.0.0.1");
    assert_eq!(code(sign_in(&app, "zhao.lei", "Chu-Shi-2026").await).await.0, 401);
}

#[tokio::test]
async fn every_privileged_act_is_in_a_chain_that_names_the_first_changed_entry() {
    let app = spawn(Options::default()).await;
    let op = app.operator().await;
    let (m, _) = app.merchant("沁水百货大楼", "retail").await;
    let auditor = app.staff("shen.ji", Role::Auditor, None).await;
    let blacklist = format!("/operator/merchants/{}/blacklist", m.0);
    assert_eq!(
        app.post(
            &blacklist,
            &op,
            json!({"blacklisted": true, "reason": "虚假交易"})
        )
        .await
        .status(),
        200
    );
    // A refused attempt is kept too, with the role that tried.
    assert_eq!(
        app.post(&blacklist, &auditor, json!({"blacklisted": false, "reason": "x"}))
            .await
            .status(),
        403
    );
    // Reads are not acts; exports are.
    app.get("/operator/merchants", &op).await;
    app.get("/operator/campaigns/qinshui-2022-r2/report.csv", &auditor)
        .await;
    let entries: Vec<quan_core::api::AuditEntry> =
        app.get("/audit/entries", &auditor).await.json().await.unwrap();
    let seen: Vec<(String, String, String)> = entries
        .iter()
        .rev()
        .map(|e| (e.act.actor.clone(), e.act.action.clone(), e.act.result.clone()))
        .collect();
    let action = "POST /api/v1/operator/merchants/{id}/blacklist".to_owned();
    assert_eq!(
        seen,
        vec![
            ("op".into(), action.clone(), "ok".into()),
            ("shen.ji".into(), action, "forbidden".into()),
            (
                "shen.ji".into(),
                "GET /api/v1/operator/campaigns/{id}/report.csv".into(),
                "ok".into()
            ),
        ]
    );
    assert_eq!(entries[2].act.object, format!("/api/v1{blacklist}"));
    assert_eq!(entries[2].act.role, "operator");
    for out_of_bounds in ["from=-1", "limit=0", "limit=5001"] {
        let res = app
            .get(&format!("/audit/entries?{out_of_bounds}"), &auditor)
            .await;
        assert_eq!(
            code(res).await,
            (422, ErrorCode::InvalidRequest),
            "{out_of_bounds}"
        );
    }
    let csv = app
        .get("/audit/entries.csv", &auditor)
        .await
        .text()
        .await
        .unwrap();
    assert!(csv.contains("/blacklist"), "{csv}");
    // The operator does not read the trail (reading it, refused or not, is itself an entry).
    assert_eq!(app.get("/audit/entries", &op).await.status(), 403);
    assert_eq!(
        audit::verify(&app.state.db).await.unwrap(),
        Verdict::Intact { entries: 9 }
    );

    // The database refuses changes; someone who gets round that is found out.
    let db = &app.state.db;
    let change = sqlx::query("UPDATE audit_log SET actor = 'someone' WHERE seq = 2")
        .execute(&db.pool)
        .await;
    assert!(change.is_err(), "the trail is append-only");
    let drop_guard = match db.dialect {
        quan_server::db::Dialect::Sqlite => "DROP TRIGGER audit_log_append_only_update",
        quan_server::db::Dialect::Postgres => "DROP TRIGGER audit_log_append_only ON audit_log",
    };
    sqlx::query(drop_guard).execute(&db.pool).await.unwrap();
    sqlx::query("UPDATE audit_log SET actor = 'someone' WHERE seq = 2")
        .execute(&db.pool)
        .await
        .unwrap();
    match audit::verify(db).await.unwrap() {
        Verdict::Broken { seq, why } => {
            assert_eq!(seq, 2);
            assert!(why.contains("changed"), "{why}");
        }
        v => panic!("not found out: {v:?}"),
    }
    // Removing the last entries is found out too.
    sqlx::query("UPDATE audit_log SET actor = 'shen.ji' WHERE seq = 2")
        .execute(&db.pool)
        .await
        .unwrap();
    assert_eq!(audit::verify(db).await.unwrap(), Verdict::Intact { entries: 9 });
    if db.dialect == quan_server::db::Dialect::Sqlite {
        sqlx::query("DROP TRIGGER audit_log_append_only_delete")
            .execute(&db.pool)
            .await
            .unwrap();
    }
    sqlx::query("DELETE FROM audit_log WHERE seq = 6")
        .execute(&db.pool)
        .await
        .unwrap();
    assert!(matches!(
        audit::verify(db).await.unwrap(),
        Verdict::Broken { seq: 6, .. }
    ));
}

#[tokio::test(flavor = "multi_thread")]
async fn the_first_operator_is_made_on_the_command_line_and_signs_in() {
    let app = spawn(Options::default()).await;
    let cmd = |args: &'static [&'static str], stdin: &'static str| {
        let app = &app;
        async move { tokio::task::block_in_place(|| app.command(args, stdin)) }
    };
    let (ok, words) = cmd(&["admin", "create-operator", "ju.zhang", "--password", "x"], "").await;
    assert!(
        !ok && words.contains("never given on the command line"),
        "{words}"
    );
    let (ok, words) = cmd(&["admin", "create-operator", "ju.zhang"], "short\n").await;
    assert!(!ok && words.contains("at least 8"), "{words}");
    let (ok, words) = cmd(
        &["admin", "create-operator", "ju.zhang", "--county", "沁水县"],
        "Ju-Zhang-2026x\n",
    )
    .await;
    assert!(ok, "{words}");
    let (ok, words) = cmd(&["admin", "create-operator", "ju.zhang"], "Ju-Zhang-2026x\n").await;
    assert!(!ok && words.contains("already"), "{words}");
    let s: Session = sign_in(&app, "ju.zhang", "Ju-Zhang-2026x")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(s.role, Role::Operator);
    assert_eq!(app.get("/operator/merchants", &s.token).await.status(), 200);

    // A shop and its manager; a reset makes the holder choose anew; disabling ends it.
    let (ok, words) = cmd(
        &["admin", "create-merchant", "沁河人家饭店", "--category", "dining"],
        "",
    )
    .await;
    assert!(ok, "{words}");
    let (ok, words) = cmd(
        &["admin", "create-account", "dian.zhang", "--role", "cashier"],
        "Dian-Zhang-1x\n",
    )
    .await;
    assert!(!ok && words.contains("--merchant"), "{words}");
    let id = words_id(&cmd(&["admin", "list"], "").await.1);
    assert!(id.is_none(), "no shop account yet");
    let m = accounts::merchants(&app.state.db).await.unwrap()[0]
        .id
        .0
        .to_string();
    let m: &'static str = Box::leak(m.into_boxed_str());
    let args: &'static [&'static str] = Box::leak(
        vec![
            "admin",
            "create-account",
            "dian.zhang",
            "--role",
            "merchant_manager",
            "--merchant",
            m,
        ]
        .into_boxed_slice(),
    );
    let (ok, words) = cmd(args, "Dian-Zhang-1x\n").await;
    assert!(ok, "{words}");
    let (ok, words) = cmd(&["admin", "reset-password", "dian.zhang"], "Chong-Zhi-2026\n").await;
    assert!(ok, "{words}");
    let s: Session = sign_in(&app, "dian.zhang", "Chong-Zhi-2026")
        .await
        .json()
        .await
        .unwrap();
    assert!(s.must_change_password);
    let (ok, _) = cmd(&["admin", "disable", "dian.zhang"], "").await;
    assert!(ok);
    assert_eq!(
        app.post("/session/sign-out", &s.token, json!(null))
            .await
            .status(),
        401
    );
    let (_, list) = cmd(&["admin", "list"], "").await;
    assert!(
        list.contains("dian.zhang\tmerchant_manager") && list.contains("disabled"),
        "{list}"
    );
    // The command line's acts are in the trail, and the chain holds.
    let (ok, words) = cmd(&["audit", "verify"], "").await;
    assert!(ok && words.contains("intact"), "{words}");
    let trail = audit::read(&app.state.db, &Filter::default()).await.unwrap();
    let by_command: Vec<&str> = trail
        .iter()
        .rev()
        .filter(|e| e.act.actor == "command line")
        .map(|e| e.act.action.as_str())
        .collect();
    assert_eq!(
        by_command,
        [
            "create_account",
            "create_merchant",
            "create_account",
            "reset_password",
            "disable"
        ]
    );
}

/// The id column of `admin list` has a shop's id only for shop accounts.
fn words_id(list: &str) -> Option<String> {
    list.lines()
        .skip(1)
        .filter_map(|l| l.split('\t').nth(2))
        .find(|m| !m.is_empty())
        .map(str::to_owned)
}

#[tokio::test]
async fn an_operator_limited_to_one_county_sees_its_campaigns_and_merchants_alone() {
    let app = spawn(Options::default()).await;
    let hash = hash_password("Qin-Shui-2022").unwrap();
    let now = app.clock.now();
    accounts::create(
        &app.state.db,
        "qinshui.op",
        &hash,
        Role::Operator,
        None,
        "",
        "沁水县",
        false,
        now,
    )
    .await
    .unwrap();
    let s: Session = sign_in(&app, "qinshui.op", "Qin-Shui-2022")
        .await
        .json()
        .await
        .unwrap();
    let db = &app.state.db;
    let home = accounts::ensure_merchant(db, "沁水百货大楼", "retail", "沁水县", now)
        .await
        .unwrap();
    let away = accounts::ensure_merchant(db, "稷山家电商场", "appliance", "稷山县", now)
        .await
        .unwrap();
    assert_eq!(
        app.get("/operator/campaigns/qinshui-2022-r2/report", &s.token)
            .await
            .status(),
        200
    );
    // Another county's campaign does not exist, for this account.
    assert_eq!(
        code(app.get("/operator/campaigns/jishan-2023/report", &s.token).await).await,
        (404, ErrorCode::NotFound)
    );
    assert_eq!(
        app.get("/operator/campaigns/jishan-2023/love-cards", &s.token)
            .await
            .status(),
        404
    );
    let list: Vec<quan_core::api::MerchantView> = app
        .get("/operator/merchants", &s.token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list.iter().map(|m| m.id).collect::<Vec<_>>(), vec![home]);
    let blacklist = |m: quan_core::MerchantId| {
        let (app, token) = (&app, s.token.clone());
        async move {
            app.post(
                &format!("/operator/merchants/{}/blacklist", m.0),
                &token,
                json!({"blacklisted": true, "reason": "虚假交易"}),
            )
            .await
            .status()
        }
    };
    assert_eq!(blacklist(away).await, 404);
    assert_eq!(blacklist(home).await, 200);
    // An operator with no county sees both.
    let all = app.operator().await;
    assert_eq!(
        app.get("/operator/campaigns/jishan-2023/report", &all)
            .await
            .status(),
        200
    );
}

#[tokio::test]
async fn the_bureau_opens_a_manager_who_adds_resets_and_disables_the_shops_cashiers() {
    let app = spawn(Options::default()).await;
    let op = app.operator().await;
    let now = app.clock.now();
    let db = &app.state.db;
    let shop = accounts::ensure_merchant(db, "沁水百货大楼", "retail", "沁水县", now)
        .await
        .unwrap();
    let other = accounts::ensure_merchant(db, "沁河人家饭店", "dining", "沁水县", now)
        .await
        .unwrap();
    let res = app
        .post(
            &format!("/operator/merchants/{}/managers", shop.0),
            &op,
            json!({"username": "dian.zhang", "display_name": "张店长"}),
        )
        .await;
    assert_eq!(res.status(), 201);
    let slip: quan_core::api::StaffSlip = res.json().await.unwrap();
    assert_eq!(slip.account.role, Role::MerchantManager);
    assert!(slip.account.must_change_password);
    // The name is the deployment's: a second account of it is refused.
    let again = app
        .post(
            &format!("/operator/merchants/{}/managers", other.0),
            &op,
            json!({"username": "dian.zhang"}),
        )
        .await;
    assert_eq!(code(again).await, (409, ErrorCode::NameTaken));
    // The manager signs in with the slip and must choose a password first.
    let s: Session = sign_in(&app, "dian.zhang", &slip.password)
        .await
        .json()
        .await
        .unwrap();
    assert!(s.must_change_password);
    assert_eq!(
        code(app.get("/merchant/staff", &s.token).await).await,
        (403, ErrorCode::PasswordChangeRequired)
    );
    let change = json!({"current": slip.password, "new": "Dian-Zhang-Xin-1"});
    assert_eq!(
        app.post("/session/password", &s.token, change).await.status(),
        204
    );
    let manager = s.token;
    let res = app
        .post(
            "/merchant/staff",
            &manager,
            json!({"username": "shou.yin", "display_name": "李收银"}),
        )
        .await;
    assert_eq!(res.status(), 201);
    let cashier: quan_core::api::StaffSlip = res.json().await.unwrap();
    assert_eq!(cashier.account.role, Role::Cashier);
    let till: Session = sign_in(&app, "shou.yin", &cashier.password)
        .await
        .json()
        .await
        .unwrap();
    // A reset ends the cashier's sessions and gives a new one-time password; the old one is dead.
    let id = cashier.account.id;
    let res = app
        .post(
            &format!("/merchant/staff/{id}/password-reset"),
            &manager,
            json!(null),
        )
        .await;
    assert_eq!(res.status(), 200);
    let reset: quan_core::api::StaffSlip = res.json().await.unwrap();
    assert_ne!(reset.password, cashier.password);
    assert_eq!(
        app.post("/session/sign-out", &till.token, json!(null))
            .await
            .status(),
        401
    );
    assert_eq!(sign_in(&app, "shou.yin", &cashier.password).await.status(), 401);
    let till: Session = sign_in(&app, "shou.yin", &reset.password)
        .await
        .json()
        .await
        .unwrap();
    // Disabling ends the session at once; enabling lets the cashier sign in again.
    let disable = |on: bool| {
        let (app, manager) = (&app, manager.clone());
        async move {
            app.post(
                &format!("/merchant/staff/{id}/disable"),
                &manager,
                json!({"disabled": on}),
            )
            .await
        }
    };
    let view: quan_core::api::StaffView = disable(true).await.json().await.unwrap();
    assert!(view.disabled);
    assert_eq!(
        app.post("/session/sign-out", &till.token, json!(null))
            .await
            .status(),
        401
    );
    assert_eq!(disable(false).await.status(), 200);
    assert_eq!(sign_in(&app, "shou.yin", &reset.password).await.status(), 200);
    // Another shop's manager cannot touch this shop's cashiers; the bureau sees the shop's staff.
    let other_manager = app
        .staff("other-manager", Role::MerchantManager, Some(other))
        .await;
    let res = app
        .post(
            &format!("/merchant/staff/{id}/password-reset"),
            &other_manager,
            json!(null),
        )
        .await;
    assert_eq!(code(res).await, (404, ErrorCode::NotFound));
    let staff: Vec<quan_core::api::StaffView> = app
        .get(&format!("/operator/merchants/{}/staff", shop.0), &op)
        .await
        .json()
        .await
        .unwrap();
    let names: Vec<&str> = staff.iter().map(|s| s.username.as_str()).collect();
    assert_eq!(names, ["dian.zhang", "shou.yin"]);
    // The bureau resets a manager who forgot, and can disable any shop account, but no other.
    let manager_id = slip.account.id;
    let res = app
        .post(
            &format!("/operator/accounts/{manager_id}/password-reset"),
            &op,
            json!(null),
        )
        .await;
    assert_eq!(res.status(), 200);
    let fresh: quan_core::api::StaffSlip = res.json().await.unwrap();
    assert!(fresh.account.must_change_password);
    assert_eq!(
        app.get("/merchant/staff", &manager).await.status(),
        401,
        "the reset ends the manager's session"
    );
    let op_id = accounts::find_account(db, "op").await.unwrap().unwrap().id;
    let res = app
        .post(
            &format!("/operator/accounts/{op_id}/disable"),
            &op,
            json!({"disabled": true}),
        )
        .await;
    assert_eq!(
        code(res).await,
        (404, ErrorCode::NotFound),
        "an operator is no shop account"
    );
    // The trail names the accounts made, and never a password.
    let trail = audit::read(db, &Filter::default()).await.unwrap();
    let made: Vec<&str> = trail
        .iter()
        .rev()
        .filter(|e| e.act.result == "ok" && e.act.detail.starts_with("account "))
        .map(|e| e.act.detail.as_str())
        .collect();
    assert_eq!(
        made,
        [
            format!("account dian.zhang, merchant_manager of merchant {}", shop.0).as_str(),
            "account shou.yin, cashier",
            "account shou.yin",
            "account shou.yin, disabled: true",
            "account shou.yin, disabled: false",
            "account dian.zhang",
        ]
    );
    for e in &trail {
        for p in [
            &slip.password,
            &cashier.password,
            &reset.password,
            &fresh.password,
        ] {
            assert!(!format!("{e:?}").contains(p.as_str()), "a password in the trail");
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn campaign_files_are_checked_and_said_in_words_before_they_run() {
    let app = spawn(Options::default()).await;
    let seeds = concat!(env!("CARGO_MANIFEST_DIR"), "/campaigns");
    let (ok, words) = tokio::task::block_in_place(|| app.command(&["check-campaigns", seeds], ""));
    assert!(ok, "{words}");
    assert!(
        words.contains("qinshui-2022-r2 · ") && words.contains("jishan-2023 · "),
        "{words}"
    );
    assert!(
        words.contains("满200减40") && words.contains("2 campaigns, each valid"),
        "{words}"
    );
    // A file whose kinds' budgets do not add up is refused, by name.
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(format!("{seeds}/qinshui-2022-r2.toml")).unwrap();
    let broken = text.replacen("budget = 12_700_000", "budget = 12_600_000", 1);
    assert_ne!(broken, text, "the seed's total budget line");
    std::fs::write(dir.path().join("qinshui.toml"), broken).unwrap();
    let path = dir.path().display().to_string();
    let (ok, words) = tokio::task::block_in_place(|| app.command(&["check-campaigns", &path], ""));
    assert!(!ok && words.contains("qinshui.toml"), "{words}");
}
