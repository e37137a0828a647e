use crate::router::{use_route, Link};
use yew::prelude::*;

use crate::context::{use_prefs, use_session, PrefsAction, SessionAction};
use crate::hooks::use_now;
use crate::i18n::{t, Key, Lang};
use crate::router::Route;
use quan_core::api::Role;

#[derive(Properties, PartialEq, Default)]
pub struct TopBarProps {
    /// The app's title by default.
    #[prop_or_default]
    pub title: Option<AttrValue>,
    /// A second line (the merchant's name at the till).
    #[prop_or_default]
    pub subtitle: Option<String>,
}

/// The masthead: title, today's date in China, language, large text, sign out.
#[function_component]
pub fn TopBar(props: &TopBarProps) -> Html {
    let prefs = use_prefs();
    let session = use_session();
    let now = use_now(1_000);
    let today = now.china_date();
    let lang = prefs.lang;
    let date = match lang {
        Lang::Zh => format!("{}年{}月{}日", today.year, today.month, today.day),
        Lang::En => today.to_string(),
    };
    let switch_lang = {
        let prefs = prefs.clone();
        Callback::from(move |_| prefs.dispatch(PrefsAction::SetLang(prefs.lang.other())))
    };
    let toggle_elder = {
        let prefs = prefs.clone();
        Callback::from(move |_| prefs.dispatch(PrefsAction::SetElder(!prefs.elder)))
    };
    let sign_out = {
        let session = session.clone();
        Callback::from(move |_| {
            // A staff session ends on the server too, so the token is worth nothing after.
            if let Some(s) = session.session.as_ref().filter(|s| s.role != Role::Resident) {
                let token = s.token.clone();
                wasm_bindgen_futures::spawn_local(async move {
                    let _ = crate::api::sign_out(&token).await;
                });
            }
            session.dispatch(SessionAction::SignedOut)
        })
    };
    let previous = session.session.as_ref().and_then(|s| s.previous_sign_in.clone());
    html! {
        <header class="masthead">
            <div class="masthead-row">
                <h1>{ props.title.clone().unwrap_or_else(|| t(lang, Key::AppTitle).into()) }</h1>
                <div class="masthead-tools">
                    <button type="button" class="chip" lang={lang.other().code()} onclick={switch_lang}>{ t(lang, Key::Language) }</button>
                    <button type="button" class="chip" aria-pressed={prefs.elder.to_string()} onclick={toggle_elder}>{ t(lang, Key::ElderMode) }</button>
                    if session.session.is_some() {
                        <button type="button" class="chip" onclick={sign_out}>{ t(lang, Key::SignOut) }</button>
                    }
                </div>
            </div>
            if let Some(sub) = &props.subtitle {
                <p class="today">{ sub }</p>
            }
            if let Some(p) = previous {
                <p class="today" data-testid="last-sign-in">{ format!("{}：{} · {}", t(lang, Key::LastSignIn), p.at.china_display(), p.from) }</p>
            }
            <p class="today" data-testid="today">
                { format!("{} {}", t(lang, Key::TodayIs), date) }
                <span class="muted">{ t(lang, Key::ChinaTime) }</span>
            </p>
        </header>
    }
}

/// Tabs between the resident's pages.
#[function_component]
pub fn NavTabs() -> Html {
    let prefs = use_prefs();
    let route = use_route::<Route>();
    let tab = |to: Route, key: Key| {
        let current = route == to;
        html! {
            <Link<Route> to={to} {current} classes={classes!("tab", current.then_some("tab-current"))}>
                { t(prefs.lang, key) }
            </Link<Route>>
        }
    };
    html! {
        <nav class="tabs" aria-label={t(prefs.lang, Key::AppTitle)}>
            { tab(Route::Claim, Key::NavClaim) }
            { tab(Route::Wallet, Key::NavWallet) }
        </nav>
    }
}
