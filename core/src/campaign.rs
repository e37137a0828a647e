//! The campaign model: what a county publishes, as data. Loaded from a TOML file; both seed
//! campaigns ship as files under `server/campaigns/`.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::ids::{CampaignId, CategoryId, KindId};
use crate::money::{deserialize_yuan, serialize_yuan, Fen};
use crate::subsidy::Subsidy;
use crate::time::{ChinaDate, TimeOfDay, Timestamp};

/// A campaign: kinds of coupon with their budgets, rounds, the daily release, the rules.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Campaign {
    pub id: CampaignId,
    /// The campaign's published name: 「晋情消费·乐购沁水」.
    pub name: String,
    #[serde(default)]
    pub name_en: String,
    pub county: String,
    /// The document the rules come from.
    #[serde(default)]
    pub source: String,
    pub starts: ChinaDate,
    pub ends: ChinaDate,
    /// The total budget, in yuan in the file.
    #[serde(serialize_with = "serialize_yuan", deserialize_with = "deserialize_yuan")]
    pub budget: Fen,
    /// When each day's release opens, China time.
    pub release_time: TimeOfDay,
    /// How the pool of a round is released day by day.
    #[serde(default)]
    pub daily_release: DailyRelease,
    pub kinds: Vec<Kind>,
    #[serde(default)]
    pub rounds: Vec<Round>,
    #[serde(default)]
    pub subsidies: Vec<Subsidy>,
    /// Merchant categories that take part, with their names.
    #[serde(default)]
    pub categories: Vec<Category>,
}

/// A merchant category.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Category {
    pub id: CategoryId,
    pub name: String,
    #[serde(default)]
    pub name_en: String,
}

/// How much of a round's pool each day's release offers.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum DailyRelease {
    /// **[reading]** What is left of the round's pool, spread evenly over the round's remaining days
    /// (today included). Value returned by expired coupons flows into later days' releases.
    #[default]
    Even,
    /// Everything left in the round's pool is offered every day.
    All,
}

/// How coupons of a kind reach residents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Issuance {
    /// Claimed by residents in the daily release.
    Claim,
    /// Allocated to a registered list (love coupons), no claim.
    Allocate,
    /// Issued by shop staff after checking the order (Jishan's appliance coupons).
    Shop,
    /// Set up by listed merchants at the campaign's rate, then claimed (Jishan's four treasures).
    Merchant,
}

impl Issuance {
    pub const ALL: [Issuance; 4] = [
        Issuance::Claim,
        Issuance::Allocate,
        Issuance::Shop,
        Issuance::Merchant,
    ];

    /// The word a campaign file, a coupon's `source` and the ledger use.
    pub fn as_str(self) -> &'static str {
        match self {
            Issuance::Claim => "claim",
            Issuance::Allocate => "allocate",
            Issuance::Shop => "shop",
            Issuance::Merchant => "merchant",
        }
    }

    pub fn parse(word: &str) -> Option<Issuance> {
        Issuance::ALL.into_iter().find(|i| i.as_str() == word)
    }
}

/// How long a coupon lives once it is in a wallet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Lifetime {
    /// Until 23:59:59 China time on the day it was claimed.
    SameDay,
    /// Until the last day of the campaign.
    Campaign,
}

/// A coupon kind: retail, fuel, digital & appliances, dining…, with its own budget.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Kind {
    pub id: KindId,
    pub name: String,
    #[serde(default)]
    pub name_en: String,
    #[serde(serialize_with = "serialize_yuan", deserialize_with = "deserialize_yuan")]
    pub budget: Fen,
    pub issuance: Issuance,
    pub lifetime: Lifetime,
    /// Merchant categories where the kind redeems; empty means at any listed merchant.
    #[serde(default)]
    pub categories: Vec<CategoryId>,
    /// Threshold-off denominations (满200减40). Empty when the kind has a rate rule.
    #[serde(default)]
    pub denominations: Vec<Denomination>,
    /// A percentage rule (10% of the product amount, at most 1,000 yuan off).
    #[serde(default)]
    pub rate: Option<RateRule>,
    #[serde(default)]
    pub limits: Limits,
    /// For allocated kinds: coupons of each denomination each listed person receives.
    #[serde(default)]
    pub allocation: Option<Allocation>,
}

/// One denomination: the order must reach `threshold`, then `off` comes off. `threshold` 0 is a
/// no-threshold coupon.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Denomination {
    #[serde(serialize_with = "serialize_yuan", deserialize_with = "deserialize_yuan")]
    pub threshold: Fen,
    #[serde(serialize_with = "serialize_yuan", deserialize_with = "deserialize_yuan")]
    pub off: Fen,
}

/// A percentage of the order amount, in basis points, with an optional cap and floor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RateRule {
    /// Parts per ten thousand: 1000 is 10%.
    pub basis_points: u32,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "serialize_opt_yuan",
        deserialize_with = "deserialize_opt_yuan"
    )]
    pub cap: Option<Fen>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "serialize_opt_yuan",
        deserialize_with = "deserialize_opt_yuan"
    )]
    pub floor: Option<Fen>,
}

fn serialize_opt_yuan<S: serde::Serializer>(v: &Option<Fen>, s: S) -> Result<S::Ok, S::Error> {
    match v {
        Some(v) => serialize_yuan(v, s),
        None => s.serialize_none(),
    }
}

fn deserialize_opt_yuan<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Fen>, D::Error> {
    deserialize_yuan(d).map(Some)
}

/// Per-resident limits of a kind. `None` is no limit.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Limits {
    /// Claims per round (Qinshui: 3 chances per cycle; **[reading]** cycle = round).
    pub per_round: Option<u32>,
    /// Claims per China day.
    pub per_day: Option<u32>,
    /// Claims over the whole campaign.
    pub per_campaign: Option<u32>,
    /// Coupons of one denomination held at a time, unexpired and unredeemed (Qinshui: 1;
    /// **[reading]** with same-day expiry, one a day).
    pub held_per_denomination: Option<u32>,
    /// Coupons of the kind held at a time, whatever the denomination (Qinshui's digital &
    /// appliances: one coupon per claim).
    pub held_per_kind: Option<u32>,
}

/// What each person on an allocation list receives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Allocation {
    /// How many coupons of the kind's single denomination each person receives.
    pub coupons_per_person: u32,
}

/// A round: a stretch of days with a quota per kind. Rounds are data: a round whose dates are
/// still to be set has none and is not active.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Round {
    pub number: u32,
    pub name: String,
    #[serde(default)]
    pub starts: Option<ChinaDate>,
    #[serde(default)]
    pub ends: Option<ChinaDate>,
    /// When each of the round's days releases, where it is not the campaign's `release_time`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub release_time: Option<TimeOfDay>,
    /// How each of the round's days is given out: first come at the release time (`rush`, as
    /// the seeds run it), or by a draw among those who signed up for it (`draw`).
    #[serde(default, skip_serializing_if = "Release::is_rush")]
    pub release: Release,
    /// For a draw: when each day's sign-up opens and closes, before the release time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sign_up: Option<SignUpWindow>,
    /// Yuan per kind id.
    #[serde(serialize_with = "serialize_quota", deserialize_with = "deserialize_quota")]
    pub quota: BTreeMap<KindId, Fen>,
}

fn serialize_quota<S: serde::Serializer>(m: &BTreeMap<KindId, Fen>, s: S) -> Result<S::Ok, S::Error> {
    #[derive(Serialize)]
    struct Yuan<'a>(#[serde(serialize_with = "serialize_yuan")] &'a Fen);
    s.collect_map(m.iter().map(|(k, v)| (k, Yuan(v))))
}

fn deserialize_quota<'de, D: serde::Deserializer<'de>>(d: D) -> Result<BTreeMap<KindId, Fen>, D::Error> {
    #[derive(Deserialize)]
    struct Yuan(#[serde(deserialize_with = "deserialize_yuan")] Fen);
    let m = BTreeMap::<KindId, Yuan>::deserialize(d)?;
    Ok(m.into_iter().map(|(k, Yuan(v))| (k, v)).collect())
}

/// How a round's days are given out.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Release {
    /// First come, first served from the release time.
    #[default]
    Rush,
    /// 预约抽签: residents sign up in a window before the release time, and at the release time a
    /// draw from a seed committed when the window opened picks who gets the day's coupons.
    Draw,
}

impl Release {
    pub fn is_rush(&self) -> bool {
        *self == Release::Rush
    }
}

/// When a draw day's sign-up is open: from `opens` until (not at) `closes`, China time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SignUpWindow {
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "08:00"))]
    pub opens: TimeOfDay,
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "09:55"))]
    pub closes: TimeOfDay,
}

impl Round {
    /// Whether `date` falls in this round.
    pub fn covers(&self, date: ChinaDate) -> bool {
        matches!((self.starts, self.ends), (Some(s), Some(e)) if s <= date && date <= e)
    }

    /// Days left in the round from `date` on, `date` included (0 outside the round).
    pub fn days_left(&self, date: ChinaDate) -> i64 {
        match self.ends {
            Some(e) if self.covers(date) => date.days_until(e) + 1,
            _ => 0,
        }
    }
}

/// Why a campaign file was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CampaignError(pub String);

impl fmt::Display for CampaignError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for CampaignError {}

impl Campaign {
    /// Reads and checks a campaign file.
    #[cfg(feature = "toml")]
    pub fn from_toml(text: &str) -> Result<Campaign, CampaignError> {
        let c: Campaign = toml::from_str(text).map_err(|e| CampaignError(e.to_string()))?;
        c.validate()?;
        Ok(c)
    }

    /// The campaign as a campaign file, which [`Campaign::from_toml`] reads back as it is: what
    /// runs, to revise and upload again.
    #[cfg(feature = "toml")]
    pub fn to_toml(&self) -> Result<String, CampaignError> {
        toml::to_string(self).map_err(|e| CampaignError(format!("campaign {} as a file: {e}", self.id)))
    }

    /// Checks that the numbers agree with each other: budgets add up, rounds fit the period and
    /// their quotas fit the kinds' budgets, every kind has a benefit.
    pub fn validate(&self) -> Result<(), CampaignError> {
        let err = |m: String| Err(CampaignError(format!("campaign {}: {m}", self.id)));
        if self.ends < self.starts {
            return err("ends before it starts".into());
        }
        let kinds: Fen = self.kinds.iter().map(|k| k.budget).sum();
        let subsidies: Fen = self.subsidies.iter().map(|s| s.budget).sum();
        if kinds + subsidies != self.budget {
            return err(format!(
                "kinds ({kinds}) and subsidies ({subsidies}) do not add up to the budget ({})",
                self.budget
            ));
        }
        let mut seen = std::collections::BTreeSet::new();
        for k in &self.kinds {
            if !seen.insert(k.id.clone()) {
                return err(format!("kind {} appears twice", k.id));
            }
            match (k.denominations.is_empty(), k.rate.is_some()) {
                (true, false) => return err(format!("kind {} has neither denominations nor a rate", k.id)),
                (false, true) => return err(format!("kind {} has both denominations and a rate", k.id)),
                _ => {}
            }
            for d in &k.denominations {
                if !d.off.is_positive() || (d.threshold.is_positive() && d.off > d.threshold) {
                    return err(format!(
                        "kind {}: a denomination's off must be positive and within its threshold",
                        k.id
                    ));
                }
            }
            if k.issuance == Issuance::Allocate && (k.allocation.is_none() || k.denominations.len() != 1) {
                return err(format!(
                    "allocated kind {} needs an allocation and exactly one denomination",
                    k.id
                ));
            }
            for c in &k.categories {
                if !self.categories.iter().any(|x| &x.id == c) {
                    return err(format!("kind {} names unknown category {c}", k.id));
                }
            }
        }
        for s in &self.subsidies {
            if !self.categories.iter().any(|x| x.id == s.dealer_category) {
                return err(format!(
                    "subsidy {} names unknown category {}",
                    s.id, s.dealer_category
                ));
            }
        }
        for (i, r) in self.rounds.iter().enumerate() {
            if r.number == 0 {
                return err("rounds are numbered from 1 (round 0 is what no round gives out)".into());
            }
            if r.starts.is_some() != r.ends.is_some() {
                return err(format!("round {} needs both its dates, or neither", r.number));
            }
            if let (Some(s), Some(e)) = (r.starts, r.ends) {
                if e < s || s < self.starts || e > self.ends {
                    return err(format!("round {} does not lie within the campaign", r.number));
                }
            }
            for other in &self.rounds[..i] {
                if other.number == r.number {
                    return err(format!("round {} appears twice", r.number));
                }
                if let (Some(s), Some(e), Some(os), Some(oe)) = (r.starts, r.ends, other.starts, other.ends) {
                    if s <= oe && os <= e {
                        return err(format!(
                            "rounds {} and {} overlap: a day belongs to one round at most",
                            other.number, r.number
                        ));
                    }
                }
            }
            let release_time = r.release_time.unwrap_or(self.release_time);
            match (r.release, r.sign_up) {
                (Release::Rush, None) => {}
                (Release::Rush, Some(_)) => {
                    return err(format!(
                        "round {} has a sign-up window but is not released by draw (release = \"draw\")",
                        r.number
                    ))
                }
                (Release::Draw, None) => {
                    return err(format!(
                        "round {} is released by draw: it needs its sign-up window (sign_up = {{ opens = \"08:00\", closes = \"09:55\" }})",
                        r.number
                    ))
                }
                (Release::Draw, Some(w)) => {
                    if !(w.opens < w.closes && w.closes <= release_time) {
                        return err(format!(
                            "round {}'s sign-up must open before it closes, and close by the release time ({release_time})",
                            r.number
                        ));
                    }
                }
            }
            for kind in r.quota.keys() {
                match self.kind(kind) {
                    None => return err(format!("round {} has a quota for unknown kind {kind}", r.number)),
                    Some(k) if k.issuance == Issuance::Allocate => {
                        return err(format!(
                        "round {} gives a quota to kind {kind}, which is allocated from a list, not released",
                        r.number
                    ))
                    }
                    Some(_) => {}
                }
            }
        }
        for k in &self.kinds {
            let rounds: Fen = self
                .rounds
                .iter()
                .filter_map(|r| r.quota.get(&k.id))
                .copied()
                .sum();
            if rounds > k.budget {
                return err(format!(
                    "rounds give kind {} more ({rounds}) than its budget ({})",
                    k.id, k.budget
                ));
            }
        }
        Ok(())
    }

    pub fn kind(&self, id: &KindId) -> Option<&Kind> {
        self.kinds.iter().find(|k| &k.id == id)
    }

    /// The round running on `date`, if any.
    pub fn round_on(&self, date: ChinaDate) -> Option<&Round> {
        self.rounds.iter().find(|r| r.covers(date))
    }

    /// The instant the release of `date` opens: at the round's own release time, if it has one.
    pub fn release_at(&self, date: ChinaDate) -> Timestamp {
        date.at(self.release_time_on(date))
    }

    /// The time of day `date`'s release opens.
    pub fn release_time_on(&self, date: ChinaDate) -> TimeOfDay {
        self.round_on(date)
            .and_then(|r| r.release_time)
            .unwrap_or(self.release_time)
    }

    /// Whether round `r` has begun at `now`: its first release has opened. A round without dates
    /// has not.
    pub fn round_begun(&self, r: &Round, now: Timestamp) -> bool {
        r.starts
            .is_some_and(|s| s.at(r.release_time.unwrap_or(self.release_time)) <= now)
    }

    /// The last instant of the campaign.
    pub fn last_instant(&self) -> Timestamp {
        self.ends.last_instant()
    }

    /// Where the campaign stands at `now`.
    pub fn phase(&self, now: Timestamp) -> Phase {
        let date = now.china_date();
        if date < self.starts {
            Phase::Before
        } else if date > self.ends {
            Phase::After
        } else {
            Phase::Running
        }
    }

    /// The same campaign moved so that it starts on `first_day`, every date keeping its distance
    /// from the start (the demo runs the seed campaigns from today).
    pub fn moved_to(&self, first_day: ChinaDate) -> Campaign {
        let shift = self.starts.days_until(first_day);
        let mut c = self.clone();
        c.starts = c.starts.plus_days(shift);
        c.ends = c.ends.plus_days(shift);
        for r in &mut c.rounds {
            r.starts = r.starts.map(|d| d.plus_days(shift));
            r.ends = r.ends.map(|d| d.plus_days(shift));
        }
        c
    }
}

/// Before, during or after the campaign's period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Phase {
    Before,
    Running,
    After,
}

impl Kind {
    /// Whether this kind redeems at a merchant of `category`.
    pub fn applies_in(&self, category: &CategoryId) -> bool {
        self.categories.is_empty() || self.categories.contains(category)
    }
}
