//! The [`Preload`] the server wrote into the resident's page: its clock, its configuration and
//! the campaigns as the page was served. The first screen draws from it instead of waiting for
//! `/time`, `/config` and `/campaigns`. Each part is taken once: whatever asks later (a page
//! opened again, a refresh) asks the API, so nothing shown is older than the page.

use std::cell::RefCell;

use quan_core::api::{CampaignView, Preload, WidgetConfig};
use quan_core::time::ClockSample;
use quan_core::Timestamp;
use wasm_bindgen::JsValue;

/// What is left of the preload: the clock stays, the rest is taken.
struct Left {
    now: Timestamp,
    config: Option<WidgetConfig>,
    campaigns: Option<Vec<CampaignView>>,
}

thread_local! {
    static LEFT: RefCell<Option<Left>> = RefCell::new(read().map(|p| Left {
        now: p.now,
        config: Some(p.config),
        campaigns: Some(p.campaigns),
    }));
}

/// The page's data block, if it has one in the expected shape.
fn read() -> Option<Preload> {
    let text = web_sys::window()?
        .document()?
        .get_element_by_id(Preload::ELEMENT)?
        .text_content()?;
    crate::json::from_str(&text).ok()
}

/// The campaigns as the page was served, the first time they are asked for.
pub fn campaigns() -> Option<Vec<CampaignView>> {
    LEFT.with(|l| l.borrow_mut().as_mut()?.campaigns.take())
}

/// The server's configuration as the page was served, the first time it is asked for.
pub fn config() -> Option<WidgetConfig> {
    LEFT.with(|l| l.borrow_mut().as_mut()?.config.take())
}

/// The page's request as one clock sample: the server read its clock between the moment the
/// browser sent the request for the page and the moment the page's first byte came back
/// (Navigation Timing), the same measurement `/time` gives.
pub fn clock_sample() -> Option<ClockSample> {
    let server = LEFT.with(|l| l.borrow().as_ref().map(|l| l.now))?;
    let performance = web_sys::window()?.performance()?;
    let entry = performance.get_entries_by_type("navigation").get(0);
    let at = |name: &str| {
        js_sys::Reflect::get(&entry, &JsValue::from_str(name))
            .ok()?
            .as_f64()
            .filter(|t| *t > 0.0)
    };
    // On the device clock the offset is applied to (`Date.now()`), which may differ from the
    // performance timeline's origin.
    let date_at = |t: f64| (js_sys::Date::now() - (performance.now() - t)) as i64;
    Some(ClockSample {
        sent: date_at(at("requestStart")?),
        received: date_at(at("responseStart")?),
        server,
    })
}
