use yew::prelude::*;

use crate::api::ApiError;
use crate::i18n::{error_words, Lang};

/// The one place errors are shown, in the reader's language.
pub fn error_notice(lang: Lang, error: &ApiError) -> Html {
    html! { <p class="notice notice-error" role="alert">{ error_words(lang, error) }</p> }
}
