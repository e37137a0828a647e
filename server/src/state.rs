//! What every handler reaches: the shared state of one server instance. Kept apart from
//! start-up, so that the routes depend on it and start-up depends on the routes, and not round.

use std::path::PathBuf;
use std::sync::Arc;

use crate::auth::{Hasher, Secrets};
use crate::campaigns::Live;
use crate::clock::Clock;
use crate::db::Db;
use crate::limits::Limiter;
use crate::metrics::Metrics;
use crate::store::claims::Claims;
use crate::store::idempotency::InFlight;
use crate::store::sessions::Idle;
use crate::vault::Vault;

/// What every handler can reach: one [`Instance`], shared. Cloned for every request and
/// extractor, so a clone is one reference count, not one for each of the instance's parts.
#[derive(Clone)]
pub struct AppState(Arc<Instance>);

impl AppState {
    pub fn new(instance: Instance) -> AppState {
        AppState(Arc::new(instance))
    }
}

impl std::ops::Deref for AppState {
    type Target = Instance;

    fn deref(&self) -> &Instance {
        &self.0
    }
}

/// The parts of one server instance.
pub struct Instance {
    pub clock: Clock,
    /// The campaigns as they run: [`Live::now`] for one request's snapshot.
    pub campaigns: Live,
    pub db: Db,
    pub secrets: Arc<Secrets>,
    pub claims: Claims,
    pub in_flight: InFlight,
    pub limiter: Limiter,
    pub metrics: Metrics,
    pub demo: bool,
    pub host_key: Option<ed25519_dalek::VerifyingKey>,
    /// Host origins that may frame the widget and talk to it.
    pub host_origins: Arc<Vec<String>>,
    /// Where uploaded documents are kept.
    pub uploads: Arc<PathBuf>,
    /// The token `/metrics` asks for, if any.
    pub metrics_token: Option<Arc<str>>,
    /// How long staff sessions may idle.
    pub idle: Idle,
    /// Password hashing, off the request path.
    pub hasher: Hasher,
    /// Seals sensitive personal information at rest.
    pub vault: Arc<Vault>,
}
