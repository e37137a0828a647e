//! One component per file.

mod countdown;
mod coupon_card;
mod error_notice;
mod progress_ring;
mod qr;
mod top_bar;

pub use countdown::{Countdown, CountdownProps};
pub use coupon_card::{CouponCard, CouponCardProps};
pub use error_notice::{ErrorNotice, ErrorNoticeProps};
pub use progress_ring::ProgressRing;
pub use qr::{Qr, QrProps};
pub use top_bar::{NavTabs, TopBar};
