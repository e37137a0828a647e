//! A resident's limit slots in one kind (`limit_slots`), for the paths that give out one coupon
//! at a time: a shop's issue and a merchant offer's claim. (The claim batcher reads and writes
//! a whole batch's at once.) The scopes' text is `quan_core::slots::LimitScope`'s.

use std::collections::HashMap;

use quan_core::rules::Usage;
use quan_core::slots::LimitScope;
use quan_core::{ChinaDate, ResidentId};

use crate::db::{col, DbError, Tx};

/// The slots `resident` holds in each scope of `kind`, read in `tx`.
#[derive(Debug, Clone)]
pub struct Held {
    resident: ResidentId,
    campaign: String,
    kind: String,
    counts: HashMap<LimitScope, u32>,
}

impl Held {
    pub async fn read(
        tx: &mut Tx,
        resident: ResidentId,
        campaign: &str,
        kind: &str,
    ) -> Result<Held, DbError> {
        let rows = sqlx::query(
            "SELECT scope, CAST(COUNT(*) AS BIGINT) AS n FROM limit_slots \
             WHERE resident_id = $1 AND campaign = $2 AND kind = $3 GROUP BY scope",
        )
        .bind(resident.0)
        .bind(campaign)
        .bind(kind)
        .fetch_all(&mut **tx)
        .await?;
        let mut held = HashMap::new();
        for row in &rows {
            if let Some(scope) = LimitScope::parse(&col::<String>(row, "scope")?) {
                held.insert(scope, u32::try_from(col::<i64>(row, "n")?).unwrap_or(u32::MAX));
            }
        }
        Ok(Held {
            resident,
            campaign: campaign.to_owned(),
            kind: kind.to_owned(),
            counts: held,
        })
    }

    /// What the rules see of these slots, for a coupon of denomination `index` on `day` in `round`.
    pub fn usage(&self, index: usize, round: u32, day: ChinaDate) -> Usage {
        let mut usage = Usage::default();
        for (scope, n) in &self.counts {
            usage.count(*scope, *n, index, round, day);
        }
        usage
    }

    /// Takes the next slot in each of `scopes` for `coupon`; `false` if one was taken meanwhile
    /// (the caller's transaction is then rolled back).
    pub async fn take(&self, tx: &mut Tx, scopes: &[LimitScope], coupon: i64) -> Result<bool, DbError> {
        for scope in scopes {
            // An offer gives one coupon a resident: its only slot is the first.
            let next = match scope {
                LimitScope::Offer(_) => 1,
                _ => i64::from(self.counts.get(scope).copied().unwrap_or(0)) + 1,
            };
            let done = sqlx::query(
                "INSERT INTO limit_slots (resident_id, campaign, kind, scope, slot, coupon_id) \
                 VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING",
            )
            .bind(self.resident.0)
            .bind(&self.campaign)
            .bind(&self.kind)
            .bind(scope.key())
            .bind(next)
            .bind(coupon)
            .execute(&mut **tx)
            .await?;
            if done.rows_affected() != 1 {
                return Ok(false);
            }
        }
        Ok(true)
    }
}
