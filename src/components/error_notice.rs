use quan_core::ErrorCode;
use yew::prelude::*;

use crate::api::ApiError;

/// What a resident or merchant reads for an error, in words they understand.
pub fn error_words(error: &ApiError) -> &'static str {
    match error {
        ApiError::Network(_) => "网络不通，请检查网络后重试。",
        ApiError::Unexpected(_) => "服务暂时异常，请稍后再试。",
        ApiError::Problem(p) => match p.code {
            ErrorCode::SoldOut => "今日已抢完，明天 10:00 再来。",
            ErrorCode::NotStarted => "还没开始，请到时再来。",
            ErrorCode::Ended => "活动已结束。",
            ErrorCode::LimitReached => "您已达到领取上限。",
            ErrorCode::BelowThreshold => "订单金额未达到使用门槛。",
            ErrorCode::WrongCategory => "此券不能在本商户使用。",
            ErrorCode::CodeStale => "付款码已过期，请让顾客刷新。",
            ErrorCode::CodeExpired => "此券已过期。",
            ErrorCode::CodeInvalid => "无效的券码。",
            ErrorCode::AlreadyRedeemed => "此券已使用。",
            ErrorCode::MerchantBlacklisted => "本商户已被暂停核销资格。",
            ErrorCode::NotReversible => "这笔核销无法撤销。",
            ErrorCode::NotFound => "没有找到。",
            ErrorCode::Unauthorized => "请先登录。",
            ErrorCode::Forbidden => "没有权限。",
            ErrorCode::RateLimited => "操作太频繁，请稍候。",
            ErrorCode::Internal | ErrorCode::Unavailable => "服务暂时异常，请稍后再试。",
            ErrorCode::MalformedRequest
            | ErrorCode::InvalidRequest
            | ErrorCode::UnsupportedMediaType
            | ErrorCode::IdempotencyMismatch
            | ErrorCode::IdempotencyInProgress => "请求有误，请刷新页面后重试。",
        },
    }
}

#[derive(Properties, PartialEq)]
pub struct ErrorNoticeProps {
    pub error: ApiError,
}

/// The one place errors are shown.
#[function_component]
pub fn ErrorNotice(props: &ErrorNoticeProps) -> Html {
    html! { <p class="notice notice-error" role="alert">{ error_words(&props.error) }</p> }
}
