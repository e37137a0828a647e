//! A plausible campaign so far, for the console's figures and charts (`QUAN_DEMO_ACTIVITY`):
//! yesterday's whole day and today's hours up to now, made the way residents and tills make them
//! (claims through the claim batcher, redemptions and refunds through the till's calls), each at
//! its own moment. Seeded, so every demo shows the same campaign.

use quan_core::api::{ClaimRequest, CouponView, MerchantView};
use quan_core::campaign::Issuance;
use quan_core::code;
use quan_core::{ChinaDate, Fen, TimeOfDay, Timestamp};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::clock::Clock;
use crate::state::AppState;
use crate::store::claims::{Claimed, Claims};
use crate::store::{redemptions, residents, sweep};

/// Share of a day's claims in each hour from 10:00 (the rush), in percent.
const CLAIMS_BY_HOUR: [(u32, u32); 12] = [
    (10, 38),
    (11, 12),
    (12, 7),
    (13, 5),
    (14, 5),
    (15, 5),
    (16, 5),
    (17, 5),
    (18, 5),
    (19, 6),
    (20, 5),
    (21, 2),
];

/// Claims a kind sees in a whole demo day.
const CLAIMS_PER_DAY: u32 = 120;

/// A staff account at a demo merchant.
pub struct Till {
    pub merchant: MerchantView,
    pub account: i64,
}

/// Makes the activity, unless the ledger already has some (a restarted demo keeps its own).
pub async fn make(state: &AppState, tills: &[Till]) -> Result<(), String> {
    let campaigns = state.campaigns.now();
    let any: Option<i64> = sqlx::query_scalar("SELECT id FROM ledger WHERE event = 'claim' LIMIT 1")
        .fetch_optional(&state.db.pool)
        .await
        .map_err(|e| e.to_string())?;
    if any.is_some() {
        return Ok(());
    }
    let now = state.clock.now();
    let today = now.china_date();
    let clock = Clock::starting_at(now);
    let claims = Claims::start(
        state.db.clone(),
        state.campaigns.clone(),
        state.secrets.coupon_master.clone(),
        clock.clone(),
        usize::MAX,
    );
    let mut rng = StdRng::seed_from_u64(20_221_225);
    let mut resident_no = 0u32;
    for day in [today.plus_days(-1), today] {
        let mut held: Vec<(Timestamp, CouponView)> = Vec::new();
        for (hour, percent) in CLAIMS_BY_HOUR {
            let Some(hour_start) = TimeOfDay::hm(hour, 0).map(|t| day.at(t)) else {
                continue;
            };
            if hour_start.plus_secs(3_600) > now {
                break;
            }
            for campaign in campaigns.iter() {
                for kind in campaign.kinds.iter().filter(|k| k.issuance == Issuance::Claim) {
                    for _ in 0..CLAIMS_PER_DAY * percent / 100 {
                        resident_no += 1;
                        let at = hour_start.plus_secs(rng.gen_range(0..3_600));
                        clock.set(at);
                        let subject = format!("demo-resident-{resident_no}");
                        let id = residents::find_or_create(&state.db, &subject, "", at)
                            .await
                            .map_err(|e| e.to_string())?;
                        let request = ClaimRequest {
                            campaign: campaign.id.clone(),
                            kind: kind.id.clone(),
                            denomination: rng.gen_range(0..kind.denominations.len().max(1)),
                        };
                        // Refusals (a day's release gone, a round not running) are part of a day.
                        if let Ok(Claimed::New(c)) = claims.claim(id, request, None).await {
                            held.push((at, *c));
                        }
                    }
                }
            }
        }
        redeem_some(state, tills, &mut rng, held, now, today).await?;
        if day < today {
            // Midnight: what was not used that day expires, as the sweep would have done then.
            sweep::sweep_once(&state.db, day.plus_days(1).start())
                .await
                .map_err(|e| e.to_string())?;
        }
    }
    Ok(())
}

/// About two in three coupons are used within hours of being claimed, at a till of a category
/// they apply in, on an order at or above the threshold; one in forty is refunded soon after.
async fn redeem_some(
    state: &AppState,
    tills: &[Till],
    rng: &mut StdRng,
    held: Vec<(Timestamp, CouponView)>,
    now: Timestamp,
    today: ChinaDate,
) -> Result<(), String> {
    let campaigns = state.campaigns.now();
    let mut plans: Vec<(Timestamp, CouponView, &Till)> = Vec::new();
    for (claimed, c) in held {
        let Some(till) = tills
            .iter()
            .find(|t| c.categories.is_empty() || c.categories.contains(&t.merchant.category))
        else {
            continue;
        };
        if !rng.gen_bool(0.66) {
            continue;
        }
        let at = claimed.plus_secs(rng.gen_range(600..5 * 3_600));
        if at < c.expires_at && at < now {
            plans.push((at, c, till));
        }
    }
    plans.sort_by_key(|(at, ..)| *at);
    for (at, c, till) in plans {
        let Some(key) = c.key.as_ref() else { continue };
        let Some(shown) = code::generate(key, c.id, at, c.expires_at) else {
            continue;
        };
        let threshold = match c.benefit {
            quan_core::rules::Benefit::ThresholdOff { threshold, .. } => threshold,
            quan_core::rules::Benefit::Rate { .. } => Fen(0),
        };
        let order = Fen(threshold.0.max(2_000) + rng.gen_range(0..=threshold.0.max(10_000)) / 100 * 100);
        let redeemed = redemptions::redeem(
            &state.db,
            &campaigns,
            &state.secrets.coupon_master,
            &till.merchant,
            till.account,
            shown.digits(),
            order,
            None,
            at,
        )
        .await;
        let Ok(Ok(r)) = redeemed else { continue };
        let back = at.plus_secs(rng.gen_range(300..1_800));
        if rng.gen_ratio(1, 40) && back < now && back.china_date() <= today {
            let _ = redemptions::reverse(
                &state.db,
                &campaigns,
                till.merchant.id,
                till.account,
                r.id,
                None,
                back,
            )
            .await;
        }
    }
    Ok(())
}
