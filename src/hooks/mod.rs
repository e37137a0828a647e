//! Hooks: each owns its timers and listeners and drops them when its component unmounts.

pub mod claim;
mod use_fetch;
mod use_online;
mod use_server_clock;
mod use_wallet;

pub use use_fetch::{use_fetch, Fetched};
pub use use_online::use_online;
pub use use_server_clock::{use_now, use_server_clock, ClockProvider, ServerClock};
pub use use_wallet::{use_wallet, WalletState};
