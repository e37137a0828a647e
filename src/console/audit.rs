//! The audit office's view: the audit trail, newest first, filtered by who and by what, and
//! exported as CSV with each entry's hash.

use quan_core::api::AuditEntry;
use yew::prelude::*;

use crate::api::{self, ApiError};
use crate::components::error_notice;
use crate::context::use_prefs;

#[derive(Properties, PartialEq)]
pub struct AuditProps {
    pub token: String,
}

#[function_component]
pub fn AuditTrail(props: &AuditProps) -> Html {
    let lang = use_prefs().lang;
    let entries = use_state(|| None::<Result<Vec<AuditEntry>, ApiError>>);
    let filter = use_state(|| (String::new(), String::new()));
    let actor = use_node_ref();
    let action = use_node_ref();
    let download_error = use_state(|| None::<ApiError>);
    {
        let (entries, token) = (entries.clone(), props.token.clone());
        use_effect_with((*filter).clone(), move |(actor, action)| {
            let (actor, action) = (actor.clone(), action.clone());
            wasm_bindgen_futures::spawn_local(async move {
                entries.set(Some(api::audit_entries(&token, &actor, &action).await));
            });
        });
    }
    let onsubmit = {
        let (filter, actor, action) = (filter.clone(), actor.clone(), action.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let value = crate::components::input_value;
            filter.set((value(&actor), value(&action)));
        })
    };
    let download = {
        let (token, filter, download_error) = (props.token.clone(), filter.clone(), download_error.clone());
        Callback::from(move |_: MouseEvent| {
            let (token, download_error) = (token.clone(), download_error.clone());
            let path = format!("/audit/entries.csv?{}", api::audit_query(&filter.0, &filter.1));
            wasm_bindgen_futures::spawn_local(async move {
                match api::text(&path, &token).await {
                    Ok(text) => {
                        download_error.set(None);
                        crate::components::save_csv("audit-trail.csv", &text);
                    }
                    Err(e) => download_error.set(Some(e)),
                }
            });
        })
    };
    let rows = match &*entries {
        None => html! { <p class="muted">{ lang.pick("加载中…", "Loading…") }</p> },
        Some(Err(e)) => error_notice(lang, e),
        Some(Ok(list)) if list.is_empty() => {
            html! { <p class="muted">{ lang.pick("没有符合条件的记录。", "No entries match.") }</p> }
        }
        Some(Ok(list)) => html! {
            <div class="table-scroll">
                <table class="figures trail" data-testid="audit-trail">
                    <thead><tr>
                        <th scope="col">{ "#" }</th>
                        <th scope="col">{ lang.pick("时间", "When") }</th>
                        <th scope="col">{ lang.pick("账号", "Who") }</th>
                        <th scope="col">{ lang.pick("角色", "Role") }</th>
                        <th scope="col">{ lang.pick("地址", "From") }</th>
                        <th scope="col">{ lang.pick("操作", "What") }</th>
                        <th scope="col">{ lang.pick("对象", "On") }</th>
                        <th scope="col">{ lang.pick("结果", "Result") }</th>
                    </tr></thead>
                    <tbody>
                        { for list.iter().map(|e| html! {
                            <tr>
                                <td>{ e.seq }</td>
                                <td>{ e.at.china_display() }</td>
                                <td>{ &e.act.actor }</td>
                                <td>{ &e.act.role }</td>
                                <td>{ &e.act.address }</td>
                                <td>{ &e.act.action }</td>
                                <td>{ &e.act.object }</td>
                                <td>{ &e.act.result }</td>
                            </tr>
                        }) }
                    </tbody>
                </table>
            </div>
        },
    };
    html! {
        <main class="page console" id="main">
            <section>
                <h2>{ lang.pick("审计日志", "Audit trail") }</h2>
                <p class="muted">{ lang.pick(
                    "每一项特权操作都在这里：谁、以什么角色、何时、从哪里、做了什么、结果如何。记录只增不改，每条都带着前一条的哈希。",
                    "Every privileged act is here: who, in which role, when, from where, what, and how it ended. Entries are only ever added, each carrying the hash of the one before.",
                ) }</p>
                <form class="filters" {onsubmit}>
                    <label>{ lang.pick("账号", "Account") }<input ref={actor} /></label>
                    <label>{ lang.pick("操作包含", "Action contains") }<input ref={action} placeholder="sign_in, /blacklist…" /></label>
                    <button type="submit" class="button">{ lang.pick("筛选", "Filter") }</button>
                    <button type="button" class="button" onclick={download}>{ lang.pick("导出 CSV", "Export CSV") }</button>
                </form>
                if let Some(e) = &*download_error {
                    { error_notice(lang, e) }
                }
                { rows }
            </section>
        </main>
    }
}
