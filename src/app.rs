//! The app shell: the clock, the routes.

use yew::prelude::*;
use yew_router::prelude::*;

use crate::hooks::ClockProvider;
use crate::pages::{Home, NotFound};

/// Every page of the widget.
#[derive(Debug, Clone, PartialEq, Routable)]
pub enum Route {
    #[at("/")]
    Home,
    #[not_found]
    #[at("/404")]
    NotFound,
}

fn switch(route: Route) -> Html {
    match route {
        Route::Home => html! { <Home /> },
        Route::NotFound => html! { <NotFound /> },
    }
}

#[function_component]
pub fn App() -> Html {
    html! {
        <BrowserRouter>
            <ClockProvider>
                <Switch<Route> render={switch} />
            </ClockProvider>
        </BrowserRouter>
    }
}
