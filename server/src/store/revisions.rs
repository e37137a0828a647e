//! The versions of each campaign: the first from its seed file, each later one a revision the
//! bureau confirmed. The latest version is the one every instance runs ([`crate::campaigns::Live`]
//! reads it); [`revise`] decides a revision against the latest version and the pools in one
//! transaction, and writes the version with the pools' moves, or nothing.

use std::collections::BTreeMap;

use quan_core::api::{Reallocation, RevisionView, RoundRelease};
use quan_core::campaign::Campaign;
use quan_core::revision::{self, Accounts, Change, PoolState, ReallocationRefusal, Revision, SubsidyState};
use quan_core::{CampaignId, ErrorCode, Fen, KindId, Timestamp};
use sqlx::any::AnyRow;

use crate::db::{col, Db, DbError, Tx};
use crate::error::AppError;
use crate::store::accounts::shown_name;

fn body(c: &Campaign) -> Result<String, DbError> {
    serde_json::to_string(c).map_err(|e| DbError(format!("campaign {} as JSON: {e}", c.id)))
}

fn read_body(campaign: &str, version: i64, text: &str) -> Result<Campaign, DbError> {
    serde_json::from_str(text).map_err(|e| DbError(format!("campaign {campaign} version {version}: {e}")))
}

/// The latest version of each campaign, in id order.
pub async fn latest(db: &Db) -> Result<Vec<(Campaign, i64)>, DbError> {
    let rows = sqlx::query(
        "SELECT v.campaign, v.version, v.body FROM campaign_versions v \
         JOIN (SELECT campaign, MAX(version) AS version FROM campaign_versions GROUP BY campaign) m \
           ON m.campaign = v.campaign AND m.version = v.version \
         ORDER BY v.campaign",
    )
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|r| {
            let (campaign, version): (String, i64) = (col(r, "campaign")?, col(r, "version")?);
            Ok((
                read_body(&campaign, version, &col::<String>(r, "body")?)?,
                version,
            ))
        })
        .collect()
}

/// The latest version number of each campaign: what an instance compares with what it runs.
pub async fn stamps(db: &Db) -> Result<BTreeMap<String, i64>, DbError> {
    let rows = sqlx::query(
        "SELECT campaign, CAST(MAX(version) AS BIGINT) AS version FROM campaign_versions GROUP BY campaign",
    )
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|r| Ok((col(r, "campaign")?, col(r, "version")?)))
        .collect()
}

/// Gives each seed campaign its first version, where the database has none yet (the files stay
/// the seed; the database holds what runs). In demo mode a seed moved to run from today replaces
/// an older demo's. Running on several instances at once writes each first version once.
pub async fn seed(db: &Db, seeds: &[(Campaign, String)], demo: bool, now: Timestamp) -> Result<(), DbError> {
    let running: BTreeMap<String, (Campaign, i64)> = latest(db)
        .await?
        .into_iter()
        .map(|(c, v)| (c.id.0.clone(), (c, v)))
        .collect();
    for (campaign, file) in seeds {
        let version = match running.get(campaign.id.as_str()) {
            None => 1,
            Some((c, v)) if demo && c != campaign => v + 1,
            Some((c, _)) => {
                if c != campaign {
                    tracing::warn!(
                        campaign = %campaign.id,
                        "the seed file differs from the version that runs, which is kept: \
                         `quan-server campaigns apply FILE` revises it"
                    );
                }
                continue;
            }
        };
        let reason = if version == 1 {
            ""
        } else {
            "demo: moved to run from today"
        };
        sqlx::query(
            "INSERT INTO campaign_versions (campaign, version, body, file, changes, reason, at) \
             VALUES ($1, $2, $3, $4, '[]', $5, $6) ON CONFLICT DO NOTHING",
        )
        .bind(campaign.id.as_str())
        .bind(version)
        .bind(body(campaign)?)
        .bind(file.as_str())
        .bind(reason)
        .bind(now.millis())
        .execute(&db.pool)
        .await?;
    }
    Ok(())
}

/// What the pools and subsidy budgets of `campaign` hold, locked until the transaction ends
/// (pools in kind and round order, as every writer takes them).
async fn accounts(tx: &mut Tx, db: &Db, campaign: &str) -> Result<Accounts, DbError> {
    let mut a = Accounts::default();
    let rows = sqlx::query(&format!(
        "SELECT kind, round, budget, available, held, redeemed FROM pools WHERE campaign = $1 \
         ORDER BY kind, round{}",
        db.dialect.for_update()
    ))
    .bind(campaign)
    .fetch_all(&mut **tx)
    .await?;
    for r in &rows {
        let round = u32::try_from(col::<i64>(r, "round")?)
            .map_err(|_| DbError("a pool's round is out of range".into()))?;
        a.pools.insert(
            (KindId(col(r, "kind")?), round),
            PoolState {
                budget: Fen(col(r, "budget")?),
                available: Fen(col(r, "available")?),
                held: Fen(col(r, "held")?),
                redeemed: Fen(col(r, "redeemed")?),
            },
        );
    }
    let rows = sqlx::query(&format!(
        "SELECT subsidy, budget, reserved, paid FROM subsidy_budgets WHERE campaign = $1 ORDER BY subsidy{}",
        db.dialect.for_update()
    ))
    .bind(campaign)
    .fetch_all(&mut **tx)
    .await?;
    for r in &rows {
        a.subsidies.insert(
            KindId(col(r, "subsidy")?),
            SubsidyState {
                budget: Fen(col(r, "budget")?),
                reserved: Fen(col(r, "reserved")?),
                paid: Fen(col(r, "paid")?),
            },
        );
    }
    Ok(a)
}

/// Moves the pools and subsidy budgets as `r` says.
async fn apply_moves(tx: &mut Tx, campaign: &str, r: &Revision) -> Result<(), DbError> {
    for m in &r.pools {
        sqlx::query(
            "INSERT INTO pools (campaign, kind, round, budget, available, held, redeemed) \
             VALUES ($1, $2, $3, 0, 0, 0, 0) ON CONFLICT DO NOTHING",
        )
        .bind(campaign)
        .bind(m.kind.as_str())
        .bind(i64::from(m.round))
        .execute(&mut **tx)
        .await?;
        let done = sqlx::query(
            "UPDATE pools SET budget = budget + $1, available = available + $1 \
             WHERE campaign = $2 AND kind = $3 AND round = $4 AND available + $1 >= 0",
        )
        .bind(m.by.0)
        .bind(campaign)
        .bind(m.kind.as_str())
        .bind(i64::from(m.round))
        .execute(&mut **tx)
        .await?;
        if done.rows_affected() != 1 {
            return Err(DbError(format!(
                "pool {campaign}/{}/{} cannot move by {}",
                m.kind, m.round, m.by
            )));
        }
    }
    for m in &r.subsidies {
        sqlx::query(
            "INSERT INTO subsidy_budgets (campaign, subsidy, budget, reserved, paid) \
             VALUES ($1, $2, 0, 0, 0) ON CONFLICT DO NOTHING",
        )
        .bind(campaign)
        .bind(m.subsidy.as_str())
        .execute(&mut **tx)
        .await?;
        sqlx::query("UPDATE subsidy_budgets SET budget = budget + $1 WHERE campaign = $2 AND subsidy = $3")
            .bind(m.by.0)
            .bind(campaign)
            .bind(m.subsidy.as_str())
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// Who makes a revision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum By {
    /// A console account.
    Account(i64),
    /// `quan-server campaigns apply` on the server itself.
    CommandLine,
}

/// What a revision is: the revised campaign, the file it came from (if any), and why.
pub struct Proposal<'a> {
    pub revised: &'a Campaign,
    pub file: Option<&'a str>,
    pub reason: &'a str,
    /// The version its preview said it would make, if it was previewed: confirmed after another
    /// revision, it is refused, so nobody confirms changes they were not shown.
    pub previewed: Option<i64>,
}

/// Decides `proposal` against the latest version of its campaign and the pools, at `now`: the
/// version it makes, its changes in words and the first releases of the rounds it schedules.
/// With `confirm`, writes the version and moves the pools in the same transaction; without, the
/// preview, and nothing is written. Refused in words if the revision would change what has
/// begun, and if another revision was confirmed meanwhile (the version is taken).
pub async fn revise(
    db: &Db,
    proposal: Proposal<'_>,
    by: By,
    confirm: bool,
    now: Timestamp,
) -> Result<RevisionView, AppError> {
    let id = proposal.revised.id.as_str();
    let mut tx = db.begin_write().await?;
    let (running, version) = running(&mut tx, id).await?;
    if proposal.previewed.is_some_and(|p| p != version + 1) {
        return Err(AppError::new(
            ErrorCode::RevisionRefused,
            format!("campaign {id} was revised after the preview (it runs version {version}): preview again"),
        ));
    }
    let accounts = accounts(&mut tx, db, id).await?;
    let revision = revision::revise(&running, proposal.revised, &accounts, now)
        .map_err(|e| AppError::new(ErrorCode::RevisionRefused, e.0))?;
    if revision.changes.is_empty() {
        return Err(AppError::new(
            ErrorCode::InvalidRequest,
            "the revision changes nothing: it is the version that runs",
        ));
    }
    let releases = releases(proposal.revised, &revision.changes);
    let view = RevisionView {
        campaign: proposal.revised.id.clone(),
        version: version + 1,
        applied: false,
        at: None,
        by: None,
        reason: proposal.reason.to_owned(),
        changes: revision.changes.clone(),
        releases,
    };
    if !confirm {
        let _ = tx.rollback().await;
        return Ok(view);
    }
    apply_moves(&mut tx, id, &revision).await?;
    let made = write_version(
        &mut tx,
        proposal.revised,
        version + 1,
        proposal.file,
        &revision.changes,
        proposal.reason,
        by,
        now,
    )
    .await?;
    if !made {
        let _ = tx.rollback().await;
        return Err(revised_meanwhile(id, version + 1));
    }
    tx.commit().await?;
    one(db, id, version + 1)
        .await?
        .ok_or_else(|| AppError::internal("a version just made is not there"))
}

fn revised_meanwhile(id: &str, version: i64) -> AppError {
    AppError::new(
        ErrorCode::RevisionRefused,
        format!("campaign {id} was revised meanwhile: look at its version {version} and try again"),
    )
}

/// Writes `campaign` as its version `version`; false if another writer took that number first.
#[allow(clippy::too_many_arguments)]
async fn write_version(
    tx: &mut Tx,
    campaign: &Campaign,
    version: i64,
    file: Option<&str>,
    changes: &[Change],
    reason: &str,
    by: By,
    now: Timestamp,
) -> Result<bool, DbError> {
    let changes = serde_json::to_string(changes).map_err(|e| DbError(e.to_string()))?;
    let account = match by {
        By::Account(a) => Some(a),
        By::CommandLine => None,
    };
    let made = sqlx::query(
        "INSERT INTO campaign_versions (campaign, version, body, file, changes, reason, at, account_id) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING",
    )
    .bind(campaign.id.as_str())
    .bind(version)
    .bind(body(campaign)?)
    .bind(file)
    .bind(changes)
    .bind(reason)
    .bind(now.millis())
    .bind(account)
    .execute(&mut **tx)
    .await?;
    Ok(made.rows_affected() == 1)
}

/// The latest version of campaign `id` and its number.
pub async fn current(db: &Db, id: &str) -> Result<(Campaign, i64), AppError> {
    let mut tx = db.begin_read().await?;
    let found = running(&mut tx, id).await;
    let _ = tx.rollback().await;
    found
}

/// The latest version of campaign `id` and its number, read in `tx`.
async fn running(tx: &mut Tx, id: &str) -> Result<(Campaign, i64), AppError> {
    let row = sqlx::query(
        "SELECT version, body FROM campaign_versions WHERE campaign = $1 ORDER BY version DESC LIMIT 1",
    )
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?;
    let Some(row) = row else {
        return Err(AppError::new(ErrorCode::NotFound, format!("no campaign {id}")));
    };
    let version: i64 = col(&row, "version")?;
    Ok((read_body(id, version, &col::<String>(&row, "body")?)?, version))
}

/// A reallocation (预算调剂), decided by core against the latest version and the pools in one
/// transaction: the pools move, the version with both budgets moved is written, and the
/// reallocation is recorded with it. Refused in words if the kind has too little left.
#[allow(clippy::too_many_arguments)]
pub async fn reallocate(
    db: &Db,
    id: &str,
    from: &KindId,
    to: &KindId,
    amount: Fen,
    account: i64,
    reason: &str,
    now: Timestamp,
) -> Result<Reallocation, AppError> {
    let mut tx = db.begin_write().await?;
    let (running, version) = running(&mut tx, id).await?;
    let accounts = accounts(&mut tx, db, id).await?;
    let (revised, revision) = revision::reallocate(&running, &accounts, from, to, amount, now.china_date())
        .map_err(|why| {
        let code = match why {
            ReallocationRefusal::TooLittleLeft => ErrorCode::SoldOut,
            ReallocationRefusal::Kinds | ReallocationRefusal::Amount => ErrorCode::InvalidRequest,
        };
        AppError::new(code, why.to_string())
    })?;
    apply_moves(&mut tx, id, &revision).await?;
    let by = By::Account(account);
    if !write_version(
        &mut tx,
        &revised,
        version + 1,
        None,
        &revision.changes,
        reason,
        by,
        now,
    )
    .await?
    {
        let _ = tx.rollback().await;
        return Err(revised_meanwhile(id, version + 1));
    }
    let row = sqlx::query(
        "INSERT INTO reallocations (at, campaign, from_kind, to_kind, amount, account_id, reason, version) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(now.millis())
    .bind(id)
    .bind(from.as_str())
    .bind(to.as_str())
    .bind(amount.0)
    .bind(account)
    .bind(reason)
    .bind(version + 1)
    .fetch_one(&mut *tx)
    .await?;
    let made: i64 = col(&row, "id")?;
    tx.commit().await?;
    Ok(Reallocation {
        id: made,
        at: now,
        from_kind: from.clone(),
        to_kind: to.clone(),
        amount,
        reason: reason.to_owned(),
    })
}

/// The first releases of every round `changes` adds or schedules.
fn releases(revised: &Campaign, changes: &[Change]) -> Vec<RoundRelease> {
    let mut rounds: Vec<u32> = changes
        .iter()
        .filter_map(|c| match c {
            Change::RoundAdded { round, .. }
            | Change::RoundDates { round, .. }
            | Change::RoundQuota { round, .. } => Some(*round),
            _ => None,
        })
        .collect();
    rounds.dedup();
    let mut out = Vec::new();
    for n in rounds {
        let Some(r) = revised.rounds.iter().find(|r| r.number == n) else {
            continue;
        };
        let (Some(starts), Some(ends)) = (r.starts, r.ends) else {
            continue;
        };
        for (kind, per_day) in revision::first_releases(revised, r) {
            out.push(RoundRelease {
                round: n,
                kind,
                starts,
                days: starts.days_until(ends) + 1,
                per_day,
            });
        }
    }
    out
}

fn read_view(row: &AnyRow) -> Result<RevisionView, DbError> {
    let campaign: String = col(row, "campaign")?;
    let version: i64 = col(row, "version")?;
    let changes: Vec<Change> = serde_json::from_str(&col::<String>(row, "changes")?)
        .map_err(|e| DbError(format!("campaign {campaign} version {version}'s changes: {e}")))?;
    let account: Option<i64> = col(row, "account_id")?;
    let by = match (
        account,
        shown_name(col(row, "display_name")?, col(row, "username")?),
    ) {
        (Some(_), Some(name)) => name,
        (Some(a), None) => format!("account {a}"),
        (None, _) if version == 1 => "seed".into(),
        (None, _) => "command line".into(),
    };
    let revised = read_body(&campaign, version, &col::<String>(row, "body")?)?;
    Ok(RevisionView {
        releases: releases(&revised, &changes),
        campaign: CampaignId(campaign),
        version,
        applied: true,
        at: Some(Timestamp(col(row, "at")?)),
        by: Some(by),
        reason: col(row, "reason")?,
        changes,
    })
}

const VIEW: &str = "SELECT v.campaign, v.version, v.body, v.changes, v.reason, v.at, v.account_id, \
     a.display_name, a.username \
     FROM campaign_versions v LEFT JOIN accounts a ON a.id = v.account_id";

/// Every version of `campaign`, newest first.
pub async fn list(db: &Db, campaign: &str) -> Result<Vec<RevisionView>, DbError> {
    let rows = sqlx::query(&format!("{VIEW} WHERE v.campaign = $1 ORDER BY v.version DESC"))
        .bind(campaign)
        .fetch_all(&db.pool)
        .await?;
    rows.iter().map(read_view).collect()
}

/// Version `version` of `campaign`, if there is one.
pub async fn one(db: &Db, campaign: &str, version: i64) -> Result<Option<RevisionView>, DbError> {
    let row = sqlx::query(&format!("{VIEW} WHERE v.campaign = $1 AND v.version = $2"))
        .bind(campaign)
        .bind(version)
        .fetch_optional(&db.pool)
        .await?;
    row.map(|r| read_view(&r)).transpose()
}
