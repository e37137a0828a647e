//! The shop's people, for its manager: the cashiers, each added with a one-time password on a
//! slip, reset when forgotten, disabled when they leave (their tills sign out at once).

use quan_core::api::{NewStaff, Role, StaffSlip, StaffView};
use yew::prelude::*;

use crate::api::{self, ApiError};
use crate::components::{error_notice, input_value, StaffSlipCard};
use crate::context::use_prefs;

#[derive(Properties, PartialEq)]
pub struct StaffProps {
    pub token: String,
}

#[function_component]
pub fn StaffList(props: &StaffProps) -> Html {
    let lang = use_prefs().lang;
    let list = use_state(|| None::<Result<Vec<StaffView>, ApiError>>);
    let reload = use_state(|| 0u32);
    let slip = use_state(|| None::<StaffSlip>);
    let error = use_state(|| None::<ApiError>);
    let username = use_node_ref();
    let display = use_node_ref();
    {
        let (list, token) = (list.clone(), props.token.clone());
        use_effect_with(*reload, move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                list.set(Some(api::my_staff(&token).await));
            });
        });
    }
    // Each call shows its slip or its refusal, and reloads the list.
    let done = {
        let (slip, error, reload) = (slip.clone(), error.clone(), reload.clone());
        move |result: Result<Option<StaffSlip>, ApiError>| match result {
            Ok(s) => {
                error.set(None);
                slip.set(s);
                reload.set(*reload + 1);
            }
            Err(e) => error.set(Some(e)),
        }
    };
    let add = {
        let (token, username, display, done) = (
            props.token.clone(),
            username.clone(),
            display.clone(),
            done.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let who = NewStaff {
                username: input_value(&username),
                display_name: input_value(&display),
            };
            let (token, done) = (token.clone(), done.clone());
            wasm_bindgen_futures::spawn_local(async move {
                done(api::add_cashier(&token, &who).await.map(Some));
            });
        })
    };
    let reset = |id: i64| {
        let (token, done) = (props.token.clone(), done.clone());
        Callback::from(move |_: MouseEvent| {
            let (token, done) = (token.clone(), done.clone());
            wasm_bindgen_futures::spawn_local(async move {
                done(api::reset_cashier(&token, id).await.map(Some));
            });
        })
    };
    let disable = |id: i64, to: bool| {
        let (token, done) = (props.token.clone(), done.clone());
        Callback::from(move |_: MouseEvent| {
            let (token, done) = (token.clone(), done.clone());
            wasm_bindgen_futures::spawn_local(async move {
                done(api::disable_cashier(&token, id, to).await.map(|_| None));
            });
        })
    };
    let rows = match &*list {
        None => html! {},
        Some(Err(e)) => error_notice(lang, e),
        Some(Ok(people)) => html! {
            <ul class="redemptions" data-testid="staff">
                { for people.iter().map(|p| {
                    let role = match p.role {
                        Role::MerchantManager => lang.pick("店长", "manager"),
                        _ => lang.pick("收银员", "cashier"),
                    };
                    let state = if p.disabled {
                        lang.pick("已停用", "disabled")
                    } else if p.must_change_password {
                        lang.pick("尚未首次登录", "not signed in yet")
                    } else {
                        lang.pick("在用", "active")
                    };
                    html! {
                        <li class="redemption">
                            <span class="redemption-what">{ format!("{} · {} · {} · {}", p.display_name, p.username, role, state) }</span>
                            if p.role == Role::Cashier {
                                <span class="confirm">
                                    <button type="button" class="button" onclick={reset(p.id)}
                                        aria-label={format!("{} {}", lang.pick("重置密码", "Reset the password of"), p.username)}>{ lang.pick("重置密码", "Reset password") }</button>
                                    <button type="button" class="button" onclick={disable(p.id, !p.disabled)}
                                        aria-label={format!("{} {}", if p.disabled { lang.pick("启用", "Enable") } else { lang.pick("停用", "Disable") }, p.username)}>
                                        { if p.disabled { lang.pick("启用", "Enable") } else { lang.pick("停用", "Disable") } }
                                    </button>
                                </span>
                            }
                        </li>
                    }
                }) }
            </ul>
        },
    };
    html! {
        <main class="page" id="main">
            <h2>{ lang.pick("店员", "Staff") }</h2>
            { rows }
            if let Some(s) = &*slip {
                <StaffSlipCard slip={s.clone()} sign_in_at={AttrValue::from("/merchant/")} />
            }
            if let Some(e) = &*error {
                { error_notice(lang, e) }
            }
            <h3>{ lang.pick("添加收银员", "Add a cashier") }</h3>
            <form class="form" onsubmit={add}>
                <label for="staff-username">{ lang.pick("账号（不含空格）", "Account name (no spaces)") }</label>
                <input id="staff-username" ref={username} required=true maxlength="64" autocomplete="off" />
                <label for="staff-display">{ lang.pick("姓名", "Name") }</label>
                <input id="staff-display" ref={display} maxlength="100" autocomplete="off" />
                <button type="submit" class="button button-primary">{ lang.pick("添加并生成一次性密码", "Add, with a one-time password") }</button>
            </form>
        </main>
    }
}
