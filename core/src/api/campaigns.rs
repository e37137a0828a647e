//! Campaigns as residents see them: `GET /campaigns`, and a resident's usage of each kind.

use serde::{Deserialize, Serialize};

use crate::campaign::{Campaign, Issuance, Lifetime, Phase, Release};
use crate::ids::{CampaignId, CategoryId, KindId};
use crate::money::Fen;
use crate::rules::Benefit;
use crate::time::{ChinaDate, TimeOfDay, Timestamp};

/// `GET /campaigns`: one campaign as residents see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
    /// The merchant categories taking part, with their names.
    pub categories: Vec<CategoryView>,
    /// While the bureau's overload switch is on: the seconds residents are asked to wait
    /// before claiming (「请稍后再试」).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub busy: Option<u32>,
    /// On a day given out by draw: when sign-up opens and closes, and when the draw is made.
    /// Residents sign up for it rather than claim.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub draw: Option<super::DrawToday>,
}

/// A merchant category and its names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CategoryView {
    pub id: CategoryId,
    pub name: String,
    pub name_en: String,
}

/// A coupon kind as residents see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct KindView {
    pub id: KindId,
    pub name: String,
    pub name_en: String,
    pub issuance: Issuance,
    pub lifetime: Lifetime,
    pub categories: Vec<CategoryId>,
    pub limits: crate::campaign::Limits,
    /// What is left of today's release (or, before the release time, what it will offer);
    /// absent for kinds not released daily.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub left_today: Option<Fen>,
    /// What a coupon of the kind can be: its denominations, or its one rate rule.
    pub denominations: Vec<DenominationView>,
    /// While the bureau has paused its claims (or all the campaign's), the bureau's reason.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paused: Option<String>,
}

/// One thing a resident can hold: a denomination (满200减40) or a rate rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DenominationView {
    /// Index of the denomination within its kind (0 for a rate rule).
    pub index: usize,
    pub benefit: Benefit,
    /// The rule in the campaign's words: 满200减40.
    pub words: String,
    /// The rule in English.
    pub words_en: String,
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
            busy: None,
            draw: campaign
                .round_on(today)
                .and_then(|r| match (r.release, r.sign_up) {
                    (Release::Draw, Some(w)) => Some(super::DrawToday {
                        sign_up_opens: today.at(w.opens),
                        sign_up_closes: today.at(w.closes),
                        draw_at: campaign.release_at(today),
                    }),
                    _ => None,
                }),
            categories: campaign
                .categories
                .iter()
                .map(|c| CategoryView {
                    id: c.id.clone(),
                    name: c.name.clone(),
                    name_en: c.name_en.clone(),
                })
                .collect(),
            kinds: campaign
                .kinds
                .iter()
                .map(|k| KindView {
                    id: k.id.clone(),
                    name: k.name.clone(),
                    name_en: k.name_en.clone(),
                    issuance: k.issuance,
                    lifetime: k.lifetime,
                    categories: k.categories.clone(),
                    limits: k.limits,
                    left_today: None,
                    paused: None,
                    denominations: k
                        .benefits()
                        .into_iter()
                        .enumerate()
                        .map(|(index, benefit)| DenominationView {
                            index,
                            benefit,
                            words: benefit.words_zh(),
                            words_en: benefit.words_en(),
                        })
                        .collect(),
                })
                .collect(),
        }
    }
}

/// `GET /me/usage`: what a resident has used of each kind's limits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct KindUsage {
    pub campaign: CampaignId,
    pub kind: KindId,
    pub claims_this_round: u32,
    pub claims_today: u32,
    pub claims_in_campaign: u32,
    /// Denominations claimed today (one of each may be held a day).
    pub denominations_today: Vec<usize>,
    /// Claims of the kind today, whatever the denomination.
    pub kind_today: u32,
}

impl KindUsage {
    /// The usage a claim of denomination `den` would be checked against.
    pub fn for_denomination(&self, den: usize) -> crate::rules::Usage {
        crate::rules::Usage {
            claims_this_round: self.claims_this_round,
            claims_today: self.claims_today,
            claims_in_campaign: self.claims_in_campaign,
            held_of_denomination: u32::try_from(
                self.denominations_today.iter().filter(|d| **d == den).count(),
            )
            .unwrap_or(u32::MAX),
            held_of_kind: self.kind_today,
        }
    }
}
