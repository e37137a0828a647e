use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::Route;

#[function_component]
pub fn NotFound() -> Html {
    html! {
        <main class="page">
            <h1>{ "页面不存在" }</h1>
            <p><Link<Route> to={Route::Home}>{ "返回首页" }</Link<Route>></p>
        </main>
    }
}
