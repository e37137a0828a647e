//! The operator's console, a build of its own (`/operator/`, the `quan-console` binary), so that
//! neither residents nor tills download it: for each campaign and kind the budget, issuance,
//! holdings, redemptions, refunds and returns to the pool, the redemption rate, coverage and the
//! direct leverage ratio; charts of the day by hour and of the campaign by day, with each pool's
//! burn-down; the report and the 10% audit sample as CSV.

mod admin;
mod audit;
mod charts;
mod draws;
mod history;
mod pauses;
mod report;
mod review;
mod revisions;
mod words;

use yew::prelude::*;

use crate::components::{Shell, StaffSignIn, TopBar};
use crate::context::{use_document_prefs, Prefs, PrefsHandle, SessionAction, SessionHandle, SessionState};
use crate::router::{Link, Routable, Router};
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
        Some(s) if s.role == Role::Operator => html! { <OperatorConsole token={s.token.clone()} /> },
        Some(s) if s.role == Role::Reviewer => html! { <review::ReviewQueue token={s.token.clone()} /> },
        Some(s) if s.role == Role::Auditor => html! { <audit::AuditTrail token={s.token.clone()} /> },
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
        <Shell prefs={prefs.clone()} session={session.clone()}>
            <TopBar title={AttrValue::from(w(lang, Word::Title))} subtitle={signed_in.map(|s| s.name)} />
            { body }
        </Shell>
    }
}

/// The operator's sections, each at its own address under `/operator/`: back and forward move
/// between them, and a link or a reload opens the same one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Section {
    Report,
    Merchants,
    LoveList,
    LoveCards,
}

impl Routable for Section {
    fn from_path(path: &str) -> Section {
        match path.trim_end_matches('/').rsplit('/').next() {
            Some("merchants") => Section::Merchants,
            Some("love-list") => Section::LoveList,
            Some("love-cards") => Section::LoveCards,
            _ => Section::Report,
        }
    }

    fn path(&self) -> String {
        match self {
            Section::Report => "/operator/",
            Section::Merchants => "/operator/merchants",
            Section::LoveList => "/operator/love-list",
            Section::LoveCards => "/operator/love-cards",
        }
        .into()
    }
}

#[derive(Properties, PartialEq)]
struct OperatorProps {
    token: String,
}

/// The operator's sections: the campaign's figures, the merchants, the love-coupon list, its cards.
#[function_component]
fn OperatorConsole(props: &OperatorProps) -> Html {
    let lang = crate::context::use_prefs().lang;
    let token = props.token.clone();
    let render = Callback::from(move |section: Section| {
        let tab = |to: Section, label: &'static str| {
            let current = section == to;
            html! {
                <Link<Section> {to} {current} classes={classes!("tab", current.then_some("tab-current"))}>{ label }</Link<Section>>
            }
        };
        let token = token.clone();
        html! {
            <>
            <nav class="tabs" aria-label={w(lang, Word::Title)}>
                { tab(Section::Report, lang.pick("活动数据", "Figures")) }
                { tab(Section::Merchants, lang.pick("商户", "Merchants")) }
                { tab(Section::LoveList, lang.pick("爱心券名单", "Love-coupon list")) }
                { tab(Section::LoveCards, lang.pick("爱心卡", "Love-coupon cards")) }
            </nav>
            { match section {
                Section::Report => html! { <report::ReportView token={token} /> },
                Section::Merchants => html! { <main class="page console" id="main"><admin::Merchants token={token} /></main> },
                Section::LoveList => html! { <main class="page console" id="main"><admin::LoveList token={token} /></main> },
                Section::LoveCards => html! { <main class="page console" id="main"><admin::LoveCards token={token} /></main> },
            } }
            </>
        }
    });
    html! { <Router<Section> {render} /> }
}

#[cfg(test)]
mod tests {
    use super::Section;
    use crate::router::Routable;

    #[wasm_bindgen_test::wasm_bindgen_test]
    fn every_view_has_an_address_that_opens_it() {
        for v in [
            Section::Report,
            Section::Merchants,
            Section::LoveList,
            Section::LoveCards,
        ] {
            assert_eq!(Section::from_path(&v.path()), v);
        }
        assert_eq!(Section::from_path("/operator"), Section::Report);
        assert_eq!(Section::from_path("/operator/nowhere"), Section::Report);
    }
}
