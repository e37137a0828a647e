use quan_core::api::StaffSlip;
use yew::prelude::*;

use crate::context::use_prefs;

#[derive(Properties, PartialEq)]
pub struct StaffSlipProps {
    pub slip: StaffSlip,
    /// Where the account signs in, for the slip (`/merchant/`, `/operator/`).
    pub sign_in_at: AttrValue,
}

/// The slip handed to a new account's holder: the name and the one-time password, shown this
/// once, to print or copy by hand. The holder chooses their own password at the first sign-in.
#[function_component]
pub fn StaffSlipCard(props: &StaffSlipProps) -> Html {
    let lang = use_prefs().lang;
    let s = &props.slip;
    let print = Callback::from(|_: MouseEvent| {
        if let Some(w) = web_sys::window() {
            let _ = w.print();
        }
    });
    html! {
        <section class="slip" aria-labelledby="slip-title" data-testid="slip">
            <h3 id="slip-title">{ lang.pick("账号交接单", "Account slip") }</h3>
            <dl>
                <dt>{ lang.pick("姓名", "Name") }</dt><dd>{ &s.account.display_name }</dd>
                <dt>{ lang.pick("账号", "Account") }</dt><dd data-testid="slip-username">{ &s.account.username }</dd>
                <dt>{ lang.pick("一次性密码", "One-time password") }</dt><dd class="slip-password" data-testid="slip-password">{ &s.password }</dd>
                <dt>{ lang.pick("登录地址", "Sign in at") }</dt><dd>{ &props.sign_in_at }</dd>
            </dl>
            <p class="muted">{ lang.pick(
                "此密码只显示这一次。首次登录时须设置自己的新密码。",
                "This password is shown this once. The first sign-in must choose a new one.",
            ) }</p>
            <button type="button" class="button" onclick={print}>{ lang.pick("打印", "Print") }</button>
        </section>
    }
}
