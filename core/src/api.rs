//! The JSON API's bodies, shared by the server that sends them and the widget that reads them.
//! Paths are under `/api/v1`.

use serde::{Deserialize, Serialize};

use crate::campaign::{Campaign, Issuance, Lifetime, Phase};
use crate::ids::{CampaignId, CategoryId, KindId};
use crate::money::Fen;
use crate::rules::Benefit;
use crate::time::{ChinaDate, TimeOfDay, Timestamp};

/// `GET /time`: the server's clock, for the widget's offset measurement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServerTime {
    /// Milliseconds since the Unix epoch.
    pub now: Timestamp,
}

/// `GET /campaigns`: one campaign as residents see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CampaignView {
    pub id: CampaignId,
    pub name: String,
    pub name_en: String,
    pub county: String,
    pub starts: ChinaDate,
    pub ends: ChinaDate,
    pub release_time: TimeOfDay,
    /// Today's date in China, by the server's clock.
    pub today: ChinaDate,
    /// When today's release opens.
    pub release_at: Timestamp,
    pub phase: Phase,
    pub kinds: Vec<KindView>,
}

/// A coupon kind as residents see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KindView {
    pub id: KindId,
    pub name: String,
    pub name_en: String,
    pub issuance: Issuance,
    pub lifetime: Lifetime,
    pub categories: Vec<CategoryId>,
    pub offers: Vec<Offer>,
}

/// One thing a resident can hold: a denomination (满200减40) or a rate rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Offer {
    /// Index of the denomination within its kind (0 for a rate rule).
    pub index: usize,
    pub benefit: Benefit,
    /// The rule in the campaign's words: 满200减40.
    pub words: String,
    /// What is left of today's release for this kind, when the server tracks it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub left_today: Option<Fen>,
}

impl CampaignView {
    /// The resident's view of `campaign` at `now`.
    pub fn of(campaign: &Campaign, now: Timestamp) -> CampaignView {
        let today = now.china_date();
        CampaignView {
            id: campaign.id.clone(),
            name: campaign.name.clone(),
            name_en: campaign.name_en.clone(),
            county: campaign.county.clone(),
            starts: campaign.starts,
            ends: campaign.ends,
            release_time: campaign.release_time,
            today,
            release_at: campaign.release_at(today),
            phase: campaign.phase(now),
            kinds: campaign
                .kinds
                .iter()
                .map(|k| {
                    let benefits: Vec<Benefit> = if k.denominations.is_empty() {
                        k.rate.map(Benefit::from).into_iter().collect()
                    } else {
                        k.denominations.iter().map(|d| Benefit::from(*d)).collect()
                    };
                    KindView {
                        id: k.id.clone(),
                        name: k.name.clone(),
                        name_en: k.name_en.clone(),
                        issuance: k.issuance,
                        lifetime: k.lifetime,
                        categories: k.categories.clone(),
                        offers: benefits
                            .into_iter()
                            .enumerate()
                            .map(|(index, benefit)| Offer {
                                index,
                                benefit,
                                words: benefit.words_zh(),
                                left_today: None,
                            })
                            .collect(),
                    }
                })
                .collect(),
        }
    }
}
