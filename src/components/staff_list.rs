use quan_core::api::{Role, StaffSlip, StaffView};
use yew::prelude::*;

use crate::api::{self, ApiError};
use crate::context::use_prefs;

#[derive(Properties, PartialEq)]
pub struct StaffListProps {
    pub token: String,
    pub people: Vec<StaffView>,
    /// The bureau, who may reset and disable every account of the shop; else the manager at
    /// the till, who may reset and disable its cashiers.
    #[prop_or_default]
    pub as_bureau: bool,
    /// What a reset (its new slip) or a disabling came to.
    pub on_done: Callback<Result<Option<StaffSlip>, ApiError>>,
    #[prop_or_default]
    pub testid: AttrValue,
}

/// A shop's accounts, each with its role and state, and the buttons to reset or disable it.
#[function_component]
pub fn StaffList(props: &StaffListProps) -> Html {
    let lang = use_prefs().lang;
    let act = |id: i64, disable: Option<bool>| {
        let (token, on_done, bureau) = (props.token.clone(), props.on_done.clone(), props.as_bureau);
        Callback::from(move |_: MouseEvent| {
            let (token, on_done) = (token.clone(), on_done.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let done = match (disable, bureau) {
                    (None, true) => api::reset_shop_account(&token, id).await.map(Some),
                    (None, false) => api::reset_cashier(&token, id).await.map(Some),
                    (Some(to), true) => api::disable_shop_account(&token, id, to).await.map(|_| None),
                    (Some(to), false) => api::disable_cashier(&token, id, to).await.map(|_| None),
                };
                on_done.emit(done);
            });
        })
    };
    html! {
        <ul class="redemptions" data-testid={props.testid.clone()}>
            { for props.people.iter().map(|p| {
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
                let toggle = if p.disabled { lang.pick("启用", "Enable") } else { lang.pick("停用", "Disable") };
                html! {
                    <li class="redemption">
                        <span class="redemption-what">{ format!("{} · {} · {} · {}", p.display_name, p.username, role, state) }</span>
                        if props.as_bureau || p.role == Role::Cashier {
                            <span class="confirm">
                                <button type="button" class="button" onclick={act(p.id, None)}
                                    aria-label={format!("{} {}", lang.pick("重置密码", "Reset the password of"), p.username)}>{ lang.pick("重置密码", "Reset password") }</button>
                                <button type="button" class="button" onclick={act(p.id, Some(!p.disabled))}
                                    aria-label={format!("{toggle} {}", p.username)}>{ toggle }</button>
                            </span>
                        }
                    </li>
                }
            }) }
        </ul>
    }
}

/// The last slip or refusal of a staff call, and a count that moves on with each success (for
/// the list to reload).
pub struct SlipOutcome {
    pub slip: UseStateHandle<Option<StaffSlip>>,
    pub error: UseStateHandle<Option<ApiError>>,
    pub reload: UseStateHandle<u32>,
    /// What a call came to: its slip (or none) shown, or its refusal.
    pub done: Callback<Result<Option<StaffSlip>, ApiError>>,
}

#[hook]
pub fn use_slip_outcome() -> SlipOutcome {
    let slip = use_state(|| None::<StaffSlip>);
    let error = use_state(|| None::<ApiError>);
    let reload = use_state(|| 0u32);
    let done = {
        let (slip, error, reload) = (slip.clone(), error.clone(), reload.clone());
        Callback::from(move |result: Result<Option<StaffSlip>, ApiError>| match result {
            Ok(s) => {
                error.set(None);
                slip.set(s);
                reload.set(*reload + 1);
            }
            Err(e) => error.set(Some(e)),
        })
    };
    SlipOutcome {
        slip,
        error,
        reload,
        done,
    }
}
