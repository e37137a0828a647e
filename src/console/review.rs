//! The bank's review of car-subsidy applications: the queue in submission order (first come,
//! first served), each application's details and documents, and the decisions — take up,
//! approve (reserving the subsidy), reject with a reason, mark paid. The bank card and mobile show
//! masked; the reviewer who took the application up may show them in full, which the audit trail
//! records.

use quan_core::api::{PaymentDetails, ReviewRequest};
use quan_core::subsidy::{ApplicationStatus, DocumentRole, ReviewAction, VehicleClass};
use yew::prelude::*;

use quan_core::ErrorCode;

use crate::api::{self, ApiError};
use crate::components::error_notice;
use crate::context::use_prefs;
use crate::hooks::use_fetch;
use crate::i18n::{money, Lang};

fn status_words(lang: Lang, s: ApplicationStatus) -> &'static str {
    match s {
        ApplicationStatus::Draft => lang.pick("草稿", "Draft"),
        ApplicationStatus::Submitted => lang.pick("待受理", "Submitted"),
        ApplicationStatus::UnderReview => lang.pick("审核中", "Under review"),
        ApplicationStatus::Approved => lang.pick("已批准", "Approved"),
        ApplicationStatus::Rejected => lang.pick("已驳回", "Rejected"),
        ApplicationStatus::Paid => lang.pick("已付款", "Paid"),
    }
}

fn role_words(lang: Lang, r: DocumentRole) -> &'static str {
    match r {
        DocumentRole::IdCard => lang.pick("身份证", "ID card"),
        DocumentRole::BankCard => lang.pick("银行卡", "Bank card"),
        DocumentRole::Invoice => lang.pick("销售发票", "Sales invoice"),
        DocumentRole::Licence => lang.pick("行驶证", "Licence"),
    }
}

#[derive(Properties, PartialEq)]
pub struct ReviewProps {
    pub token: String,
}

/// A document fetched for viewing: its object URL and whether it is a picture.
#[derive(Clone, PartialEq)]
struct Shown {
    url: String,
    image: bool,
    role: DocumentRole,
}

#[function_component]
pub fn ReviewQueue(props: &ReviewProps) -> Html {
    let prefs = use_prefs();
    let lang = prefs.lang;
    let queue = use_fetch(props.token.clone(), |token| async move {
        api::review_queue(&token).await
    });
    let open = use_state(|| None::<i64>);
    let error = use_state(|| None::<ApiError>);
    let shown = use_state(|| None::<Shown>);
    let full = use_state(|| None::<(i64, PaymentDetails)>);
    let reason = use_node_ref();
    let list = match queue.answer() {
        Some(Ok(list)) => list.clone(),
        Some(Err(e)) => {
            return html! { <main class="page console" id="main">{ error_notice(lang, e) }</main> }
        }
        None => Vec::new(),
    };
    let act = |id: i64, action: ReviewAction| {
        let (token, queue, error, reason) =
            (props.token.clone(), queue.clone(), error.clone(), reason.clone());
        Callback::from(move |_: MouseEvent| {
            let text = crate::components::input_value(&reason);
            let request = ReviewRequest {
                action,
                reason: if action == ReviewAction::Reject {
                    text
                } else {
                    String::new()
                },
            };
            let (token, queue, error) = (token.clone(), queue.clone(), error.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match api::review(&token, id, &request).await {
                    Ok(_) => {
                        error.set(None);
                        queue.reload();
                    }
                    Err(e) => error.set(Some(e)),
                }
            });
        })
    };
    let show_full = |id: i64| {
        let (token, full, error) = (props.token.clone(), full.clone(), error.clone());
        Callback::from(move |_: MouseEvent| {
            let (token, full, error) = (token.clone(), full.clone(), error.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match api::payment_details(&token, id).await {
                    Ok(details) => {
                        error.set(None);
                        full.set(Some((id, details)));
                    }
                    Err(e) => error.set(Some(e)),
                }
            });
        })
    };
    let view_doc = |id: i64, role: DocumentRole, media_type: String| {
        let (token, shown, error) = (props.token.clone(), shown.clone(), error.clone());
        Callback::from(move |_: MouseEvent| {
            let (token, shown, error, media_type) =
                (token.clone(), shown.clone(), error.clone(), media_type.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let path = format!("/review/applications/{id}/documents/{}", role.as_str());
                match api::document(&path, &token).await {
                    Ok(bytes) => {
                        let options = web_sys::BlobPropertyBag::new();
                        options.set_type(&media_type);
                        let url = web_sys::Blob::new_with_u8_array_sequence_and_options(
                            &js_sys::Array::of1(&bytes),
                            &options,
                        )
                        .and_then(|b| web_sys::Url::create_object_url_with_blob(&b));
                        if let Some(old) = &*shown {
                            let _ = web_sys::Url::revoke_object_url(&old.url);
                        }
                        if let Ok(url) = url {
                            shown.set(Some(Shown {
                                url,
                                image: media_type.starts_with("image/"),
                                role,
                            }));
                        }
                    }
                    Err(e) => error.set(Some(e)),
                }
            });
        })
    };
    let detail = (*open).and_then(|id| list.iter().find(|a| a.id == id)).map(|a| {
        let vehicle = match a.vehicle {
            VehicleClass::NewEnergy => lang.pick("新能源车", "New-energy"),
            VehicleClass::Fuel => lang.pick("燃油车", "Fuel"),
        };
        let open_now = matches!(a.status, ApplicationStatus::Submitted | ApplicationStatus::UnderReview);
        let in_full = full.as_ref().filter(|(id, _)| *id == a.id).map(|(_, d)| d);
        html! {
            <section class="review-detail" aria-labelledby="application">
                <h3 id="application">{ format!("#{} · {}", a.id, a.applicant) }</h3>
                <dl class="facts">
                    <dt>{ lang.pick("状态", "Status") }</dt><dd data-testid="review-status">{ status_words(lang, a.status) }</dd>
                    <dt>{ lang.pick("经销商", "Dealer") }</dt><dd>{ &a.dealer.name }</dd>
                    <dt>{ lang.pick("车辆", "Vehicle") }</dt><dd>{ vehicle }</dd>
                    <dt>{ lang.pick("发票", "Invoice") }</dt><dd>{ format!("{} · {}", money(lang, a.invoice_amount), a.invoice_date) }</dd>
                    <dt>{ lang.pick("应补贴", "Subsidy by the rules") }</dt><dd>{ money(lang, a.expected) }</dd>
                    <dt>{ lang.pick("银行卡", "Bank card") }</dt>
                    <dd data-testid="bank-card">{ in_full.map_or(&a.bank_card, |d| &d.bank_card) }</dd>
                    <dt>{ lang.pick("手机号", "Mobile") }</dt>
                    <dd data-testid="mobile">{ in_full.map_or(&a.phone, |d| &d.phone) }</dd>
                    if a.granted.is_positive() {
                        <dt>{ lang.pick("已批准金额", "Granted") }</dt><dd>{ money(lang, a.granted) }</dd>
                    }
                    if !a.reason.is_empty() {
                        <dt>{ lang.pick("驳回原因", "Reason") }</dt><dd>{ &a.reason }</dd>
                    }
                </dl>
                <div class="actions">
                    if a.status != ApplicationStatus::Submitted && in_full.is_none() {
                        <button type="button" class="button" onclick={show_full(a.id)}>
                            { lang.pick("显示完整卡号（留痕）", "Show the full numbers (recorded)") }
                        </button>
                    }
                    { for a.documents.iter().map(|d| html! {
                        <button type="button" class="button" onclick={view_doc(a.id, d.role, d.media_type.clone())}>
                            { format!("{} {}", lang.pick("查看", "View"), role_words(lang, d.role)) }
                        </button>
                    }) }
                </div>
                if let Some(s) = &*shown {
                    if s.image {
                        <img class="document" src={s.url.clone()} alt={role_words(lang, s.role)} />
                    } else {
                        <p><a href={s.url.clone()} target="_blank" rel="noopener">{ format!("{} {} (PDF)", lang.pick("打开", "Open"), role_words(lang, s.role)) }</a></p>
                    }
                }
                <div class="actions">
                    if a.status == ApplicationStatus::Submitted {
                        <button type="button" class="button" onclick={act(a.id, ReviewAction::Review)}>{ lang.pick("受理", "Take up") }</button>
                    }
                    if open_now {
                        <button type="button" class="button button-primary" onclick={act(a.id, ReviewAction::Approve)}>{ lang.pick("批准", "Approve") }</button>
                    }
                    if a.status == ApplicationStatus::Approved {
                        <button type="button" class="button button-primary" onclick={act(a.id, ReviewAction::MarkPaid)}>{ lang.pick("已付款", "Mark paid") }</button>
                    }
                </div>
                if open_now {
                    <div class="form">
                        <label for="reason">{ lang.pick("驳回原因（申请人可见）", "Reason for rejecting (the applicant reads it)") }</label>
                        <input id="reason" ref={reason.clone()} autocomplete="off" />
                        <button type="button" class="button" onclick={act(a.id, ReviewAction::Reject)}>{ lang.pick("驳回", "Reject") }</button>
                    </div>
                }
            </section>
        }
    });
    html! {
        <main class="page console" id="main">
            <h2>{ lang.pick("购车补贴审核（按提交先后）", "Car subsidy applications, first come first") }</h2>
            <div class="table-scroll">
                <table class="figures queue" data-testid="queue">
                    <thead><tr>
                        <th scope="col">{ lang.pick("申请", "Application") }</th>
                        <th scope="col">{ lang.pick("提交时间", "Submitted") }</th>
                        <th scope="col">{ lang.pick("发票金额", "Invoice") }</th>
                        <th scope="col">{ lang.pick("应补贴", "Subsidy") }</th>
                        <th scope="col">{ lang.pick("状态", "Status") }</th>
                        <th scope="col"><span class="visually-hidden">{ lang.pick("操作", "Actions") }</span></th>
                    </tr></thead>
                    <tbody>
                        { for list.iter().map(|a| {
                            let (open, shown) = (open.clone(), shown.clone());
                            let id = a.id;
                            html! {
                                <tr>
                                    <th scope="row">{ format!("#{} {}", a.id, a.applicant) }</th>
                                    <td>{ a.submitted_at.map(|t| t.china_display()).unwrap_or_default() }</td>
                                    <td>{ money(lang, a.invoice_amount) }</td>
                                    <td>{ money(lang, a.expected) }</td>
                                    <td>{ status_words(lang, a.status) }</td>
                                    <td><button type="button" class="chip" onclick={Callback::from(move |_| { shown.set(None); open.set(Some(id)); })}>
                                        { format!("{} #{}", lang.pick("查看", "Open"), id) }
                                    </button></td>
                                </tr>
                            }
                        }) }
                    </tbody>
                </table>
            </div>
            if list.is_empty() && queue.answer().is_some() {
                <p class="muted">{ lang.pick("暂无待审申请。", "No applications yet.") }</p>
            }
            { detail.unwrap_or_default() }
            if let Some(e) = &*error {
                { refusal(lang, e) }
            }
        </main>
    }
}

/// A refusal in the console's own words: the reviewer's own cases said as such, else the
/// widget's words for the code.
fn refusal(lang: Lang, e: &ApiError) -> Html {
    let words = match e {
        ApiError::Problem { problem, .. } => match problem.code {
            ErrorCode::Forbidden => Some(lang.pick(
                "只有最先受理此申请的审核员可以查看完整卡号；请先受理。",
                "Only the reviewer who took this application up sees the full numbers: take it up first.",
            )),
            ErrorCode::SoldOut => Some(lang.pick(
                "补贴资金不足以支付此申请，请以此为由驳回。",
                "The subsidy's budget cannot cover this application: reject it with that reason.",
            )),
            ErrorCode::InvalidRequest => Some(lang.pick(
                "此状态下不能这样处理；驳回须填写原因。",
                "Not possible in this status; a rejection needs its reason.",
            )),
            ErrorCode::IdempotencyInProgress => Some(lang.pick(
                "另一位审核员刚刚处理了此申请，请刷新。",
                "Another reviewer decided it just now: reload.",
            )),
            _ => None,
        },
        _ => None,
    };
    match words {
        Some(w) => html! { <p class="notice notice-error" role="alert">{ w }</p> },
        None => error_notice(lang, e),
    }
}
