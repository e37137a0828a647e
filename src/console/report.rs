//! One campaign's report: the figures, the charts, the history of changes, and the downloads. Refreshed every 30 seconds
//! while open.

use gloo::timers::callback::Interval;
use quan_core::api::CampaignView;
use quan_core::campaign::Issuance;
use quan_core::report::{CampaignReport, FlagKind, KindFigures, Series};
use quan_core::Fen;
use yew::prelude::*;

use super::charts::{paired_bars, share_lines};
use super::words::{w, Word};
use crate::api::{self, ApiError};
use crate::components::error_notice;
use crate::context::use_prefs;
use crate::hooks::use_now;
use crate::i18n::{money, Lang};

const REFRESH_MS: u32 = 30_000;

#[derive(Properties, PartialEq)]
pub struct ReportViewProps {
    pub token: String,
}

/// Hundredths as a decimal: 625 → "6.25".
fn hundredths(v: u64) -> String {
    format!("{}.{:02}", v / 100, v % 100)
}

fn rate(bp: Option<u64>) -> String {
    bp.map_or_else(|| "—".into(), |v| format!("{}%", hundredths(v)))
}

fn leverage(x100: Option<u64>) -> String {
    x100.map_or_else(|| "—".into(), hundredths)
}

/// The sum of every kind's series, bucket by bucket.
fn summed(series: &[Series], pick: impl Fn(&Series) -> &Vec<u64>) -> Vec<u64> {
    let len = series.iter().map(|s| pick(s).len()).max().unwrap_or(0);
    (0..len)
        .map(|i| series.iter().map(|s| pick(s).get(i).copied().unwrap_or(0)).sum())
        .collect()
}

#[function_component]
pub fn ReportView(props: &ReportViewProps) -> Html {
    let prefs = use_prefs();
    let lang = prefs.lang;
    let now = use_now(60_000);
    let campaigns = use_state(|| None::<Result<Vec<CampaignView>, ApiError>>);
    let chosen = use_state(|| None::<String>);
    let yesterday = use_state(|| false);
    let report = use_state(|| None::<Result<CampaignReport, ApiError>>);
    let reload = use_state(|| 0u32);
    let download_error = use_state(|| None::<ApiError>);
    {
        let campaigns = campaigns.clone();
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                campaigns.set(Some(api::campaigns().await));
            });
        });
    }
    // The chosen campaign; at first, the first with a daily release (the busiest to watch).
    let campaign = (*chosen).clone().or_else(|| {
        let list = campaigns.as_ref().and_then(|c| c.as_ref().ok())?;
        list.iter()
            .find(|c| c.kinds.iter().any(|k| k.issuance == Issuance::Claim))
            .or(list.first())
            .map(|c| c.id.as_str().to_owned())
    });
    let day = yesterday.then(|| now.china_date().plus_days(-1));
    {
        let (report, token) = (report.clone(), props.token.clone());
        use_effect_with((campaign.clone(), day, *reload), move |(campaign, day, _)| {
            let load = {
                let (campaign, day) = (campaign.clone(), *day);
                move || {
                    let (report, token, campaign) = (report.clone(), token.clone(), campaign.clone());
                    if let Some(campaign) = campaign {
                        wasm_bindgen_futures::spawn_local(async move {
                            report.set(Some(api::report(&token, &campaign, day).await));
                        });
                    }
                }
            };
            load();
            let timer = Interval::new(REFRESH_MS, load);
            move || drop(timer)
        });
    }
    let picker = match &*campaigns {
        Some(Ok(list)) => html! {
            <nav class="tabs" aria-label={w(lang, Word::Campaign)}>
                { for list.iter().map(|c| {
                    let id = c.id.as_str().to_owned();
                    let current = campaign.as_deref() == Some(id.as_str());
                    let chosen = chosen.clone();
                    let name = if lang == Lang::En && !c.name_en.is_empty() { c.name_en.clone() } else { c.name.clone() };
                    html! {
                        <button type="button" class={classes!("tab", current.then_some("tab-current"))}
                            aria-pressed={current.to_string()} onclick={Callback::from(move |_| chosen.set(Some(id.clone())))}>{ name }</button>
                    }
                }) }
            </nav>
        },
        Some(Err(e)) => error_notice(lang, e),
        None => html! { <p class="muted">{ w(lang, Word::Loading) }</p> },
    };
    let body = match &*report {
        Some(Ok(r)) => view(lang, r, &props.token, &yesterday, &reload, &download_error),
        Some(Err(e)) => error_notice(lang, e),
        None => html! { <p class="muted" role="status">{ w(lang, Word::Loading) }</p> },
    };
    let shown = campaigns
        .as_ref()
        .and_then(|c| c.as_ref().ok())
        .and_then(|list| list.iter().find(|c| Some(c.id.as_str()) == campaign.as_deref()))
        .cloned();
    // A change made below reads the report (and so its history) again.
    let changed = {
        let reload = reload.clone();
        Callback::from(move |()| reload.set(*reload + 1))
    };
    html! {
        <main class="page console" id="main">
            { picker }
            { body }
            if let Some(c) = shown {
                <super::pauses::Pauses token={props.token.clone()} campaign={c.clone()} on_done={changed.clone()} />
                <super::revisions::Revisions token={props.token.clone()} campaign={c.clone()} on_done={changed} />
                if let Some(Ok(r)) = &*report {
                    <super::draws::Draws campaign={c.id.as_str().to_owned()} draws={r.draws.clone()} />
                    <super::history::History campaign={c} entries={r.history.clone()} />
                }
            }
            if let Some(e) = &*download_error {
                { error_notice(lang, e) }
            }
        </main>
    }
}

fn view(
    lang: Lang,
    r: &CampaignReport,
    token: &str,
    yesterday: &UseStateHandle<bool>,
    reload: &UseStateHandle<u32>,
    download_error: &UseStateHandle<Option<ApiError>>,
) -> Html {
    let t = &r.total;
    let card = |label: Word, value: String, detail: Option<String>| {
        html! {
            <div class="stat">
                <dt>{ w(lang, label) }</dt>
                <dd>{ value }</dd>
                if let Some(d) = detail { <dd class="muted">{ d }</dd> }
            </div>
        }
    };
    let hours: Vec<String> = (0..24).map(|h| format!("{h}")).collect();
    let days: Vec<String> = (0..r.daily.first().map_or(0, |s| s.issued.len()))
        .map(|d| {
            let date = r.first_day.plus_days(d as i64);
            format!("{}/{}", date.month, date.day)
        })
        .collect();
    let burn: Vec<(String, Vec<u64>)> = r
        .kinds
        .iter()
        .zip(&r.daily)
        .filter(|(k, _)| k.budget.0 > 0)
        .map(|(k, s)| {
            let shares = s
                .available
                .iter()
                .map(|a| u64::try_from(a.0.max(0) * 1000 / k.budget.0).unwrap_or(0))
                .collect();
            (k.name.clone(), shares)
        })
        .collect();
    let download = |path: String, name: String| {
        let (token, download_error) = (token.to_owned(), download_error.clone());
        Callback::from(move |_: MouseEvent| {
            let (token, path, name, download_error) =
                (token.clone(), path.clone(), name.clone(), download_error.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match api::text(&path, &token).await {
                    Ok(text) => {
                        download_error.set(None);
                        crate::components::save_csv(&name, &text);
                    }
                    Err(e) => download_error.set(Some(e)),
                }
            });
        })
    };
    let day_button = |on: bool, word: Word| {
        let pressed = **yesterday == on;
        let yesterday = yesterday.clone();
        html! {
            <button type="button" class="chip" aria-pressed={pressed.to_string()}
                onclick={Callback::from(move |_| yesterday.set(on))}>{ w(lang, word) }</button>
        }
    };
    let refresh = {
        let reload = reload.clone();
        Callback::from(move |_: MouseEvent| reload.set(*reload + 1))
    };
    html! {
        <>
        <div class="console-head">
            <h2>{ &r.name }</h2>
            <p class="muted" data-testid="as-of">{ format!("{} {}", w(lang, Word::UpdatedAt), r.generated_at.china_display()) }</p>
            <button type="button" class="chip" onclick={refresh}>{ w(lang, Word::Refresh) }</button>
        </div>
        <dl class="stats" data-testid="totals">
            { card(Word::Budget, money(lang, t.budget), None) }
            { card(Word::Issued, t.issued_count.to_string(), Some(money(lang, t.issued_value))) }
            { card(Word::Redeemed, t.redeemed_count.to_string(), Some(money(lang, t.discount))) }
            { card(Word::Orders, money(lang, t.order_amount), None) }
            { card(Word::Leverage, leverage(t.leverage_x100), None) }
            { card(Word::RedemptionRate, rate(t.redemption_rate_bp), None) }
            { card(Word::Coverage, format!("{} {}", t.residents_issued, w(lang, Word::Residents)), None) }
            { card(Word::Reversals, t.reversed_count.to_string(), Some(money(lang, t.reversed_discount))) }
        </dl>
        <section class="charts">
            <div class="chart-head">
                <h3>{ format!("{} · {}", w(lang, Word::Hourly), r.day) }</h3>
                <div class="chips">{ day_button(false, Word::Today) }{ day_button(true, Word::Yesterday) }</div>
            </div>
            { paired_bars(w(lang, Word::Hourly), &hours, &summed(&r.hourly, |s| &s.issued), &summed(&r.hourly, |s| &s.redeemed),
                (w(lang, Word::IssuedLegend), w(lang, Word::RedeemedLegend)), 2) }
            { paired_bars(w(lang, Word::Daily), &days, &summed(&r.daily, |s| &s.issued), &summed(&r.daily, |s| &s.redeemed),
                (w(lang, Word::IssuedLegend), w(lang, Word::RedeemedLegend)), (days.len() / 10).max(1)) }
            { share_lines(w(lang, Word::BurnDown), &days, &burn, (days.len() / 10).max(1)) }
        </section>
        <section>
            <h3>{ w(lang, Word::Figures) }</h3>
            <div class="table-scroll">
                <table class="figures" data-testid="figures">
                    <thead><tr>
                        <th scope="col">{ w(lang, Word::Kind) }</th>
                        <th scope="col">{ w(lang, Word::Budget) }</th>
                        <th scope="col">{ w(lang, Word::Issued) }</th>
                        <th scope="col">{ w(lang, Word::Held) }</th>
                        <th scope="col">{ w(lang, Word::Redeemed) }</th>
                        <th scope="col">{ w(lang, Word::Discount) }</th>
                        <th scope="col">{ w(lang, Word::Orders) }</th>
                        <th scope="col">{ w(lang, Word::Reversals) }</th>
                        <th scope="col">{ w(lang, Word::Returned) }</th>
                        <th scope="col">{ w(lang, Word::RedemptionRate) }</th>
                        <th scope="col">{ w(lang, Word::Coverage) }</th>
                        <th scope="col">{ w(lang, Word::Leverage) }</th>
                    </tr></thead>
                    <tbody>
                        { for r.kinds.iter().map(|k| row(lang, k, &k.name)) }
                        { row(lang, t, w(lang, Word::Total)) }
                    </tbody>
                </table>
            </div>
        </section>
        <SettlementTable token={token.to_owned()} campaign={r.campaign.clone()} generated={r.generated_at} />
        <super::admin::Reallocate token={token.to_owned()} campaign={r.campaign.clone()}
            kinds={r.kinds.iter().map(|k| (k.kind.clone(), k.name.clone())).collect::<Vec<_>>()}
            on_done={{ let reload = reload.clone(); Callback::from(move |_| reload.set(*reload + 1)) }} />
        <section>
            <h3>{ w(lang, Word::Flags) }</h3>
            if r.flags.is_empty() {
                <p class="muted" data-testid="flags">{ w(lang, Word::NoFlags) }</p>
            } else {
                <ul class="flags" data-testid="flags">
                    { for r.flags.iter().map(|f| {
                        let what = match f.kind {
                            FlagKind::SplitOrder => Word::FlagSplit,
                            FlagKind::AtThreshold => Word::FlagThreshold,
                            FlagKind::ManyReversals => Word::FlagReversals,
                        };
                        let ids: Vec<String> = f.redemptions.iter().map(|id| format!("#{id}")).collect();
                        html! {
                            <li>
                                <strong>{ w(lang, what) }</strong>
                                { format!(" · {} · {} {}：{}", f.merchant_name, f.redemptions.len(), w(lang, Word::Records), ids.join(" ")) }
                            </li>
                        }
                    }) }
                </ul>
            }
        </section>
        <section>
            <h3>{ w(lang, Word::Downloads) }</h3>
            <p class="muted" data-testid="audit-terms">{ match lang {
                Lang::Zh => format!("{}：种子 {}，{} 条核销记录抽取 {}%，共 {} 条。", w(lang, Word::AuditTerms), r.audit.seed, r.audit.records, r.audit.percent, r.audit.sampled),
                Lang::En => format!("{}: seed {}, {}% of {} redemption records, {} drawn.", w(lang, Word::AuditTerms), r.audit.seed, r.audit.percent, r.audit.records, r.audit.sampled),
            } }</p>
            <div class="actions">
                <button type="button" class="button" onclick={download(format!("/operator/campaigns/{}/report.csv", r.campaign), format!("{}-report.csv", r.campaign))}>{ w(lang, Word::ReportCsv) }</button>
                <button type="button" class="button" onclick={download(format!("/operator/campaigns/{}/audit-sample.csv", r.campaign), format!("{}-audit-sample-{}.csv", r.campaign, r.audit.seed))}>{ w(lang, Word::AuditCsv) }</button>
                <button type="button" class="button" onclick={download(format!("/operator/campaigns/{}/history.csv", r.campaign), format!("{}-history.csv", r.campaign))}>{ w(lang, Word::HistoryCsv) }</button>
            </div>
        </section>
        </>
    }
}

fn row(lang: Lang, k: &KindFigures, name: &str) -> Html {
    let m = |f: Fen| money(lang, f);
    html! {
        <tr>
            <th scope="row">{ name }</th>
            <td>{ m(k.budget) }</td>
            <td>{ format!("{} · {}", k.issued_count, m(k.issued_value)) }</td>
            <td>{ m(k.held_value) }</td>
            <td>{ k.redeemed_count }</td>
            <td>{ m(k.discount) }</td>
            <td>{ m(k.order_amount) }</td>
            <td>{ format!("{} · {}", k.reversed_count, m(k.reversed_discount)) }</td>
            <td>{ m(k.returned_value) }</td>
            <td>{ rate(k.redemption_rate_bp) }</td>
            <td>{ k.residents_issued }</td>
            <td>{ leverage(k.leverage_x100) }</td>
        </tr>
    }
}

#[derive(Properties, PartialEq)]
struct SettlementProps {
    token: String,
    campaign: String,
    /// The report's time: the table reloads with it.
    generated: quan_core::Timestamp,
}

/// Every merchant's settlement: what it redeemed per kind, reversals taken off.
#[function_component]
fn SettlementTable(props: &SettlementProps) -> Html {
    let prefs = use_prefs();
    let lang = prefs.lang;
    let claims = use_state(|| None::<Result<quan_core::api::Settlement, ApiError>>);
    {
        let (claims, token) = (claims.clone(), props.token.clone());
        use_effect_with((props.campaign.clone(), props.generated), move |(campaign, _)| {
            let campaign = campaign.clone();
            wasm_bindgen_futures::spawn_local(async move {
                claims.set(Some(api::settlements(&token, &campaign).await));
            });
        });
    }
    let download = {
        let (token, campaign) = (props.token.clone(), props.campaign.clone());
        Callback::from(move |_: MouseEvent| {
            let (token, campaign) = (token.clone(), campaign.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let path = format!("/operator/campaigns/{campaign}/settlements.csv");
                if let Ok(text) = api::text(&path, &token).await {
                    crate::components::save_csv(&format!("{campaign}-settlements.csv"), &text);
                }
            });
        })
    };
    let Some(Ok(s)) = &*claims else {
        return match &*claims {
            Some(Err(e)) => error_notice(lang, e),
            _ => html! {},
        };
    };
    html! {
        <section>
            <h3>{ lang.pick("商户结算申报", "Merchants' settlements") }</h3>
            <div class="table-scroll">
                <table class="figures" data-testid="settlements">
                    <thead><tr>
                        <th scope="col">{ lang.pick("商户", "Merchant") }</th>
                        <th scope="col">{ w(lang, Word::Kind) }</th>
                        <th scope="col">{ w(lang, Word::Redeemed) }</th>
                        <th scope="col">{ lang.pick("申请结算", "To settle") }</th>
                        <th scope="col">{ w(lang, Word::Orders) }</th>
                    </tr></thead>
                    <tbody>
                        { for s.lines.iter().map(|l| html! {
                            <tr>
                                <th scope="row">{ &l.merchant_name }</th>
                                <td>{ &l.kind_name }</td>
                                <td>{ l.count }</td>
                                <td>{ money(lang, l.discount) }</td>
                                <td>{ money(lang, l.order_amount) }</td>
                            </tr>
                        }) }
                        <tr>
                            <th scope="row">{ w(lang, Word::Total) }</th>
                            <td></td>
                            <td>{ s.count }</td>
                            <td>{ money(lang, s.discount) }</td>
                            <td></td>
                        </tr>
                    </tbody>
                </table>
            </div>
            <div class="actions">
                <button type="button" class="button" onclick={download}>{ lang.pick("下载结算申报（CSV）", "Download the claims (CSV)") }</button>
            </div>
        </section>
    }
}
