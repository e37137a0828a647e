//! The server's clock, the one authority on time. Injectable, so tests and the demo can run any date.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use quan_core::Timestamp;

/// The system clock shifted by an adjustable offset (zero in production).
#[derive(Clone, Default)]
pub struct Clock {
    offset_ms: Arc<AtomicI64>,
}

impl Clock {
    /// The machine's clock as it is.
    pub fn system() -> Clock {
        Clock::default()
    }

    /// A clock that reads `now` at this instant and runs on from there.
    pub fn starting_at(now: Timestamp) -> Clock {
        let c = Clock::default();
        c.set(now);
        c
    }

    pub fn now(&self) -> Timestamp {
        Timestamp(system_millis() + self.offset_ms.load(Ordering::Relaxed))
    }

    /// Moves the clock so that it reads `now` at this instant.
    pub fn set(&self, now: Timestamp) {
        self.offset_ms
            .store(now.millis() - system_millis(), Ordering::Relaxed);
    }

    /// Moves the clock forward (or back, with a negative amount).
    pub fn advance_ms(&self, ms: i64) {
        self.offset_ms.fetch_add(ms, Ordering::Relaxed);
    }
}

fn system_millis() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_set_clock_runs_on_from_where_it_was_set() {
        let c = Clock::starting_at(Timestamp(1_000_000));
        let t = c.now().millis();
        assert!((1_000_000..1_010_000).contains(&t), "{t}");
        c.advance_ms(60_000);
        assert!(c.now().millis() >= 1_060_000);
    }
}
