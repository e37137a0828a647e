//! The merchant's till, a separate entry (`/merchant/`, its own WebAssembly) so residents never
//! download it: sign in, scan with the gun or type the code, enter the order amount, redeem,
//! undo, the day's totals.

mod camera;
mod issue;
mod offers;
mod staff;
mod till;
mod today;

use yew::prelude::*;

use crate::components::{Shell, TopBar};
use crate::context::{use_document_prefs, Prefs, PrefsHandle, SessionHandle, SessionState};
use crate::i18n::{t, Key};
use crate::router::{Link, Routable, Router};
use crate::storage;

/// Tries of a till's call (redeem, issue) before it shows the failure: a few seconds at most,
/// with a customer waiting.
const TRIES: u32 = 5;

/// Mounts the till in `#app`.
pub fn start() {
    crate::mount::<MerchantApp>();
}

/// The till's views, each at its own address under `/merchant/`: back and forward move between
/// them, and a tablet reopened on `/merchant/today` shows the day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tab {
    Till,
    Today,
    Issue,
    Offers,
    Staff,
}

impl Routable for Tab {
    fn from_path(path: &str) -> Tab {
        match path.trim_end_matches('/').rsplit('/').next() {
            Some("today") => Tab::Today,
            Some("issue") => Tab::Issue,
            Some("offers") => Tab::Offers,
            Some("staff") => Tab::Staff,
            _ => Tab::Till,
        }
    }

    fn path(&self) -> String {
        match self {
            Tab::Till => "/merchant/",
            Tab::Today => "/merchant/today",
            Tab::Issue => "/merchant/issue",
            Tab::Offers => "/merchant/offers",
            Tab::Staff => "/merchant/staff",
        }
        .into()
    }
}

#[function_component]
pub fn MerchantApp() -> Html {
    let prefs: PrefsHandle = use_reducer(Prefs::load);
    let session: SessionHandle = use_reducer(|| SessionState::load_from(storage::MERCHANT_SESSION));
    use_document_prefs(&prefs, Some("till"));
    let lang = prefs.lang;
    let signed_in = session.session.clone();
    let merchant_name = signed_in
        .as_ref()
        .and_then(|s| s.merchant.as_ref())
        .map(|m| m.name.clone());
    let category = signed_in
        .as_ref()
        .and_then(|s| s.merchant.as_ref())
        .map(|m| m.category.clone());
    let own_kinds = use_own_kinds(category);
    let issued = |how: quan_core::campaign::Issuance| -> Vec<issue::ShopKind> {
        own_kinds.iter().filter(|k| k.issuance == how).cloned().collect()
    };
    // A shop's own affairs (its offers, its settlement) are its manager's, not its cashiers'.
    let manager = signed_in
        .as_ref()
        .is_some_and(|s| s.role == quan_core::api::Role::MerchantManager);
    let shop_kinds = issued(quan_core::campaign::Issuance::Shop);
    let offer_kinds = issued(quan_core::campaign::Issuance::Merchant);
    let render = Callback::from(move |tab: Tab| {
        let tab_link = |to: Tab, label: &'static str| {
            let current = tab == to;
            html! {
                <Link<Tab> {to} {current} classes={classes!("tab", current.then_some("tab-current"))}>{ label }</Link<Tab>>
            }
        };
        let body = match &signed_in {
            None => html! { <crate::components::StaffSignIn /> },
            Some(s) => match tab {
                Tab::Till => html! { <till::Till token={s.token.clone()} /> },
                Tab::Today => html! { <today::Today token={s.token.clone()} {manager} /> },
                Tab::Issue => html! { <issue::Issue token={s.token.clone()} kinds={shop_kinds.clone()} /> },
                Tab::Offers => {
                    html! { <offers::Offers token={s.token.clone()} kinds={offer_kinds.clone()} /> }
                }
                Tab::Staff if manager => html! { <staff::ShopStaff token={s.token.clone()} /> },
                Tab::Staff => html! { <till::Till token={s.token.clone()} /> },
            },
        };
        html! {
            <>
            if signed_in.is_some() {
                <nav class="tabs" aria-label={t(lang, Key::MerchantTitle)}>
                    { tab_link(Tab::Till, t(lang, Key::NavTill)) }
                    { tab_link(Tab::Today, t(lang, Key::NavToday)) }
                    if !shop_kinds.is_empty() {
                        { tab_link(Tab::Issue, lang.pick("发券", "Issue")) }
                    }
                    if manager && !offer_kinds.is_empty() {
                        { tab_link(Tab::Offers, lang.pick("设券", "Offers")) }
                    }
                    if manager {
                        { tab_link(Tab::Staff, lang.pick("店员", "Staff")) }
                    }
                </nav>
            }
            { body }
            </>
        }
    });
    html! {
        <Shell prefs={prefs.clone()} session={session.clone()}>
            <TopBar title={AttrValue::from(t(lang, Key::MerchantTitle))} subtitle={merchant_name} />
            <Router<Tab> {render} />
        </Shell>
    }
}

/// A short beep and a vibration: the till's "done".
pub fn beep() {
    if let Some(w) = web_sys::window() {
        let _ = w.navigator().vibrate_with_duration(120);
    }
    let Ok(ctx) = web_sys::AudioContext::new() else {
        return;
    };
    let Ok(osc) = ctx.create_oscillator() else { return };
    osc.frequency().set_value(1_200.0);
    if osc.connect_with_audio_node(&ctx.destination()).is_ok() {
        let now = ctx.current_time();
        let _ = osc.start_with_when(now);
        let _ = osc.stop_with_when(now + 0.12);
    }
}

/// The order amount as typed, and the large keypad that types it (the till's and the issuing
/// screen's).
pub fn keypad(lang: crate::i18n::Lang, amount: &UseStateHandle<quan_core::entry::AmountEntry>) -> Html {
    use quan_core::entry::AmountKey;
    let press = |k: AmountKey| {
        let amount = amount.clone();
        Callback::from(move |_: MouseEvent| {
            let mut next = (*amount).clone();
            next.press(k);
            amount.set(next);
        })
    };
    html! {
        <>
        <p class="amount-display" aria-live="polite">
            <span class="muted">{ t(lang, Key::OrderAmount) }</span>
            <output id="amount" for="keypad" data-testid="amount">{ amount.text() }</output>
        </p>
        <div class="keypad" id="keypad" role="group" aria-label={t(lang, Key::OrderAmount)}>
            { for (1..=9u8).map(|d| html! { <button type="button" class="key" onclick={press(AmountKey::Digit(d))}>{ d }</button> }) }
            <button type="button" class="key" onclick={press(AmountKey::Point)}>{ "." }</button>
            <button type="button" class="key" onclick={press(AmountKey::Digit(0))}>{ "0" }</button>
            <button type="button" class="key" aria-label={t(lang, Key::Backspace)} onclick={press(AmountKey::Back)}>{ "⌫" }</button>
        </div>
        </>
    }
}

/// The kinds of running campaigns that apply in this merchant's category and that the merchant
/// gives out itself: issued in the shop, or set up by the merchant (one read of the campaigns).
#[hook]
fn use_own_kinds(category: Option<quan_core::CategoryId>) -> Vec<issue::ShopKind> {
    use quan_core::campaign::Issuance;
    let kinds = use_state(Vec::new);
    {
        let kinds = kinds.clone();
        use_effect_with(category, move |category| {
            let category = category.clone();
            if let Some(category) = category {
                wasm_bindgen_futures::spawn_local(async move {
                    let Ok(campaigns) = crate::api::campaigns().await else {
                        return;
                    };
                    let found = campaigns
                        .iter()
                        .filter(|c| c.phase == quan_core::campaign::Phase::Running)
                        .flat_map(|c| {
                            c.kinds
                                .iter()
                                .filter(|k| {
                                    matches!(k.issuance, Issuance::Shop | Issuance::Merchant)
                                        && k.categories.contains(&category)
                                })
                                .filter_map(|k| {
                                    let offer = k.denominations.first()?;
                                    Some(issue::ShopKind {
                                        issuance: k.issuance,
                                        campaign: c.id.clone(),
                                        kind: k.id.clone(),
                                        name: k.name.clone(),
                                        benefit: offer.benefit,
                                    })
                                })
                        })
                        .collect();
                    kinds.set(found);
                });
            }
        });
    }
    (*kinds).clone()
}

#[cfg(test)]
mod tests {
    use super::Tab;
    use crate::router::Routable;

    #[wasm_bindgen_test::wasm_bindgen_test]
    fn every_view_has_an_address_that_opens_it() {
        for v in [Tab::Till, Tab::Today, Tab::Issue, Tab::Offers, Tab::Staff] {
            assert_eq!(Tab::from_path(&v.path()), v);
        }
        assert_eq!(Tab::from_path("/merchant"), Tab::Till);
        assert_eq!(Tab::from_path("/merchant/today/"), Tab::Today);
    }
}
