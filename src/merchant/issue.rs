//! Issuing in the shop (Jishan's appliance coupons): staff check the order, type the customer's
//! mobile number and the order amount, and issue the kind's rate of it; the customer's wallet
//! has the coupon at once, and redeems it at this till like any other.

use quan_core::api::{IssueRequest, IssuedCoupon};
use quan_core::entry::AmountEntry;
use quan_core::rules::Benefit;
use quan_core::{CampaignId, KindId};
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::api::{self, ApiError};
use crate::components::error_notice;
use crate::context::use_prefs;
use crate::hooks::claim::with_retries;
use crate::i18n::{money, t, Key, Lang};

/// A kind this merchant gives out itself.
#[derive(Debug, Clone, PartialEq)]
pub struct ShopKind {
    /// Issued in the shop, or set up by the merchant.
    pub issuance: quan_core::campaign::Issuance,
    pub campaign: CampaignId,
    pub kind: KindId,
    pub name: String,
    pub benefit: Benefit,
}

#[derive(Properties, PartialEq)]
pub struct IssueProps {
    pub token: String,
    pub kinds: Vec<ShopKind>,
}

#[function_component]
pub fn Issue(props: &IssueProps) -> Html {
    let prefs = use_prefs();
    let lang = prefs.lang;
    let chosen = use_state(|| 0usize);
    let amount = use_state(AmountEntry::default);
    let phone = use_node_ref();
    let busy = use_state(|| false);
    let error = use_state(|| None::<ApiError>);
    let issued = use_state(|| None::<IssuedCoupon>);
    // One key per issue: a retry after a dropped answer cannot issue twice.
    let key = use_state(api::new_key);
    let Some(kind) = props.kinds.get(*chosen).or(props.kinds.first()).cloned() else {
        return html! {};
    };
    let reset = {
        let (amount, issued, error, key, phone) = (
            amount.clone(),
            issued.clone(),
            error.clone(),
            key.clone(),
            phone.clone(),
        );
        Callback::from(move |_: MouseEvent| {
            amount.set(AmountEntry::default());
            issued.set(None);
            error.set(None);
            key.set(api::new_key());
            if let Some(p) = phone.cast::<HtmlInputElement>() {
                p.set_value("");
            }
        })
    };
    if let Some(done) = &*issued {
        return html! {
            <main class="page till-page" id="main">
                <section class="receipt" role="status" aria-labelledby="issued">
                    <p class="redeemed-mark" aria-hidden="true">{ "✓" }</p>
                    <h2 id="issued">{ lang.pick("已发券", "Issued") }</h2>
                    <p>{ format!("{} · {}", done.kind_name, done.words) }</p>
                    <p>{ format!("{} {}", lang.pick("顾客", "Customer"), done.customer) }</p>
                    <p class="muted">{ format!("{} {}", t(lang, Key::ExpiresToday), done.expires_at.china_display()) }</p>
                    <p>{ lang.pick("请顾客在钱包中出示此券，在本店收银核销。", "The customer shows it from the wallet at the till.") }</p>
                    <button type="button" class="button button-primary" onclick={reset}>{ t(lang, Key::NextCustomer) }</button>
                </section>
            </main>
        };
    }
    let order = amount.amount();
    let value = order.and_then(|o| kind.benefit.discount(o.fen()).ok());
    let submit = {
        let (token, busy, error, issued, key, phone) = (
            props.token.clone(),
            busy.clone(),
            error.clone(),
            issued.clone(),
            key.clone(),
            phone.clone(),
        );
        let kind = kind.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let (Some(order), Some(input)) = (order, phone.cast::<HtmlInputElement>()) else {
                return;
            };
            let request = IssueRequest {
                campaign: kind.campaign.clone(),
                kind: kind.kind.clone(),
                phone: input.value(),
                order_amount: order,
            };
            let (token, busy, error, issued, key) = (
                token.clone(),
                busy.clone(),
                error.clone(),
                issued.clone(),
                (*key).clone(),
            );
            busy.set(true);
            error.set(None);
            wasm_bindgen_futures::spawn_local(async move {
                match with_retries(super::TRIES, || api::issue(&token, &request, &key), |_| {}).await {
                    Ok(done) => {
                        super::beep();
                        issued.set(Some(done));
                    }
                    Err(e) => error.set(Some(e)),
                }
                busy.set(false);
            });
        })
    };
    let rule = if lang == Lang::En {
        kind.benefit.words_en()
    } else {
        kind.benefit.words_zh()
    };
    html! {
        <main class="page till-page" id="main">
            <form class="till-amount" aria-labelledby="issue-title" onsubmit={submit}>
                <h2 id="issue-title">{ lang.pick("核实订单后发券", "Check the order, then issue") }</h2>
                if props.kinds.len() > 1 {
                    <div class="chips issue-wide" role="group" aria-label={lang.pick("券种", "Kind")}>
                        { for props.kinds.iter().enumerate().map(|(i, k)| {
                            let chosen = chosen.clone();
                            html! {
                                <button type="button" class="chip" aria-pressed={(i == *chosen).to_string()}
                                    onclick={Callback::from(move |_| chosen.set(i))}>{ &k.name }</button>
                            }
                        }) }
                    </div>
                }
                <p class="show-coupon issue-wide">{ format!("{} · {}", kind.name, rule) }</p>
                <div class="form issue-wide">
                    <label for="phone">{ lang.pick("顾客手机号", "Customer's mobile number") }</label>
                    <input id="phone" ref={phone} type="tel" inputmode="tel" autocomplete="off" required=true maxlength="16" />
                </div>
                { super::keypad(lang, &amount) }
                if let Some(v) = value {
                    <p class="to-pay" data-testid="issue-value">
                        { lang.pick("本券最多减 ", "This coupon takes off up to ") }<strong>{ money(lang, v) }</strong>
                    </p>
                }
                <button type="submit" class="button button-primary issue-wide" disabled={*busy || value.is_none()}>
                    { lang.pick("发券", "Issue the coupon") }
                </button>
            </form>
            if let Some(e) = &*error {
                { error_notice(lang, e) }
            }
        </main>
    }
}
