//! The till: a code arrives (from the scanner gun anywhere on the screen, or typed), the server
//! says what it is, the merchant enters the order amount, sees discount and amount to pay, and
//! redeems — with one Idempotency-Key for the redemption, so a retry after a dropped network
//! cannot redeem twice.

use gloo::events::EventListener;
use quan_core::api::{LookupResult, RedemptionView};
use quan_core::entry::{AmountEntry, GunDetector};
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::api::{self, ApiError};
use crate::components::error_notice;
use crate::context::use_prefs;
use crate::hooks::claim::with_retries;
use crate::i18n::{money, t, Key, Lang};

#[derive(Properties, PartialEq)]
pub struct TillProps {
    pub token: String,
}

/// What the coupon came from: a wallet's code, or a love-coupon card and its holder's PIN.
#[derive(Clone, PartialEq)]
enum Via {
    Code(String),
    Card {
        number: String,
        pin: String,
        holder: String,
        coupons: u64,
        value: quan_core::Fen,
    },
}

/// A love-coupon card's number: 16 digits (a wallet's code has 20).
const CARD_DIGITS: usize = 16;

#[derive(Clone, PartialEq)]
enum Stage {
    /// Waiting for a code.
    Code,
    /// A card: its holder types the PIN.
    Pin { number: String },
    /// The coupon is known; the amount is being entered.
    Amount {
        via: Via,
        found: LookupResult,
        key: String,
    },
    /// Redeemed.
    Done(RedemptionView),
}

#[function_component]
pub fn Till(props: &TillProps) -> Html {
    let prefs = use_prefs();
    let lang = prefs.lang;
    let stage = use_state(|| Stage::Code);
    let error = use_state(|| None::<ApiError>);
    let busy = use_state(|| false);
    let amount = use_state(AmountEntry::default);
    let code_input = use_node_ref();
    let pin_input = use_node_ref();
    let camera = use_state(|| false);

    // A code, from the gun or typed: ask the server what it is.
    let look_up = {
        let (stage, error, busy, token, amount) = (
            stage.clone(),
            error.clone(),
            busy.clone(),
            props.token.clone(),
            amount.clone(),
        );
        Callback::from(move |code: String| {
            let code: String = code.chars().filter(|c| c.is_ascii_digit()).collect();
            let (stage, error, busy, token, amount) = (
                stage.clone(),
                error.clone(),
                busy.clone(),
                token.clone(),
                amount.clone(),
            );
            error.set(None);
            if code.len() == CARD_DIGITS {
                stage.set(Stage::Pin { number: code });
                return;
            }
            busy.set(true);
            wasm_bindgen_futures::spawn_local(async move {
                match api::lookup(&token, &code).await {
                    Ok(found) if found.applies_here => {
                        amount.set(AmountEntry::default());
                        stage.set(Stage::Amount {
                            via: Via::Code(code),
                            found,
                            key: api::new_key(),
                        });
                    }
                    Ok(found) => error.set(Some(refused(&found))),
                    Err(e) => error.set(Some(e)),
                }
                busy.set(false);
            });
        })
    };

    // A look-up's answer on screen: timed from the camera frame it was read from.
    use_effect_with(matches!(*stage, Stage::Amount { .. }), |shown| {
        if *shown {
            super::camera::measure_look_up();
        }
    });

    // The scanner gun types fast and ends with Enter, wherever the focus is.
    {
        let look_up = look_up.clone();
        let waiting = *stage == Stage::Code;
        use_effect_with(waiting, move |waiting| {
            let listener = (*waiting).then(|| {
                let mut gun = GunDetector::default();
                web_sys::window().and_then(|w| w.document()).map(|doc| {
                    EventListener::new(&doc, "keydown", move |e| {
                        let Some(e) = wasm_bindgen::JsCast::dyn_ref::<KeyboardEvent>(e) else {
                            return;
                        };
                        let now = js_sys::Date::now() as i64;
                        let key = e.key();
                        if key == "Enter" {
                            if let Some(code) = gun.enter(now) {
                                e.prevent_default();
                                look_up.emit(code);
                            }
                        } else if let Some(c) = key.chars().next().filter(|_| key.chars().count() == 1) {
                            gun.char(c, now);
                        }
                    })
                })
            });
            move || drop(listener)
        });
    }

    let on_code_submit = {
        let (look_up, code_input) = (look_up.clone(), code_input.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if let Some(input) = code_input.cast::<HtmlInputElement>() {
                look_up.emit(input.value());
            }
        })
    };
    let reset = {
        let (stage, error) = (stage.clone(), error.clone());
        Callback::from(move |_: MouseEvent| {
            stage.set(Stage::Code);
            error.set(None);
        })
    };

    let body = match &*stage {
        Stage::Code => html! {
            <>
            <div class="camera-switch">
                <button type="button" class="button" aria-pressed={camera.to_string()}
                    onclick={{ let camera = camera.clone(); Callback::from(move |_: MouseEvent| camera.set(!*camera)) }}>
                    { if *camera { t(lang, Key::CloseCamera) } else { t(lang, Key::OpenCamera) } }
                </button>
                if *camera {
                    <super::camera::Camera on_code={look_up.clone()} />
                }
            </div>
            <form class="form till-code" onsubmit={on_code_submit}>
                <p class="muted">{ t(lang, Key::ScanOrType) }</p>
                <label for="code">{ t(lang, Key::CodeLabel) }</label>
                <input id="code" ref={code_input} inputmode="numeric" autocomplete="off" maxlength="32" />
                <button type="submit" class="button button-primary" disabled={*busy}>{ t(lang, Key::LookUp) }</button>
            </form>
            </>
        },
        Stage::Pin { number } => {
            let on_pin = {
                let (stage, error, busy, token, amount, pin_input) = (
                    stage.clone(),
                    error.clone(),
                    busy.clone(),
                    props.token.clone(),
                    amount.clone(),
                    pin_input.clone(),
                );
                let number = number.clone();
                Callback::from(move |e: SubmitEvent| {
                    e.prevent_default();
                    let pin = crate::components::input_value(&pin_input);
                    let (stage, error, busy, token, amount, number) = (
                        stage.clone(),
                        error.clone(),
                        busy.clone(),
                        token.clone(),
                        amount.clone(),
                        number.clone(),
                    );
                    busy.set(true);
                    error.set(None);
                    wasm_bindgen_futures::spawn_local(async move {
                        match api::card_lookup(&token, &number, &pin).await {
                            Ok(card) if card.next.applies_here => {
                                amount.set(AmountEntry::default());
                                stage.set(Stage::Amount {
                                    via: Via::Card {
                                        number,
                                        pin,
                                        holder: card.holder,
                                        coupons: card.coupons,
                                        value: card.value,
                                    },
                                    found: card.next,
                                    key: api::new_key(),
                                });
                            }
                            Ok(card) => error.set(Some(refused(&card.next))),
                            Err(e) => error.set(Some(e)),
                        }
                        busy.set(false);
                    });
                })
            };
            html! {
                <form class="form till-code" onsubmit={on_pin}>
                    <h2>{ format!("{} {}", lang.pick("爱心卡", "Love-coupon card"), number) }</h2>
                    <label for="pin">{ lang.pick("请持卡人输入密码", "The holder types the PIN") }</label>
                    <input id="pin" ref={pin_input.clone()} type="password" inputmode="numeric" autocomplete="off" maxlength="6" required=true />
                    <button type="submit" class="button button-primary" disabled={*busy}>{ t(lang, Key::LookUp) }</button>
                    <button type="button" class="button" onclick={reset.clone()}>{ t(lang, Key::Cancel) }</button>
                </form>
            }
        }
        Stage::Amount { via, found, key } => {
            let order = amount.amount();
            let discount = order.map(|o| found.benefit.discount(o.fen()));
            let redeem = {
                let (stage, error, busy, token) =
                    (stage.clone(), error.clone(), busy.clone(), props.token.clone());
                let (via, key) = (via.clone(), key.clone());
                Callback::from(move |_: MouseEvent| {
                    let Some(order) = order else { return };
                    let (stage, error, busy, token, via, key) = (
                        stage.clone(),
                        error.clone(),
                        busy.clone(),
                        token.clone(),
                        via.clone(),
                        key.clone(),
                    );
                    busy.set(true);
                    wasm_bindgen_futures::spawn_local(async move {
                        let call = || {
                            let (token, via, key) = (token.clone(), via.clone(), key.clone());
                            async move {
                                match via {
                                    Via::Code(code) => api::redeem(&token, &code, order, &key).await,
                                    Via::Card { number, pin, .. } => {
                                        api::card_redeem(&token, &number, &pin, order, &key).await
                                    }
                                }
                            }
                        };
                        match with_retries(super::TRIES, call, |_| {}).await {
                            Ok(r) => {
                                super::beep();
                                stage.set(Stage::Done(r));
                            }
                            Err(e) => error.set(Some(e)),
                        }
                        busy.set(false);
                    });
                })
            };
            let words = if lang == Lang::En {
                found.benefit.words_en()
            } else {
                found.words.clone()
            };
            html! {
                <section class="till-amount" aria-labelledby="found">
                    <h2 id="found">{ format!("{} · {}", found.kind_name, words) }</h2>
                    <p class="muted">{ format!("{} {}", t(lang, Key::ExpiresToday), found.expires_at.china_display()) }</p>
                    if let Via::Card { holder, coupons, value, .. } = via {
                        <p class="muted" data-testid="card-left">{ format!("{} · {} · {} {} {}", lang.pick("爱心卡", "Love-coupon card"), holder,
                            lang.pick("剩余", "left:"), coupons, money(lang, *value)) }</p>
                    }
                    { super::keypad(lang, &amount) }
                    {
                        match discount {
                            Some(Ok(d)) => html! {
                                <p class="to-pay" data-testid="to-pay">
                                    { format!("{} −{} · {} ", t(lang, Key::Discount), money(lang, d), t(lang, Key::ToPay)) }
                                    <strong>{ money(lang, order.unwrap_or_default().fen() - d) }</strong>
                                </p>
                            },
                            Some(Err(code)) => error_notice(lang, &ApiError::from(code)),
                            None => html! {},
                        }
                    }
                    <div class="actions">
                        <button type="button" class="button" onclick={reset.clone()}>{ t(lang, Key::Cancel) }</button>
                        <button type="button" class="button button-primary" onclick={redeem}
                            disabled={*busy || !matches!(discount, Some(Ok(_)))}>
                            { if *busy { t(lang, Key::Redeeming) } else { t(lang, Key::Confirm) } }
                        </button>
                    </div>
                </section>
            }
        }
        Stage::Done(r) => html! {
            <section class="receipt" role="status" aria-labelledby="receipt">
                <p class="redeemed-mark" aria-hidden="true">{ "✓" }</p>
                <h2 id="receipt">{ t(lang, Key::Receipt) }</h2>
                <p>{ format!("{} · {}", r.kind_name, r.words) }</p>
                <p>{ format!("{} {}", t(lang, Key::OrderAmount), money(lang, r.order_amount)) }</p>
                <p class="redeemed-amount">{ format!("{} −{}", t(lang, Key::Discount), money(lang, r.discount)) }</p>
                <p class="redeemed-amount">{ format!("{} {}", t(lang, Key::ToPay), money(lang, r.to_pay)) }</p>
                <button type="button" class="button button-primary" onclick={reset.clone()}>{ t(lang, Key::NextCustomer) }</button>
            </section>
        },
    };
    html! {
        <main class="page till-page" id="main">
            { body }
            if let Some(e) = &*error {
                { error_notice(lang, e) }
                if !matches!(*stage, Stage::Code) {
                    <button type="button" class="button" onclick={reset}>{ t(lang, Key::NextCustomer) }</button>
                }
            }
        </main>
    }
}

/// Why a looked-up coupon cannot be used here, as the till shows it: the widget's words for the
/// refusal, and the bureau's own when a pause of its is why.
fn refused(found: &quan_core::api::LookupResult) -> ApiError {
    quan_core::Problem::new(
        found.refusal.unwrap_or(quan_core::ErrorCode::WrongCategory),
        found.reason.clone(),
    )
    .into()
}
