//! The routes and navigation: the path is the state, the History API moves it. A few lines
//! instead of a router crate, since every route is known here.

use std::rc::Rc;

use gloo::events::EventListener;
use wasm_bindgen::JsValue;
use yew::prelude::*;

/// Every page of the widget.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    Claim,
    Wallet,
    Show { id: i64 },
    SignIn,
    NotFound,
}

impl Route {
    pub fn from_path(path: &str) -> Route {
        let parts: Vec<&str> = path.trim_end_matches('/').split('/').skip(1).collect();
        match parts.as_slice() {
            [] | [""] => Route::Claim,
            ["wallet"] => Route::Wallet,
            ["wallet", id] => id.parse().map(|id| Route::Show { id }).unwrap_or(Route::NotFound),
            ["sign-in"] => Route::SignIn,
            _ => Route::NotFound,
        }
    }

    pub fn path(&self) -> String {
        match self {
            Route::Claim => "/".into(),
            Route::Wallet => "/wallet".into(),
            Route::Show { id } => format!("/wallet/{id}"),
            Route::SignIn => "/sign-in".into(),
            Route::NotFound => "/404".into(),
        }
    }
}

fn current_route() -> Route {
    let path = web_sys::window()
        .and_then(|w| w.location().pathname().ok())
        .unwrap_or_default();
    Route::from_path(&path)
}

/// Moves between routes.
#[derive(Clone, PartialEq)]
pub struct Navigator {
    set: Callback<Route>,
}

impl Navigator {
    fn go(&self, route: &Route, replace: bool) {
        if let Ok(history) = web_sys::window()
            .ok_or(())
            .and_then(|w| w.history().map_err(|_| ()))
        {
            let path = route.path();
            let _ = if replace {
                history.replace_state_with_url(&JsValue::NULL, "", Some(&path))
            } else {
                history.push_state_with_url(&JsValue::NULL, "", Some(&path))
            };
        }
        self.set.emit(route.clone());
    }

    pub fn push(&self, route: &Route) {
        self.go(route, false);
    }

    pub fn replace(&self, route: &Route) {
        self.go(route, true);
    }
}

#[derive(Clone, PartialEq)]
struct RouterContext {
    route: Route,
    navigator: Navigator,
}

#[derive(Properties, PartialEq)]
pub struct RouterProps {
    pub render: Callback<Route, Html>,
}

/// Renders the current route, and follows the browser's back and forward buttons.
#[function_component]
pub fn Router(props: &RouterProps) -> Html {
    let route = use_state(current_route);
    {
        let route = route.clone();
        use_effect_with((), move |_| {
            let listener = web_sys::window()
                .map(|w| EventListener::new(&w, "popstate", move |_| route.set(current_route())));
            move || drop(listener)
        });
    }
    let navigator = {
        let route = route.clone();
        Navigator {
            set: Callback::from(move |r| route.set(r)),
        }
    };
    let context = RouterContext {
        route: (*route).clone(),
        navigator,
    };
    html! {
        <ContextProvider<Rc<RouterContext>> context={Rc::new(context)}>
            { props.render.emit((*route).clone()) }
        </ContextProvider<Rc<RouterContext>>>
    }
}

/// The current route.
#[hook]
pub fn use_route() -> Route {
    use_context::<Rc<RouterContext>>()
        .map(|c| c.route.clone())
        .unwrap_or_else(current_route)
}

/// The navigator of the nearest [`Router`].
#[hook]
pub fn use_navigator() -> Navigator {
    use_context::<Rc<RouterContext>>()
        .map(|c| c.navigator.clone())
        .unwrap_or_else(|| Navigator {
            set: Callback::noop(),
        })
}

#[derive(Properties, PartialEq)]
pub struct LinkProps {
    pub to: Route,
    #[prop_or_default]
    pub classes: Classes,
    #[prop_or_default]
    pub current: bool,
    pub children: Html,
}

/// A link to a route: a real `<a href>` (so it opens in a new tab, and reads as a link), moved
/// within the app on a plain click.
#[function_component]
pub fn Link(props: &LinkProps) -> Html {
    let navigator = use_navigator();
    let to = props.to.clone();
    let onclick = Callback::from(move |e: MouseEvent| {
        if e.ctrl_key() || e.meta_key() || e.shift_key() || e.button() != 0 {
            return;
        }
        e.prevent_default();
        navigator.push(&to);
    });
    html! {
        <a href={props.to.path()} class={props.classes.clone()} aria-current={props.current.then_some("page")} {onclick}>
            { props.children.clone() }
        </a>
    }
}

#[cfg(test)]
mod tests {
    use super::Route;

    #[test]
    fn paths_and_routes_round_trip() {
        for r in [Route::Claim, Route::Wallet, Route::Show { id: 42 }, Route::SignIn] {
            assert_eq!(Route::from_path(&r.path()), r);
        }
        assert_eq!(Route::from_path("/wallet/x"), Route::NotFound);
        assert_eq!(Route::from_path("/nowhere"), Route::NotFound);
        assert_eq!(Route::from_path("/wallet/"), Route::Wallet);
    }
}
