//! The coupon widget: a Yew single-page app for residents, merchants and operators, compiled to
//! WebAssembly. Pages never call HTTP themselves: everything goes through [`api`].

pub mod api;
pub mod app;
pub mod apply;
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
pub mod preload;
pub mod router;
pub mod storage;

// The unit tests beside the code run in the same headless Chromium as `tests/widget.rs`.
#[cfg(test)]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

/// Mounts the resident's app in `#app`.
pub fn start() {
    mount::<app::App>();
}

/// Mounts `C` in `#app`, replacing the first paint that the entry's HTML shows while the
/// WebAssembly loads. Each entry (resident, till, console) starts this way.
pub fn mount<C: yew::BaseComponent<Properties = ()>>() {
    let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("app"))
    else {
        return;
    };
    root.set_inner_html("");
    yew::Renderer::<C>::with_root(root).render();
}
