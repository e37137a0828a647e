//! Pausing part of a running campaign (「对核销率和市场反映不高的及时调整」): what a pause
//! stops, and which pauses a campaign can take. The server reads the live pauses in the
//! transaction that issues or redeems a coupon, and asks these functions whether one stops it.

use serde::{Deserialize, Serialize};

use crate::campaign::{Campaign, Issuance};
use crate::ids::{CategoryId, KindId};

/// What a pause stops.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum PauseScope {
    /// Every claim of the campaign, and every other way of issuing its coupons (a merchant's
    /// offer, a shop's issue).
    Claims,
    /// Claims and issues of one kind (the target).
    Kind,
    /// Redemptions at merchants of one category (the target).
    Category,
}

impl PauseScope {
    pub const ALL: [PauseScope; 3] = [PauseScope::Claims, PauseScope::Kind, PauseScope::Category];

    /// The word stored and sent.
    pub fn as_str(self) -> &'static str {
        match self {
            PauseScope::Claims => "claims",
            PauseScope::Kind => "kind",
            PauseScope::Category => "category",
        }
    }

    pub fn parse(word: &str) -> Option<PauseScope> {
        PauseScope::ALL.into_iter().find(|s| s.as_str() == word)
    }
}

/// A live pause, as the rules need it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pause {
    pub scope: PauseScope,
    pub target: String,
    pub reason: String,
}

impl Pause {
    /// Whether it stops issuing coupons of `kind` (a claim, an offer's claim, a shop's issue).
    pub fn stops_issuing(&self, kind: &KindId) -> bool {
        match self.scope {
            PauseScope::Claims => true,
            PauseScope::Kind => self.target == kind.as_str(),
            PauseScope::Category => false,
        }
    }

    /// Whether it stops redeeming at a merchant of `category`.
    pub fn stops_redeeming(&self, category: &CategoryId) -> bool {
        self.scope == PauseScope::Category && self.target == category.as_str()
    }
}

/// The first of `pauses` that stops issuing `kind`, if one does.
pub fn stopping_issue<'a>(pauses: &'a [Pause], kind: &KindId) -> Option<&'a Pause> {
    pauses.iter().find(|p| p.stops_issuing(kind))
}

/// The first of `pauses` that stops redeeming in `category`, if one does.
pub fn stopping_redemption<'a>(pauses: &'a [Pause], category: &CategoryId) -> Option<&'a Pause> {
    pauses.iter().find(|p| p.stops_redeeming(category))
}

/// Whether `campaign` can take a pause of `scope` on `target`, or why not, in words: a kind
/// pause names one of its kinds that residents or shops are issued (an allocation is the
/// bureau's own act), a category pause one of its categories, a pause of all claims no target;
/// the reason is one line of 1 to 200 characters.
pub fn check_pause(campaign: &Campaign, scope: PauseScope, target: &str, reason: &str) -> Result<(), String> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err("say why, in words residents and tills will read".into());
    }
    if reason.chars().count() > 200 {
        return Err("a reason has at most 200 characters".into());
    }
    if reason.chars().any(char::is_control) {
        return Err("a reason is one line of words, without control characters".into());
    }
    match scope {
        PauseScope::Claims if target.is_empty() => Ok(()),
        PauseScope::Claims => Err("a pause of all claims names no kind or category".into()),
        PauseScope::Kind => match campaign.kinds.iter().find(|k| k.id.as_str() == target) {
            Some(k) if k.issuance != Issuance::Allocate => Ok(()),
            Some(_) => Err(format!("kind {target} is allocated from a list, not claimed")),
            None => Err(format!("campaign {} has no kind {target}", campaign.id)),
        },
        PauseScope::Category => {
            if campaign.categories.iter().any(|c| c.id.as_str() == target) {
                Ok(())
            } else {
                Err(format!(
                    "campaign {} has no merchant category {target}",
                    campaign.id
                ))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pause(scope: PauseScope, target: &str) -> Pause {
        Pause {
            scope,
            target: target.into(),
            reason: "x".into(),
        }
    }

    #[test]
    fn a_pause_stops_what_it_names_and_nothing_else() {
        let (retail, fuel) = (KindId::from("retail"), KindId::from("fuel"));
        let dining = CategoryId("dining".into());
        let all = pause(PauseScope::Claims, "");
        assert!(all.stops_issuing(&retail) && all.stops_issuing(&fuel) && !all.stops_redeeming(&dining));
        let one = pause(PauseScope::Kind, "retail");
        assert!(one.stops_issuing(&retail) && !one.stops_issuing(&fuel) && !one.stops_redeeming(&dining));
        let shops = pause(PauseScope::Category, "dining");
        assert!(!shops.stops_issuing(&retail) && shops.stops_redeeming(&dining));
        assert!(!shops.stops_redeeming(&CategoryId("retail".into())));
        let pauses = [one.clone(), shops.clone()];
        assert_eq!(stopping_issue(&pauses, &retail), Some(&one));
        assert_eq!(stopping_issue(&pauses, &fuel), None);
        assert_eq!(stopping_redemption(&pauses, &dining), Some(&shops));
        for s in PauseScope::ALL {
            assert_eq!(PauseScope::parse(s.as_str()), Some(s));
        }
    }
}
