//! The bureau's lists: the merchant registry (the county's list imported, a preview first), each
//! merchant's standing (suspended for now, or blacklisted: either way it redeems nothing, and
//! each keeps its reason), each shop's manager account; and the
//! love-coupon list, imported as CSV of ID numbers and allocated at once.

use quan_core::api::{
    AllocationReport, AllocationRequest, BlacklistRequest, CampaignView, ImportOutcome, MerchantImport,
    MerchantView, NewStaff, ReallocationRequest, SuspensionRequest,
};
use quan_core::campaign::Issuance;
use quan_core::{Fen, KindId};
use web_sys::{HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

use crate::api::{self, ApiError};
use crate::components::{error_notice, use_slip_outcome, SlipOutcome};
use crate::context::use_prefs;
use crate::hooks::use_fetch;
use crate::i18n::money;

#[derive(Properties, PartialEq)]
pub struct AdminProps {
    pub token: String,
}

#[function_component]
pub fn Merchants(props: &AdminProps) -> Html {
    let lang = use_prefs().lang;
    let list = use_fetch(props.token.clone(), |token| async move {
        api::merchants(&token).await
    });
    let reason = use_node_ref();
    let error = use_state(|| None::<ApiError>);
    // Suspends or resumes (`blacklist` false), or blacklists or lifts it (`blacklist` true).
    let toggle = |m: &MerchantView, blacklist: bool| {
        let (token, list, reason, error, id) = (
            props.token.clone(),
            list.clone(),
            reason.clone(),
            error.clone(),
            m.id,
        );
        let to = if blacklist { !m.blacklisted } else { !m.suspended };
        Callback::from(move |_: MouseEvent| {
            let reason = crate::components::input_value(&reason);
            let (token, list, error) = (token.clone(), list.clone(), error.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let done = if blacklist {
                    api::blacklist(
                        &token,
                        id,
                        &BlacklistRequest {
                            blacklisted: to,
                            reason,
                        },
                    )
                    .await
                } else {
                    api::suspension(
                        &token,
                        id,
                        &SuspensionRequest {
                            suspended: to,
                            reason,
                        },
                    )
                    .await
                };
                match done {
                    Ok(_) => {
                        error.set(None);
                        list.reload();
                    }
                    Err(e) => error.set(Some(e)),
                }
            });
        })
    };
    let rows = match list.answer() {
        Some(Ok(ms)) => ms.clone(),
        Some(Err(e)) => return error_notice(lang, e),
        None => Vec::new(),
    };
    html! {
        <section aria-labelledby="merchants">
            <h2 id="merchants">{ lang.pick("商户、暂停核销与黑名单", "Merchants, suspensions and the blacklist") }</h2>
            <div class="form">
                <label for="standing-reason">{ lang.pick("暂停核销或列入黑名单的原因（记录在案）", "Why it is suspended or blacklisted (kept on record)") }</label>
                <input id="standing-reason" ref={reason.clone()} autocomplete="off" maxlength="200" />
            </div>
            <div class="table-scroll">
                <table class="figures queue" data-testid="merchants">
                    <thead><tr>
                        <th scope="col">{ lang.pick("商户", "Merchant") }</th>
                        <th scope="col">{ lang.pick("类别", "Category") }</th>
                        <th scope="col">{ lang.pick("状态", "Status") }</th>
                        <th scope="col"><span class="visually-hidden">{ lang.pick("操作", "Actions") }</span></th>
                    </tr></thead>
                    <tbody>
                        { for rows.iter().map(|m| html! {
                            <tr>
                                <th scope="row">{ &m.name }</th>
                                <td>{ m.category.as_str() }</td>
                                <td data-testid="standing">{ standing_words(lang, m) }</td>
                                <td class="actions">
                                    if !m.blacklisted {
                                        <button type="button" class="chip" onclick={toggle(m, false)}>
                                            { format!("{} {}", if m.suspended { lang.pick("恢复核销", "Resume") } else { lang.pick("暂停核销", "Suspend") }, m.name) }
                                        </button>
                                    }
                                    <button type="button" class="chip" onclick={toggle(m, true)}>
                                        { format!("{} {}", if m.blacklisted { lang.pick("移出黑名单", "Lift the blacklist for") } else { lang.pick("列入黑名单", "Blacklist") }, m.name) }
                                    </button>
                                </td>
                            </tr>
                        }) }
                    </tbody>
                </table>
            </div>
            if let Some(e) = &*error {
                { error_notice(lang, e) }
            }
            <ImportList token={props.token.clone()} on_done={list.reloader()} />
            <OpenManager token={props.token.clone()} merchants={rows.clone()} />
        </section>
    }
}

/// A merchant's standing in words, with its reason.
fn standing_words(lang: crate::i18n::Lang, m: &MerchantView) -> String {
    if m.blacklisted {
        format!("{}{}", lang.pick("黑名单：", "Blacklisted: "), m.blacklist_reason)
    } else if m.suspended {
        format!(
            "{}{}",
            lang.pick("暂停核销：", "Suspended: "),
            m.suspension_reason
        )
    } else {
        lang.pick("正常", "Listed").to_owned()
    }
}

#[derive(Properties, PartialEq)]
struct ImportListProps {
    token: String,
    /// The registry changed: the list above reloads.
    on_done: Callback<()>,
}

/// The county's merchant list, imported from the file Excel saved (UTF-8 or GBK): first a
/// preview of every line, its problem in words; then, when the operator confirms, the lines
/// without a problem. Or one merchant added by hand.
#[function_component]
fn ImportList(props: &ImportListProps) -> Html {
    let lang = use_prefs().lang;
    let file = use_node_ref();
    let report = use_state(|| None::<MerchantImport>);
    let error = use_state(|| None::<ApiError>);
    let send = |commit: bool| {
        let (token, file, report, error, on_done) = (
            props.token.clone(),
            file.clone(),
            report.clone(),
            error.clone(),
            props.on_done.clone(),
        );
        Callback::from(move |_: MouseEvent| {
            let Some(f) = crate::components::chosen_file(&file) else {
                return;
            };
            let (token, report, error, on_done) =
                (token.clone(), report.clone(), error.clone(), on_done.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match api::import_merchants(&token, &f, commit).await {
                    Ok(r) => {
                        error.set(None);
                        if r.committed {
                            on_done.emit(());
                        }
                        report.set(Some(r));
                    }
                    Err(e) => error.set(Some(e)),
                }
            });
        })
    };
    let outcome_words = |o: ImportOutcome| match o {
        ImportOutcome::New => lang.pick("新增", "new"),
        ImportOutcome::Updated => lang.pick("更新", "updated"),
        ImportOutcome::Unchanged => lang.pick("无变化", "unchanged"),
        ImportOutcome::Refused => lang.pick("有误，未导入", "refused"),
    };
    html! {
        <>
            <h3>{ lang.pick("导入商户名单", "Import the merchant list") }</h3>
            <p class="muted">{ lang.pick(
                "Excel 工作簿（.xlsx，读第一个工作表）或 CSV 文件（UTF-8 或 GBK 均可）。第一行为列名：名称、统一社会信用代码、类别，可另有县、地址、联系人。按统一社会信用代码更新，不会重复添加。",
                "An Excel workbook (.xlsx, its first sheet) or a CSV file (UTF-8 or GBK). The first line names the columns: 名称, 统一社会信用代码, 类别, and optionally 县, 地址, 联系人. Merchants are updated by their credit code, never added twice.",
            ) }</p>
            <div class="filters">
                <label>{ lang.pick("名单文件", "List file") }<input type="file" accept=".xlsx,.csv,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" ref={file.clone()} /></label>
                <button type="button" class="button" onclick={send(false)}>{ lang.pick("预览", "Preview") }</button>
            </div>
            if let Some(e) = &*error {
                { error_notice(lang, e) }
            }
            if let Some(r) = &*report {
                <p data-testid="import-summary">{ match lang {
                    crate::i18n::Lang::Zh => format!("{}：新增 {}，更新 {}，无变化 {}，有误 {}。", if r.committed { "已导入" } else { "预览（尚未写入）" }, r.new, r.updated, r.unchanged, r.refused),
                    crate::i18n::Lang::En => format!("{}: {} new, {} updated, {} unchanged, {} refused.", if r.committed { "Imported" } else { "Preview (nothing written yet)" }, r.new, r.updated, r.unchanged, r.refused),
                } }</p>
                <div class="table-scroll">
                    <table class="figures trail" data-testid="import-lines">
                        <thead><tr>
                            <th scope="col">{ lang.pick("行", "Line") }</th>
                            <th scope="col">{ lang.pick("商户", "Merchant") }</th>
                            <th scope="col">{ lang.pick("统一社会信用代码", "Credit code") }</th>
                            <th scope="col">{ lang.pick("结果", "Outcome") }</th>
                        </tr></thead>
                        <tbody>
                            { for r.lines.iter().map(|l| html! {
                                <tr class={classes!((l.outcome == ImportOutcome::Refused).then_some("refused"))}>
                                    <td>{ l.line }</td>
                                    <td>{ &l.name }</td>
                                    <td>{ &l.credit_code }</td>
                                    <td>{ outcome_words(l.outcome) }{ l.problem.as_ref().map(|p| format!("：{p}")).unwrap_or_default() }</td>
                                </tr>
                            }) }
                        </tbody>
                    </table>
                </div>
                if !r.committed && r.new + r.updated > 0 {
                    <button type="button" class="button button-primary" onclick={send(true)}>
                        { match lang {
                            crate::i18n::Lang::Zh => format!("确认导入 {} 个商户", r.new + r.updated),
                            crate::i18n::Lang::En => format!("Import {} merchants", r.new + r.updated),
                        } }
                    </button>
                }
            }
        </>
    }
}

#[derive(Properties, PartialEq)]
struct OpenManagerProps {
    token: String,
    merchants: Vec<MerchantView>,
}

/// A shop's accounts, for the bureau: its manager opened with a one-time password on a slip to
/// hand over; any of its accounts reset (a new slip) or disabled.
#[function_component]
fn OpenManager(props: &OpenManagerProps) -> Html {
    let lang = use_prefs().lang;
    let chosen = use_state(|| None::<quan_core::MerchantId>);
    let username = use_node_ref();
    let display = use_node_ref();
    let staff = use_state(Vec::<quan_core::api::StaffView>::new);
    let SlipOutcome {
        slip,
        error,
        reload,
        done,
    } = use_slip_outcome();
    let shop = (*chosen).or_else(|| props.merchants.first().map(|m| m.id));
    {
        let (staff, token) = (staff.clone(), props.token.clone());
        use_effect_with((shop, *reload), move |(shop, _)| {
            let shop = *shop;
            wasm_bindgen_futures::spawn_local(async move {
                if let Some(m) = shop {
                    staff.set(api::shop_staff(&token, m).await.unwrap_or_default());
                }
            });
        });
    }
    let onchange = {
        let chosen = chosen.clone();
        Callback::from(move |e: Event| {
            let id = e
                .target_dyn_into::<HtmlSelectElement>()
                .and_then(|s| s.value().parse::<i64>().ok())
                .map(quan_core::MerchantId);
            chosen.set(id);
        })
    };
    let onsubmit = {
        let (token, username, display, done) = (
            props.token.clone(),
            username.clone(),
            display.clone(),
            done.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let Some(merchant) = shop else { return };
            let who = NewStaff {
                username: crate::components::input_value(&username),
                display_name: crate::components::input_value(&display),
            };
            let (token, done) = (token.clone(), done.clone());
            wasm_bindgen_futures::spawn_local(async move {
                done.emit(api::open_manager(&token, merchant, &who).await.map(Some));
            });
        })
    };
    let on_done = done.clone();
    html! {
        <>
            <h3>{ lang.pick("商户账号", "Shop accounts") }</h3>
            <p class="muted">{ lang.pick(
                "店长用交接单上的一次性密码首次登录收银台，设置自己的密码后再添加本店收银员。忘记密码时在此重置，会生成新的交接单。",
                "The manager signs in at the till with the slip's one-time password, chooses their own, then adds the shop's cashiers. A forgotten password is reset here, on a new slip.",
            ) }</p>
            <form class="form" {onsubmit}>
                <label for="manager-shop">{ lang.pick("商户", "Merchant") }</label>
                <select id="manager-shop" {onchange}>
                    { for props.merchants.iter().map(|m| html! { <option value={m.id.0.to_string()} selected={Some(m.id) == shop}>{ &m.name }</option> }) }
                </select>
                <label for="manager-username">{ lang.pick("店长账号（不含空格）", "Manager's account name (no spaces)") }</label>
                <input id="manager-username" ref={username} required=true maxlength="64" autocomplete="off" />
                <label for="manager-display">{ lang.pick("店长姓名", "Manager's name") }</label>
                <input id="manager-display" ref={display} maxlength="100" autocomplete="off" />
                <button type="submit" class="button button-primary">{ lang.pick("开设并生成一次性密码", "Open, with a one-time password") }</button>
            </form>
            if !staff.is_empty() {
                <crate::components::StaffList token={props.token.clone()} people={(*staff).clone()} as_bureau=true {on_done} testid="shop-accounts" />
            }
            if let Some(s) = &*slip {
                <crate::components::StaffSlipCard slip={s.clone()} sign_in_at={AttrValue::from("/merchant/")} />
            }
            if let Some(e) = &*error {
                { error_notice(lang, e) }
            }
        </>
    }
}

#[function_component]
pub fn LoveList(props: &AdminProps) -> Html {
    let lang = use_prefs().lang;
    let kinds = use_state(Vec::<(CampaignView, String, String)>::new);
    let chosen = use_state(|| 0usize);
    let text = use_node_ref();
    let outcome = use_state(|| None::<Result<AllocationReport, ApiError>>);
    {
        let kinds = kinds.clone();
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                let Ok(campaigns) = api::campaigns().await else {
                    return;
                };
                let found = campaigns
                    .iter()
                    .flat_map(|c| {
                        c.kinds
                            .iter()
                            .filter(|k| k.issuance == Issuance::Allocate)
                            .map(|k| (c.clone(), k.id.as_str().to_owned(), k.name.clone()))
                            .collect::<Vec<_>>()
                    })
                    .collect();
                kinds.set(found);
            });
        });
    }
    let Some((campaign, kind, name)) = kinds.get(*chosen).cloned() else {
        return html! { <p class="muted">{ lang.pick("没有按名单发放的券种。", "No kind is allocated from a list.") }</p> };
    };
    let import = {
        let (token, text, outcome) = (props.token.clone(), text.clone(), outcome.clone());
        let (campaign, kind) = (campaign.id.as_str().to_owned(), kind.clone());
        Callback::from(move |_: MouseEvent| {
            let csv = text
                .cast::<HtmlTextAreaElement>()
                .map(|t| t.value())
                .unwrap_or_default();
            let request = AllocationRequest {
                campaign: campaign.clone(),
                kind: kind.clone(),
                csv,
            };
            let (token, outcome) = (token.clone(), outcome.clone());
            wasm_bindgen_futures::spawn_local(async move {
                outcome.set(Some(api::allocate(&token, &request).await));
            });
        })
    };
    html! {
        <section aria-labelledby="love-list">
            <h2 id="love-list">{ format!("{} · {}", campaign.name, name) }</h2>
            if kinds.len() > 1 {
                <div class="chips" role="group" aria-label={lang.pick("券种", "Kind")}>
                    { for kinds.iter().enumerate().map(|(i, (c, _, n))| {
                        let chosen = chosen.clone();
                        html! { <button type="button" class="chip" aria-pressed={(i == *chosen).to_string()}
                            onclick={Callback::from(move |_| chosen.set(i))}>{ format!("{} · {}", c.name, n) }</button> }
                    }) }
                </div>
            }
            <div class="form">
                <label for="love-csv">{ lang.pick("名单（CSV：每行一个身份证号，可加逗号和姓名）", "The list (CSV: an ID number a line, optionally a comma and the name)") }</label>
                <textarea id="love-csv" ref={text} rows="8" />
                <button type="button" class="button button-primary" onclick={import}>{ lang.pick("导入并发放", "Import and allocate") }</button>
            </div>
            { match &*outcome {
                Some(Ok(r)) => html! {
                    <div role="status" data-testid="allocation">
                        <p>{ format!("{} {} · {} {} · {} {}", lang.pick("新发放", "Allocated"), r.allocated, lang.pick("已在名单", "already listed"), r.already_listed, lang.pick("金额", "amount"), money(lang, r.amount)) }</p>
                        { for r.refused.iter().map(|(line, why)| html! { <p class="notice notice-error">{ format!("{} {}：{}", lang.pick("第", "Line"), line, why) }</p> }) }
                    </div>
                },
                Some(Err(e)) => error_notice(lang, e),
                None => html! {},
            } }
        </section>
    }
}

#[derive(Properties, PartialEq)]
pub struct ReallocateProps {
    pub token: String,
    pub campaign: String,
    /// The campaign's kinds: id and name.
    pub kinds: Vec<(String, String)>,
    /// Told after a move, so the figures are read again.
    pub on_done: Callback<()>,
}

/// Moving budget between kinds, with the reason on record, and the moves so far.
#[function_component]
pub fn Reallocate(props: &ReallocateProps) -> Html {
    let lang = use_prefs().lang;
    let (from, to, amount, reason) = (use_node_ref(), use_node_ref(), use_node_ref(), use_node_ref());
    let done = use_fetch(
        (props.token.clone(), props.campaign.clone()),
        |(token, campaign)| async move { api::reallocations(&token, &campaign).await },
    );
    let error = use_state(|| None::<String>);
    let submit = {
        let (token, campaign, on_done, done, error) = (
            props.token.clone(),
            props.campaign.clone(),
            props.on_done.clone(),
            done.clone(),
            error.clone(),
        );
        let (from, to, amount, reason) = (from.clone(), to.clone(), amount.clone(), reason.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let select = |r: &NodeRef| {
                r.cast::<HtmlSelectElement>()
                    .map(|s| s.value())
                    .unwrap_or_default()
            };
            let input = |r: &NodeRef| {
                r.cast::<HtmlInputElement>()
                    .map(|s| s.value())
                    .unwrap_or_default()
            };
            let Ok(yuan) = Fen::parse_yuan(&input(&amount)) else {
                error.set(Some(
                    lang.pick("请填写金额（元）。", "Enter the amount in yuan.")
                        .into(),
                ));
                return;
            };
            let request = ReallocationRequest {
                from_kind: KindId::from(select(&from).as_str()),
                to_kind: KindId::from(select(&to).as_str()),
                amount: yuan,
                reason: input(&reason),
            };
            let (token, campaign, on_done, done, error) = (
                token.clone(),
                campaign.clone(),
                on_done.clone(),
                done.clone(),
                error.clone(),
            );
            wasm_bindgen_futures::spawn_local(async move {
                match api::reallocate(&token, &campaign, &request).await {
                    Ok(_) => {
                        error.set(None);
                        done.reload();
                        on_done.emit(());
                    }
                    Err(e) if e.code() == Some(quan_core::ErrorCode::InvalidRequest) => error.set(Some(
                        lang.pick(
                            "请选两个不同的券种，金额大于零，并写明调剂依据。",
                            "Choose two different kinds, an amount above zero, and the grounds.",
                        )
                        .into(),
                    )),
                    Err(e) if e.code() == Some(quan_core::ErrorCode::SoldOut) => error.set(Some(
                        lang.pick(
                            "调出券种未发放的部分不足此金额。",
                            "The first kind has less than that left to give out.",
                        )
                        .into(),
                    )),
                    Err(e) => error.set(Some(crate::i18n::error_words(lang, &e).into())),
                }
            });
        })
    };
    let name_of = |id: &KindId| {
        props
            .kinds
            .iter()
            .find(|(k, _)| k == id.as_str())
            .map_or_else(|| id.as_str().to_owned(), |(_, n)| n.clone())
    };
    let options = |r: NodeRef, id: &'static str| {
        html! {
            <select id={id} ref={r}>
                { for props.kinds.iter().map(|(k, n)| html! { <option value={k.clone()}>{ n }</option> }) }
            </select>
        }
    };
    html! {
        <section aria-labelledby="reallocate">
            <h3 id="reallocate">{ lang.pick("预算调剂", "Budget reallocation") }</h3>
            <form class="form reallocate" onsubmit={submit}>
                <label for="from-kind">{ lang.pick("调出券种（未发放部分）", "From (what it has not given out)") }</label>
                { options(from, "from-kind") }
                <label for="to-kind">{ lang.pick("调入券种", "To") }</label>
                { options(to, "to-kind") }
                <label for="move-amount">{ lang.pick("金额（元）", "Amount (yuan)") }</label>
                <input id="move-amount" ref={amount} inputmode="decimal" autocomplete="off" required=true />
                <label for="move-reason">{ lang.pick("调剂依据（记录在案）", "Why (kept on record)") }</label>
                <input id="move-reason" ref={reason} autocomplete="off" required=true />
                <button type="submit" class="button">{ lang.pick("调剂", "Move the budget") }</button>
            </form>
            if let Some(e) = &*error {
                <p class="notice notice-error" role="alert">{ e }</p>
            }
            if let Some(Ok(list)) = done.answer() {
                <ul class="flags" data-testid="reallocations">
                    { for list.iter().map(|r| html! {
                        <li>{ format!("{} · {} → {} · {} · {}", r.at.china_display(), name_of(&r.from_kind), name_of(&r.to_kind), money(lang, r.amount), r.reason) }</li>
                    }) }
                </ul>
            }
        </section>
    }
}

/// Love-coupon cards: print one for everyone on the list who has none (the PIN shows only on the
/// printed sheet), and replace a lost card with what was left on it.
#[function_component]
pub fn LoveCards(props: &AdminProps) -> Html {
    let lang = use_prefs().lang;
    let campaigns = use_state(Vec::<(String, String)>::new);
    let cards = use_state(|| None::<Result<Vec<quan_core::api::CardView>, ApiError>>);
    let printed = use_state(Vec::<quan_core::api::PrintedCard>::new);
    let reload = use_state(|| 0u32);
    let error = use_state(|| None::<ApiError>);
    {
        let campaigns = campaigns.clone();
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                let Ok(list) = api::campaigns().await else { return };
                campaigns.set(
                    list.iter()
                        .filter(|c| c.kinds.iter().any(|k| k.issuance == Issuance::Allocate))
                        .map(|c| (c.id.as_str().to_owned(), c.name.clone()))
                        .collect(),
                );
            });
        });
    }
    let campaign = campaigns.first().cloned();
    {
        let (cards, token) = (cards.clone(), props.token.clone());
        use_effect_with((campaign.clone(), *reload), move |(campaign, _)| {
            if let Some((id, _)) = campaign.clone() {
                wasm_bindgen_futures::spawn_local(async move {
                    cards.set(Some(api::love_cards(&token, &id).await));
                });
            }
        });
    }
    let Some((campaign, name)) = campaign else {
        return html! { <p class="muted">{ lang.pick("没有按名单发放的券种。", "No kind is allocated from a list.") }</p> };
    };
    let print_all = {
        let (token, printed, reload, error, campaign) = (
            props.token.clone(),
            printed.clone(),
            reload.clone(),
            error.clone(),
            campaign.clone(),
        );
        Callback::from(move |_: MouseEvent| {
            let (token, printed, reload, error, campaign) = (
                token.clone(),
                printed.clone(),
                reload.clone(),
                error.clone(),
                campaign.clone(),
            );
            wasm_bindgen_futures::spawn_local(async move {
                shown(
                    api::print_love_cards(&token, &campaign).await,
                    &printed,
                    &reload,
                    &error,
                );
            });
        })
    };
    let replace = |number: String| {
        let (token, printed, reload, error) = (
            props.token.clone(),
            printed.clone(),
            reload.clone(),
            error.clone(),
        );
        Callback::from(move |_: MouseEvent| {
            let (token, printed, reload, error, number) = (
                token.clone(),
                printed.clone(),
                reload.clone(),
                error.clone(),
                number.clone(),
            );
            wasm_bindgen_futures::spawn_local(async move {
                let card = api::replace_love_card(&token, &number).await.map(|c| vec![c]);
                shown(card, &printed, &reload, &error);
            });
        })
    };
    let print = Callback::from(|_: MouseEvent| {
        if let Some(w) = web_sys::window() {
            let _ = w.print();
        }
    });
    html! {
        <section aria-labelledby="love-cards">
            <h2 id="love-cards">{ format!("{} · {}", name, lang.pick("爱心卡", "Love-coupon cards")) }</h2>
            <p class="muted">{ lang.pick(
                "为没有智能手机的名单人员制卡：卡号与二维码印在卡上，密码只在这次打印时显示，交持卡人自己保管。",
                "Cards for people on the list without a smartphone: the number and its QR on the card; the PIN shows only on this print-out, for the holder to keep.",
            ) }</p>
            <div class="actions">
                <button type="button" class="button button-primary" onclick={print_all}>{ lang.pick("为名单制卡", "Make cards for the list") }</button>
                if !printed.is_empty() {
                    <button type="button" class="button" onclick={print}>{ lang.pick("打印", "Print") }</button>
                }
            </div>
            if !printed.is_empty() {
                <div class="cards" data-testid="printed-cards">
                    { for printed.iter().map(|c| html! {
                        <article class="love-card">
                            <p class="love-card-title">{ lang.pick("爱心消费卡", "Love-coupon card") }</p>
                            { crate::components::qr(&c.number, lang.pick("卡号二维码", "Card number QR")) }
                            <p class="code-digits">{ c.number.as_bytes().chunks(4).map(|g| String::from_utf8_lossy(g).into_owned()).collect::<Vec<_>>().join(" ") }</p>
                            <p>{ format!("{} {}", lang.pick("持卡人", "Holder"), c.holder) }</p>
                            <p data-testid="card-pin">{ format!("{} {}", lang.pick("密码", "PIN"), c.pin) }</p>
                            <p>{ format!("{} {} · {}", lang.pick("券", "Coupons"), c.coupons, money(lang, c.value)) }</p>
                        </article>
                    }) }
                </div>
            }
            if let Some(Ok(list)) = &*cards {
                <div class="table-scroll">
                    <table class="figures queue" data-testid="cards">
                        <thead><tr>
                            <th scope="col">{ lang.pick("卡号", "Number") }</th>
                            <th scope="col">{ lang.pick("持卡人", "Holder") }</th>
                            <th scope="col">{ lang.pick("剩余", "Left") }</th>
                            <th scope="col">{ lang.pick("状态", "Status") }</th>
                            <th scope="col"><span class="visually-hidden">{ lang.pick("操作", "Actions") }</span></th>
                        </tr></thead>
                        <tbody>
                            { for list.iter().map(|c| html! {
                                <tr>
                                    <th scope="row">{ &c.number }</th>
                                    <td>{ &c.holder }</td>
                                    <td>{ format!("{} · {}", c.coupons, money(lang, c.value)) }</td>
                                    <td>{ if c.active { lang.pick("有效", "Active") } else { lang.pick("已挂失", "Revoked") } }</td>
                                    <td>
                                        if c.active {
                                            <button type="button" class="chip" onclick={replace(c.number.clone())}>
                                                { format!("{} {}", lang.pick("挂失补办", "Replace"), c.number) }
                                            </button>
                                        }
                                    </td>
                                </tr>
                            }) }
                        </tbody>
                    </table>
                </div>
            }
            if let Some(e) = &*error {
                { error_notice(lang, e) }
            }
        </section>
    }
}

/// Cards just made, to print (and the list read again), or why not.
fn shown(
    cards: Result<Vec<quan_core::api::PrintedCard>, ApiError>,
    printed: &UseStateHandle<Vec<quan_core::api::PrintedCard>>,
    reload: &UseStateHandle<u32>,
    error: &UseStateHandle<Option<ApiError>>,
) {
    match cards {
        Ok(new) => {
            printed.set(new);
            reload.set(**reload + 1);
        }
        Err(e) => error.set(Some(e)),
    }
}
