//! The wallet: coupons by status, usable first, each with its countdown to 23:59 China time.

use crate::router::Link;
use quan_core::api::{CampaignView, CategoryView};
use quan_core::rules::CouponStatus;
use yew::prelude::*;

use crate::components::{error_notice, CouponCard};
use crate::context::{use_prefs, use_session};
use crate::hooks::{use_now, use_online, use_wallet};
use crate::i18n::{t, Key};
use crate::router::Route;
use crate::{api, preload};

#[function_component]
pub fn WalletPage() -> Html {
    let prefs = use_prefs();
    let session = use_session();
    let online = use_online();
    let now = use_now(5_000);
    let state = use_wallet(session.token().map(String::from));
    let categories = use_state(Vec::<CategoryView>::new);
    {
        let categories = categories.clone();
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                let list = match preload::campaigns() {
                    Some(list) => Ok(list),
                    None => api::campaigns().await,
                };
                if let Ok(list) = list {
                    let mut all: Vec<CategoryView> = list
                        .into_iter()
                        .flat_map(|c: CampaignView| c.categories)
                        .collect();
                    all.sort_by(|a, b| a.id.cmp(&b.id));
                    all.dedup_by(|a, b| a.id == b.id);
                    categories.set(all);
                }
            });
        });
    }
    let lang = prefs.lang;
    if session.session.is_none() {
        return html! {
            <main class="page" id="main">
                <p><Link<Route> to={Route::SignIn} classes="button button-primary">{ t(lang, Key::SignIn) }</Link<Route>></p>
            </main>
        };
    }
    let mut coupons = state
        .wallet
        .as_ref()
        .map(|w| w.coupons.clone())
        .unwrap_or_default();
    // Usable first, soonest to expire first; then the rest, newest first.
    let rank = |s: CouponStatus, expired: bool| match (s, expired) {
        (CouponStatus::Held, false) => 0,
        (CouponStatus::Redeemed | CouponStatus::Closed, _) => 1,
        _ => 2,
    };
    coupons.sort_by_key(|c| {
        let r = rank(c.status, now > c.expires_at);
        (
            r,
            if r == 0 {
                c.expires_at.millis()
            } else {
                -c.claimed_at.millis()
            },
        )
    });
    html! {
        <main class="page" id="main">
            <h2>{ t(lang, Key::WalletTitle) }</h2>
            if !online {
                <p class="notice" role="status">{ format!("{} · {}", t(lang, Key::Offline), t(lang, Key::OfflineCodes)) }</p>
            }
            if let Some(e) = &state.error {
                if online {
                    { error_notice(lang, e) }
                }
            }
            if state.wallet.is_none() {
                <p class="muted" aria-live="polite">{ t(lang, Key::Loading) }</p>
            } else if coupons.is_empty() {
                <p>{ t(lang, Key::WalletEmpty) }</p>
            } else {
                <ul class="coupons">
                    { for coupons.into_iter().map(|c| html! {
                        <li key={c.id.0}><CouponCard coupon={c} categories={(*categories).clone()} /></li>
                    }) }
                </ul>
            }
        </main>
    }
}
