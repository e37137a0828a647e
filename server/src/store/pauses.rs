//! Pauses: the bureau stops part of a running campaign (claims of one kind, all its claims, or
//! redemptions in one merchant category) and resumes it, with no restart. A pause is a row in
//! the shared database, and every transaction that issues or redeems a coupon reads the live
//! pauses of its campaign itself, so a pause made through one instance holds on all of them
//! from its commit: a claim racing it is either decided before it, or refused.

use std::collections::HashMap;

use quan_core::api::{PauseRequest, PauseView};
use quan_core::campaign::Campaign;
use quan_core::pause::{check_pause, Pause, PauseScope};
use quan_core::{CampaignId, ErrorCode, Timestamp};
use sqlx::any::AnyRow;

use crate::db::{col, Db, DbError};
use crate::error::AppError;
use crate::store::accounts::shown_name;

/// The live pauses of `campaign`, read through `db`: inside the transaction that issues or
/// redeems, or from the pool for what a till is shown before it redeems (the redemption reads
/// them again in its own transaction).
pub async fn live<'c, E>(db: E, campaign: &str) -> Result<Vec<Pause>, DbError>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    let rows = sqlx::query(
        "SELECT scope, target, reason FROM pauses WHERE campaign = $1 AND resumed_at IS NULL ORDER BY id",
    )
    .bind(campaign)
    .fetch_all(db)
    .await?;
    rows.iter().map(read_pause).collect()
}

/// Every campaign's live pauses, for what residents are shown.
pub async fn live_everywhere(db: &Db) -> Result<HashMap<String, Vec<Pause>>, DbError> {
    let rows = sqlx::query(
        "SELECT campaign, scope, target, reason FROM pauses WHERE resumed_at IS NULL ORDER BY id",
    )
    .fetch_all(&db.pool)
    .await?;
    let mut out: HashMap<String, Vec<Pause>> = HashMap::new();
    for row in &rows {
        out.entry(col(row, "campaign")?)
            .or_default()
            .push(read_pause(row)?);
    }
    Ok(out)
}

fn read_pause(row: &AnyRow) -> Result<Pause, DbError> {
    let scope: String = col(row, "scope")?;
    Ok(Pause {
        scope: PauseScope::parse(&scope).ok_or_else(|| DbError(format!("unknown pause scope '{scope}'")))?,
        target: col(row, "target")?,
        reason: col(row, "reason")?,
    })
}

const VIEW: &str = "SELECT p.id, p.campaign, p.scope, p.target, p.reason, p.paused_at, p.resumed_at, \
     a.display_name AS paused_by, a.username AS paused_by_user, b.display_name AS resumed_by, \
     b.username AS resumed_by_user \
     FROM pauses p JOIN accounts a ON a.id = p.paused_by LEFT JOIN accounts b ON b.id = p.resumed_by";

fn read_view(row: &AnyRow) -> Result<PauseView, DbError> {
    let name = shown_name;
    let scope: String = col(row, "scope")?;
    Ok(PauseView {
        id: col(row, "id")?,
        campaign: CampaignId(col(row, "campaign")?),
        scope: PauseScope::parse(&scope).ok_or_else(|| DbError(format!("unknown pause scope '{scope}'")))?,
        target: col(row, "target")?,
        reason: col(row, "reason")?,
        paused_at: Timestamp(col(row, "paused_at")?),
        paused_by: name(col(row, "paused_by")?, col(row, "paused_by_user")?).unwrap_or_default(),
        resumed_at: col::<Option<i64>>(row, "resumed_at")?.map(Timestamp),
        resumed_by: name(col(row, "resumed_by")?, col(row, "resumed_by_user")?),
    })
}

/// Every pause of `campaign`, live and resumed, newest first.
pub async fn list(db: &Db, campaign: &str) -> Result<Vec<PauseView>, DbError> {
    let rows = sqlx::query(&format!("{VIEW} WHERE p.campaign = $1 ORDER BY p.id DESC"))
        .bind(campaign)
        .fetch_all(&db.pool)
        .await?;
    rows.iter().map(read_view).collect()
}

/// The pause `id`, if there is one.
pub async fn one(db: &Db, id: i64) -> Result<Option<PauseView>, DbError> {
    let row = sqlx::query(&format!("{VIEW} WHERE p.id = $1"))
        .bind(id)
        .fetch_optional(&db.pool)
        .await?;
    row.map(|r| read_view(&r)).transpose()
}

/// Pauses what `request` names in `campaign`, by `account`: refused in words if the campaign
/// cannot take it, or if the same is paused already.
pub async fn pause(
    db: &Db,
    campaign: &Campaign,
    request: &PauseRequest,
    account: i64,
    now: Timestamp,
) -> Result<PauseView, AppError> {
    let target = request.target.trim();
    let reason = request.reason.trim();
    check_pause(campaign, request.scope, target, reason)
        .map_err(|why| AppError::new(ErrorCode::InvalidRequest, why))?;
    let mut tx = db.begin_write().await?;
    let made = sqlx::query(
        "INSERT INTO pauses (campaign, scope, target, reason, paused_at, paused_by) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING RETURNING id",
    )
    .bind(campaign.id.as_str())
    .bind(request.scope.as_str())
    .bind(target)
    .bind(reason)
    .bind(now.millis())
    .bind(account)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(row) = made else {
        return Err(AppError::new(
            ErrorCode::InvalidRequest,
            "that is paused already: resume it first to change its reason",
        ));
    };
    let id: i64 = col(&row, "id")?;
    tx.commit().await?;
    one(db, id)
        .await?
        .ok_or_else(|| AppError::internal("a pause just made is not there"))
}

/// Resumes the live pause `id` of a campaign `may` covers, by `account`.
pub async fn resume(
    db: &Db,
    id: i64,
    may: impl Fn(&str) -> bool,
    account: i64,
    now: Timestamp,
) -> Result<PauseView, AppError> {
    let found = one(db, id).await?.filter(|p| may(p.campaign.as_str()));
    let Some(found) = found else {
        return Err(AppError::new(ErrorCode::NotFound, "no such pause"));
    };
    if found.resumed_at.is_some() {
        return Err(AppError::new(ErrorCode::InvalidRequest, "resumed already"));
    }
    let done = sqlx::query(
        "UPDATE pauses SET resumed_at = $1, resumed_by = $2 WHERE id = $3 AND resumed_at IS NULL",
    )
    .bind(now.millis())
    .bind(account)
    .bind(id)
    .execute(&db.pool)
    .await?;
    if done.rows_affected() != 1 {
        return Err(AppError::new(ErrorCode::InvalidRequest, "resumed already"));
    }
    one(db, id)
        .await?
        .ok_or_else(|| AppError::internal("a pause just resumed is not there"))
}
