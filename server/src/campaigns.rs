//! The campaigns this server runs, loaded at start-up.

use quan_core::campaign::{Campaign, Kind};
use quan_core::ErrorCode;

use crate::error::AppError;
use crate::store::sessions::SignedIn;

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
