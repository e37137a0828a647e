//! The app shell: preferences, session, the server's configuration and clock, the routes.

use quan_core::api::WidgetConfig;
use yew::prelude::*;

use crate::components::{NavTabs, Shell, TopBar};
use crate::context::{use_document_prefs, Prefs, PrefsHandle, SessionAction, SessionHandle, SessionState};
use crate::pages::{ClaimPage, NotFound, ShowPage, SignInPage, WalletPage};
use crate::router::{Route, Router};
use crate::{api, host, preload};

/// The host origins the widget may talk to (from the server's configuration).
#[hook]
pub fn use_host_origins() -> Vec<String> {
    use_context::<Option<WidgetConfig>>()
        .flatten()
        .map(|c| c.host_origins)
        .unwrap_or_default()
}

fn switch(route: Route) -> Html {
    let page = match route {
        Route::Claim => html! { <ClaimPage /> },
        Route::Wallet => html! { <WalletPage /> },
        Route::Show { id } => html! { <ShowPage {id} /> },
        Route::SignIn => html! { <SignInPage /> },
        Route::NotFound => html! { <NotFound /> },
    };
    html! {
        <>
            <TopBar />
            <NavTabs />
            { page }
        </>
    }
}

#[function_component]
pub fn App() -> Html {
    let prefs: PrefsHandle = use_reducer(Prefs::load);
    let session: SessionHandle = use_reducer(SessionState::load);
    let config = use_state(|| None::<WidgetConfig>);
    let listener = use_mut_ref(|| None::<gloo::events::EventListener>);
    // The host's colour (`?accent=#005bac`), through CSSOM, which the CSP allows.
    use_effect_with((), |_| {
        let accent = crate::config::query().get("accent").cloned();
        let valid = accent.as_deref().is_some_and(|a| {
            a.len() == 7 && a.starts_with('#') && a[1..].bytes().all(|b| b.is_ascii_hexdigit())
        });
        if let (true, Some(a)) = (valid, accent) {
            let root = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.document_element());
            if let Some(el) =
                root.and_then(|r| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(r).ok())
            {
                let _ = el.style().set_property("--quan-accent", &a);
                let _ = el.style().set_property("--quan-accent-strong", &a);
            }
        }
    });
    use_document_prefs(&prefs, None);
    // The resident's token from the host: in the fragment now, or by postMessage once the
    // server has said which origins may send it.
    {
        let (session, config, listener) = (session.clone(), config.clone(), listener.clone());
        use_effect_with((), move |_| {
            let sign_in = {
                let session = session.clone();
                move |token: String| {
                    let session = session.clone();
                    session.dispatch(SessionAction::SigningIn);
                    wasm_bindgen_futures::spawn_local(async move {
                        match api::host_sign_in(&token).await {
                            Ok(s) => session.dispatch(SessionAction::SignedIn(Box::new(s.value), s.json)),
                            Err(_) => session.dispatch(SessionAction::SignInFailed),
                        }
                    });
                }
            };
            if let Some(token) = host::take_fragment_token() {
                sign_in(token);
            }
            wasm_bindgen_futures::spawn_local(async move {
                let c = match preload::config() {
                    Some(c) => Ok(c),
                    None => api::config().await,
                };
                if let Ok(c) = c {
                    *listener.borrow_mut() = host::handshake(c.host_origins.clone(), sign_in);
                    config.set(Some(c));
                }
            });
        });
    }
    html! {
        <Shell {prefs} {session}>
            <ContextProvider<Option<WidgetConfig>> context={(*config).clone()}>
                <Router<Route> render={Callback::from(switch)} />
            </ContextProvider<Option<WidgetConfig>>>
        </Shell>
    }
}
