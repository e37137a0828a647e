//! Signing in: inside a bank app the host hands over the resident's token (the app shell takes
//! it); standalone, in demo mode, a mobile number.

use crate::router::use_navigator;
use quan_core::api::WidgetConfig;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::api::{self, ApiError};
use crate::components::error_notice;
use crate::context::{use_prefs, use_session, SessionAction};
use crate::i18n::{t, Key};
use crate::router::Route;

#[function_component]
pub fn SignInPage() -> Html {
    let prefs = use_prefs();
    let session = use_session();
    let navigator = use_navigator::<Route>();
    let config = use_context::<Option<WidgetConfig>>().flatten();
    let phone = use_node_ref();
    let error = use_state(|| None::<ApiError>);
    let busy = use_state(|| false);
    let lang = prefs.lang;
    if session.session.is_some() {
        navigator.replace(&Route::Claim);
    }
    let onsubmit = {
        let (phone, error, busy, session, navigator) = (
            phone.clone(),
            error.clone(),
            busy.clone(),
            session.clone(),
            navigator.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let Some(input) = phone.cast::<HtmlInputElement>() else {
                return;
            };
            let number = input.value();
            let (error, busy, session, navigator) =
                (error.clone(), busy.clone(), session.clone(), navigator.clone());
            busy.set(true);
            wasm_bindgen_futures::spawn_local(async move {
                match api::demo_sign_in(&number).await {
                    Ok(s) => {
                        session.dispatch(SessionAction::SignedIn(Box::new(s.value), s.json));
                        navigator.replace(&Route::Claim);
                    }
                    Err(e) => error.set(Some(e)),
                }
                busy.set(false);
            });
        })
    };
    let demo = config.as_ref().is_some_and(|c| c.demo);
    html! {
        <main class="page" id="main">
            <h2>{ t(lang, Key::SignInTitle) }</h2>
            if crate::host::framed() {
                <p class="notice" role="status">{ t(lang, Key::WaitingForHost) }</p>
            }
            if demo {
                <form class="form" {onsubmit}>
                    <label for="phone">{ t(lang, Key::PhoneLabel) }</label>
                    <input id="phone" ref={phone} type="tel" inputmode="numeric" autocomplete="tel" maxlength="13" required=true />
                    <button type="submit" class="button button-primary" disabled={*busy}>{ t(lang, Key::SignInButton) }</button>
                    <p class="muted">{ t(lang, Key::SignInHint) }</p>
                </form>
            }
            if let Some(e) = &*error {
                { error_notice(lang, e) }
            }
        </main>
    }
}
