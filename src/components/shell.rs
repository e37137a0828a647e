use yew::prelude::*;

use crate::context::{PrefsHandle, SessionHandle};
use crate::hooks::ClockProvider;

#[derive(Properties, PartialEq)]
pub struct ShellProps {
    pub prefs: PrefsHandle,
    pub session: SessionHandle,
    #[prop_or_default]
    pub children: Html,
}

/// What every app of the widget (the resident's, the till, the console, the application) puts
/// around its pages: the preferences, the session and the server-corrected clock.
#[function_component]
pub fn Shell(props: &ShellProps) -> Html {
    html! {
        <ContextProvider<PrefsHandle> context={props.prefs.clone()}>
            <ContextProvider<SessionHandle> context={props.session.clone()}>
                <ClockProvider>{ props.children.clone() }</ClockProvider>
            </ContextProvider<SessionHandle>>
        </ContextProvider<PrefsHandle>>
    }
}
