//! The merchant registry: the county's list, in UTF-8 or GBK or as an Excel workbook, previewed (nothing written) and
//! then imported; imported again, it updates by credit code and adds no one twice; single
//! merchants added and edited.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{spawn, Options};
use quan_core::api::{ImportOutcome, MerchantImport, MerchantView};
use quan_core::{ErrorCode, Problem};
use serde_json::json;

/// A credit code as printed on a business licence.
const A: &str = "91350100M000100Y43";

/// The code `first17` completes to: the one check character of 31 that passes.
fn completed(first17: &str) -> String {
    b"0123456789ABCDEFGHJKLMNPQRTUWXY"
        .iter()
        .map(|&c| format!("{first17}{}", char::from(c)))
        .find(|c| quan_core::registry::CreditCode::parse(c).is_ok())
        .unwrap()
}

fn list(rows: &[&str]) -> String {
    format!(
        "名称,统一社会信用代码,类别,县,地址,联系人\r\n{}\r\n",
        rows.join("\r\n")
    )
}

async fn import(app: &common::TestApp, token: &str, body: Vec<u8>, commit: bool) -> reqwest::Response {
    app.client
        .post(app.url(&format!("/operator/merchants/import?commit={commit}")))
        .bearer_auth(token)
        .header("content-type", "text/csv")
        .body(body)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_gbk_list_is_previewed_then_imported_and_imported_again_adds_no_one_twice() {
    let app = spawn(Options::default()).await;
    let op = app.operator().await;
    let b = completed("91140521MA0K2XY01");
    let text = list(&[
        &format!("沁水百货大楼,{A},商业零售,沁水县,\"龙港镇, 新建路 1 号\",王经理"),
        &format!("沁河人家饭店,{b},住餐文旅,沁水县,,"),
        "抄错码的店,91350100M000100Y44,商业零售,沁水县,,",
    ]);
    let (gbk, _, lossy) = encoding_rs::GBK.encode(&text);
    assert!(!lossy);
    // A preview: every line's outcome, nothing written.
    let preview: MerchantImport = import(&app, &op, gbk.to_vec(), false).await.json().await.unwrap();
    assert!(!preview.committed);
    assert_eq!((preview.new, preview.updated, preview.refused), (2, 0, 1));
    let bad = &preview.lines[2];
    assert_eq!((bad.line, bad.outcome), (4, ImportOutcome::Refused));
    assert!(bad.problem.as_deref().unwrap().contains("校验位"), "{bad:?}");
    let listed: Vec<MerchantView> = app.get("/operator/merchants", &op).await.json().await.unwrap();
    assert!(listed.is_empty(), "a preview writes nothing");
    // Imported: the good lines go in, the bad one is reported again.
    let done: MerchantImport = import(&app, &op, gbk.to_vec(), true).await.json().await.unwrap();
    assert_eq!((done.committed, done.new, done.refused), (true, 2, 1));
    let listed: Vec<MerchantView> = app.get("/operator/merchants", &op).await.json().await.unwrap();
    assert_eq!(listed.len(), 2);
    assert_eq!(listed[0].name, "沁水百货大楼");
    assert_eq!(listed[0].category.as_str(), "retail");
    assert_eq!(listed[0].address, "龙港镇, 新建路 1 号");
    // The same list again, in UTF-8 with one shop renamed: an update, no duplicate.
    let again = list(&[
        &format!("沁水百货大楼,{A},商业零售,沁水县,\"龙港镇, 新建路 1 号\",王经理"),
        &format!("沁河人家饭店（新店）,{b},住餐文旅,沁水县,,"),
    ]);
    let done: MerchantImport = import(&app, &op, format!("\u{feff}{again}").into_bytes(), true)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!((done.new, done.updated, done.unchanged), (0, 1, 1));
    let listed: Vec<MerchantView> = app.get("/operator/merchants", &op).await.json().await.unwrap();
    assert_eq!(listed.len(), 2);
    assert_eq!(listed[1].name, "沁河人家饭店（新店）");
    // A file that is no list says so, and writes nothing.
    let res = import(&app, &op, b"just some text".to_vec(), true).await;
    assert_eq!(res.status(), 422);
}

/// A workbook saved by a spreadsheet program (openpyxl): a sheet 商户名单 with a 序号 column, a
/// contact typed as a number, an empty row, and a line whose code is wrong; then a second sheet.
const WORKBOOK: &[u8] = include_bytes!("data/merchants.xlsx");

#[tokio::test]
async fn an_excel_workbooks_first_sheet_is_read_as_the_list_and_a_bomb_is_refused_unopened() {
    let app = spawn(Options::default()).await;
    let op = app.operator().await;
    let preview: MerchantImport = import(&app, &op, WORKBOOK.to_vec(), false)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!((preview.new, preview.updated, preview.refused), (2, 0, 1));
    let bad = preview
        .lines
        .iter()
        .find(|l| l.outcome == ImportOutcome::Refused)
        .unwrap();
    assert_eq!(bad.line, 5, "the row's number as the spreadsheet shows it");
    assert!(bad.problem.as_deref().unwrap().contains("校验位"), "{bad:?}");
    let done: MerchantImport = import(&app, &op, WORKBOOK.to_vec(), true)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!((done.committed, done.new), (true, 2));
    let listed: Vec<MerchantView> = app.get("/operator/merchants", &op).await.json().await.unwrap();
    let names: Vec<&str> = listed.iter().map(|m| m.name.as_str()).collect();
    assert_eq!(
        names,
        ["沁水百货大楼", "沁河人家饭店"],
        "the second sheet is not the list"
    );
    assert_eq!(listed[1].contact, "13800000001", "a number keeps all its digits");
    assert_eq!(listed[1].credit_code, "91140521MA0K2XY01L");
    // A workbook whose table of contents says it unpacks to gigabytes is refused before it is opened.
    let mut bomb = WORKBOOK.to_vec();
    let entry = bomb.windows(4).position(|w| w == b"PK\x01\x02").unwrap();
    bomb[entry + 24..entry + 28].copy_from_slice(&u32::MAX.to_le_bytes());
    let res = import(&app, &op, bomb, false).await;
    assert_eq!(res.status(), 422);
    let problem: Problem = res.json().await.unwrap();
    assert!(
        problem
            .detail
            .as_deref()
            .unwrap_or("")
            .contains("unpacks to more than"),
        "{problem:?}"
    );
    // Cut short, it is no workbook, in words.
    let res = import(&app, &op, WORKBOOK[..WORKBOOK.len() / 2].to_vec(), false).await;
    assert_eq!(res.status(), 422);
}

#[tokio::test]
async fn a_merchant_is_added_and_edited_during_the_campaign() {
    let app = spawn(Options::default()).await;
    let op = app.operator().await;
    let shop =
        json!({"name": "沁水数码家电城", "credit_code": A, "category": "appliance", "county": "沁水县"});
    let res = app.post("/operator/merchants", &op, shop.clone()).await;
    assert_eq!(res.status(), 201);
    let added: MerchantView = res.json().await.unwrap();
    assert_eq!(added.credit_code, A);
    // The same credit code twice is refused; so is a code that fails its check, in words.
    let res = app.post("/operator/merchants", &op, shop.clone()).await;
    assert_eq!(res.status(), 409);
    let mut wrong = shop.clone();
    wrong["credit_code"] = json!("91350100M000100Y44");
    let p: Problem = app
        .post("/operator/merchants", &op, wrong)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(p.code, ErrorCode::InvalidRequest);
    assert!(p.detail.unwrap().contains("校验位"));
    let mut unknown = shop.clone();
    unknown["category"] = json!("五金");
    let p: Problem = app
        .post("/operator/merchants", &op, unknown)
        .await
        .json()
        .await
        .unwrap();
    assert!(p.detail.unwrap().contains("五金"));
    // Edited: a new address.
    let mut edit = shop;
    edit["address"] = json!("沁水县城 滨河路 8 号");
    let res = app
        .client
        .put(app.url(&format!("/operator/merchants/{}", added.id.0)))
        .bearer_auth(&op)
        .json(&edit)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let edited: MerchantView = res.json().await.unwrap();
    assert_eq!(
        (edited.id, edited.address.as_str()),
        (added.id, "沁水县城 滨河路 8 号")
    );
}
