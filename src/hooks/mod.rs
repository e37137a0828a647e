//! Hooks: each owns its timers and listeners and drops them when its component unmounts.

mod use_server_clock;

pub use use_server_clock::{use_now, use_server_clock, ClockProvider, ServerClock};
