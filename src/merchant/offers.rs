//! Coupons the merchant sets up itself (Jishan's four treasures): 满X减 the campaign's rate of X,
//! so many of them; residents claim them from the campaign page and use them only here.

use quan_core::api::OfferRequest;
use quan_core::money::OrderAmount;
use quan_core::rules::Benefit;
use quan_core::Fen;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::issue::ShopKind;
use crate::api::{self, ApiError};
use crate::components::error_notice;
use crate::context::use_prefs;
use crate::hooks::use_fetch;
use crate::i18n::Lang;

#[derive(Properties, PartialEq)]
pub struct OffersProps {
    pub token: String,
    pub kinds: Vec<ShopKind>,
}

#[function_component]
pub fn Offers(props: &OffersProps) -> Html {
    let lang = use_prefs().lang;
    let mine = use_fetch(props.token.clone(), |token| async move {
        api::my_offers(&token).await
    });
    let error = use_state(|| None::<ApiError>);
    let threshold = use_state(String::new);
    let quantity = use_node_ref();
    let Some(kind) = props.kinds.first().cloned() else {
        return html! {};
    };
    let rate = match kind.benefit {
        Benefit::Rate { basis_points, .. } => basis_points,
        Benefit::ThresholdOff { .. } => 0,
    };
    let order = OrderAmount::parse_yuan(&threshold)
        .ok()
        .filter(|f| f.fen() >= Fen(1_000));
    let preview = order.map(|t| Benefit::ThresholdOff {
        threshold: t.fen(),
        off: t.fen().basis_points(rate),
    });
    let submit = {
        let (token, mine, error, quantity, kind) = (
            props.token.clone(),
            mine.clone(),
            error.clone(),
            quantity.clone(),
            kind.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let Some(order) = order else { return };
            let count = quantity
                .cast::<HtmlInputElement>()
                .and_then(|i| i.value().trim().parse::<u32>().ok())
                .unwrap_or(0);
            let request = OfferRequest {
                campaign: kind.campaign.clone(),
                kind: kind.kind.clone(),
                threshold: order,
                quantity: count,
            };
            let (token, mine, error) = (token.clone(), mine.clone(), error.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match api::create_offer(&token, &request).await {
                    Ok(_) => {
                        error.set(None);
                        mine.reload();
                    }
                    Err(e) => error.set(Some(e)),
                }
            });
        })
    };
    let on_threshold = {
        let threshold = threshold.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(i) = e.target_dyn_into::<HtmlInputElement>() {
                threshold.set(i.value());
            }
        })
    };
    let words = |b: Benefit| {
        if lang == Lang::En {
            b.words_en()
        } else {
            b.words_zh()
        }
    };
    html! {
        <main class="page till-page" id="main">
            <h2>{ format!("{} · {}", kind.name, lang.pick("商户设券", "coupons you set up")) }</h2>
            <form class="form" onsubmit={submit}>
                <label for="offer-threshold">{ lang.pick("满多少元可用", "For orders of at least (yuan)") }</label>
                <input id="offer-threshold" inputmode="decimal" autocomplete="off" required=true value={(*threshold).clone()} oninput={on_threshold} />
                <label for="offer-quantity">{ lang.pick("张数", "How many") }</label>
                <input id="offer-quantity" ref={quantity} inputmode="numeric" autocomplete="off" required=true />
                if let Some(b) = preview {
                    <p class="to-pay" data-testid="offer-preview">{ format!("{} {}", lang.pick("按补贴比例：", "At the campaign's rate:"), words(b)) }</p>
                }
                <button type="submit" class="button button-primary" disabled={preview.is_none()}>{ lang.pick("发布", "Publish") }</button>
            </form>
            if let Some(e) = &*error {
                { error_notice(lang, e) }
            }
            { match mine.answer() {
                Some(Ok(list)) => html! {
                    <ul class="offers" data-testid="my-offers">
                        { for list.iter().map(|o| html! {
                            <li>{ format!("{} · {} {} / {}", words(o.benefit), lang.pick("已领", "claimed"), o.claimed, o.quantity) }</li>
                        }) }
                    </ul>
                },
                Some(Err(e)) => error_notice(lang, e),
                None => html! {},
            } }
        </main>
    }
}
