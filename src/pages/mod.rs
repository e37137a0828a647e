//! One routed page per file.

mod claim;
mod not_found;
mod show;
mod sign_in;
mod wallet;

pub use claim::ClaimPage;
pub use not_found::NotFound;
pub use show::{ShowPage, ShowPageProps};
pub use sign_in::SignInPage;
pub use wallet::WalletPage;
