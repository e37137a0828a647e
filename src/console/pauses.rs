//! Pausing part of the running campaign and resuming it: claims of one kind, all its claims, or
//! redemptions in one merchant category. The reason is what residents and tills are shown, and
//! every pause and resume is kept in the list and the audit trail.

use quan_core::api::{BusyRequest, CampaignView, PauseRequest, PauseView};
use quan_core::campaign::Issuance;
use quan_core::pause::PauseScope;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

use crate::api::{self, ApiError};
use crate::components::error_notice;
use crate::context::use_prefs;
use crate::hooks::use_fetch;
use crate::i18n::Lang;

#[derive(Properties, PartialEq)]
pub struct PausesProps {
    pub token: String,
    pub campaign: CampaignView,
    /// Told after a pause, a resumption or a turn of the overload switch.
    pub on_done: Callback<()>,
}

/// What a pause stops, in the console's words.
pub(super) fn what(lang: Lang, c: &CampaignView, scope: PauseScope, target: &str) -> String {
    let kind = || {
        c.kinds
            .iter()
            .find(|k| k.id.as_str() == target)
            .map_or(target.to_owned(), |k| k.name.clone())
    };
    let category = || {
        c.categories
            .iter()
            .find(|k| k.id.as_str() == target)
            .map_or(target.to_owned(), |k| k.name.clone())
    };
    match scope {
        PauseScope::Claims => lang.pick("全部领取", "All claims").to_owned(),
        PauseScope::Kind => format!("{}{}", lang.pick("领取：", "Claims: "), kind()),
        PauseScope::Category => format!("{}{}", lang.pick("核销：", "Redemptions: "), category()),
    }
}

#[function_component]
pub fn Pauses(props: &PausesProps) -> Html {
    let lang = use_prefs().lang;
    let list = use_fetch(
        (props.token.clone(), props.campaign.id.as_str().to_owned()),
        |(token, campaign)| async move { api::pauses(&token, &campaign).await },
    );
    let (choice, reason) = (use_node_ref(), use_node_ref());
    let error = use_state(|| None::<ApiError>);
    let c = &props.campaign;
    let submit = {
        let (token, campaign, list, error, choice, reason, on_done) = (
            props.token.clone(),
            c.id.as_str().to_owned(),
            list.clone(),
            error.clone(),
            choice.clone(),
            reason.clone(),
            props.on_done.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let chosen = choice
                .cast::<HtmlSelectElement>()
                .map(|s| s.value())
                .unwrap_or_default();
            let (scope, target) = match chosen.split_once(':') {
                Some(("kind", k)) => (PauseScope::Kind, k.to_owned()),
                Some(("category", k)) => (PauseScope::Category, k.to_owned()),
                _ => (PauseScope::Claims, String::new()),
            };
            let request = PauseRequest {
                scope,
                target,
                reason: crate::components::input_value(&reason),
            };
            let (token, campaign, list, error, on_done) = (
                token.clone(),
                campaign.clone(),
                list.clone(),
                error.clone(),
                on_done.clone(),
            );
            wasm_bindgen_futures::spawn_local(async move {
                match api::pause(&token, &campaign, &request).await {
                    Ok(_) => {
                        error.set(None);
                        list.reload();
                        on_done.emit(());
                    }
                    Err(e) => error.set(Some(e)),
                }
            });
        })
    };
    let resume = |id: i64| {
        let (token, list, error, on_done) = (
            props.token.clone(),
            list.clone(),
            error.clone(),
            props.on_done.clone(),
        );
        Callback::from(move |_: MouseEvent| {
            let (token, list, error, on_done) = (token.clone(), list.clone(), error.clone(), on_done.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match api::resume_pause(&token, id).await {
                    Ok(_) => {
                        error.set(None);
                        list.reload();
                        on_done.emit(());
                    }
                    Err(e) => error.set(Some(e)),
                }
            });
        })
    };
    let refusal = |e: &ApiError| match e.code() {
        Some(quan_core::ErrorCode::InvalidRequest) => html! {
            <p class="notice notice-error" role="alert">{ lang.pick(
                "请写明原因（至多 200 字）；同一项已在暂停中时，请先恢复。",
                "Say why (at most 200 characters); if it is paused already, resume it first.",
            ) }</p>
        },
        _ => error_notice(lang, e),
    };
    let row = |p: &PauseView| {
        let label = what(lang, c, p.scope, &p.target);
        html! {
            <li>
                { format!("{} · {} · {} · {}", p.paused_at.china_display(), label, p.reason, p.paused_by) }
                if let Some(at) = p.resumed_at {
                    <span class="muted">{ format!(" · {} {}", lang.pick("已恢复", "resumed"), at.china_display()) }</span>
                } else {
                    { " " }
                    <button type="button" class="chip" onclick={resume(p.id)}
                        aria-label={format!("{} {label}", lang.pick("恢复", "Resume"))}>{ lang.pick("恢复", "Resume") }</button>
                }
            </li>
        }
    };
    html! {
        <section aria-labelledby="pauses">
            <h3 id="pauses">{ lang.pick("暂停与恢复", "Pause and resume") }</h3>
            <p class="muted">{ lang.pick(
                "即时对所有服务器生效；原因会显示给居民和收银台。",
                "Takes effect at once on every server; residents and tills are shown the reason.",
            ) }</p>
            <form class="form reallocate" onsubmit={submit}>
                <label for="pause-what">{ lang.pick("暂停什么", "What to pause") }</label>
                <select id="pause-what" ref={choice}>
                    <option value="claims">{ what(lang, c, PauseScope::Claims, "") }</option>
                    { for c.kinds.iter().filter(|k| k.issuance != Issuance::Allocate).map(|k| html! {
                        <option value={format!("kind:{}", k.id)}>{ what(lang, c, PauseScope::Kind, k.id.as_str()) }</option>
                    }) }
                    { for c.categories.iter().map(|k| html! {
                        <option value={format!("category:{}", k.id)}>{ what(lang, c, PauseScope::Category, k.id.as_str()) }</option>
                    }) }
                </select>
                <label for="pause-reason">{ lang.pick("原因（居民和收银台可见，记录在案）", "Why (residents and tills see it; kept on record)") }</label>
                <input id="pause-reason" ref={reason} autocomplete="off" maxlength="200" required=true />
                <button type="submit" class="button">{ lang.pick("暂停", "Pause") }</button>
            </form>
            if let Some(e) = &*error {
                { refusal(e) }
            }
            { match list.answer() {
                Some(Ok(all)) if !all.is_empty() => html! {
                    <ul class="flags" data-testid="pauses">{ for all.iter().map(row) }</ul>
                },
                Some(Err(e)) => error_notice(lang, e),
                _ => html! {},
            } }
            <Busy token={props.token.clone()} campaign={c.id.as_str().to_owned()} on_done={props.on_done.clone()} />
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct BusyProps {
    token: String,
    campaign: String,
    on_done: Callback<()>,
}

/// The overload switch: residents' claims asked to come back in so many seconds
/// (「请稍后再试」, with a countdown on the claim page), while tills keep redeeming.
#[function_component]
fn Busy(props: &BusyProps) -> Html {
    let lang = use_prefs().lang;
    let state = use_fetch(
        (props.token.clone(), props.campaign.clone()),
        |(token, campaign)| async move { api::busy(&token, &campaign).await },
    );
    let secs = use_node_ref();
    let error = use_state(|| None::<ApiError>);
    let switch = |on: bool| {
        let (token, campaign, state, error, secs, on_done) = (
            props.token.clone(),
            props.campaign.clone(),
            state.clone(),
            error.clone(),
            secs.clone(),
            props.on_done.clone(),
        );
        Callback::from(move |_: MouseEvent| {
            let request = BusyRequest {
                on,
                // Empty is the suggested 30 seconds.
                retry_after: match crate::components::input_value(&secs).trim() {
                    "" => 30,
                    typed => typed.parse().unwrap_or(0),
                },
            };
            let (token, campaign, state, error, on_done) = (
                token.clone(),
                campaign.clone(),
                state.clone(),
                error.clone(),
                on_done.clone(),
            );
            wasm_bindgen_futures::spawn_local(async move {
                match api::set_busy(&token, &campaign, &request).await {
                    Ok(_) => {
                        error.set(None);
                        state.reload();
                        on_done.emit(());
                    }
                    Err(e) => error.set(Some(e)),
                }
            });
        })
    };
    let on = matches!(state.answer(), Some(Ok(b)) if b.on);
    html! {
        <>
            <h4 id="busy">{ lang.pick("繁忙模式（请稍后再试）", "Overload switch (try again shortly)") }</h4>
            <p class="muted">{ lang.pick(
                "开启后，居民领取时会看到「请稍后再试」和倒计时；收银台照常核销。领取队列过长时，服务器也会自动这样做。",
                "While on, residents who claim see 「请稍后再试」 with a countdown; tills keep redeeming. Each server does the same by itself when its claim queue runs deep.",
            ) }</p>
            if let Some(Ok(b)) = state.answer() {
                <p role="status" data-testid="busy-state">{ match (b.on, b.retry_after) {
                    (true, Some(s)) => format!("{}{s}{}{}", lang.pick("已开启：请居民 ", "On: residents wait "), lang.pick(" 秒后再试 · ", " s · "), b.by.clone().unwrap_or_default()),
                    _ => lang.pick("未开启", "Off").to_owned(),
                } }</p>
            }
            <div class="filters">
                <label>{ lang.pick("等待秒数（5–600）", "Seconds to wait (5–600)") }
                    <input ref={secs.clone()} type="number" min="5" max="600" placeholder="30" inputmode="numeric" /></label>
                if on {
                    <button type="button" class="button" onclick={switch(false)}>{ lang.pick("关闭繁忙模式", "Turn off") }</button>
                    <button type="button" class="chip" onclick={switch(true)}>{ lang.pick("更改等待", "Change the wait") }</button>
                } else {
                    <button type="button" class="button" onclick={switch(true)}>{ lang.pick("开启繁忙模式", "Turn on") }</button>
                }
            </div>
            if let Some(e) = &*error {
                if e.code() == Some(quan_core::ErrorCode::InvalidRequest) {
                    <p class="notice notice-error" role="alert">{ lang.pick("等待时间为 5 到 600 秒。", "The wait is 5 to 600 seconds.") }</p>
                } else {
                    { error_notice(lang, e) }
                }
            }
        </>
    }
}
