use yew::prelude::*;

use crate::api::ApiError;
use crate::context::use_prefs;
use crate::i18n::error_words;

#[derive(Properties, PartialEq)]
pub struct ErrorNoticeProps {
    pub error: ApiError,
}

/// The one place errors are shown, in the reader's language.
#[function_component]
pub fn ErrorNotice(props: &ErrorNoticeProps) -> Html {
    let prefs = use_prefs();
    html! { <p class="notice notice-error" role="alert">{ error_words(prefs.lang, &props.error) }</p> }
}
