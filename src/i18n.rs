//! The widget's words, in Chinese (the default) and English. One key per thing said; the
//! resident's choice is remembered on the device.

use quan_core::api::KindUsage;
use quan_core::rules::LimitKind;
use quan_core::ErrorCode;

use crate::api::ApiError;

/// A language the widget speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Zh,
    En,
}

impl Lang {
    /// The Chinese or the English words, by the language: for the words one screen says alone
    /// (the till's issuing, the console, the subsidy application), which stay in that screen's
    /// download rather than in [`t`]'s table.
    pub fn pick(self, zh: &'static str, en: &'static str) -> &'static str {
        match self {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }

    pub fn parse(s: &str) -> Option<Lang> {
        match s.to_ascii_lowercase().as_str() {
            "zh" | "zh-cn" | "zh-hans" => Some(Lang::Zh),
            "en" | "en-us" | "en-gb" => Some(Lang::En),
            _ => None,
        }
    }

    pub fn other(self) -> Lang {
        match self {
            Lang::Zh => Lang::En,
            Lang::En => Lang::Zh,
        }
    }
}

/// Everything the widget says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    AppTitle,
    Loading,
    NoCampaigns,
    TodayIs,
    ChinaTime,
    NavClaim,
    NavWallet,
    SignIn,
    SignOut,
    SignInTitle,
    SignInHint,
    PhoneLabel,
    SignInButton,
    WaitingForHost,
    SigningIn,
    ReleaseAt,
    OpensIn,
    Claim,
    Claiming,
    Claimed,
    ClaimedToday,
    LeftToday,
    SoldOutToday,
    ClaimsPaused,
    ClaimsPausedBecause,
    YourLimits,
    RoundClaims,
    ReleaseNotToday,
    WalletTitle,
    WalletEmpty,
    Usable,
    Used,
    Expired,
    Returned,
    ExpiresIn,
    ExpiresAt,
    UseAt,
    AnyMerchant,
    ShowCode,
    ShowTitle,
    ShowHint,
    Brightness,
    CodeRefreshes,
    Offline,
    OfflineCodes,
    RedeemedNotice,
    BackToWallet,
    LoveCoupon,
    ElderMode,
    Language,
    NotFound,
    BackHome,
    Retrying,
    TryAgainShortly,
    TryLater,
    NextTryIn,
    CodeUnavailable,
    IssuedElsewhere,
    ApplySubsidy,
    MerchantTitle,
    Username,
    Password,
    ScanOrType,
    CodeLabel,
    LookUp,
    OrderAmount,
    Discount,
    ToPay,
    Confirm,
    Redeeming,
    Receipt,
    NextCustomer,
    TodayTitle,
    TotalCount,
    TotalDiscount,
    TotalOrders,
    Reverse,
    ReverseConfirm,
    Reversed,
    NoRedemptions,
    NotHere,
    Cancel,
    SetNewPassword,
    NewPassword,
    NewPasswordAgain,
    PasswordsDiffer,
    PasswordRule,
    SaveNewPassword,
    LastSignIn,
    NavTill,
    NavToday,
    Clear,
    Backspace,
    Amount,
    ExpiresToday,
    CoupoCode,
    OpenCamera,
    CloseCamera,
    CameraDenied,
    NoCamera,
    CameraTimeout,
    CameraFailed,
    DecoderFailing,
    Torch,
    CameraLive,
    CameraStarting,
}

pub fn t(lang: Lang, key: Key) -> &'static str {
    use Key::*;
    match (lang, key) {
        (Lang::Zh, OpenCamera) => "打开摄像头扫码",
        (Lang::En, OpenCamera) => "Scan with the camera",
        (Lang::Zh, CloseCamera) => "关闭摄像头",
        (Lang::En, CloseCamera) => "Close the camera",
        (Lang::Zh, CameraDenied) => "没有摄像头权限：请用扫码枪或手动输入券码。",
        (Lang::En, CameraDenied) => "The camera is not allowed: use the scanner gun or type the code.",
        (Lang::Zh, NoCamera) => "没有找到摄像头：请用扫码枪或手动输入券码。",
        (Lang::En, NoCamera) => "No camera found: use the scanner gun or type the code.",
        (Lang::Zh, CameraTimeout) => "摄像头没有响应：请用扫码枪或手动输入券码。",
        (Lang::En, CameraTimeout) => "The camera did not answer: use the scanner gun or type the code.",
        (Lang::Zh, CameraFailed) => "摄像头无法使用：请用扫码枪或手动输入券码。",
        (Lang::En, CameraFailed) => "The camera cannot be used: use the scanner gun or type the code.",
        (Lang::Zh, DecoderFailing) => "摄像头识别多次出错，正在重试：也可用扫码枪或手动输入券码。",
        (Lang::En, DecoderFailing) => "Reading the camera keeps failing and is retrying: the scanner gun and typing the code still work.",
        (Lang::Zh, Torch) => "手电筒",
        (Lang::En, Torch) => "Torch",
        (Lang::Zh, CameraLive) => "请把顾客的付款码对准摄像头。",
        (Lang::En, CameraLive) => "Hold the customer's code in front of the camera.",
        (Lang::Zh, CameraStarting) => "正在打开摄像头…",
        (Lang::En, CameraStarting) => "Opening the camera…",
        (Lang::Zh, AppTitle) => "数字消费券",
        (Lang::En, AppTitle) => "Digital coupons",
        (Lang::Zh, Loading) => "正在加载…",
        (Lang::En, Loading) => "Loading…",
        (Lang::Zh, NoCampaigns) => "目前没有进行中的活动。",
        (Lang::En, NoCampaigns) => "No campaign is running.",
        (Lang::Zh, TodayIs) => "今天是",
        (Lang::En, TodayIs) => "Today is",
        (Lang::Zh, ChinaTime) => "（北京时间）",
        (Lang::En, ChinaTime) => " (China time)",
        (Lang::Zh, NavClaim) => "领券",
        (Lang::En, NavClaim) => "Claim",
        (Lang::Zh, NavWallet) => "我的券",
        (Lang::En, NavWallet) => "My coupons",
        (Lang::Zh, SignIn) => "登录",
        (Lang::En, SignIn) => "Sign in",
        (Lang::Zh, SignOut) => "退出",
        (Lang::En, SignOut) => "Sign out",
        (Lang::Zh, SignInTitle) => "登录领券",
        (Lang::En, SignInTitle) => "Sign in to claim",
        (Lang::Zh, SignInHint) => "演示环境：输入任意手机号即可登录。",
        (Lang::En, SignInHint) => "Demo: any mobile number signs you in.",
        (Lang::Zh, PhoneLabel) => "手机号",
        (Lang::En, PhoneLabel) => "Mobile number",
        (Lang::Zh, SignInButton) => "登录",
        (Lang::En, SignInButton) => "Sign in",
        (Lang::Zh, WaitingForHost) => "正在从银行App获取登录信息…",
        (Lang::En, WaitingForHost) => "Getting your sign-in from the bank app…",
        (Lang::Zh, SigningIn) => "正在登录…",
        (Lang::En, SigningIn) => "Signing in…",
        (Lang::Zh, ReleaseAt) => "每天开抢",
        (Lang::En, ReleaseAt) => "Daily release at",
        (Lang::Zh, OpensIn) => "距开抢",
        (Lang::En, OpensIn) => "Opens in",
        (Lang::Zh, Claim) => "领取",
        (Lang::En, Claim) => "Claim",
        (Lang::Zh, Claiming) => "领取中…",
        (Lang::En, Claiming) => "Claiming…",
        (Lang::Zh, Claimed) => "领取成功，已放入“我的券”。",
        (Lang::En, Claimed) => "Claimed: it is in My coupons.",
        (Lang::Zh, ClaimedToday) => "今日已领",
        (Lang::En, ClaimedToday) => "Claimed today",
        (Lang::Zh, LeftToday) => "今日剩余",
        (Lang::En, LeftToday) => "Left today",
        (Lang::Zh, SoldOutToday) => "今日已抢完",
        (Lang::En, SoldOutToday) => "Gone for today",
        (Lang::Zh, ClaimsPaused) => "暂停领取",
        (Lang::En, ClaimsPaused) => "Paused",
        (Lang::Zh, ClaimsPausedBecause) => "暂停领取：",
        (Lang::En, ClaimsPausedBecause) => "Claims are paused: ",
        (Lang::Zh, YourLimits) => "我的领取次数",
        (Lang::En, YourLimits) => "Your claims",
        (Lang::Zh, RoundClaims) => "本轮已领",
        (Lang::En, RoundClaims) => "This round",
        (Lang::Zh, ReleaseNotToday) => "今天没有投放",
        (Lang::En, ReleaseNotToday) => "No release today",
        (Lang::Zh, WalletTitle) => "我的券",
        (Lang::En, WalletTitle) => "My coupons",
        (Lang::Zh, WalletEmpty) => "还没有券。去“领券”看看吧。",
        (Lang::En, WalletEmpty) => "No coupons yet. Have a look at Claim.",
        (Lang::Zh, Usable) => "可使用",
        (Lang::En, Usable) => "Usable",
        (Lang::Zh, Used) => "已使用",
        (Lang::En, Used) => "Used",
        (Lang::Zh, Expired) => "已过期",
        (Lang::En, Expired) => "Expired",
        (Lang::Zh, Returned) => "已退回",
        (Lang::En, Returned) => "Withdrawn",
        (Lang::Zh, ExpiresIn) => "距过期",
        (Lang::En, ExpiresIn) => "Expires in",
        (Lang::Zh, ExpiresAt) => "有效期至",
        (Lang::En, ExpiresAt) => "Valid until",
        (Lang::Zh, UseAt) => "适用于",
        (Lang::En, UseAt) => "Use at",
        (Lang::Zh, AnyMerchant) => "所有参与活动的商户",
        (Lang::En, AnyMerchant) => "any listed merchant",
        (Lang::Zh, ShowCode) => "出示付款码",
        (Lang::En, ShowCode) => "Show code",
        (Lang::Zh, ShowTitle) => "向收银员出示",
        (Lang::En, ShowTitle) => "Show this at the till",
        (Lang::Zh, ShowHint) => "请收银员扫描二维码，或输入下方数字。",
        (Lang::En, ShowHint) => "The cashier scans the QR code or types the digits below.",
        (Lang::Zh, Brightness) => "扫不上？请调高屏幕亮度。",
        (Lang::En, Brightness) => "Not scanning? Turn up the screen brightness.",
        (Lang::Zh, CodeRefreshes) => "付款码每30秒自动更新",
        (Lang::En, CodeRefreshes) => "The code changes every 30 seconds",
        (Lang::Zh, Offline) => "网络已断开",
        (Lang::En, Offline) => "Offline",
        (Lang::Zh, OfflineCodes) => "离线也可出示付款码，收银员联网核销。",
        (Lang::En, OfflineCodes) => "Codes keep working offline; the till checks them online.",
        (Lang::Zh, RedeemedNotice) => "核销成功",
        (Lang::En, RedeemedNotice) => "Redeemed",
        (Lang::Zh, BackToWallet) => "返回我的券",
        (Lang::En, BackToWallet) => "Back to My coupons",
        (Lang::Zh, LoveCoupon) => "爱心券",
        (Lang::En, LoveCoupon) => "Love coupon",
        (Lang::Zh, ElderMode) => "大字模式",
        (Lang::En, ElderMode) => "Large text",
        (Lang::Zh, Language) => "English",
        (Lang::En, Language) => "中文",
        (Lang::Zh, NotFound) => "页面不存在",
        (Lang::En, NotFound) => "Page not found",
        (Lang::Zh, BackHome) => "返回首页",
        (Lang::En, BackHome) => "Back to the start",
        (Lang::Zh, TryAgainShortly) => "请稍后再试：领取的人太多，稍等片刻会自动刷新。",
        (Lang::En, TryAgainShortly) => "Please try again shortly: too many are claiming. The page refreshes by itself.",
        (Lang::Zh, TryLater) => "请稍后再试",
        (Lang::En, TryLater) => "Try again shortly",
        (Lang::Zh, NextTryIn) => "还需等待",
        (Lang::En, NextTryIn) => "Next try in",
        (Lang::Zh, Retrying) => "网络繁忙，正在重试…",
        (Lang::En, Retrying) => "Network busy, still trying…",
        (Lang::Zh, CodeUnavailable) => "此券当前不可出示。",
        (Lang::En, CodeUnavailable) => "This coupon cannot be shown now.",
        (Lang::Zh, IssuedElsewhere) => "本活动的券由商户在店内发放，或按申请补贴。",
        (Lang::Zh, ApplySubsidy) => "申请购车补贴",
        (Lang::Zh, MerchantTitle) => "商户收银",
        (Lang::En, MerchantTitle) => "Merchant till",
        (Lang::Zh, Username) => "账号",
        (Lang::En, Username) => "Account",
        (Lang::Zh, Password) => "密码",
        (Lang::En, Password) => "Password",
        (Lang::Zh, ScanOrType) => "用扫码枪扫顾客的付款码，或输入券码。",
        (Lang::En, ScanOrType) => "Scan the customer's code with the scanner gun, or type it.",
        (Lang::Zh, CodeLabel) => "券码（20位数字）",
        (Lang::En, CodeLabel) => "Coupon code (20 digits)",
        (Lang::Zh, LookUp) => "查询",
        (Lang::En, LookUp) => "Look up",
        (Lang::Zh, OrderAmount) => "订单金额（元）",
        (Lang::En, OrderAmount) => "Order amount (yuan)",
        (Lang::Zh, Discount) => "优惠",
        (Lang::En, Discount) => "Discount",
        (Lang::Zh, ToPay) => "实付",
        (Lang::En, ToPay) => "To pay",
        (Lang::Zh, Confirm) => "确认核销",
        (Lang::En, Confirm) => "Redeem",
        (Lang::Zh, Redeeming) => "核销中…",
        (Lang::En, Redeeming) => "Redeeming…",
        (Lang::Zh, Receipt) => "核销成功",
        (Lang::En, Receipt) => "Redeemed",
        (Lang::Zh, NextCustomer) => "下一位顾客",
        (Lang::En, NextCustomer) => "Next customer",
        (Lang::Zh, TodayTitle) => "今日核销",
        (Lang::En, TodayTitle) => "Today's redemptions",
        (Lang::Zh, TotalCount) => "笔数",
        (Lang::En, TotalCount) => "Count",
        (Lang::Zh, TotalDiscount) => "优惠合计",
        (Lang::En, TotalDiscount) => "Discounts",
        (Lang::Zh, TotalOrders) => "订单金额合计",
        (Lang::En, TotalOrders) => "Orders",
        (Lang::Zh, Reverse) => "撤销",
        (Lang::En, Reverse) => "Reverse",
        (Lang::Zh, ReverseConfirm) => "确认撤销？券将退回顾客的钱包。",
        (Lang::En, ReverseConfirm) => "Reverse it (a refund)? The coupon goes back to the customer's wallet.",
        (Lang::Zh, Reversed) => "已撤销",
        (Lang::En, Reversed) => "Reversed",
        (Lang::Zh, NoRedemptions) => "今天还没有核销。",
        (Lang::En, NoRedemptions) => "No redemptions yet today.",
        (Lang::Zh, NotHere) => "此券不能在本商户使用。",
        (Lang::En, NotHere) => "This coupon cannot be used here.",
        (Lang::Zh, Cancel) => "取消",
        (Lang::En, Cancel) => "Cancel",
        (Lang::Zh, SetNewPassword) => "这个密码是别人为您设置的，请先设置一个只有您知道的新密码。",
        (Lang::En, SetNewPassword) => "This password was set for you by someone else: choose a new one that only you know.",
        (Lang::Zh, NewPassword) => "新密码",
        (Lang::En, NewPassword) => "New password",
        (Lang::Zh, NewPasswordAgain) => "再输入一次新密码",
        (Lang::En, NewPasswordAgain) => "The new password again",
        (Lang::Zh, PasswordsDiffer) => "两次输入的新密码不一致。",
        (Lang::En, PasswordsDiffer) => "The two new passwords differ.",
        (Lang::Zh, PasswordRule) => "至少 8 位，含大写字母、小写字母、数字、符号中的至少 3 种，不能是常见密码，也不能含账号名。",
        (Lang::En, PasswordRule) => "At least 8 characters, from 3 of: upper case, lower case, digits, symbols; not a common password, and not containing the account's name.",
        (Lang::Zh, SaveNewPassword) => "保存新密码",
        (Lang::En, SaveNewPassword) => "Save the new password",
        (Lang::Zh, LastSignIn) => "上次登录",
        (Lang::En, LastSignIn) => "Last signed in",
        (Lang::Zh, NavTill) => "收银",
        (Lang::En, NavTill) => "Till",
        (Lang::Zh, NavToday) => "今日",
        (Lang::En, NavToday) => "Today",
        (Lang::Zh, Clear) => "清除",
        (Lang::En, Clear) => "Clear",
        (Lang::Zh, Backspace) => "退格",
        (Lang::En, Backspace) => "Delete",
        (Lang::Zh, Amount) => "金额",
        (Lang::En, Amount) => "Amount",
        (Lang::Zh, ExpiresToday) => "有效期至",
        (Lang::En, ExpiresToday) => "Valid until",
        (Lang::Zh, CoupoCode) => "券码",
        (Lang::En, CoupoCode) => "Code",
        (Lang::En, IssuedElsewhere) => "This campaign's coupons are issued in shops, or paid on application.",
        (Lang::En, ApplySubsidy) => "Apply for the car subsidy",
    }
}

/// Words for an API error, in words a resident or a merchant understands.
pub fn error_words(lang: Lang, error: &ApiError) -> &'static str {
    let zh = lang == Lang::Zh;
    let pick = |z: &'static str, e: &'static str| if zh { z } else { e };
    match error {
        ApiError::Network(_) => pick(
            "网络不通，请检查网络后重试。",
            "No connection. Check the network and try again.",
        ),
        ApiError::Unexpected(_) => pick(
            "服务暂时异常，请稍后再试。",
            "Something went wrong. Please try again shortly.",
        ),
        ApiError::Problem { problem, .. } => code_words(lang, problem.code),
    }
}

/// Words for an error code, in words a resident or a merchant understands.
pub fn code_words(lang: Lang, code: ErrorCode) -> &'static str {
    let zh = lang == Lang::Zh;
    let pick = |z: &'static str, e: &'static str| if zh { z } else { e };
    {
        match code {
            ErrorCode::SoldOut => pick(
                "今日已抢完，明天 10:00 再来。",
                "Gone for today. Next release tomorrow at 10:00.",
            ),
            ErrorCode::NotStarted => pick(
                "还没开始，请到时再来。",
                "Not open yet. Please come back at the release time.",
            ),
            ErrorCode::Ended => pick("活动已结束。", "The campaign has ended."),
            ErrorCode::LimitReached => pick("您已达到领取上限。", "You have reached your limit."),
            ErrorCode::BelowThreshold => pick(
                "订单金额未达到使用门槛。",
                "The order does not reach the coupon's minimum.",
            ),
            ErrorCode::WrongCategory => pick(
                "此券不能在本商户使用。",
                "This coupon cannot be used at this shop.",
            ),
            ErrorCode::CodeStale => pick(
                "付款码已过期，请让顾客刷新。",
                "The code is out of date: ask the customer to refresh it.",
            ),
            ErrorCode::CodeExpired => pick("此券已过期。", "This coupon has expired."),
            ErrorCode::CodeInvalid => pick("无效的券码。", "This is not a valid coupon code."),
            ErrorCode::AlreadyRedeemed => pick("此券已使用。", "This coupon has already been used."),
            ErrorCode::MerchantBlacklisted => pick(
                "本商户已被列入黑名单，不能核销。",
                "This shop is blacklisted and may not redeem coupons.",
            ),
            ErrorCode::MerchantSuspended => pick(
                "本商户暂停核销，恢复前请联系县商务部门。",
                "This shop is suspended from redeeming for now: ask the county bureau.",
            ),
            ErrorCode::ClaimsPaused => pick("暂停领取。", "Claims are paused."),
            ErrorCode::ByDraw => pick(
                "今天的券以预约抽签发放：请在报名时间内报名。",
                "Today's coupons are given by draw: sign up while sign-up is open.",
            ),
            ErrorCode::SignUpClosed => pick("今天的抽签报名已截止。", "Today's sign-up for the draw has closed."),
            ErrorCode::AlreadySignedUp => pick("您已报名今天的抽签。", "You have signed up for today's draw."),
            ErrorCode::RedemptionsPaused => pick(
                "本类商户暂停核销。",
                "Redemptions are paused in this shop's category.",
            ),
            ErrorCode::NotReversible => pick("这笔核销无法撤销。", "This redemption cannot be undone."),
            ErrorCode::RevisionRefused => pick(
                "不能这样修订：已开始的轮次和居民已领的券不能更改。",
                "This revision cannot be made: rounds that have begun and coupons residents hold stay as they are.",
            ),
            ErrorCode::NotFound => pick("没有找到。", "Not found."),
            ErrorCode::Unauthorized => pick("请先登录。", "Please sign in."),
            ErrorCode::Forbidden => pick("没有权限。", "Not allowed."),
            ErrorCode::AccountLocked => pick(
                "密码错误次数过多，账号已锁定 15 分钟。",
                "Too many wrong passwords: the account is locked for 15 minutes.",
            ),
            ErrorCode::PasswordChangeRequired => pick("请先设置新密码。", "Please set a new password first."),
            ErrorCode::NameTaken => pick(
                "这个账号名已被使用，请换一个。",
                "That account name is taken: choose another.",
            ),
            ErrorCode::RateLimited => pick("操作太频繁，请稍候。", "Too many tries. Please wait a moment."),
            ErrorCode::Internal | ErrorCode::Unavailable => pick(
                "服务暂时异常，请稍后再试。",
                "Something went wrong. Please try again shortly.",
            ),
            ErrorCode::PayloadTooLarge => pick("上传的内容太大。", "What was sent is too large."),
            ErrorCode::MalformedRequest
            | ErrorCode::InvalidRequest
            | ErrorCode::UnsupportedMediaType
            | ErrorCode::MethodNotAllowed
            | ErrorCode::IdempotencyMismatch
            | ErrorCode::IdempotencyInProgress => pick(
                "请求有误，请刷新页面后重试。",
                "Please reload the page and try again.",
            ),
        }
    }
}

/// The limit a resident has used up, in words.
pub fn limit_words(lang: Lang, limit: LimitKind) -> &'static str {
    let zh = lang == Lang::Zh;
    match limit {
        LimitKind::PerRound if zh => "本轮领取次数已用完",
        LimitKind::PerRound => "No claims left this round",
        LimitKind::PerDay if zh => "今日已领",
        LimitKind::PerDay => "Claimed today",
        LimitKind::PerCampaign if zh => "活动期间领取次数已用完",
        LimitKind::PerCampaign => "No claims left in this campaign",
        LimitKind::HeldPerDenomination | LimitKind::HeldPerKind if zh => "今日已领",
        LimitKind::HeldPerDenomination | LimitKind::HeldPerKind => "Claimed today",
    }
}

/// "本轮已领 1/3 次" for a kind with a per-round limit.
pub fn round_usage(lang: Lang, usage: &KindUsage, max: u32) -> String {
    match lang {
        Lang::Zh => format!(
            "{} {}/{} 次",
            t(lang, Key::RoundClaims),
            usage.claims_this_round,
            max
        ),
        Lang::En => format!(
            "{}: {} of {}",
            t(lang, Key::RoundClaims),
            usage.claims_this_round,
            max
        ),
    }
}

/// `40 元` / `¥40`.
pub fn money(lang: Lang, fen: quan_core::Fen) -> String {
    match lang {
        Lang::Zh => format!("{} 元", fen.yuan_compact()),
        Lang::En => format!("¥{}", fen.yuan_compact()),
    }
}
