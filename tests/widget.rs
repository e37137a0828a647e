//! The widget's components and hooks in a real browser (wasm-bindgen-test in headless Chromium).
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use quan_core::code::{self, CouponKey};
use quan_core::{CouponId, ErrorCode, Problem, Timestamp};
use quan_widget::api::ApiError;
use quan_widget::components::{qr, Countdown};
use quan_widget::hooks::claim::{backoff_ms, worth_retrying};
use quan_widget::hooks::ServerClock;
use quan_widget::i18n::{error_words, Lang};
use wasm_bindgen_test::*;
use yew::prelude::*;

wasm_bindgen_test_configure!(run_in_browser);

/// Waits, without sleeping blindly, until `cond` holds (Yew renders on the next tick).
async fn wait_for(mut cond: impl FnMut() -> bool) -> bool {
    for _ in 0..400 {
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

#[derive(Properties, PartialEq)]
struct WithClockProps {
    offset_ms: i64,
    to: Timestamp,
}

#[function_component]
fn WithClock(props: &WithClockProps) -> Html {
    html! {
        <ContextProvider<ServerClock> context={ServerClock { offset_ms: props.offset_ms, synced: true }}>
            <Countdown to={props.to} label="距开抢" />
        </ContextProvider<ServerClock>>
    }
}

#[wasm_bindgen_test]
async fn a_countdown_runs_on_the_corrected_clock_not_the_device() {
    // The device is two hours behind the server; 10:00 on the server is 1 h 2 min 3.5 s away.
    let offset_ms = 2 * 3_600_000;
    let server_now = js_sys::Date::now() as i64 + offset_ms;
    let to = Timestamp(server_now + 3_723_500);
    let root = container();
    yew::Renderer::<WithClock>::with_root_and_props(root.clone(), WithClockProps { offset_ms, to }).render();
    assert!(wait_for(|| root.text_content().unwrap_or_default().contains("01:02:0")).await);
    let text = root.text_content().unwrap_or_default();
    assert!(text.starts_with("距开抢 01:02:0"), "{text}");
    // Without the correction the device would say about 3 h 2 min.
    assert!(!text.contains("03:02:"), "{text}");
}

#[derive(Properties, PartialEq)]
struct CodeViewProps {
    digits: String,
}

#[function_component]
fn CodeView(props: &CodeViewProps) -> Html {
    qr(&props.digits, "code")
}

#[wasm_bindgen_test]
async fn the_code_view_carries_the_twenty_digits() {
    let key = CouponKey::derive(b"test", CouponId(42));
    let now = Timestamp(js_sys::Date::now() as i64);
    let shown = code::generate(&key, CouponId(42), now, now.plus_secs(3_600)).unwrap();
    let root = container();
    let props = CodeViewProps {
        digits: shown.digits().to_owned(),
    };
    yew::Renderer::<CodeView>::with_root_and_props(root.clone(), props).render();
    assert!(wait_for(|| root.query_selector("svg").ok().flatten().is_some()).await);
    let qr = root.query_selector(".qr").unwrap().unwrap();
    assert_eq!(qr.get_attribute("data-code").as_deref(), Some(shown.digits()));
    assert_eq!(qr.get_attribute("role").as_deref(), Some("img"));
    // Numeric mode at level M: a version-1 symbol, 21 modules and a 4-module quiet zone a side.
    let svg = qr.query_selector("svg").unwrap().unwrap();
    let vb = svg.get_attribute("viewBox").unwrap_or_default();
    let side: u32 = vb.rsplit(' ').next().and_then(|s| s.parse().ok()).unwrap_or(0);
    assert!(
        side > 0 && side.is_multiple_of(29) && !side.is_multiple_of(33),
        "version 1 (29 modules a side), not 2: {vb}"
    );
}

#[wasm_bindgen_test]
fn every_refusal_has_its_own_words_in_both_languages() {
    let words = |lang, code| error_words(lang, &ApiError::from(Problem::new(code, None)));
    assert_eq!(
        words(Lang::Zh, ErrorCode::SoldOut),
        "今日已抢完，明天 10:00 再来。"
    );
    assert_eq!(
        words(Lang::En, ErrorCode::SoldOut),
        "Gone for today. Next release tomorrow at 10:00."
    );
    assert_eq!(
        words(Lang::Zh, ErrorCode::CodeStale),
        "付款码已过期，请让顾客刷新。"
    );
    assert_ne!(
        words(Lang::Zh, ErrorCode::LimitReached),
        words(Lang::Zh, ErrorCode::SoldOut)
    );
    assert_eq!(
        error_words(Lang::Zh, &ApiError::Network("offline".into())),
        "网络不通，请检查网络后重试。"
    );
    for code in ErrorCode::ALL {
        assert!(!words(Lang::Zh, code).is_empty() && !words(Lang::En, code).is_empty());
    }
}

#[wasm_bindgen_test]
fn claims_back_off_with_full_jitter_and_honour_retry_after() {
    assert_eq!(backoff_ms(1, Some(3), 0.5), 3_000);
    assert_eq!(backoff_ms(1, None, 0.0), 0);
    assert_eq!(backoff_ms(1, None, 0.999), 799);
    assert!(backoff_ms(10, None, 0.999) <= 8_000, "capped");
    let problem = |code| ApiError::from(code);
    assert!(worth_retrying(&problem(ErrorCode::Unavailable)));
    assert!(worth_retrying(&problem(ErrorCode::RateLimited)));
    assert!(worth_retrying(&ApiError::Network("x".into())));
    let busy = ApiError::Problem {
        problem: Problem::new(ErrorCode::Unavailable, None),
        retry_after: Some(3),
    };
    assert_eq!(busy.retry_after(), Some(3));
    assert_eq!(problem(ErrorCode::Unavailable).retry_after(), None);
    assert!(
        !worth_retrying(&problem(ErrorCode::SoldOut)),
        "never retried after sold out"
    );
    assert!(
        !worth_retrying(&problem(ErrorCode::LimitReached)),
        "never retried after the limit"
    );
}

#[wasm_bindgen_test]
fn the_widgets_json_reader_reads_what_the_server_writes() {
    use quan_core::api::{CouponView, Wallet};
    use quan_core::campaign::Issuance;
    use quan_core::rules::{Benefit, CouponStatus};
    use quan_core::{CampaignId, Fen, KindId};
    use quan_widget::json::{from_str, Malformed};

    let now = Timestamp(1_700_000_000_123);
    let coupon = |id: i64, benefit, status, key| CouponView {
        id: CouponId(id),
        campaign: CampaignId("jishan-2023".into()),
        kind: KindId("general".into()),
        kind_name: "综合消费券".into(),
        denomination: 1,
        benefit,
        words: "满200减40 \"引号\"\n".into(),
        kind_name_en: "General".into(),
        status,
        source: Issuance::Allocate,
        value: Fen(4_000),
        given: Fen(0),
        claimed_at: now,
        expires_at: now.plus_secs(3_600),
        categories: vec![],
        key,
    };
    let wallet = Wallet {
        now,
        coupons: vec![
            coupon(
                9_007_199_254_740_000,
                Benefit::ThresholdOff {
                    threshold: Fen(20_000),
                    off: Fen(4_000),
                },
                CouponStatus::Held,
                Some(CouponKey::derive(b"test", CouponId(7))),
            ),
            coupon(
                8,
                Benefit::Rate {
                    basis_points: 1_000,
                    cap: None,
                    floor: Some(Fen(300_000)),
                },
                CouponStatus::Expired,
                None,
            ),
        ],
    };
    let text = serde_json::to_string(&wallet).unwrap();
    assert_eq!(from_str::<Wallet>(&text), Ok(wallet));

    let problem = Problem::new(ErrorCode::CodeStale, Some("refresh".into()));
    let text = serde_json::to_string(&problem).unwrap();
    assert_eq!(from_str::<Problem>(&text), Ok(problem));

    assert_eq!(from_str::<Wallet>("not json"), Err(Malformed));
    assert_eq!(
        from_str::<Wallet>(r#"{"now": "soon", "coupons": []}"#),
        Err(Malformed)
    );
    assert_eq!(
        from_str::<Wallet>(r#"{"now": 1.5, "coupons": []}"#),
        Err(Malformed)
    );
    assert_eq!(
        from_str::<Problem>(r#"{"type":"x","title":"t","status":400,"code":"no_such_code"}"#),
        Err(Malformed)
    );
}

#[wasm_bindgen_test]
fn chart_gridlines_fall_on_round_numbers() {
    use quan_widget::console::nice_ceiling;
    assert_eq!(nice_ceiling(0), 4);
    assert_eq!(nice_ceiling(4), 4);
    assert_eq!(nice_ceiling(7), 8);
    assert_eq!(nice_ceiling(31), 40);
    assert_eq!(nice_ceiling(180), 200);
    assert_eq!(nice_ceiling(201), 400);
}

/// The till's decoder as the browser runs it (32-bit wasm, the browser's clock): a wallet's code in
/// a camera-sized frame is read, and a frame with no code is nothing, without a trap.
#[wasm_bindgen_test]
fn the_decoder_reads_a_wallets_code_in_wasm() {
    let key = CouponKey::derive(b"scan", CouponId(7));
    let now = Timestamp(1_700_000_000_000);
    let shown = code::generate(&key, CouponId(7), now, now.plus_secs(600)).expect("a code");
    let symbol = quan_core::qr::Symbol::numeric(shown.digits()).expect("digits that fit");
    let (w, h, scale) = (1280usize, 720usize, 3usize);
    let side = quan_core::qr::SIZE * scale;
    let (left, top) = ((w - side) / 2, (h - side) / 2);
    let mut rgba = vec![235u8; w * h * 4];
    for y in 0..side {
        for x in 0..side {
            if symbol.is_dark(x / scale, y / scale) {
                let i = ((top + y) * w + left + x) * 4;
                rgba[i..i + 3].copy_from_slice(&[25, 25, 25]);
            }
        }
    }
    assert_eq!(
        quan_scanner::decode_rgba(&rgba, w, h).as_deref(),
        Some(shown.digits())
    );
    assert_eq!(quan_scanner::decode_rgba(&vec![235u8; w * h * 4], w, h), None);
}
