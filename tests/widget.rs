//! The widget's components and hooks in a real browser (wasm-bindgen-test in headless Chromium).
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use quan_core::api::CampaignView;
use quan_core::campaign::Campaign;
use quan_core::{ErrorCode, Problem, Timestamp};
use quan_widget::api::ApiError;
use quan_widget::components::{error_words, CampaignCard, CampaignCardProps};
use quan_widget::hooks::ServerClock;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// Waits, without sleeping blindly, until `cond` holds (Yew renders on the next tick).
async fn wait_for(mut cond: impl FnMut() -> bool) -> bool {
    for _ in 0..200 {
        if cond() {
            return true;
        }
        gloo_timers::future::TimeoutFuture::new(5).await;
    }
    false
}

fn container() -> web_sys::Element {
    let doc = web_sys::window().unwrap().document().unwrap();
    let div = doc.create_element("div").unwrap();
    doc.body().unwrap().append_child(&div).unwrap();
    div
}

#[wasm_bindgen_test]
fn the_corrected_clock_adds_the_measured_offset() {
    let device = js_sys::Date::now() as i64;
    let two_hours = 2 * 3_600_000;
    let clock = ServerClock {
        offset_ms: two_hours,
        synced: true,
    };
    let now = clock.now().millis();
    assert!((now - device - two_hours).abs() < 1_000, "{now} vs {device}");
}

#[wasm_bindgen_test]
fn every_refusal_has_its_own_words() {
    let words = |code| error_words(&ApiError::Problem(Problem::new(code, None)));
    assert_eq!(words(ErrorCode::SoldOut), "今日已抢完，明天 10:00 再来。");
    assert_eq!(words(ErrorCode::CodeStale), "付款码已过期，请让顾客刷新。");
    assert_ne!(words(ErrorCode::LimitReached), words(ErrorCode::SoldOut));
    assert_eq!(
        error_words(&ApiError::Network("offline".into())),
        "网络不通，请检查网络后重试。"
    );
}

#[wasm_bindgen_test]
async fn a_campaign_card_shows_the_rules_in_the_campaigns_words() {
    let campaign = Campaign::from_toml(include_str!("../server/campaigns/qinshui-2022-r2.toml")).unwrap();
    // 2022-09-25 12:00 China time.
    let view = CampaignView::of(&campaign, Timestamp(1_664_078_400_000));
    let root = container();
    yew::Renderer::<CampaignCard>::with_root_and_props(root.clone(), CampaignCardProps { campaign: view })
        .render();
    assert!(wait_for(|| root.text_content().unwrap_or_default().contains("满200减40")).await);
    let text = root.text_content().unwrap_or_default();
    assert!(text.contains("晋情消费·乐购沁水"), "{text}");
    assert!(text.contains("每天 10:00 开抢"), "{text}");
    assert!(text.contains("进行中"), "{text}");
}
