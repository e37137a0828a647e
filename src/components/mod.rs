//! Components (one per file) and the pieces of markup that need no state of their own (plain
//! functions: each component costs code in the download, a function does not).

mod countdown;
mod coupon_card;
mod download;
mod error_notice;
mod input_value;
mod progress_ring;
mod qr;
mod shell;
mod staff_list;
mod staff_sign_in;
mod staff_slip;
mod top_bar;

pub use countdown::{Countdown, CountdownProps};
pub use coupon_card::{CouponCard, CouponCardProps};
pub use download::{save_csv, save_file};
pub use error_notice::error_notice;
pub use input_value::{chosen_file, input_value};
pub use progress_ring::progress_ring;
pub use qr::qr;
pub use shell::Shell;
pub use staff_list::{use_slip_outcome, SlipOutcome, StaffList, StaffListProps};
pub use staff_sign_in::StaffSignIn;
pub use staff_slip::{StaffSlipCard, StaffSlipProps};
pub use top_bar::{NavTabs, TopBar};
