//! Prometheus text metrics: claims and redemptions by outcome, errors by code, request latency,
//! and (read at scrape time) what is left in each pool.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use quan_core::ErrorCode;

/// Upper bounds of the latency histogram, in seconds.
const BUCKETS: [f64; 10] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0];

#[derive(Clone, Default)]
pub struct Metrics(Arc<Inner>);

#[derive(Default)]
struct Inner {
    claims: Mutex<BTreeMap<&'static str, u64>>,
    redemptions: Mutex<BTreeMap<&'static str, u64>>,
    errors: Mutex<BTreeMap<&'static str, u64>>,
    latency: [AtomicU64; BUCKETS.len() + 1],
    latency_sum_us: AtomicU64,
    requests: AtomicU64,
}

fn bump(m: &Mutex<BTreeMap<&'static str, u64>>, key: &'static str) {
    if let Ok(mut m) = m.lock() {
        *m.entry(key).or_insert(0) += 1;
    }
}

fn outcome(r: Result<(), ErrorCode>) -> &'static str {
    match r {
        Ok(()) => "ok",
        Err(c) => c.as_str(),
    }
}

impl Metrics {
    pub fn claim(&self, r: Result<(), ErrorCode>) {
        bump(&self.0.claims, outcome(r));
    }

    pub fn redemption(&self, r: Result<(), ErrorCode>) {
        bump(&self.0.redemptions, outcome(r));
    }

    pub fn error(&self, code: ErrorCode) {
        bump(&self.0.errors, code.as_str());
    }

    pub fn request(&self, seconds: f64) {
        let i = BUCKETS
            .iter()
            .position(|b| seconds <= *b)
            .unwrap_or(BUCKETS.len());
        self.0.latency[i].fetch_add(1, Ordering::Relaxed);
        self.0
            .latency_sum_us
            .fetch_add((seconds * 1e6) as u64, Ordering::Relaxed);
        self.0.requests.fetch_add(1, Ordering::Relaxed);
    }

    /// The text exposition, with `pools` (campaign, kind, available fen) appended.
    pub fn render(&self, pools: &[(String, String, i64)]) -> String {
        let mut out = String::new();
        let mut counter = |name: &str, help: &str, label: &str, m: &Mutex<BTreeMap<&'static str, u64>>| {
            let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} counter");
            if let Ok(m) = m.lock() {
                for (k, v) in m.iter() {
                    let _ = writeln!(out, "{name}{{{label}=\"{k}\"}} {v}");
                }
            }
        };
        counter(
            "quan_claims_total",
            "Claims by outcome.",
            "outcome",
            &self.0.claims,
        );
        counter(
            "quan_redemptions_total",
            "Redemptions by outcome.",
            "outcome",
            &self.0.redemptions,
        );
        counter(
            "quan_errors_total",
            "Error answers by code.",
            "code",
            &self.0.errors,
        );
        let _ = writeln!(
            out,
            "# HELP quan_request_seconds API request latency.\n# TYPE quan_request_seconds histogram"
        );
        let mut cumulative = 0;
        for (i, b) in BUCKETS.iter().enumerate() {
            cumulative += self.0.latency[i].load(Ordering::Relaxed);
            let _ = writeln!(out, "quan_request_seconds_bucket{{le=\"{b}\"}} {cumulative}");
        }
        cumulative += self.0.latency[BUCKETS.len()].load(Ordering::Relaxed);
        let _ = writeln!(out, "quan_request_seconds_bucket{{le=\"+Inf\"}} {cumulative}");
        let sum = self.0.latency_sum_us.load(Ordering::Relaxed) as f64 / 1e6;
        let _ = writeln!(
            out,
            "quan_request_seconds_sum {sum}\nquan_request_seconds_count {}",
            self.0.requests.load(Ordering::Relaxed)
        );
        let _ = writeln!(out, "# HELP quan_pool_available_fen What is left in each kind's pools.\n# TYPE quan_pool_available_fen gauge");
        for (c, k, v) in pools {
            let _ = writeln!(
                out,
                "quan_pool_available_fen{{campaign=\"{c}\",kind=\"{k}\"}} {v}"
            );
        }
        out
    }
}
