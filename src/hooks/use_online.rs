//! Whether the browser believes it is online, following its `online`/`offline` events.

use gloo::events::EventListener;
use yew::prelude::*;

fn online_now() -> bool {
    web_sys::window().map(|w| w.navigator().on_line()).unwrap_or(true)
}

#[hook]
pub fn use_online() -> bool {
    let online = use_state(online_now);
    {
        let online = online.clone();
        use_effect_with((), move |_| {
            let listeners = web_sys::window().map(|w| {
                let (a, b) = (online.clone(), online.clone());
                (
                    EventListener::new(&w, "online", move |_| a.set(true)),
                    EventListener::new(&w, "offline", move |_| b.set(false)),
                )
            });
            move || drop(listeners)
        });
    }
    *online
}
