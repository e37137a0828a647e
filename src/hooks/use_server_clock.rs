//! The server-corrected clock. The device clock is never trusted: its offset to the server is
//! measured NTP-style (the shortest round trip wins), again whenever the page comes back into
//! view and every few minutes, and every countdown runs on corrected time. The last offset is
//! kept on the device, so a wallet opened offline still counts right. Before the first
//! measurement, the page's own request serves as one (see [`crate::preload`]).

use std::rc::Rc;

use gloo::events::EventListener;
use gloo::timers::callback::Interval;
use quan_core::time::{best_offset, ClockSample};
use quan_core::Timestamp;
use yew::prelude::*;

use crate::{api, preload, storage};

/// Samples per measurement.
const SAMPLES: usize = 4;
/// How often the offset is measured again.
const REMEASURE_MS: u32 = 5 * 60 * 1000;

/// The device clock's correction. `offset_ms` is server minus device.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct ServerClock {
    pub offset_ms: i64,
    /// Whether a measurement has succeeded (now or, stored, earlier).
    pub synced: bool,
}

impl ServerClock {
    /// The server's time now, by the device clock corrected.
    pub fn now(&self) -> Timestamp {
        Timestamp(js_sys::Date::now() as i64 + self.offset_ms)
    }
}

async fn measure() -> Option<i64> {
    let mut samples = Vec::with_capacity(SAMPLES);
    for _ in 0..SAMPLES {
        let sent = js_sys::Date::now() as i64;
        if let Ok(t) = api::server_time().await {
            let received = js_sys::Date::now() as i64;
            samples.push(ClockSample {
                sent,
                received,
                server: t.now,
            });
        }
    }
    best_offset(&samples)
}

#[derive(Properties, PartialEq)]
pub struct ClockProviderProps {
    pub children: Html,
}

/// Measures the offset on mount, when the page is shown again, and every few minutes, and gives
/// it to everything below.
#[function_component]
pub fn ClockProvider(props: &ClockProviderProps) -> Html {
    // Until the first measurement: the page's own request, else the offset kept on the device.
    let clock = use_state(|| {
        preload::clock_sample()
            .and_then(|s| best_offset(&[s]))
            .or_else(|| storage::get_raw(storage::CLOCK).and_then(|v| v.parse().ok()))
            .map(|offset_ms| ServerClock {
                offset_ms,
                synced: true,
            })
            .unwrap_or_default()
    });
    {
        let clock = clock.clone();
        use_effect_with((), move |_| {
            let run = Rc::new(move || {
                let clock = clock.clone();
                wasm_bindgen_futures::spawn_local(async move {
                    if let Some(offset_ms) = measure().await {
                        let c = ServerClock {
                            offset_ms,
                            synced: true,
                        };
                        storage::set_raw(storage::CLOCK, &offset_ms.to_string());
                        clock.set(c);
                    }
                });
            });
            run();
            let again = run.clone();
            let interval = Interval::new(REMEASURE_MS, move || again());
            let on_show = web_sys::window().and_then(|w| w.document()).map(|doc| {
                let run = run.clone();
                EventListener::new(&doc, "visibilitychange", move |_| {
                    let visible = web_sys::window()
                        .and_then(|w| w.document())
                        .is_some_and(|d| d.visibility_state() == web_sys::VisibilityState::Visible);
                    if visible {
                        run();
                    }
                })
            });
            move || {
                drop(interval);
                drop(on_show);
            }
        });
    }
    html! {
        <ContextProvider<ServerClock> context={*clock}>
            { props.children.clone() }
        </ContextProvider<ServerClock>>
    }
}

/// The corrected clock from the nearest [`ClockProvider`] (uncorrected outside one).
#[hook]
pub fn use_server_clock() -> ServerClock {
    use_context::<ServerClock>().unwrap_or_default()
}

/// The corrected time, re-rendering the component every `every_ms`.
#[hook]
pub fn use_now(every_ms: u32) -> Timestamp {
    let clock = use_server_clock();
    let update = use_force_update();
    use_effect_with(every_ms, move |every| {
        let interval = Interval::new(*every, move || update.force_update());
        move || drop(interval)
    });
    clock.now()
}
