//! The shop's people, for its manager: the cashiers, each added with a one-time password on a
//! slip, reset when forgotten, disabled when they leave (their tills sign out at once).

use quan_core::api::{NewStaff, StaffView};
use yew::prelude::*;

use crate::api::{self, ApiError};
use crate::components::{error_notice, input_value, use_slip_outcome, SlipOutcome, StaffList, StaffSlipCard};
use crate::context::use_prefs;

#[derive(Properties, PartialEq)]
pub struct StaffProps {
    pub token: String,
}

#[function_component]
pub fn ShopStaff(props: &StaffProps) -> Html {
    let lang = use_prefs().lang;
    let list = use_state(|| None::<Result<Vec<StaffView>, ApiError>>);
    let SlipOutcome {
        slip,
        error,
        reload,
        done,
    } = use_slip_outcome();
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
                done.emit(api::add_cashier(&token, &who).await.map(Some));
            });
        })
    };
    let on_done = done.clone();
    let rows = match &*list {
        None => html! {},
        Some(Err(e)) => error_notice(lang, e),
        Some(Ok(people)) => html! {
            <StaffList token={props.token.clone()} people={people.clone()} {on_done} testid="staff" />
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
