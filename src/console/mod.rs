//! The operator's console, a build of its own (`/operator/`, the `quan-console` binary), so that
//! neither residents nor tills download it: for each campaign and kind the budget, issuance,
//! holdings, redemptions, refunds and returns to the pool, the redemption rate, coverage and the
//! direct leverage ratio; charts of the day by hour and of the campaign by day, with each pool's
//! burn-down; the report and the 10% audit sample as CSV.

mod charts;
mod report;
mod review;
mod words;

use yew::prelude::*;

use crate::components::{StaffSignIn, TopBar};
use crate::context::{use_document_prefs, Prefs, PrefsHandle, SessionAction, SessionHandle, SessionState};
use crate::hooks::ClockProvider;
use crate::storage;
use quan_core::api::Role;
use words::{w, Word};

pub use charts::nice_ceiling;

/// Mounts the console in `#app`.
pub fn start() {
    crate::mount::<ConsoleApp>();
}

#[function_component]
pub fn ConsoleApp() -> Html {
    let prefs: PrefsHandle = use_reducer(Prefs::load);
    let session: SessionHandle = use_reducer(|| SessionState::load_from(storage::CONSOLE_SESSION));
    use_document_prefs(&prefs, Some("console"));
    let lang = prefs.lang;
    let signed_in = session.session.clone();
    let body = match &signed_in {
        None => html! { <StaffSignIn /> },
        Some(s) if s.role == Role::Operator => html! { <report::ReportView token={s.token.clone()} /> },
        Some(s) if s.role == Role::Reviewer => html! { <review::ReviewQueue token={s.token.clone()} /> },
        Some(_) => {
            let session = session.clone();
            let sign_out = Callback::from(move |_: MouseEvent| session.dispatch(SessionAction::SignedOut));
            html! {
                <main class="page" id="main">
                    <p class="notice notice-error" role="alert">{ w(lang, Word::NotOperator) }</p>
                    <button type="button" class="button" onclick={sign_out}>{ crate::i18n::t(lang, crate::i18n::Key::SignOut) }</button>
                </main>
            }
        }
    };
    html! {
        <ContextProvider<PrefsHandle> context={prefs.clone()}>
            <ContextProvider<SessionHandle> context={session.clone()}>
                <ClockProvider>
                    <TopBar title={AttrValue::from(w(lang, Word::Title))} subtitle={signed_in.map(|s| s.name)} />
                    { body }
                </ClockProvider>
            </ContextProvider<SessionHandle>>
        </ContextProvider<PrefsHandle>>
    }
}
