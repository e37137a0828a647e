use quan_core::ErrorCode;
use yew::prelude::*;

use crate::api::ApiError;
use crate::i18n::{error_words, Lang};

/// The one place errors are shown, in the reader's language.
pub fn error_notice(lang: Lang, error: &ApiError) -> Html {
    html! {
        <p class="notice notice-error" role="alert">
            { error_words(lang, error) }
            if let Some(reason) = bureau_reason(error) {
                { format!("{}{reason}", lang.pick("原因：", " Why: ")) }
            }
        </p>
    }
}

/// The bureau's own words, where a refusal carries them: a pause's reason, as the operator wrote
/// it. (Every other refusal is worded by the widget alone.)
pub fn bureau_reason(error: &ApiError) -> Option<&str> {
    match error {
        ApiError::Problem { problem, .. }
            if matches!(
                problem.code,
                ErrorCode::ClaimsPaused | ErrorCode::RedemptionsPaused
            ) =>
        {
            problem.detail.as_deref()
        }
        _ => None,
    }
}
