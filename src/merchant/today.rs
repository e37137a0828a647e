//! Today at this till: the redemptions, newest first, with totals, and their reversal (退货退券: a
//! refund with the coupon returned), after a confirmation.

use quan_core::api::MerchantDay;
use quan_core::RedemptionId;
use yew::prelude::*;

use crate::api::{self, ApiError};
use crate::components::error_notice;
use crate::context::use_prefs;
use crate::i18n::{money, t, Key};

#[derive(Properties, PartialEq)]
pub struct TodayProps {
    pub token: String,
    /// The shop's manager, who alone sees its settlements.
    #[prop_or_default]
    pub manager: bool,
}

#[function_component]
pub fn Today(props: &TodayProps) -> Html {
    let prefs = use_prefs();
    let lang = prefs.lang;
    let day = use_state(|| None::<Result<MerchantDay, ApiError>>);
    let confirming = use_state(|| None::<RedemptionId>);
    let generation = use_state(|| 0u32);
    {
        let (day, token) = (day.clone(), props.token.clone());
        use_effect_with(*generation, move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                day.set(Some(api::merchant_today(&token).await));
            });
        });
    }
    let reverse = |id: RedemptionId| {
        let (confirming, generation, day, token) = (
            confirming.clone(),
            generation.clone(),
            day.clone(),
            props.token.clone(),
        );
        Callback::from(move |_: MouseEvent| {
            let (confirming, generation, day, token) =
                (confirming.clone(), generation.clone(), day.clone(), token.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match api::reverse(&token, id, &api::new_key()).await {
                    Ok(_) => generation.set(generation.wrapping_add(1)),
                    Err(e) => day.set(Some(Err(e))),
                }
                confirming.set(None);
            });
        })
    };
    let ask = |id: Option<RedemptionId>| {
        let confirming = confirming.clone();
        Callback::from(move |_: MouseEvent| confirming.set(id))
    };
    let body = match &*day {
        None => html! { <p class="muted">{ t(lang, Key::Loading) }</p> },
        Some(Err(e)) => error_notice(lang, e),
        Some(Ok(d)) => html! {
            <>
                <dl class="totals" data-testid="totals">
                    <div><dt>{ t(lang, Key::TotalCount) }</dt><dd>{ d.totals.count }</dd></div>
                    <div><dt>{ t(lang, Key::TotalDiscount) }</dt><dd>{ money(lang, d.totals.discount) }</dd></div>
                    <div><dt>{ t(lang, Key::TotalOrders) }</dt><dd>{ money(lang, d.totals.order_amount) }</dd></div>
                </dl>
                if d.redemptions.is_empty() {
                    <p>{ t(lang, Key::NoRedemptions) }</p>
                }
                <ul class="redemptions">
                    { for d.redemptions.iter().map(|r| {
                        let at = r.at.china_time_of_day();
                        html! {
                            <li key={r.id.0} class={classes!("redemption", r.reversed_at.map(|_| "reversed"))}>
                                <span class="redemption-time">{ format!("{:02}:{:02}", at.hours(), at.minutes()) }</span>
                                <span class="redemption-what">{ format!("{} · {}", r.kind_name, r.words) }</span>
                                <span class="redemption-money">{ format!("{} −{}", money(lang, r.order_amount), money(lang, r.discount)) }</span>
                                if r.reversed_at.is_some() {
                                    <span class="badge">{ t(lang, Key::Reversed) }</span>
                                } else if *confirming == Some(r.id) {
                                    <span class="confirm" role="alert">
                                        { t(lang, Key::ReverseConfirm) }
                                        <button type="button" class="button button-primary" onclick={reverse(r.id)}>{ t(lang, Key::Reverse) }</button>
                                        <button type="button" class="button" onclick={ask(None)}>{ t(lang, Key::Cancel) }</button>
                                    </span>
                                } else {
                                    <button type="button" class="button" onclick={ask(Some(r.id))}
                                        aria-label={format!("{} {}", t(lang, Key::Reverse), r.words)}>{ t(lang, Key::Reverse) }</button>
                                }
                            </li>
                        }
                    }) }
                </ul>
            </>
        },
    };
    html! {
        <main class="page" id="main">
            <h2>{ t(lang, Key::TodayTitle) }</h2>
            { body }
            if props.manager {
                <Settlements token={props.token.clone()} />
            }
        </main>
    }
}

/// The merchant's settlement per campaign (what it redeemed, reversals taken off), to
/// export for the bank.
#[function_component]
fn Settlements(props: &TodayProps) -> Html {
    let prefs = use_prefs();
    let lang = prefs.lang;
    let claims = use_state(Vec::<(String, quan_core::api::Settlement)>::new);
    {
        let (claims, token) = (claims.clone(), props.token.clone());
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                let Ok(campaigns) = api::campaigns().await else {
                    return;
                };
                let mut found = Vec::new();
                for c in campaigns {
                    if let Ok(s) = api::my_settlement(&token, c.id.as_str()).await {
                        if !s.lines.is_empty() {
                            found.push((c.name.clone(), s));
                        }
                    }
                }
                claims.set(found);
            });
        });
    }
    if claims.is_empty() {
        return html! {};
    }
    let download = |campaign: String| {
        let token = props.token.clone();
        Callback::from(move |_: MouseEvent| {
            let (token, campaign) = (token.clone(), campaign.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let path = format!("/merchant/campaigns/{campaign}/settlement.csv");
                if let Ok(text) = api::text(&path, &token).await {
                    crate::components::save_csv(&format!("{campaign}-settlement.csv"), &text);
                }
            });
        })
    };
    html! {
        <section aria-labelledby="settlement" data-testid="settlement">
            <h2 id="settlement">{ lang.pick("结算申报", "Settlements") }</h2>
            { for claims.iter().map(|(name, s)| html! {
                <div class="settlement">
                    <p><strong>{ name }</strong></p>
                    { for s.lines.iter().map(|l| html! {
                        <p>{ format!("{} · {} {} · {} {}", l.kind_name, l.count, lang.pick("笔", "redemptions"),
                            lang.pick("申请结算", "to claim"), money(lang, l.discount)) }</p>
                    }) }
                    <button type="button" class="button" onclick={download(s.campaign.as_str().to_owned())}>
                        { lang.pick("导出结算申报（CSV）", "Export the claim (CSV)") }
                    </button>
                </div>
            }) }
        </section>
    }
}
