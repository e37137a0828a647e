//! The routes and navigation, for every app of the widget (the resident's pages, the till's
//! views, the console's sections): the path is the state, the History API moves it. A few lines
//! instead of a router crate, since every route is known here.

use std::rc::Rc;

use gloo::events::EventListener;
use wasm_bindgen::JsValue;
use yew::prelude::*;

/// Every page of the resident's app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    Claim,
    Wallet,
    Show { id: i64 },
    SignIn,
    NotFound,
}

impl Routable for Route {
    fn from_path(path: &str) -> Route {
        let parts: Vec<&str> = path.trim_end_matches('/').split('/').skip(1).collect();
        match parts.as_slice() {
            [] | [""] => Route::Claim,
            ["wallet"] => Route::Wallet,
            ["wallet", id] => id.parse().map(|id| Route::Show { id }).unwrap_or(Route::NotFound),
            ["sign-in"] => Route::SignIn,
            _ => Route::NotFound,
        }
    }

    fn path(&self) -> String {
        match self {
            Route::Claim => "/".into(),
            Route::Wallet => "/wallet".into(),
            Route::Show { id } => format!("/wallet/{id}"),
            Route::SignIn => "/sign-in".into(),
            Route::NotFound => "/404".into(),
        }
    }
}

/// A set of addresses one app moves between: the resident's pages, the till's views, the
/// console's sections. The path is the state; [`Router`] follows it.
pub trait Routable: Clone + PartialEq + 'static {
    /// The route at `path` (a path it does not know is its not-found, or its home).
    fn from_path(path: &str) -> Self;
    /// The path that shows this route.
    fn path(&self) -> String;

    /// The route at the browser's address now.
    fn current() -> Self {
        let path = web_sys::window()
            .and_then(|w| w.location().pathname().ok())
            .unwrap_or_default();
        Self::from_path(&path)
    }
}

/// Moves between routes.
pub struct Navigator<R> {
    set: Callback<R>,
}

impl<R> Clone for Navigator<R> {
    fn clone(&self) -> Self {
        Navigator {
            set: self.set.clone(),
        }
    }
}

impl<R> PartialEq for Navigator<R> {
    fn eq(&self, other: &Self) -> bool {
        self.set == other.set
    }
}

impl<R: Routable> Navigator<R> {
    fn go(&self, route: &R, replace: bool) {
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

    pub fn push(&self, route: &R) {
        self.go(route, false);
    }

    pub fn replace(&self, route: &R) {
        self.go(route, true);
    }
}

#[derive(Clone, PartialEq)]
struct RouterContext<R> {
    route: R,
    navigator: Navigator<R>,
}

#[derive(Properties, PartialEq)]
pub struct RouterProps<R: Routable> {
    pub render: Callback<R, Html>,
}

/// Renders the current route, and follows the browser's back and forward buttons.
#[function_component]
pub fn Router<R: Routable>(props: &RouterProps<R>) -> Html {
    let route = use_state(R::current);
    {
        let route = route.clone();
        use_effect_with((), move |_| {
            let listener = web_sys::window()
                .map(|w| EventListener::new(&w, "popstate", move |_| route.set(R::current())));
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
        <ContextProvider<Rc<RouterContext<R>>> context={Rc::new(context)}>
            { props.render.emit((*route).clone()) }
        </ContextProvider<Rc<RouterContext<R>>>>
    }
}

/// The current route of the nearest [`Router`] of `R`.
#[hook]
pub fn use_route<R: Routable>() -> R {
    use_context::<Rc<RouterContext<R>>>()
        .map(|c| c.route.clone())
        .unwrap_or_else(R::current)
}

/// The navigator of the nearest [`Router`] of `R`.
#[hook]
pub fn use_navigator<R: Routable>() -> Navigator<R> {
    use_context::<Rc<RouterContext<R>>>()
        .map(|c| c.navigator.clone())
        .unwrap_or_else(|| Navigator {
            set: Callback::noop(),
        })
}

#[derive(Properties, PartialEq)]
pub struct LinkProps<R: Routable> {
    pub to: R,
    #[prop_or_default]
    pub classes: Classes,
    #[prop_or_default]
    pub current: bool,
    pub children: Html,
}

/// A link to a route: a real `<a href>` (so it opens in a new tab, and reads as a link), moved
/// within the app on a plain click.
#[function_component]
pub fn Link<R: Routable>(props: &LinkProps<R>) -> Html {
    let navigator = use_navigator::<R>();
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
    use super::{Routable, Route};

    #[wasm_bindgen_test::wasm_bindgen_test]
    fn paths_and_routes_round_trip() {
        for r in [Route::Claim, Route::Wallet, Route::Show { id: 42 }, Route::SignIn] {
            assert_eq!(Route::from_path(&r.path()), r);
        }
        assert_eq!(Route::from_path("/wallet/x"), Route::NotFound);
        assert_eq!(Route::from_path("/nowhere"), Route::NotFound);
        assert_eq!(Route::from_path("/wallet/"), Route::Wallet);
    }
}
