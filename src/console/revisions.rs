//! Revising the running campaign without a restart: a round scheduled (round 2's dates, quotas
//! and release time, with each kind's daily release previewed), or a revised campaign file
//! uploaded, its changes read in words and then confirmed. Every version is listed with who
//! confirmed it and why.

use quan_core::api::{CampaignView, RevisionRequest, RevisionView, RoundRequest, RoundView};
use quan_core::campaign::{Issuance, Release, SignUpWindow};
use quan_core::revision::Change;
use quan_core::{ChinaDate, Fen, KindId, TimeOfDay};
use wasm_bindgen::JsCast;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::api::{self, ApiError};
use crate::components::{chosen_file, error_notice, input_value};
use crate::context::use_prefs;
use crate::hooks::use_fetch;
use crate::i18n::{error_words, money, Lang};

#[derive(Properties, PartialEq)]
pub struct RevisionsProps {
    pub token: String,
    pub campaign: CampaignView,
    /// Told after a revision is confirmed.
    pub on_done: Callback<()>,
}

/// What a preview would confirm: the same request again, with `confirm`.
#[derive(Clone, PartialEq)]
enum Proposal {
    Round(RoundRequest),
    File(RevisionRequest),
}

fn kind_name(c: &CampaignView, lang: Lang, id: &KindId) -> String {
    c.kinds
        .iter()
        .find(|k| &k.id == id)
        .map(|k| {
            if lang == Lang::En && !k.name_en.is_empty() {
                k.name_en.clone()
            } else {
                k.name.clone()
            }
        })
        .unwrap_or_else(|| id.as_str().to_owned())
}

fn dates(lang: Lang, starts: Option<ChinaDate>, ends: Option<ChinaDate>) -> String {
    match (starts, ends) {
        (Some(s), Some(e)) => format!("{s} – {e}"),
        _ => lang.pick("时间待定", "dates to be set").into(),
    }
}

fn time(lang: Lang, t: Option<TimeOfDay>) -> String {
    t.map_or_else(
        || lang.pick("活动统一时间", "the campaign's time").into(),
        |t| t.to_string(),
    )
}

/// One change, in the console's words.
pub fn change_words(lang: Lang, c: &CampaignView, change: &Change) -> String {
    let kind = |id: &KindId| kind_name(c, lang, id);
    let zh = lang == Lang::Zh;
    match change {
        Change::Name { from, to } => format!("{}{from} → {to}", lang.pick("活动名称：", "Name: ")),
        Change::Period {
            from_starts,
            from_ends,
            to_starts,
            to_ends,
        } => format!(
            "{}{from_starts} – {from_ends} → {to_starts} – {to_ends}",
            lang.pick("活动时间：", "Period: ")
        ),
        Change::Budget { from, to } => format!(
            "{}{} → {}",
            lang.pick("总预算：", "Total budget: "),
            money(lang, *from),
            money(lang, *to)
        ),
        Change::ReleaseTime { from, to } => {
            format!("{}{from} → {to}", lang.pick("每日投放时间：", "Daily release: "))
        }
        Change::DailyRelease { .. } => lang
            .pick("每日投放方式有变", "How each day's release is spread changes")
            .into(),
        Change::Categories => lang.pick("商户类别有变", "Merchant categories change").into(),
        Change::KindAdded {
            kind: k,
            name,
            budget,
        } => format!(
            "{}{name}（{k}），{}",
            lang.pick("新增券种：", "Kind added: "),
            money(lang, *budget)
        ),
        Change::KindRemoved { name, .. } => format!("{}{name}", lang.pick("删除券种：", "Kind removed: ")),
        Change::KindRenamed { from, to, .. } => {
            format!("{}{from} → {to}", lang.pick("券种改名：", "Kind renamed: "))
        }
        Change::KindBudget { kind: k, from, to } => format!(
            "{}{}{} → {}",
            kind(k),
            lang.pick(" 预算：", " budget: "),
            money(lang, *from),
            money(lang, *to)
        ),
        Change::KindLimits { kind: k, .. } => format!(
            "{}{}",
            kind(k),
            lang.pick(" 每人限领规则有变", ": limits per resident change")
        ),
        Change::KindRules { kind: k } => format!(
            "{}{}",
            kind(k),
            lang.pick(" 面额或使用规则有变", ": denominations or rules change")
        ),
        Change::SubsidyAdded { name, budget, .. } => format!(
            "{}{name}，{}",
            lang.pick("新增补贴：", "Subsidy added: "),
            money(lang, *budget)
        ),
        Change::SubsidyRemoved { name, .. } => {
            format!("{}{name}", lang.pick("删除补贴：", "Subsidy removed: "))
        }
        Change::SubsidyBudget { subsidy, from, to } => format!(
            "{subsidy}{}{} → {}",
            lang.pick(" 补贴预算：", " subsidy budget: "),
            money(lang, *from),
            money(lang, *to)
        ),
        Change::SubsidyRules { subsidy } => format!(
            "{subsidy}{}",
            lang.pick(" 补贴规则有变", ": subsidy rules change")
        ),
        Change::RoundAdded {
            round,
            name,
            starts,
            ends,
        } => {
            if zh {
                format!("新增第 {round} 轮「{name}」：{}", dates(lang, *starts, *ends))
            } else {
                format!("Round {round} ({name}) added: {}", dates(lang, *starts, *ends))
            }
        }
        Change::RoundRemoved { round, name } => {
            if zh {
                format!("删除第 {round} 轮「{name}」")
            } else {
                format!("Round {round} ({name}) removed")
            }
        }
        Change::RoundRenamed { round, from, to } => {
            if zh {
                format!("第 {round} 轮改名：{from} → {to}")
            } else {
                format!("Round {round} renamed: {from} → {to}")
            }
        }
        Change::RoundDates {
            round,
            from_starts,
            from_ends,
            to_starts,
            to_ends,
        } => {
            let (a, b) = (
                dates(lang, *from_starts, *from_ends),
                dates(lang, *to_starts, *to_ends),
            );
            if zh {
                format!("第 {round} 轮时间：{a} → {b}")
            } else {
                format!("Round {round}: {a} → {b}")
            }
        }
        Change::RoundReleaseTime { round, from, to } => {
            let (a, b) = (time(lang, *from), time(lang, *to));
            if zh {
                format!("第 {round} 轮投放时间：{a} → {b}")
            } else {
                format!("Round {round} releases at: {a} → {b}")
            }
        }
        Change::RoundRelease {
            round,
            from,
            to,
            sign_up,
        } => {
            let how = |r: &Release| match (r, zh) {
                (Release::Rush, true) => "先到先得",
                (Release::Draw, true) => "预约抽签",
                (Release::Rush, false) => "first come",
                (Release::Draw, false) => "draw",
            };
            let window = sign_up.map_or_else(String::new, |w| {
                if zh {
                    format!("（报名 {}–{}）", w.opens, w.closes)
                } else {
                    format!(" (sign-up {}–{})", w.opens, w.closes)
                }
            });
            if zh {
                format!("第 {round} 轮发放方式：{} → {}{window}", how(from), how(to))
            } else {
                format!("Round {round} given out by: {} → {}{window}", how(from), how(to))
            }
        }
        Change::RoundQuota {
            round,
            kind: k,
            from,
            to,
        } => {
            let (a, b) = (money(lang, *from), money(lang, *to));
            if zh {
                format!("第 {round} 轮 {} 额度：{a} → {b}", kind(k))
            } else {
                format!("Round {round} {} quota: {a} → {b}", kind(k))
            }
        }
        Change::Details => lang
            .pick("英文名称或来源文件有变", "English names or the source change")
            .into(),
        Change::Reallocated {
            from_kind,
            to_kind,
            amount,
        } => format!(
            "{}{} → {}，{}",
            lang.pick("预算调剂：", "Reallocation: "),
            kind(from_kind),
            kind(to_kind),
            money(lang, *amount)
        ),
    }
}

/// Who confirmed a version, in the console's words.
pub(super) fn who(lang: Lang, by: Option<&str>) -> String {
    match by {
        Some("seed") => lang.pick("活动文件", "the seed file").into(),
        Some("command line") => lang.pick("服务器命令行", "the server's command line").into(),
        Some(name) => name.into(),
        None => String::new(),
    }
}

/// A refusal of a revision: the widget's words, then the rules' own reason.
fn refusal(lang: Lang, e: &ApiError) -> Html {
    let detail = match e {
        ApiError::Problem { problem, .. }
            if matches!(
                problem.code,
                quan_core::ErrorCode::RevisionRefused | quan_core::ErrorCode::InvalidRequest
            ) =>
        {
            problem.detail.clone()
        }
        _ => None,
    };
    match detail {
        Some(d) => html! {
            <p class="notice notice-error" role="alert">
                { error_words(lang, e) }{ lang.pick("原因：", " Why: ") }<span lang="en">{ d }</span>
            </p>
        },
        None => error_notice(lang, e),
    }
}

fn input_by_id(id: &str) -> Option<HtmlInputElement> {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
        .and_then(|e| e.dyn_into::<HtmlInputElement>().ok())
}

fn read_input(id: &str) -> String {
    input_by_id(id).map(|i| i.value()).unwrap_or_default()
}

fn write_input(id: &str, value: &str) {
    if let Some(i) = input_by_id(id) {
        i.set_value(value);
    }
}

#[function_component]
pub fn Revisions(props: &RevisionsProps) -> Html {
    let lang = use_prefs().lang;
    let c = &props.campaign;
    let running = use_fetch(
        (props.token.clone(), c.id.as_str().to_owned()),
        |(token, campaign)| async move { api::campaign_versions(&token, &campaign).await },
    );
    let chosen = use_state(|| None::<u32>);
    let preview = use_state(|| None::<(Proposal, RevisionView)>);
    let error = use_state(|| None::<ApiError>);
    let made = use_state(|| None::<i64>);
    // What the form itself refuses before sending.
    let hint = use_state(|| false);
    let (file, file_reason) = (use_node_ref(), use_node_ref());
    // The campaign as it runs, saved as a file: the one to edit and upload.
    let download = {
        let (token, campaign, error) = (props.token.clone(), c.id.as_str().to_owned(), error.clone());
        let version = match running.answer() {
            Some(Ok(v)) => v.version,
            _ => 0,
        };
        Callback::from(move |_: MouseEvent| {
            let (token, campaign, error) = (token.clone(), campaign.clone(), error.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match api::campaign_file(&token, &campaign).await {
                    Ok(text) => {
                        error.set(None);
                        crate::components::save_file(
                            &format!("{campaign}-v{version}.toml"),
                            "application/toml;charset=utf-8",
                            &text,
                        );
                    }
                    Err(e) => error.set(Some(e)),
                }
            });
        })
    };
    let claimed: Vec<KindId> = c
        .kinds
        .iter()
        .filter(|k| k.issuance != Issuance::Allocate)
        .map(|k| k.id.clone())
        .collect();
    let rounds: Vec<RoundView> = match running.answer() {
        Some(Ok(v)) => v.rounds.clone(),
        _ => Vec::new(),
    };
    let open: Vec<&RoundView> = rounds.iter().filter(|r| !r.begun).collect();
    let next = rounds.iter().map(|r| r.number).max().unwrap_or(0) + 1;
    let number = chosen.unwrap_or_else(|| open.first().map_or(next, |r| r.number));
    let editing = rounds.iter().find(|r| r.number == number).cloned();
    // The form starts from the chosen round as it runs, each time another is chosen (or the
    // rounds arrive); what the operator then types stays as typed.
    {
        let claimed = claimed.clone();
        let version = match running.answer() {
            Some(Ok(v)) => v.version,
            _ => 0,
        };
        let fresh = if lang == Lang::Zh {
            format!("第{next}轮")
        } else {
            format!("Round {next}")
        };
        use_effect_with((number, version), move |_| {
            let r = editing.as_ref();
            let day = |d: Option<ChinaDate>| d.map(|d| d.to_string()).unwrap_or_default();
            write_input("round-name", &r.map_or(fresh, |r| r.name.clone()));
            write_input("round-starts", &day(r.and_then(|r| r.starts)));
            write_input("round-ends", &day(r.and_then(|r| r.ends)));
            write_input(
                "round-release",
                &r.and_then(|r| r.release_time)
                    .map(|t| t.to_string())
                    .unwrap_or_default(),
            );
            let window = r.and_then(|r| r.sign_up);
            write_input(
                "round-sign-up-opens",
                &window.map(|w| w.opens.to_string()).unwrap_or_default(),
            );
            write_input(
                "round-sign-up-closes",
                &window.map(|w| w.closes.to_string()).unwrap_or_default(),
            );
            for k in &claimed {
                let quota = r.and_then(|r| r.quota.get(k)).map(|f| f.yuan_compact());
                write_input(&format!("quota-{k}"), &quota.unwrap_or_default());
            }
        });
    }

    // Sends `proposal`: a preview, or (confirmed) the revision itself.
    let send = {
        let (token, campaign, preview, error, made, running, on_done) = (
            props.token.clone(),
            c.id.as_str().to_owned(),
            preview.clone(),
            error.clone(),
            made.clone(),
            running.clone(),
            props.on_done.clone(),
        );
        move |proposal: Proposal| {
            let (token, campaign, preview, error, made, running, on_done) = (
                token.clone(),
                campaign.clone(),
                preview.clone(),
                error.clone(),
                made.clone(),
                running.clone(),
                on_done.clone(),
            );
            wasm_bindgen_futures::spawn_local(async move {
                let answer = match &proposal {
                    Proposal::Round(r) => api::schedule_round(&token, &campaign, r).await,
                    Proposal::File(f) => api::revise(&token, &campaign, f).await,
                };
                match answer {
                    Ok(view) if view.applied => {
                        error.set(None);
                        preview.set(None);
                        made.set(Some(view.version));
                        running.reload();
                        on_done.emit(());
                    }
                    Ok(view) => {
                        error.set(None);
                        made.set(None);
                        preview.set(Some((proposal, view)));
                    }
                    Err(e) => {
                        preview.set(None);
                        error.set(Some(e));
                    }
                }
            });
        }
    };
    let schedule = {
        let (send, claimed, hint) = (send.clone(), claimed.clone(), hint.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            hint.set(false);
            let date = |id: &str| ChinaDate::parse(&read_input(id)).ok();
            let (Some(starts), Some(ends)) = (date("round-starts"), date("round-ends")) else {
                hint.set(true);
                return;
            };
            let mut quota = std::collections::BTreeMap::new();
            for k in &claimed {
                let text = read_input(&format!("quota-{k}"));
                let fen = if text.trim().is_empty() {
                    Ok(Fen::ZERO)
                } else {
                    Fen::parse_yuan(&text)
                };
                match fen {
                    Ok(f) if f.is_positive() => {
                        quota.insert(k.clone(), f);
                    }
                    Ok(_) => {}
                    Err(_) => {
                        hint.set(true);
                        return;
                    }
                }
            }
            let release = read_input("round-release");
            // Both times for a draw, neither for first come.
            let (opens, closes) = (
                read_input("round-sign-up-opens"),
                read_input("round-sign-up-closes"),
            );
            let sign_up = match (opens.trim().is_empty(), closes.trim().is_empty()) {
                (true, true) => None,
                _ => match (TimeOfDay::parse(&opens), TimeOfDay::parse(&closes)) {
                    (Ok(opens), Ok(closes)) => Some(SignUpWindow { opens, closes }),
                    _ => {
                        hint.set(true);
                        return;
                    }
                },
            };
            send(Proposal::Round(RoundRequest {
                number,
                name: read_input("round-name"),
                starts,
                ends,
                release_time: TimeOfDay::parse(&release).ok(),
                sign_up,
                quota,
                reason: read_input("round-reason"),
                confirm: false,
                version: None,
            }));
        })
    };
    let upload = {
        let (send, file, file_reason) = (send.clone(), file.clone(), file_reason.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let Some(f) = chosen_file(&file) else {
                return;
            };
            let (send, reason) = (send.clone(), input_value(&file_reason));
            wasm_bindgen_futures::spawn_local(async move {
                let text = wasm_bindgen_futures::JsFuture::from(f.text())
                    .await
                    .ok()
                    .and_then(|t| t.as_string())
                    .unwrap_or_default();
                send(Proposal::File(RevisionRequest {
                    file: text,
                    reason,
                    confirm: false,
                    version: None,
                }));
            });
        })
    };
    let confirm = {
        let (send, preview) = (send.clone(), preview.clone());
        Callback::from(move |_: MouseEvent| {
            if let Some((proposal, view)) = (*preview).clone() {
                let version = Some(view.version);
                send(match proposal {
                    Proposal::Round(r) => Proposal::Round(RoundRequest {
                        confirm: true,
                        version,
                        ..r
                    }),
                    Proposal::File(f) => Proposal::File(RevisionRequest {
                        confirm: true,
                        version,
                        ..f
                    }),
                });
            }
        })
    };
    let cancel = {
        let preview = preview.clone();
        Callback::from(move |_: MouseEvent| preview.set(None))
    };
    let choose = {
        let chosen = chosen.clone();
        Callback::from(move |e: Event| {
            let value = e
                .target_dyn_into::<HtmlSelectElement>()
                .and_then(|s| s.value().parse().ok());
            chosen.set(value);
        })
    };
    let words = |changes: &[Change]| -> Html {
        html! { <ul class="flags">{ for changes.iter().map(|ch| html! { <li>{ change_words(lang, c, ch) }</li> }) }</ul> }
    };
    let round_label = |r: &RoundView| {
        if lang == Lang::Zh {
            format!(
                "第 {} 轮「{}」· {}",
                r.number,
                r.name,
                dates(lang, r.starts, r.ends)
            )
        } else {
            format!(
                "Round {} ({}) · {}",
                r.number,
                r.name,
                dates(lang, r.starts, r.ends)
            )
        }
    };
    let release_placeholder = match running.answer() {
        Some(Ok(v)) => v.release_time.to_string(),
        _ => String::new(),
    };
    html! {
        <section aria-labelledby="revisions">
            <h3 id="revisions">{ lang.pick("活动修订", "Revising the campaign") }</h3>
            <p class="muted">{ lang.pick(
                "无需重启：确认后所有服务器在一秒内按新版本运行。已开始的轮次和居民已领的券不受影响。",
                "No restart: once confirmed, every server runs the new version within a second. Rounds that have begun and coupons residents hold stay as they are.",
            ) }</p>
            if let Some(Ok(v)) = running.answer() {
                <ul class="flags" data-testid="rounds">
                    { for v.rounds.iter().map(|r| html! {
                        <li>{ round_label(r) }{ if r.begun { lang.pick("（已开始）", " (begun)") } else { "" } }</li>
                    }) }
                </ul>
            }
            <h4>{ lang.pick("安排轮次", "Schedule a round") }</h4>
            <form class="form reallocate" onsubmit={schedule} data-testid="round-form">
                <label for="round-number">{ lang.pick("轮次", "Round") }</label>
                <select id="round-number" onchange={choose}>
                    { for open.iter().map(|r| html! {
                        <option value={r.number.to_string()} selected={r.number == number}>{ round_label(r) }</option>
                    }) }
                    <option value={next.to_string()} selected={next == number}>{
                        if lang == Lang::Zh { format!("新增第 {next} 轮") } else { format!("A new round {next}") }
                    }</option>
                </select>
                <label for="round-name">{ lang.pick("名称", "Name") }</label>
                <input id="round-name" maxlength="40" required=true />
                <label for="round-starts">{ lang.pick("开始日期", "First day") }</label>
                <input id="round-starts" type="date" required=true min={c.starts.to_string()} max={c.ends.to_string()} />
                <label for="round-ends">{ lang.pick("结束日期", "Last day") }</label>
                <input id="round-ends" type="date" required=true min={c.starts.to_string()} max={c.ends.to_string()} />
                <label for="round-release">{ lang.pick("每日投放时间（留空为活动统一时间）", "Daily release (empty: the campaign's time)") }</label>
                <input id="round-release" type="time" placeholder={release_placeholder} />
                <label for="round-sign-up-opens">{ lang.pick("预约抽签：每日报名开始（留空为先到先得）", "By draw: sign-up opens (empty: first come)") }</label>
                <input id="round-sign-up-opens" type="time" />
                <label for="round-sign-up-closes">{ lang.pick("报名截止（不晚于投放时间，届时开奖）", "Sign-up closes (by the release time, when the draw is made)") }</label>
                <input id="round-sign-up-closes" type="time" />
                { for claimed.iter().map(|k| {
                    let id = format!("quota-{k}");
                    html! {
                        <>
                            <label for={id.clone()}>{ format!("{}{}", kind_name(c, lang, k), lang.pick(" 额度（元）", " quota (yuan)")) }</label>
                            <input id={id} inputmode="decimal" autocomplete="off" />
                        </>
                    }
                }) }
                <label for="round-reason">{ lang.pick("安排依据（记录在案）", "Why this round (kept on record)") }</label>
                <input id="round-reason" maxlength="200" autocomplete="off" />
                <button type="submit" class="button">{ lang.pick("预览", "Preview") }</button>
            </form>
            <h4>{ lang.pick("上传修订后的活动文件", "Upload a revised campaign file") }</h4>
            <p class="muted">
                { lang.pick(
                    "请在当前运行的版本上修改：它已包含此前的每次修订、调剂和轮次安排。",
                    "Edit the version that runs: it carries every revision, reallocation and round before it.",
                ) }
                <button type="button" class="chip" onclick={download}>{ lang.pick("下载当前版本（.toml）", "Download the running version (.toml)") }</button>
            </p>
            <form class="filters" onsubmit={upload}>
                <label>{ lang.pick("活动文件（.toml）", "Campaign file (.toml)") }<input type="file" accept=".toml,text/plain" ref={file} required=true /></label>
                <label>{ lang.pick("修订依据（记录在案）", "Why the revision (kept on record)") }<input ref={file_reason} maxlength="200" autocomplete="off" /></label>
                <button type="submit" class="button">{ lang.pick("预览", "Preview") }</button>
            </form>
            if *hint {
                <p class="notice notice-error" role="alert">{ lang.pick(
                    "请填写开始和结束日期；额度写金额（元），如 2000000；预约抽签须填报名开始和截止时间。",
                    "Fill in the first and last days; quotas are amounts in yuan, like 2000000; a draw needs both sign-up times.",
                ) }</p>
            }
            if let Some(e) = &*error {
                { refusal(lang, e) }
            }
            if let Some(version) = *made {
                <p class="notice" role="status" data-testid="revision-made">{
                    if lang == Lang::Zh { format!("已发布版本 {version}，所有服务器一秒内生效。") } else { format!("Version {version} is out: every server runs it within a second.") }
                }</p>
            }
            if let Some((_, view)) = &*preview {
                <div class="card" data-testid="revision-preview">
                    <p><strong>{ if lang == Lang::Zh { format!("预览版本 {}（尚未写入）：", view.version) } else { format!("Version {} preview (nothing written yet):", view.version) } }</strong></p>
                    { words(&view.changes) }
                    if !view.releases.is_empty() {
                        <p>{ lang.pick("每日投放（首日）：", "Daily release (first day):") }</p>
                        <ul class="flags" data-testid="release-preview">
                            { for view.releases.iter().map(|r| html! {
                                <li>{ if lang == Lang::Zh {
                                    format!("第 {} 轮 {}：{} 起共 {} 天，首日投放 {}", r.round, kind_name(c, lang, &r.kind), r.starts, r.days, money(lang, r.per_day))
                                } else {
                                    format!("Round {} {}: {} days from {}, {} on the first", r.round, kind_name(c, lang, &r.kind), r.days, r.starts, money(lang, r.per_day))
                                } }</li>
                            }) }
                        </ul>
                    }
                    <div class="actions">
                        <button type="button" class="button" onclick={confirm}>{ lang.pick("确认发布", "Confirm") }</button>
                        <button type="button" class="chip" onclick={cancel}>{ lang.pick("取消", "Cancel") }</button>
                    </div>
                </div>
            }
            if let Some(Ok(v)) = running.answer() {
                <h4>{ lang.pick("版本记录", "Versions") }</h4>
                <ul class="flags" data-testid="versions">
                    { for v.versions.iter().map(|r| html! {
                        <li>
                            { format!("{} {} · {} · {}", lang.pick("版本", "Version"), r.version,
                                r.at.map(|t| t.china_display()).unwrap_or_default(), who(lang, r.by.as_deref())) }
                            if !r.reason.is_empty() { { format!(" · {}", r.reason) } }
                            if r.changes.is_empty() {
                                <span class="muted">{ lang.pick(" · 初始版本", " · the seed") }</span>
                            } else {
                                { words(&r.changes) }
                            }
                        </li>
                    }) }
                </ul>
            }
        </section>
    }
}
