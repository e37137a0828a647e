use crate::router::Link;
use yew::prelude::*;

use crate::context::use_prefs;
use crate::i18n::{t, Key};
use crate::router::Route;

#[function_component]
pub fn NotFound() -> Html {
    let prefs = use_prefs();
    html! {
        <main class="page" id="main">
            <h2>{ t(prefs.lang, Key::NotFound) }</h2>
            <p><Link<Route> to={Route::Claim}>{ t(prefs.lang, Key::BackHome) }</Link<Route>></p>
        </main>
    }
}
