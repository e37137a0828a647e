//! At the till: a large QR code and the same code in digits, changing every 30 seconds, with a
//! ring showing when. It works with no network (the wallet's copy holds the coupon's code key),
//! keeps the screen awake where the browser allows, and polls the coupon while shown so the
//! resident sees "redeemed" about as soon as the merchant does.

use crate::router::Link;
use gloo::timers::callback::Interval;
use quan_core::code::{self, STEP_SECS};
use quan_core::rules::CouponStatus;
use quan_core::CouponId;
use wasm_bindgen::{JsCast, JsValue};
use yew::prelude::*;

use crate::api;
use crate::components::{progress_ring, qr};
use crate::context::{use_prefs, use_session};
use crate::hooks::{use_now, use_online, use_wallet};
use crate::i18n::{money, t, Key, Lang};
use crate::router::Route;

/// How often the coupon's status is asked while its code is shown.
const POLL_MS: u32 = 1_500;

#[derive(Properties, PartialEq)]
pub struct ShowPageProps {
    pub id: i64,
}

#[function_component]
pub fn ShowPage(props: &ShowPageProps) -> Html {
    let prefs = use_prefs();
    let session = use_session();
    let online = use_online();
    let now = use_now(250);
    let wallet = use_wallet(session.token().map(String::from));
    let origins = crate::app::use_host_origins();
    let redeemed = use_state(|| None::<quan_core::Fen>);
    let id = CouponId(props.id);
    use_wake_lock();
    {
        let token = session.token().map(String::from);
        let redeemed = redeemed.clone();
        let reload = wallet.reload.clone();
        use_effect_with((token, id), move |(token, id)| {
            let (token, id) = (token.clone(), *id);
            let poll = token.map(|token| {
                Interval::new(POLL_MS, move || {
                    let (token, redeemed, reload, origins) =
                        (token.clone(), redeemed.clone(), reload.clone(), origins.clone());
                    if redeemed.is_some() {
                        return;
                    }
                    wasm_bindgen_futures::spawn_local(async move {
                        if let Ok(s) = api::coupon_status(&token, id).await {
                            if matches!(s.status, CouponStatus::Redeemed | CouponStatus::Closed) {
                                redeemed.set(Some(s.given));
                                vibrate();
                                crate::host::emit(
                                    &origins,
                                    "redeemed",
                                    &[
                                        ("coupon", (id.0 as f64).into()),
                                        ("discount", (s.given.0 as f64).into()),
                                    ],
                                );
                                reload.emit(());
                            }
                        }
                    });
                })
            });
            move || drop(poll)
        });
    }
    let lang = prefs.lang;
    let back = html! { <p><Link<Route> to={Route::Wallet} classes="button">{ t(lang, Key::BackToWallet) }</Link<Route>></p> };
    if let Some(given) = *redeemed {
        return html! {
            <main class="page show" id="main">
                <div class="redeemed" role="status">
                    <p class="redeemed-mark" aria-hidden="true">{ "✓" }</p>
                    <h2>{ t(lang, Key::RedeemedNotice) }</h2>
                    <p class="redeemed-amount">{ match lang { Lang::Zh => format!("已减 {}", money(lang, given)), Lang::En => format!("{} off", money(lang, given)) } }</p>
                </div>
                { back }
            </main>
        };
    }
    let coupon = wallet
        .wallet
        .as_ref()
        .and_then(|w| w.coupons.iter().find(|c| c.id == id))
        .cloned();
    let shown = coupon
        .as_ref()
        .filter(|c| c.status == CouponStatus::Held)
        .and_then(|c| {
            let key = c.key.as_ref()?;
            code::generate(key, c.id, now, c.expires_at).map(|code| (c.clone(), code))
        });
    let Some((c, code)) = shown else {
        return html! {
            <main class="page show" id="main">
                <p class="notice notice-error" role="alert">{ t(lang, Key::CodeUnavailable) }</p>
                { back }
            </main>
        };
    };
    let into_step = now.millis().rem_euclid(STEP_SECS * 1000);
    let seconds_left = u32::try_from((STEP_SECS * 1000 - into_step + 999) / 1000).unwrap_or(0);
    let words = if lang == Lang::En {
        c.benefit.words_en()
    } else {
        c.words.clone()
    };
    html! {
        <main class="page show" id="main">
            <h2>{ t(lang, Key::ShowTitle) }</h2>
            <p class="show-coupon">{ format!("{} · {}", if lang == Lang::En && !c.kind_name_en.is_empty() { &c.kind_name_en } else { &c.kind_name }, words) }</p>
            if !online {
                <p class="notice" role="status">{ format!("{} · {}", t(lang, Key::Offline), t(lang, Key::OfflineCodes)) }</p>
            }
            { qr(code.digits(), t(lang, Key::ShowTitle)) }
            <p class="code-digits" data-testid="code-digits" aria-label={code.digits().to_owned()}>{ code.grouped() }</p>
            <div class="code-refresh">
                { progress_ring(u32::try_from(into_step / STEP_SECS).unwrap_or(0), seconds_left) }
                <span>{ t(lang, Key::CodeRefreshes) }</span>
            </div>
            <p class="muted">{ t(lang, Key::ShowHint) }</p>
            <p class="muted">{ t(lang, Key::Brightness) }</p>
            { back }
        </main>
    }
}

fn vibrate() {
    if let Some(w) = web_sys::window() {
        let _ = w.navigator().vibrate_with_duration(200);
    }
}

/// Keeps the screen on while the code is shown, where the browser has a wake lock; released on
/// unmount.
#[hook]
fn use_wake_lock() {
    use_effect_with((), |_| {
        let sentinel = std::rc::Rc::new(std::cell::RefCell::new(None::<JsValue>));
        let held = sentinel.clone();
        wasm_bindgen_futures::spawn_local(async move {
            let Some(nav) = web_sys::window().map(|w| w.navigator()) else {
                return;
            };
            let Ok(lock) = js_sys::Reflect::get(&nav, &"wakeLock".into()) else {
                return;
            };
            if lock.is_undefined() {
                return;
            }
            let Ok(request) = js_sys::Reflect::get(&lock, &"request".into()) else {
                return;
            };
            let Ok(request) = request.dyn_into::<js_sys::Function>() else {
                return;
            };
            if let Ok(promise) = request.call1(&lock, &"screen".into()) {
                if let Ok(p) = promise.dyn_into::<js_sys::Promise>() {
                    if let Ok(s) = wasm_bindgen_futures::JsFuture::from(p).await {
                        *held.borrow_mut() = Some(s);
                    }
                }
            }
        });
        move || {
            if let Some(s) = sentinel.borrow_mut().take() {
                if let Ok(release) = js_sys::Reflect::get(&s, &"release".into()) {
                    if let Ok(f) = release.dyn_into::<js_sys::Function>() {
                        let _ = f.call0(&s);
                    }
                }
            }
        }
    });
}
