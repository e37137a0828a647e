//! The overload switch: one row per campaign while the bureau has it on. Every instance reads
//! the switches with the campaigns' versions ([`crate::campaigns::Live`]), so a claim is turned
//! away before it queues, with no database read of its own.

use std::collections::BTreeMap;

use quan_core::api::BusyView;
use quan_core::{CampaignId, Timestamp};

use crate::db::{col, Db, DbError};
use crate::store::accounts::shown_name;

/// Every campaign whose switch is on, with the seconds residents are asked to wait.
pub async fn all(db: &Db) -> Result<BTreeMap<String, u32>, DbError> {
    let rows = sqlx::query("SELECT campaign, retry_after FROM busy")
        .fetch_all(&db.pool)
        .await?;
    rows.iter()
        .map(|r| {
            let secs: i64 = col(r, "retry_after")?;
            Ok((col(r, "campaign")?, u32::try_from(secs).unwrap_or(u32::MAX)))
        })
        .collect()
}

/// Campaign `campaign`'s switch as it stands.
pub async fn one(db: &Db, campaign: &str) -> Result<BusyView, DbError> {
    let row = sqlx::query(
        "SELECT b.retry_after, b.since, a.display_name, a.username FROM busy b \
         JOIN accounts a ON a.id = b.account_id WHERE b.campaign = $1",
    )
    .bind(campaign)
    .fetch_optional(&db.pool)
    .await?;
    let mut view = BusyView {
        campaign: CampaignId(campaign.to_owned()),
        on: false,
        retry_after: None,
        since: None,
        by: None,
    };
    if let Some(r) = row {
        let secs: i64 = col(&r, "retry_after")?;
        view.on = true;
        view.retry_after = u32::try_from(secs).ok();
        view.since = Some(Timestamp(col(&r, "since")?));
        view.by = shown_name(col(&r, "display_name")?, col(&r, "username")?);
    }
    Ok(view)
}

/// Turns the switch on with `retry_after` seconds (replacing any earlier wait), or off (`None`),
/// and logs the turn for the campaign's history, in one transaction.
pub async fn set(
    db: &Db,
    campaign: &str,
    retry_after: Option<u32>,
    account: i64,
    now: Timestamp,
) -> Result<BusyView, DbError> {
    let mut tx = db.begin_write().await?;
    match retry_after {
        Some(secs) => {
            sqlx::query(
                "INSERT INTO busy (campaign, retry_after, since, account_id) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (campaign) DO UPDATE SET retry_after = $2, since = $3, account_id = $4",
            )
            .bind(campaign)
            .bind(i64::from(secs))
            .bind(now.millis())
            .bind(account)
            .execute(&mut *tx)
            .await?;
        }
        None => {
            let was_on = sqlx::query("DELETE FROM busy WHERE campaign = $1")
                .bind(campaign)
                .execute(&mut *tx)
                .await?;
            if was_on.rows_affected() == 0 {
                // Already off: nothing turned, nothing to log.
                let _ = tx.rollback().await;
                return one(db, campaign).await;
            }
        }
    }
    sqlx::query("INSERT INTO busy_log (campaign, at, retry_after, account_id) VALUES ($1, $2, $3, $4)")
        .bind(campaign)
        .bind(now.millis())
        .bind(retry_after.map(i64::from))
        .bind(account)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    one(db, campaign).await
}
