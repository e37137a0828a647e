use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::api::{self, ApiError};
use crate::components::error_notice;
use crate::context::{use_prefs, use_session, SessionAction};
use crate::i18n::{t, Key};

/// Staff (a merchant's cashiers, the bureau's operators) sign in with their account; the device
/// stays signed in.
#[function_component]
pub fn StaffSignIn() -> Html {
    let prefs = use_prefs();
    let session = use_session();
    let user = use_node_ref();
    let pass = use_node_ref();
    let error = use_state(|| None::<ApiError>);
    let busy = use_state(|| false);
    let lang = prefs.lang;
    let onsubmit = {
        let (user, pass, error, busy, session) = (
            user.clone(),
            pass.clone(),
            error.clone(),
            busy.clone(),
            session.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let (Some(u), Some(p)) = (user.cast::<HtmlInputElement>(), pass.cast::<HtmlInputElement>())
            else {
                return;
            };
            let (username, password) = (u.value(), p.value());
            let (error, busy, session) = (error.clone(), busy.clone(), session.clone());
            busy.set(true);
            wasm_bindgen_futures::spawn_local(async move {
                match api::account_sign_in(&username, &password).await {
                    Ok(s) => session.dispatch(SessionAction::SignedIn(s.value, s.json)),
                    Err(e) => error.set(Some(e)),
                }
                busy.set(false);
            });
        })
    };
    html! {
        <main class="page" id="main">
            <h2>{ t(lang, Key::SignIn) }</h2>
            <form class="form" {onsubmit}>
                <label for="username">{ t(lang, Key::Username) }</label>
                <input id="username" ref={user} autocomplete="username" required=true />
                <label for="password">{ t(lang, Key::Password) }</label>
                <input id="password" ref={pass} type="password" autocomplete="current-password" required=true />
                <button type="submit" class="button button-primary" disabled={*busy}>{ t(lang, Key::SignInButton) }</button>
            </form>
            if let Some(e) = &*error {
                { error_notice(lang, e) }
            }
        </main>
    }
}
