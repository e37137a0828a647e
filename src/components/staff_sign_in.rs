use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::api::{self, ApiError, Raw};
use crate::components::error_notice;
use crate::context::{use_prefs, use_session, SessionAction};
use crate::i18n::{t, Key};
use quan_core::api::Session;

/// A session whose password was set by someone else, and that password, until the holder has
/// chosen a new one.
#[derive(Clone, PartialEq)]
struct Pending {
    session: Session,
    json: String,
    username: String,
    current: String,
}

/// Staff (a shop's manager and cashiers, the bureau's operators, the bank's reviewers, the audit
/// office) sign in with their account; the device stays signed in. An account whose password
/// was set by someone else chooses a new one first.
#[function_component]
pub fn StaffSignIn() -> Html {
    let prefs = use_prefs();
    let session = use_session();
    let user = use_node_ref();
    let pass = use_node_ref();
    let error = use_state(|| None::<ApiError>);
    let busy = use_state(|| false);
    let pending = use_state(|| None::<Pending>);
    let lang = prefs.lang;
    let onsubmit = {
        let (user, pass, error, busy, session, pending) = (
            user.clone(),
            pass.clone(),
            error.clone(),
            busy.clone(),
            session.clone(),
            pending.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let (Some(u), Some(p)) = (user.cast::<HtmlInputElement>(), pass.cast::<HtmlInputElement>())
            else {
                return;
            };
            let (username, password) = (u.value(), p.value());
            let (error, busy, session, pending) =
                (error.clone(), busy.clone(), session.clone(), pending.clone());
            busy.set(true);
            wasm_bindgen_futures::spawn_local(async move {
                match api::account_sign_in(&username, &password).await {
                    Ok(Raw { value, json }) if value.must_change_password => {
                        error.set(None);
                        pending.set(Some(Pending {
                            session: value,
                            json,
                            username: username.trim().to_owned(),
                            current: password,
                        }))
                    }
                    Ok(s) => session.dispatch(SessionAction::SignedIn(Box::new(s.value), s.json)),
                    Err(e) => error.set(Some(e)),
                }
                busy.set(false);
            });
        })
    };
    if let Some(p) = &*pending {
        return html! { <NewPassword pending={p.clone()} /> };
    }
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

#[derive(Properties, PartialEq)]
struct NewPasswordProps {
    pending: Pending,
}

/// The first sign-in with a password someone else set: a new one, checked here by the same
/// rule the server applies, before the session is kept.
#[function_component]
fn NewPassword(props: &NewPasswordProps) -> Html {
    let lang = use_prefs().lang;
    let session = use_session();
    let first = use_node_ref();
    let again = use_node_ref();
    let problem = use_state(|| None::<Key>);
    let error = use_state(|| None::<ApiError>);
    let busy = use_state(|| false);
    let onsubmit = {
        let (first, again, problem, error, busy, session) = (
            first.clone(),
            again.clone(),
            problem.clone(),
            error.clone(),
            busy.clone(),
            session.clone(),
        );
        let pending = props.pending.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let (Some(a), Some(b)) = (first.cast::<HtmlInputElement>(), again.cast::<HtmlInputElement>())
            else {
                return;
            };
            let (new, repeated) = (a.value(), b.value());
            if new != repeated {
                problem.set(Some(Key::PasswordsDiffer));
                return;
            }
            if quan_core::password::check(&new, &pending.username).is_err() {
                problem.set(Some(Key::PasswordRule));
                return;
            }
            problem.set(None);
            let (error, busy, session, pending) =
                (error.clone(), busy.clone(), session.clone(), pending.clone());
            busy.set(true);
            wasm_bindgen_futures::spawn_local(async move {
                match api::change_password(&pending.session.token, &pending.current, &new).await {
                    Ok(()) => {
                        let mut s = pending.session;
                        s.must_change_password = false;
                        let json = crate::json::to_string(&s).unwrap_or(pending.json);
                        session.dispatch(SessionAction::SignedIn(Box::new(s), json));
                    }
                    Err(e) => error.set(Some(e)),
                }
                busy.set(false);
            });
        })
    };
    html! {
        <main class="page" id="main">
            <h2>{ t(lang, Key::NewPassword) }</h2>
            <p class="notice" role="status">{ t(lang, Key::SetNewPassword) }</p>
            <form class="form" {onsubmit}>
                <label for="new-password">{ t(lang, Key::NewPassword) }</label>
                <input id="new-password" ref={first} type="password" autocomplete="new-password" required=true minlength="8" />
                <label for="new-password-again">{ t(lang, Key::NewPasswordAgain) }</label>
                <input id="new-password-again" ref={again} type="password" autocomplete="new-password" required=true minlength="8" />
                <p class="muted">{ t(lang, Key::PasswordRule) }</p>
                <button type="submit" class="button button-primary" disabled={*busy}>{ t(lang, Key::SaveNewPassword) }</button>
            </form>
            if let Some(k) = *problem {
                <p class="notice notice-error" role="alert">{ t(lang, k) }</p>
            }
            if let Some(e) = &*error {
                { error_notice(lang, e) }
            }
        </main>
    }
}
