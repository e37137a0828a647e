//! The campaigns this server runs: the latest version of each in the database, seeded from the
//! files in `server/campaigns/` and revised while they run.

use std::collections::BTreeMap;
use std::sync::{Arc, PoisonError, RwLock};
use std::time::Duration;

use quan_core::campaign::{Campaign, Kind};
use quan_core::ErrorCode;

use crate::db::{Db, DbError};
use crate::error::AppError;
use crate::store::sessions::SignedIn;
use crate::store::{busy, revisions};

/// Every campaign, by id.
#[derive(Debug, Clone, Default)]
pub struct Campaigns(pub Vec<Campaign>);

impl Campaigns {
    pub fn get(&self, id: &str) -> Option<&Campaign> {
        self.0.iter().find(|c| c.id.as_str() == id)
    }

    /// The campaign and kind, if both exist.
    pub fn kind(&self, campaign: &str, kind: &str) -> Option<(&Campaign, &Kind)> {
        let c = self.get(campaign)?;
        let k = c.kinds.iter().find(|k| k.id.as_str() == kind)?;
        Some((c, k))
    }

    /// Campaign `id`, as `who` may see it: an account limited to one county knows that county's
    /// campaigns alone, and is told of no other.
    pub fn for_staff(&self, id: &str, who: &SignedIn) -> Result<&Campaign, AppError> {
        self.get(id)
            .filter(|c| who.covers(&c.county))
            .ok_or_else(|| AppError::new(ErrorCode::NotFound, format!("no campaign {id}")))
    }

    pub fn iter(&self) -> impl Iterator<Item = &Campaign> {
        self.0.iter()
    }
}

/// The campaigns this instance runs: the latest version of each in the shared database. A
/// revision confirmed on any instance reaches every other within [`WATCH_EVERY`], without a
/// restart. Each request reads one snapshot ([`Live::now`]) and decides by it throughout.
#[derive(Clone, Default)]
pub struct Live {
    inner: Arc<RwLock<Snapshot>>,
}

#[derive(Default)]
struct Snapshot {
    campaigns: Arc<Campaigns>,
    versions: BTreeMap<String, i64>,
    /// The campaigns whose overload switch is on, and the seconds residents are asked to wait.
    busy: BTreeMap<String, u32>,
}

/// How often each instance looks for a newer version of a campaign, and at the overload
/// switches.
pub const WATCH_EVERY: Duration = Duration::from_millis(250);

impl Live {
    /// The campaigns as they run now.
    pub fn now(&self) -> Arc<Campaigns> {
        self.inner
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .campaigns
            .clone()
    }

    /// The version each campaign runs at.
    pub fn versions(&self) -> BTreeMap<String, i64> {
        self.inner
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .versions
            .clone()
    }

    /// The seconds residents are asked to wait before claiming in `campaign`, while the
    /// bureau's overload switch is on.
    pub fn busy(&self, campaign: &str) -> Option<u32> {
        self.inner
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .busy
            .get(campaign)
            .copied()
    }

    /// Refused, with the seconds to wait, while the bureau's overload switch holds back the
    /// claims of `campaign`: a release claim's and a merchant offer's alike.
    pub fn hold(&self, campaign: &str) -> Result<(), AppError> {
        match self.busy(campaign) {
            Some(secs) => Err(AppError::unavailable(
                secs,
                format!("claims are on hold for a moment: try again in {secs} seconds"),
            )),
            None => Ok(()),
        }
    }

    /// Reads the overload switches, and the latest versions if any is newer than what runs;
    /// whether a version changed.
    pub async fn refresh(&self, db: &Db) -> Result<bool, DbError> {
        let busy = busy::all(db).await?;
        let stamps = revisions::stamps(db).await?;
        if stamps == self.versions() {
            self.inner.write().unwrap_or_else(PoisonError::into_inner).busy = busy;
            return Ok(false);
        }
        let latest = revisions::latest(db).await?;
        let versions = latest.iter().map(|(c, v)| (c.id.0.clone(), *v)).collect();
        let campaigns = Arc::new(Campaigns(latest.into_iter().map(|(c, _)| c).collect()));
        *self.inner.write().unwrap_or_else(PoisonError::into_inner) = Snapshot {
            campaigns,
            versions,
            busy,
        };
        Ok(true)
    }

    /// Keeps this instance's campaigns up to date, every [`WATCH_EVERY`].
    pub fn watch(self, db: Db) {
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(WATCH_EVERY);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tick.tick().await;
                match self.refresh(&db).await {
                    Ok(true) => tracing::info!(versions = ?self.versions(), "campaigns revised"),
                    Ok(false) => {}
                    Err(e) => tracing::warn!("reading the campaigns' versions: {e}"),
                }
            }
        });
    }
}
