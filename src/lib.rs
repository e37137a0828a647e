//! The coupon widget: a Yew single-page app for residents, merchants and operators, compiled to
//! WebAssembly. Pages never call HTTP themselves: everything goes through [`api`].

pub mod api;
pub mod app;
pub mod components;
pub mod config;
pub mod console;
pub mod context;
pub mod hooks;
pub mod host;
pub mod i18n;
pub mod json;
pub mod merchant;
pub mod pages;
pub mod router;
pub mod storage;

/// Mounts the app in `#app`, replacing the first paint that `index.html` shows while the
/// WebAssembly loads.
pub fn start() {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Some(root) = document.get_element_by_id("app") else {
        return;
    };
    root.set_inner_html("");
    yew::Renderer::<app::App>::with_root(root).render();
}
