//! The car-purchase subsidy application (Jishan), an entry of its own (`/apply/`, the
//! `quan-apply` binary) so the coupon widget's download carries none of it: the form with the
//! subsidy the rules give shown before submission, an invoice date checked against the campaign,
//! the four documents uploaded as they are, and each application's status. It uses the
//! resident's session from the widget (same origin, same device).

use quan_core::api::{ApplicationRequest, ApplicationView};
use quan_core::money::{MoneyError, OrderAmount};
use quan_core::subsidy::{subsidy_at, ApplicationStatus, DocumentRole, VehicleClass};
use quan_core::ChinaDate;
use wasm_bindgen::JsCast;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::api::{self, ApiError};
use crate::components::{error_notice, Shell, TopBar};
use crate::context::{use_document_prefs, Prefs, PrefsHandle, SessionHandle, SessionState};
use crate::hooks::use_fetch;
use crate::i18n::{money, Lang};
use crate::storage;

/// The largest document the server takes.
const MAX_BYTES: f64 = 8.0 * 1024.0 * 1024.0;

fn status_words(lang: Lang, s: ApplicationStatus) -> &'static str {
    match s {
        ApplicationStatus::Draft => lang.pick("未提交", "Not submitted"),
        ApplicationStatus::Submitted => lang.pick("已提交，排队待审", "Submitted, in the queue"),
        ApplicationStatus::UnderReview => lang.pick("审核中", "Under review"),
        ApplicationStatus::Approved => lang.pick("已批准，待发放", "Approved, to be paid"),
        ApplicationStatus::Rejected => lang.pick("未通过", "Rejected"),
        ApplicationStatus::Paid => lang.pick("已发放到银行卡", "Paid to your card"),
    }
}

fn role_words(lang: Lang, r: DocumentRole) -> &'static str {
    match r {
        DocumentRole::IdCard => lang.pick("身份证", "ID card"),
        DocumentRole::BankCard => lang.pick("银行卡", "Bank card"),
        DocumentRole::Invoice => lang.pick("机动车销售发票", "Vehicle sales invoice"),
        DocumentRole::Licence => lang.pick("行驶证", "Vehicle licence"),
    }
}

/// Mounts the application page in `#app`.
pub fn start() {
    crate::mount::<ApplyApp>();
}

#[function_component]
pub fn ApplyApp() -> Html {
    let prefs: PrefsHandle = use_reducer(Prefs::load);
    let session: SessionHandle = use_reducer(|| SessionState::load_from(storage::SESSION));
    use_document_prefs(&prefs, None);
    let lang = prefs.lang;
    let token = session.token().map(str::to_owned);
    let title = AttrValue::from(lang.pick("购车补贴申请", "Car purchase subsidy"));
    html! {
        <Shell prefs={prefs.clone()} session={session.clone()}>
                    <TopBar title={title} />
                    <main class="page" id="main">
                        if let Some(token) = token {
                            <Applications token={token} />
                        } else {
                            <p class="notice" role="status">{ lang.pick("请先登录，再申请补贴。", "Sign in first to apply.") }</p>
                            <p><a class="button button-primary" href="/sign-in">{ lang.pick("登录", "Sign in") }</a></p>
                        }
                    </main>
        </Shell>
    }
}

#[derive(Properties, PartialEq)]
struct TokenProps {
    token: String,
}

#[function_component]
fn Applications(props: &TokenProps) -> Html {
    let prefs = crate::context::use_prefs();
    let lang = prefs.lang;
    let list = use_fetch(props.token.clone(), |token| async move {
        api::applications(&token).await
    });
    let done = list.reloader();
    let mine = match list.answer() {
        Some(Ok(apps)) => html! {
            <ul class="applications" data-testid="applications">
                { for apps.iter().filter(|a| a.status != ApplicationStatus::Draft).map(|a| card(lang, a)) }
            </ul>
        },
        Some(Err(e)) => error_notice(lang, e),
        None => html! {},
    };
    html! {
        <>
        <section aria-labelledby="mine">
            <h2 id="mine">{ lang.pick("我的申请", "My applications") }</h2>
            { mine }
        </section>
        <ApplicationForm token={props.token.clone()} on_done={done} />
        </>
    }
}

fn card(lang: Lang, a: &ApplicationView) -> Html {
    let class = match a.status {
        ApplicationStatus::Approved | ApplicationStatus::Paid => "badge badge-ok",
        ApplicationStatus::Rejected => "badge badge-off",
        _ => "badge",
    };
    html! {
        <li class="coupon-card">
            <p><span class={class} data-testid="application-status">{ status_words(lang, a.status) }</span></p>
            <p>{ format!("{} · {} {}", a.dealer.name, lang.pick("发票", "Invoice"), money(lang, a.invoice_amount)) }</p>
            <p>
                { lang.pick("补贴 ", "Subsidy ") }
                <strong>{ money(lang, if a.granted.is_positive() { a.granted } else { a.expected }) }</strong>
            </p>
            if a.status == ApplicationStatus::Rejected {
                <p class="notice notice-error">{ format!("{}：{}", lang.pick("原因", "Reason"), a.reason) }</p>
            }
            if let Some(at) = a.submitted_at {
                <p class="muted">{ format!("{} {}", lang.pick("提交于", "Submitted"), at.china_display()) }</p>
            }
        </li>
    }
}

#[derive(Properties, PartialEq)]
struct FormProps {
    token: String,
    on_done: Callback<()>,
}

/// What the form holds while it is filled in.
#[derive(Clone, PartialEq, Default)]
struct Draft {
    amount: String,
    date: String,
    vehicle: Option<VehicleClass>,
}

#[function_component]
fn ApplicationForm(props: &FormProps) -> Html {
    let prefs = crate::context::use_prefs();
    let lang = prefs.lang;
    let subsidies = use_fetch((), |_| api::subsidies());
    let draft = use_state(Draft::default);
    let busy = use_state(|| None::<&'static str>);
    let error = use_state(|| None::<String>);
    let (dealer, card, phone) = (use_node_ref(), use_node_ref(), use_node_ref());
    let files: [NodeRef; 4] = [use_node_ref(), use_node_ref(), use_node_ref(), use_node_ref()];
    let Some(Ok(list)) = subsidies.answer() else {
        return match subsidies.answer() {
            Some(Err(e)) => error_notice(lang, e),
            _ => html! {},
        };
    };
    let Some(sub) = list.first().cloned() else {
        return html! { <p class="muted">{ lang.pick("目前没有可申请的补贴。", "No subsidy is open for applications now.") }</p> };
    };
    let amount = OrderAmount::parse_yuan(&draft.amount).ok();
    let date = ChinaDate::parse(&draft.date).ok();
    let date_ok = date.is_some_and(|d| sub.starts <= d && d <= sub.ends);
    let expected = match (draft.vehicle, amount) {
        (Some(v), Some(a)) => {
            let rate = if v == VehicleClass::NewEnergy {
                sub.new_energy_bp
            } else {
                sub.fuel_bp
            };
            subsidy_at(rate, sub.floor, a.fen())
        }
        _ => None,
    };
    let edit = |f: fn(&mut Draft, String)| {
        let draft = draft.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(input) = e.target().and_then(|t| t.dyn_into::<HtmlInputElement>().ok()) {
                let mut next = (*draft).clone();
                f(&mut next, input.value());
                draft.set(next);
            }
        })
    };
    let choose = |v: VehicleClass| {
        let draft = draft.clone();
        Callback::from(move |_: Event| {
            let mut next = (*draft).clone();
            next.vehicle = Some(v);
            draft.set(next);
        })
    };
    let onsubmit = {
        let (token, on_done, busy, error, draft) = (
            props.token.clone(),
            props.on_done.clone(),
            busy.clone(),
            error.clone(),
            draft.clone(),
        );
        let (dealer, card, phone, files) = (dealer.clone(), card.clone(), phone.clone(), files.clone());
        let sub = sub.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let value = crate::components::input_value;
            let amount = OrderAmount::parse_yuan(&draft.amount);
            if amount == Err(MoneyError::OverOrderLimit) {
                error.set(Some(
                    lang.pick(
                        "发票金额最多为1000万元。",
                        "An invoice is at most 10,000,000 yuan.",
                    )
                    .into(),
                ));
                return;
            }
            let (Some(amount), Some(date), Some(vehicle)) =
                (amount.ok(), ChinaDate::parse(&draft.date).ok(), draft.vehicle)
            else {
                error.set(Some(
                    lang.pick(
                        "请填写发票金额、开票日期和车辆类型。",
                        "Fill in the invoice amount, date and vehicle type.",
                    )
                    .into(),
                ));
                return;
            };
            let dealer_id = dealer
                .cast::<HtmlSelectElement>()
                .and_then(|s| s.value().parse::<i64>().ok())
                .map(quan_core::MerchantId);
            let Some(dealer_id) = dealer_id else { return };
            let mut picked = Vec::new();
            for (role, input) in DocumentRole::ALL.into_iter().zip(&files) {
                let file = crate::components::chosen_file(input);
                match file {
                    Some(f) if f.size() <= MAX_BYTES => picked.push((role, f)),
                    Some(_) => {
                        error.set(Some(format!(
                            "{}：{}",
                            role_words(lang, role),
                            lang.pick("文件不能超过 8 MB", "at most 8 MB")
                        )));
                        return;
                    }
                    None => {
                        error.set(Some(format!(
                            "{}：{}",
                            lang.pick("请上传", "Upload"),
                            role_words(lang, role)
                        )));
                        return;
                    }
                }
            }
            let request = ApplicationRequest {
                campaign: sub.campaign.clone(),
                subsidy: sub.id.clone(),
                invoice_amount: amount,
                invoice_date: date,
                vehicle,
                dealer: dealer_id,
                bank_card: value(&card),
                phone: value(&phone),
            };
            let (token, on_done, busy, error, draft) = (
                token.clone(),
                on_done.clone(),
                busy.clone(),
                error.clone(),
                draft.clone(),
            );
            error.set(None);
            busy.set(Some(lang.pick("正在提交…", "Submitting…")));
            wasm_bindgen_futures::spawn_local(async move {
                let outcome = async {
                    let app = api::apply(&token, &request)
                        .await
                        .map_err(|e| crate::i18n::error_words(lang, &e).to_owned())?;
                    for (role, file) in picked {
                        let buffer = wasm_bindgen_futures::JsFuture::from(file.array_buffer())
                            .await
                            .map_err(|_| {
                                lang.pick("读取文件失败", "The file could not be read").to_owned()
                            })?;
                        let bytes = js_sys::Uint8Array::new(&buffer);
                        api::upload_document(&token, app.id, role, &file.type_(), &bytes)
                            .await
                            .map_err(|e| {
                                format!("{}：{}", role_words(lang, role), problem_words(lang, &e))
                            })?;
                    }
                    api::submit_application(&token, app.id)
                        .await
                        .map_err(|e| problem_words(lang, &e))
                }
                .await;
                busy.set(None);
                match outcome {
                    Ok(_) => {
                        draft.set(Draft::default());
                        on_done.emit(());
                    }
                    Err(words) => error.set(Some(words)),
                }
            });
        })
    };
    let doc_input = |i: usize, role: DocumentRole| {
        let id = format!("doc-{}", role.as_str());
        html! {
            <>
            <label for={id.clone()}>{ role_words(lang, role) }</label>
            <input id={id} ref={files[i].clone()} type="file" accept="image/jpeg,image/png,image/webp,application/pdf" required=true />
            </>
        }
    };
    html! {
        <section aria-labelledby="new-application">
            <h2 id="new-application">{ format!("{} · {}", sub.campaign_name, sub.name) }</h2>
            <p class="muted">{ format!(
                "{} {} — {}；{} {}%，{} {}%，{} {}",
                lang.pick("发票日期须在", "Invoices dated"), sub.starts, sub.ends,
                lang.pick("新能源车", "new-energy"), sub.new_energy_bp / 100,
                lang.pick("燃油车", "fuel"), sub.fuel_bp / 100,
                lang.pick("最低", "at least"), money(lang, sub.floor),
            ) }</p>
            <form class="form" {onsubmit}>
                <label for="amount">{ lang.pick("发票金额（元）", "Invoice amount (yuan)") }</label>
                <input id="amount" inputmode="decimal" autocomplete="off" required=true value={draft.amount.clone()} oninput={edit(|d, v| d.amount = v)} />
                <label for="date">{ lang.pick("开票日期", "Invoice date") }</label>
                <input id="date" type="date" required=true value={draft.date.clone()} oninput={edit(|d, v| d.date = v)} />
                if date.is_some() && !date_ok {
                    <p class="notice notice-error" role="alert">{ lang.pick("开票日期不在活动期内，不能申请。", "The invoice date is outside the campaign: no subsidy.") }</p>
                }
                <fieldset class="choice">
                    <legend>{ lang.pick("车辆类型", "Vehicle type") }</legend>
                    <label><input type="radio" name="vehicle" checked={draft.vehicle == Some(VehicleClass::NewEnergy)} onchange={choose(VehicleClass::NewEnergy)} />{ lang.pick("新能源车", "New-energy") }</label>
                    <label><input type="radio" name="vehicle" checked={draft.vehicle == Some(VehicleClass::Fuel)} onchange={choose(VehicleClass::Fuel)} />{ lang.pick("燃油车", "Fuel") }</label>
                </fieldset>
                <label for="dealer">{ lang.pick("经销商", "Dealer") }</label>
                <select id="dealer" ref={dealer} required=true>
                    { for sub.dealers.iter().map(|d| html! { <option value={d.id.0.to_string()}>{ &d.name }</option> }) }
                </select>
                <label for="card">{ lang.pick("本人银行卡号", "Your bank card number") }</label>
                <input id="card" ref={card} inputmode="numeric" autocomplete="off" required=true />
                <label for="phone">{ lang.pick("手机号", "Mobile number") }</label>
                <input id="phone" ref={phone} type="tel" inputmode="tel" required=true />
                { doc_input(0, DocumentRole::IdCard) }
                { doc_input(1, DocumentRole::BankCard) }
                { doc_input(2, DocumentRole::Invoice) }
                { doc_input(3, DocumentRole::Licence) }
                if let Some(x) = expected {
                    <p class="to-pay" data-testid="expected">{ lang.pick("预计补贴 ", "Expected subsidy ") }<strong>{ money(lang, x) }</strong></p>
                }
                <button type="submit" class="button button-primary" disabled={busy.is_some() || !date_ok}>
                    { busy.unwrap_or(lang.pick("提交申请", "Submit the application")) }
                </button>
            </form>
            if let Some(e) = &*error {
                <p class="notice notice-error" role="alert">{ e }</p>
            }
        </section>
    }
}

/// A refusal of this form in the widget's own words (the form checks each field before it is
/// sent, so the server's refusals are the rarer ones).
fn problem_words(lang: Lang, e: &ApiError) -> String {
    match e {
        ApiError::Problem { problem, .. } if problem.code == quan_core::ErrorCode::UnsupportedMediaType => {
            lang.pick(
                "只能上传照片（JPEG、PNG、WebP）或 PDF 文件。",
                "Only photos (JPEG, PNG, WebP) or PDF files can be uploaded.",
            )
            .to_owned()
        }
        ApiError::Problem { problem, .. } if problem.code == quan_core::ErrorCode::PayloadTooLarge => lang
            .pick("文件不能超过 8 MB。", "A file may be at most 8 MB.")
            .to_owned(),
        _ => crate::i18n::error_words(lang, e).to_owned(),
    }
}
