use crate::router::Link;
use quan_core::api::{CategoryView, CouponView};
use quan_core::campaign::Issuance;
use quan_core::rules::CouponStatus;
use yew::prelude::*;

use crate::components::Countdown;
use crate::context::use_prefs;
use crate::hooks::use_now;
use crate::i18n::{money, t, Key, Lang};
use crate::router::Route;

#[derive(Properties, PartialEq)]
pub struct CouponCardProps {
    pub coupon: CouponView,
    /// Names of the merchant categories, to say where it can be used.
    pub categories: Vec<CategoryView>,
}

/// A coupon in the wallet: its rule, its status, a live countdown to its expiry while usable,
/// where it can be used, and the way to the code.
#[function_component]
pub fn CouponCard(props: &CouponCardProps) -> Html {
    let prefs = use_prefs();
    let lang = prefs.lang;
    let now = use_now(1_000);
    let c = &props.coupon;
    let status = if c.status == CouponStatus::Held && now > c.expires_at {
        CouponStatus::Expired
    } else {
        c.status
    };
    let (badge, class) = match status {
        CouponStatus::Held => (t(lang, Key::Usable), "usable"),
        CouponStatus::Redeemed | CouponStatus::Closed => (t(lang, Key::Used), "used"),
        CouponStatus::Expired => (t(lang, Key::Expired), "expired"),
        CouponStatus::Revoked => (t(lang, Key::Returned), "revoked"),
    };
    let words = match lang {
        Lang::Zh => c.words.clone(),
        Lang::En => c.benefit.words_en(),
    };
    let kind_name = match lang {
        Lang::En if !c.kind_name_en.is_empty() => c.kind_name_en.clone(),
        _ => c.kind_name.clone(),
    };
    let places = if c.categories.is_empty() {
        t(lang, Key::AnyMerchant).to_owned()
    } else {
        c.categories
            .iter()
            .map(|id| {
                props
                    .categories
                    .iter()
                    .find(|x| &x.id == id)
                    .map(|x| {
                        if lang == Lang::En && !x.name_en.is_empty() {
                            x.name_en.clone()
                        } else {
                            x.name.clone()
                        }
                    })
                    .unwrap_or_else(|| id.to_string())
            })
            .collect::<Vec<_>>()
            .join(" · ")
    };
    let expiry = c.expires_at;
    html! {
        <article class={classes!("coupon", format!("coupon-{class}"))} aria-labelledby={format!("coupon-{}", c.id)}>
            <div class="coupon-value" aria-hidden="true">{ money(lang, c.value) }</div>
            <div class="coupon-body">
                <h3 id={format!("coupon-{}", c.id)}>
                    { kind_name }
                    if c.source == Issuance::Allocate {
                        <span class="tag">{ t(lang, Key::LoveCoupon) }</span>
                    }
                </h3>
                <p class="coupon-rule">{ words }</p>
                <p class="coupon-where">{ format!("{}：{}", t(lang, Key::UseAt), places) }</p>
                <p class="coupon-status">
                    <span class={classes!("badge", format!("badge-{class}"))}>{ badge }</span>
                    if status == CouponStatus::Held {
                        { " " }
                        <Countdown to={expiry} label={t(lang, Key::ExpiresIn)} />
                    } else if matches!(status, CouponStatus::Redeemed | CouponStatus::Closed) {
                        { format!(" −{}", money(lang, c.given)) }
                    }
                </p>
            </div>
            if status == CouponStatus::Held {
                <Link<Route> to={Route::Show { id: c.id.0 }} classes="button button-primary coupon-show">
                    { t(lang, Key::ShowCode) }
                </Link<Route>>
            }
        </article>
    }
}
