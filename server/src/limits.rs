//! Rate limits: a token bucket per resident and per client address, kept in memory (a limit
//! per instance; a resident spread over instances gets each instance's allowance).

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};

use quan_core::{ErrorCode, ResidentId, Timestamp};

use crate::error::AppError;

/// Burst and sustained rate of one bucket.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rate {
    pub burst: f64,
    pub per_second: f64,
}

#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    at: i64,
}

#[derive(Clone)]
pub struct Limiter {
    resident: Option<Rate>,
    address: Option<Rate>,
    sign_in_failures: Option<Rate>,
    residents: Arc<Mutex<HashMap<i64, Bucket>>>,
    addresses: Arc<Mutex<HashMap<IpAddr, Bucket>>>,
    failures: Arc<Mutex<HashMap<IpAddr, Bucket>>>,
}

impl Limiter {
    /// `None` turns a limit off.
    pub fn new(resident: Option<Rate>, address: Option<Rate>) -> Limiter {
        Limiter {
            resident,
            address,
            sign_in_failures: None,
            residents: Arc::default(),
            addresses: Arc::default(),
            failures: Arc::default(),
        }
    }

    /// Slows an address down after wrong passwords: it may fail `rate.burst` sign-ins in a row,
    /// then one each `1 / rate.per_second` seconds (whichever accounts it tries).
    pub fn with_sign_in_failures(mut self, rate: Option<Rate>) -> Limiter {
        self.sign_in_failures = rate;
        self
    }

    /// Whether `ip` may try a sign-in now.
    pub fn sign_in_allowed(&self, ip: IpAddr, now: Timestamp) -> Result<(), AppError> {
        match self.sign_in_failures {
            Some(rate) => take(&self.failures, ip, rate, now, false).map_err(|mut e| {
                e.detail =
                    Some("too many failed sign-ins from this address: wait as Retry-After says".into());
                e
            }),
            None => Ok(()),
        }
    }

    /// A sign-in from `ip` failed.
    pub fn sign_in_failed(&self, ip: IpAddr, now: Timestamp) {
        if let Some(rate) = self.sign_in_failures {
            let _ = take(&self.failures, ip, rate, now, true);
        }
    }

    pub fn check_resident(&self, r: ResidentId, now: Timestamp) -> Result<(), AppError> {
        match self.resident {
            Some(rate) => take(&self.residents, r.0, rate, now, true),
            None => Ok(()),
        }
    }

    pub fn check_address(&self, ip: IpAddr, now: Timestamp) -> Result<(), AppError> {
        match self.address {
            Some(rate) => take(&self.addresses, ip, rate, now, true),
            None => Ok(()),
        }
    }
}

/// Whether `key`'s bucket holds a token at `now`; with `spend`, takes it.
fn take<K: std::hash::Hash + Eq + Copy>(
    map: &Mutex<HashMap<K, Bucket>>,
    key: K,
    rate: Rate,
    now: Timestamp,
    spend: bool,
) -> Result<(), AppError> {
    let Ok(mut map) = map.lock() else { return Ok(()) };
    if map.len() > 100_000 {
        // Forget buckets that have refilled: they hold nothing a fresh one would not.
        let full_after = (rate.burst / rate.per_second * 1000.0) as i64;
        map.retain(|_, b| now.millis() - b.at < full_after);
    }
    let b = map.entry(key).or_insert(Bucket {
        tokens: rate.burst,
        at: now.millis(),
    });
    let elapsed = (now.millis() - b.at).max(0) as f64 / 1000.0;
    b.tokens = (b.tokens + elapsed * rate.per_second).min(rate.burst);
    b.at = now.millis();
    if b.tokens >= 1.0 {
        if spend {
            b.tokens -= 1.0;
        }
        Ok(())
    } else {
        let wait = ((1.0 - b.tokens) / rate.per_second).ceil().max(1.0) as u64;
        Err(AppError {
            code: ErrorCode::RateLimited,
            detail: Some("too many requests; wait as Retry-After says".into()),
            retry_after: Some(wait),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_then_the_sustained_rate() {
        let l = Limiter::new(
            Some(Rate {
                burst: 3.0,
                per_second: 1.0,
            }),
            None,
        );
        let r = ResidentId(1);
        let t = Timestamp(1_000_000);
        for _ in 0..3 {
            assert!(l.check_resident(r, t).is_ok());
        }
        let refused = l.check_resident(r, t).unwrap_err();
        assert_eq!(
            (refused.code, refused.retry_after),
            (ErrorCode::RateLimited, Some(1))
        );
        assert!(
            l.check_resident(ResidentId(2), t).is_ok(),
            "another resident has their own bucket"
        );
        assert!(l.check_resident(r, t.plus_millis(1_000)).is_ok());
    }
}
