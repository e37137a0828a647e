use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::Route;
use crate::context::use_prefs;
use crate::i18n::{t, Key};

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
