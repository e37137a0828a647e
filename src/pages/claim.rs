//! The claim page: the live campaigns and their kinds; each denomination with its rule in plain
//! words, what is left today, the resident's own limits; before the release, a countdown on the
//! server's clock, and the button enables at the instant the server says.

use crate::router::use_navigator;
use quan_core::api::{
    CampaignView, ClaimRequest, DenominationView, KindUsage, KindView, SignUpOutcome, SignUpView,
};
use quan_core::campaign::{Issuance, Phase};
use quan_core::Timestamp;
use yew::prelude::*;

use crate::api::{self, ApiError};
use crate::components::{error_notice, Countdown};
use crate::context::{use_prefs, use_session};
use crate::hooks::{claim, use_now};
use crate::i18n::{limit_words, money, round_usage, t, Key, Lang};
use crate::preload;
use crate::router::Route;

#[function_component]
pub fn ClaimPage() -> Html {
    let prefs = use_prefs();
    let session = use_session();
    let token = session.token().map(String::from);
    // The campaigns the page was served with draw the first screen; every look after asks the API.
    let campaigns = use_state(|| preload::campaigns().map(Ok::<_, ApiError>));
    let preloaded = use_mut_ref(|| campaigns.is_some());
    let usage = use_state(Vec::<KindUsage>::new);
    let sign_ups = use_state(Vec::<SignUpView>::new);
    let generation = use_state(|| 0u32);
    {
        let (campaigns, usage, sign_ups, session) = (
            campaigns.clone(),
            usage.clone(),
            sign_ups.clone(),
            session.clone(),
        );
        use_effect_with((token.clone(), *generation), move |(token, _)| {
            let token = token.clone();
            let fresh = std::mem::take(&mut *preloaded.borrow_mut());
            wasm_bindgen_futures::spawn_local(async move {
                if !fresh {
                    campaigns.set(Some(api::campaigns().await));
                }
                if let Some(t) = token {
                    match api::usage(&t).await {
                        Ok(u) => usage.set(u),
                        Err(e) if e.code() == Some(quan_core::ErrorCode::Unauthorized) => {
                            session.dispatch(crate::context::SessionAction::SignedOut)
                        }
                        Err(_) => {}
                    }
                    if let Ok(mine) = api::sign_ups(&t).await {
                        sign_ups.set(mine);
                    }
                }
            });
        });
    }
    let now = use_now(1_000);
    let refresh = {
        let generation = generation.clone();
        Callback::from(move |_| generation.set(generation.wrapping_add(1)))
    };
    // Past a draw's time with the resident's sign-up still waiting for it: look again every
    // two seconds until the server has made the draw.
    let awaiting = sign_ups
        .iter()
        .any(|s| s.outcome == SignUpOutcome::Waiting && now >= s.draw_at);
    {
        let refresh = refresh.clone();
        use_effect_with((awaiting, now.millis() / 2_000), move |(awaiting, _)| {
            if *awaiting {
                refresh.emit(());
            }
        });
    }
    let lang = prefs.lang;
    html! {
        <main class="page" id="main">
            {
                match &*campaigns {
                    None => html! { <p class="muted" aria-live="polite">{ t(lang, Key::Loading) }</p> },
                    Some(Err(e)) => html! { { error_notice(lang, e) } },
                    Some(Ok(list)) => {
                        let live: Vec<&CampaignView> = list.iter().filter(|c| c.phase != Phase::After).collect();
                        if live.is_empty() {
                            html! { <p>{ t(lang, Key::NoCampaigns) }</p> }
                        } else {
                            html! {
                                <div class="campaigns">
                                    { for live.into_iter().map(|c| campaign_section(lang, now, c, &usage, &sign_ups, &refresh)) }
                                </div>
                            }
                        }
                    }
                }
            }
        </main>
    }
}

/// One campaign: its release time, a countdown before it, and its claimable kinds.
fn campaign_section(
    lang: Lang,
    now: Timestamp,
    c: &CampaignView,
    usage: &[KindUsage],
    sign_ups: &[SignUpView],
    on_claimed: &Callback<()>,
) -> Html {
    let name = if lang == Lang::En && !c.name_en.is_empty() {
        &c.name_en
    } else {
        &c.name
    };
    // Kinds residents claim themselves, with something that has a face value.
    let kinds: Vec<&KindView> = c
        .kinds
        .iter()
        .filter(|k| matches!(k.issuance, Issuance::Claim | Issuance::Merchant))
        .filter(|k| k.denominations.iter().any(|o| o.benefit.face_value().is_some()))
        .collect();
    let before_release = now < c.release_at;
    html! {
        <section class="campaign" key={c.id.to_string()} aria-labelledby={format!("campaign-{}", c.id)}>
            <h2 id={format!("campaign-{}", c.id)}>{ name }</h2>
            <p class="meta">
                <span>{ &c.county }</span>
                <span>{ format!("{} – {}", c.starts, c.ends) }</span>
            </p>
            if kinds.is_empty() {
                <p class="muted">{ t(lang, Key::IssuedElsewhere) }</p>
                <p><a class="button" href="/apply/">{ t(lang, Key::ApplySubsidy) }</a></p>
                if c.kinds.iter().any(|k| k.issuance == Issuance::Merchant) {
                    <MerchantOffers campaign={c.id.as_str().to_owned()} on_claimed={on_claimed.clone()} />
                }
            } else if let Some(d) = c.draw {
                <p class="release" data-testid="draw-times">
                    { format!(
                        "{} {}–{} · {} {}",
                        lang.pick("预约抽签：报名", "By draw: sign up"),
                        clock_time(d.sign_up_opens),
                        clock_time(d.sign_up_closes),
                        lang.pick("开奖", "draw at"),
                        clock_time(d.draw_at),
                    ) }
                    if c.phase == Phase::Running && now < d.sign_up_opens {
                        { " · " }
                        <Countdown to={d.sign_up_opens} label={lang.pick("距报名", "Sign-up in")} on_reached={on_claimed.clone()} />
                    } else if c.phase == Phase::Running && now < d.draw_at {
                        { " · " }
                        <Countdown to={d.draw_at} label={lang.pick("距开奖", "Draw in")} on_reached={on_claimed.clone()} />
                    }
                </p>
            } else {
                <p class="release">
                    { format!("{} {:02}:{:02}", t(lang, Key::ReleaseAt), c.release_time.hours(), c.release_time.minutes()) }
                    if before_release && c.phase == Phase::Running {
                        { " · " }
                        <Countdown to={c.release_at} label={t(lang, Key::OpensIn)} />
                    }
                </p>
            }
            if let Some(secs) = c.busy {
                <BusyNotice {secs} on_due={on_claimed.clone()} />
            }
            { for kinds.into_iter().map(|k| {
                let usage = usage.iter().find(|u| u.campaign == c.id && u.kind == k.id);
                let signed = sign_ups.iter().find(|s| s.campaign == c.id && s.kind == k.id && s.day == c.today);
                kind_panel(lang, c, k, usage, signed, on_claimed)
            }) }
        </section>
    }
}

/// One kind: what is left today, the resident's round usage, its denominations.
fn kind_panel(
    lang: Lang,
    c: &CampaignView,
    k: &KindView,
    usage: Option<&KindUsage>,
    signed: Option<&SignUpView>,
    on_claimed: &Callback<()>,
) -> Html {
    let name = if lang == Lang::En && !k.name_en.is_empty() {
        &k.name_en
    } else {
        &k.name
    };
    html! {
        <div class="kind" key={k.id.to_string()}>
            <div class="kind-head">
                <h3>{ name }</h3>
                if let Some(left) = k.left_today {
                    <span class="left">{ format!("{} {}", t(lang, Key::LeftToday), money(lang, left)) }</span>
                }
            </div>
            if let (Some(u), Some(max)) = (usage, k.limits.per_round) {
                <p class="limits muted">{ round_usage(lang, u, max) }</p>
            }
            if let Some(reason) = &k.paused {
                <p class="notice" role="status" data-testid="paused">{ format!("{}{reason}", t(lang, Key::ClaimsPausedBecause)) }</p>
            }
            if let Some(s) = signed {
                { sign_up_notice(lang, k, s) }
            }
            <ul class="denominations">
                { for k.denominations.iter().map(|o| html! {
                    <li key={o.index}>
                        <DenominationButton campaign={c.clone()} kind={k.clone()} denomination={o.clone()} usage={usage.cloned()} signed={signed.is_some()} on_claimed={on_claimed.clone()} />
                    </li>
                }) }
            </ul>
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct BusyNoticeProps {
    secs: u32,
    /// Told when the wait is over, to read the campaigns again.
    on_due: Callback<()>,
}

/// 「请稍后再试」 while the bureau's overload switch is on, counting down to the next look; the
/// claim buttons wait with it.
#[function_component]
fn BusyNotice(props: &BusyNoticeProps) -> Html {
    let lang = use_prefs().lang;
    let now = use_now(1_000);
    let wait = i64::from(props.secs) * 1_000;
    let until = use_state(|| now.plus_millis(wait));
    let on_reached = {
        let (until, on_due) = (until.clone(), props.on_due.clone());
        Callback::from(move |_| {
            // Still on after the next look: count down again.
            until.set(until.plus_millis(wait));
            on_due.emit(());
        })
    };
    html! {
        <p class="notice" role="status" data-testid="busy">
            { t(lang, Key::TryAgainShortly) }{ " " }
            <Countdown key={until.millis()} to={*until} label={t(lang, Key::NextTryIn)} {on_reached} />
        </p>
    }
}

#[derive(Properties, PartialEq)]
struct DenominationButtonProps {
    campaign: CampaignView,
    kind: KindView,
    denomination: DenominationView,
    usage: Option<KindUsage>,
    /// On a day given out by draw: whether the resident has signed up for the kind today (one
    /// denomination a kind a day).
    signed: bool,
    /// Told when a claim or a sign-up has been answered, to read the page's data again.
    on_claimed: Callback<()>,
}

#[derive(Clone, PartialEq)]
enum ClaimState {
    Idle,
    InFlight { retries: u32 },
    Done,
    Failed(ApiError),
}

/// One denomination, its rule, and its claim button. One claim in flight at a time.
#[function_component]
fn DenominationButton(props: &DenominationButtonProps) -> Html {
    let prefs = use_prefs();
    let session = use_session();
    let navigator = use_navigator::<Route>();
    let origins = crate::app::use_host_origins();
    let now = use_now(250);
    let state = use_state(|| ClaimState::Idle);
    let lang = prefs.lang;
    let o = &props.denomination;
    let words = if lang == Lang::En {
        o.words_en.clone()
    } else {
        o.words.clone()
    };
    let value = o.benefit.face_value();
    // On a day given out by draw the button signs up, in the window, once a kind a day.
    let draw = props.campaign.draw;
    let (before_release, closed) = match draw {
        Some(d) => (now < d.sign_up_opens, props.signed || now >= d.sign_up_closes),
        None => (now < props.campaign.release_at, false),
    };
    let sold_out =
        draw.is_none() && matches!((props.kind.left_today, value), (Some(left), Some(v)) if left < v);
    let limit = props
        .usage
        .as_ref()
        .and_then(|u| props.kind.limits.first_reached(u.for_denomination(o.index)));
    let in_flight = matches!(*state, ClaimState::InFlight { .. });
    let paused = props.kind.paused.is_some();
    let busy = props.campaign.busy.is_some();
    // The host app's token on its way: a tap now would send the resident to sign in, or claim
    // for whoever was signed in on this device before.
    let signing_in = session.signing_in;
    let disabled = before_release
        || closed
        || signing_in
        || paused
        || busy
        || sold_out
        || limit.is_some()
        || in_flight
        || *state == ClaimState::Done;
    let onclick = {
        let state = state.clone();
        let token = session.token().map(String::from);
        let request = ClaimRequest {
            campaign: props.campaign.id.clone(),
            kind: props.kind.id.clone(),
            denomination: o.index,
        };
        let on_claimed = props.on_claimed.clone();
        Callback::from(move |_| {
            let Some(token) = token.clone() else {
                crate::host::emit(&origins, "needs_sign_in", &[]);
                navigator.push(&Route::SignIn);
                return;
            };
            if matches!(*state, ClaimState::InFlight { .. }) {
                return;
            }
            state.set(ClaimState::InFlight { retries: 0 });
            let (state, request, on_claimed, origins) = (
                state.clone(),
                request.clone(),
                on_claimed.clone(),
                origins.clone(),
            );
            if draw.is_some() {
                wasm_bindgen_futures::spawn_local(async move {
                    match api::sign_up(&token, &request).await {
                        Ok(()) => state.set(ClaimState::Idle),
                        Err(e) => state.set(ClaimState::Failed(e)),
                    }
                    on_claimed.emit(());
                });
                return;
            }
            wasm_bindgen_futures::spawn_local(async move {
                let retrying = state.clone();
                let result = claim::claim(&token, &request, move |n| {
                    retrying.set(ClaimState::InFlight { retries: n })
                })
                .await;
                match result {
                    Ok(c) => {
                        crate::host::emit(
                            &origins,
                            "claimed",
                            &[
                                ("coupon", (c.id.0 as f64).into()),
                                ("kind", c.kind.as_str().into()),
                            ],
                        );
                        state.set(ClaimState::Done);
                        on_claimed.emit(());
                    }
                    Err(e) => {
                        state.set(ClaimState::Failed(e));
                        on_claimed.emit(());
                    }
                }
            });
        })
    };
    let label = match (&*state, limit, sold_out) {
        (ClaimState::InFlight { .. }, _, _) if draw.is_some() => lang.pick("报名中…", "Signing up…"),
        (ClaimState::InFlight { .. }, _, _) => t(lang, Key::Claiming),
        (ClaimState::Done, _, _) => t(lang, Key::ClaimedToday),
        _ if signing_in => t(lang, Key::SigningIn),
        _ if paused => t(lang, Key::ClaimsPaused),
        _ if busy => t(lang, Key::TryLater),
        (_, Some(l), _) => limit_words(lang, l),
        _ if draw.is_some() && props.signed => lang.pick("已报名", "Signed up"),
        _ if draw.is_some() && closed => lang.pick("报名已截止", "Sign-up closed"),
        _ if draw.is_some() => lang.pick("报名", "Sign up for"),
        (_, None, true) => t(lang, Key::SoldOutToday),
        _ => t(lang, Key::Claim),
    };
    html! {
        <div class="offer">
            <span class="offer-words">{ words }</span>
            <button type="button" class="button button-primary" {disabled} {onclick}
                aria-label={format!("{} {}", label, if lang == Lang::En { &o.words_en } else { &o.words })}>
                { label }
            </button>
            {
                match &*state {
                    ClaimState::InFlight { retries } if *retries > 0 => html! { <p class="notice" role="status">{ t(lang, Key::Retrying) }</p> },
                    ClaimState::Done => html! { <p class="notice notice-ok" role="status">{ t(lang, Key::Claimed) }</p> },
                    ClaimState::Failed(e) => html! { { error_notice(lang, e) } },
                    _ => html! {},
                }
            }
        </div>
    }
}

/// `10:00`: the China time of day of an instant.
fn clock_time(t: Timestamp) -> String {
    let s = t.china_time_of_day();
    format!("{:02}:{:02}", s.hours(), s.minutes())
}

/// Where the resident's sign-up for today's draw of a kind stands.
fn sign_up_notice(lang: Lang, k: &KindView, s: &SignUpView) -> Html {
    let words = k
        .denominations
        .iter()
        .find(|o| o.index == s.denomination)
        .map(|o| {
            if lang == Lang::En {
                o.words_en.clone()
            } else {
                o.words.clone()
            }
        })
        .unwrap_or_default();
    // Once drawn: what came of it, the denomination between the two halves of the words.
    let (class, before, after) = match s.outcome {
        SignUpOutcome::Waiting => {
            let text = format!(
                "{} {words} · {} {} · {} {}",
                lang.pick("已报名", "Signed up for"),
                lang.pick("签号", "ticket"),
                s.ticket,
                lang.pick("开奖时间", "draw at"),
                clock_time(s.draw_at)
            );
            return html! { <p class="notice" role="status" data-testid="sign-up">{ text }</p> };
        }
        SignUpOutcome::Won => (
            "notice notice-ok",
            lang.pick("中签：", "Drawn: "),
            lang.pick("，券已放入「我的券」。", " — the coupon is in My coupons."),
        ),
        SignUpOutcome::NotDrawn => (
            "notice",
            lang.pick("未中签：", "Not drawn: "),
            lang.pick(
                "。今天的券已由排在前面的报名者领到，明天可再报名。",
                ". Today's coupons went to those drawn before you; sign up again tomorrow.",
            ),
        ),
        SignUpOutcome::Missed => (
            "notice",
            lang.pick("未开奖：", "No draw: "),
            lang.pick(
                "。当天的抽签未能进行，这次报名已作废。",
                ". The day's draw was not made; this sign-up is void.",
            ),
        ),
        SignUpOutcome::Refused => (
            "notice",
            lang.pick("已抽中，但未能发券：", "Drawn, but no coupon: "),
            s.refusal
                .map(|code| crate::i18n::code_words(lang, code))
                .unwrap_or_default(),
        ),
    };
    let text = format!("{before}{words}{after}");
    html! { <p class={class} role="status" data-testid="sign-up">{ text }</p> }
}

#[derive(Properties, PartialEq)]
struct MerchantOffersProps {
    campaign: String,
    on_claimed: Callback<()>,
}

/// Coupons merchants set up (Jishan's four treasures), each claimed once and used at its shop.
#[function_component]
fn MerchantOffers(props: &MerchantOffersProps) -> Html {
    let lang = use_prefs().lang;
    let session = use_session();
    let offers = use_state(Vec::<quan_core::api::MerchantOffer>::new);
    let note = use_state(|| None::<(i64, Result<(), ApiError>)>);
    let reload = use_state(|| 0u32);
    {
        let (offers, campaign) = (offers.clone(), props.campaign.clone());
        use_effect_with(*reload, move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                if let Ok(all) = api::offers().await {
                    offers.set(
                        all.into_iter()
                            .filter(|o| o.campaign.as_str() == campaign)
                            .collect(),
                    );
                }
            });
        });
    }
    if offers.is_empty() {
        return html! {};
    }
    // No claiming while the host app's sign-in is on its way (see `DenominationButton`).
    let token = session.token().filter(|_| !session.signing_in).map(String::from);
    html! {
        <ul class="denominations">
            { for offers.iter().map(|o| {
                let claim = token.clone().map(|token| {
                    let (note, reload, on_claimed, id) = (note.clone(), reload.clone(), props.on_claimed.clone(), o.id);
                    Callback::from(move |_: MouseEvent| {
                        let (token, note, reload, on_claimed) = (token.clone(), note.clone(), reload.clone(), on_claimed.clone());
                        wasm_bindgen_futures::spawn_local(async move {
                            let done = api::claim_offer(&token, id).await.map(|_| ());
                            if done.is_ok() {
                                on_claimed.emit(());
                            }
                            note.set(Some((id, done)));
                            reload.set(*reload + 1);
                        });
                    })
                });
                let words = if lang == Lang::En { o.benefit.words_en() } else { o.words.clone() };
                html! {
                    <li class="offer">
                        <span>{ format!("{} · {} · {} {}", o.merchant_name, words, lang.pick("剩余", "left"), o.quantity.saturating_sub(o.claimed)) }</span>
                        if let Some(claim) = claim {
                            <button type="button" class="button button-primary" onclick={claim}>{ format!("{} {} {}", t(lang, Key::Claim), o.merchant_name, words) }</button>
                        }
                        { match &*note {
                            Some((id, Ok(()))) if *id == o.id => html! { <p class="notice" role="status">{ t(lang, Key::Claimed) }</p> },
                            Some((id, Err(e))) if *id == o.id => error_notice(lang, e),
                            _ => html! {},
                        } }
                    </li>
                }
            }) }
        </ul>
    }
}
