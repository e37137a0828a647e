//! 预约抽签 in the store: each campaign day's seed, committed when its sign-up opens and revealed
//! at the draw; the residents' sign-ups; and the draw itself, which grants the day's coupons in
//! the draw's order through the claim path ([`claims::decide_in`]), so every rule of a claim —
//! limits, pauses, the day's release — holds for it too.
//!
//! A draw is made once: the transaction that sets its `drawn_at` makes it, and on PostgreSQL
//! any other instance's attempt finds it made.

use std::time::Duration;

use quan_core::api::{ClaimRequest, DrawView, SignUpOutcome, SignUpView};
use quan_core::campaign::{Campaign, Release};
use quan_core::draw::{self, Seed};
use quan_core::pause::stopping_issue;
use quan_core::rules::{check_sign_up, Usage};
use quan_core::{ChinaDate, CouponId, ErrorCode, ResidentId, Timestamp};
use rand::RngCore;

use super::claims::{self, refusal, Claim, Claimed};
use super::pauses;
use super::slots::Held;
use crate::campaigns::{Campaigns, Live};
use crate::clock::Clock;
use crate::db::{col, Db, DbError, Tx};
use crate::error::AppError;

/// Sign-ups a resident's list shows at most (the newest).
const MY_SIGN_UPS: i64 = 200;

/// The day's draw row, made now (its seed chosen, its commitment published) if it is not yet.
async fn commit(tx: &mut Tx, campaign: &str, day: ChinaDate, now: Timestamp) -> Result<(), DbError> {
    let mut seed: Seed = [0; 32];
    rand::rngs::OsRng.fill_bytes(&mut seed);
    sqlx::query(
        "INSERT INTO draws (campaign, day, seed, commitment, committed_at) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (campaign, day) DO NOTHING",
    )
    .bind(campaign)
    .bind(day.to_string())
    .bind(draw::hex(&seed))
    .bind(draw::commitment(&seed))
    .bind(now.millis())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// A ticket: 16 hex digits, random, the sign-up's pseudonym on the published list.
fn ticket() -> String {
    let mut bytes = [0u8; 8];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    draw::hex(&bytes)
}

/// Signs `resident` up for today's draw of the denomination `request` names, and whether this
/// call made the sign-up: the same sign-up again (a retry) answers the first one; another
/// denomination of a kind already signed up for today is refused.
pub async fn sign_up(
    db: &Db,
    campaigns: &Campaigns,
    resident: ResidentId,
    request: &ClaimRequest,
    now: Timestamp,
) -> Result<(SignUpView, bool), AppError> {
    let (campaign, kind) = campaigns
        .kind(request.campaign.as_str(), request.kind.as_str())
        .ok_or_else(|| AppError::new(ErrorCode::NotFound, "no such campaign or coupon kind"))?;
    let date = now.china_date();
    let mut tx = db.begin_write().await?;
    let live = pauses::live(&mut *tx, campaign.id.as_str()).await?;
    if let Some(p) = stopping_issue(&live, &kind.id) {
        return Err(AppError::new(ErrorCode::ClaimsPaused, p.reason.clone()));
    }
    let usage = match campaign.round_on(date) {
        Some(round) => Held::read(&mut tx, resident, campaign.id.as_str(), kind.id.as_str())
            .await?
            .usage(request.denomination, round.number, date),
        None => Usage::default(),
    };
    check_sign_up(campaign, kind, request.denomination, usage, now).map_err(refusal)?;
    commit(&mut tx, campaign.id.as_str(), date, now).await?;
    let ticket = ticket();
    let made = sqlx::query(
        "INSERT INTO sign_ups (campaign, kind, day, resident_id, denomination, ticket, signed_up_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (campaign, kind, day, resident_id) DO NOTHING",
    )
    .bind(campaign.id.as_str())
    .bind(kind.id.as_str())
    .bind(date.to_string())
    .bind(resident.0)
    .bind(i64::try_from(request.denomination).unwrap_or(i64::MAX))
    .bind(&ticket)
    .bind(now.millis())
    .execute(&mut *tx)
    .await?;
    if made.rows_affected() == 0 {
        let first = sqlx::query(
            "SELECT denomination, ticket, signed_up_at FROM sign_ups \
             WHERE campaign = $1 AND kind = $2 AND day = $3 AND resident_id = $4",
        )
        .bind(campaign.id.as_str())
        .bind(kind.id.as_str())
        .bind(date.to_string())
        .bind(resident.0)
        .fetch_one(&mut *tx)
        .await?;
        let denomination = usize::try_from(col::<i64>(&first, "denomination")?).ok();
        if denomination != Some(request.denomination) {
            return Err(AppError::new(
                ErrorCode::AlreadySignedUp,
                "one sign-up a kind a day: this resident has signed up for another denomination of this kind today",
            ));
        }
        let (ticket, at) = (col(&first, "ticket")?, Timestamp(col(&first, "signed_up_at")?));
        return Ok((waiting(campaign, request, date, ticket, at), false));
    }
    tx.commit().await?;
    Ok((waiting(campaign, request, date, ticket, now), true))
}

/// A sign-up of `date` for what `request` names, made at `at` under `ticket`, before its draw.
fn waiting(
    campaign: &Campaign,
    request: &ClaimRequest,
    date: ChinaDate,
    ticket: String,
    at: Timestamp,
) -> SignUpView {
    SignUpView {
        campaign: campaign.id.clone(),
        kind: request.kind.clone(),
        denomination: request.denomination,
        day: date,
        ticket,
        signed_up_at: at,
        draw_at: campaign.release_at(date),
        outcome: SignUpOutcome::Waiting,
        place: None,
        coupon: None,
        refusal: None,
    }
}

/// A stored outcome, as the API says it.
fn outcome(text: Option<&str>) -> (SignUpOutcome, Option<ErrorCode>) {
    match text {
        None => (SignUpOutcome::Waiting, None),
        Some("won") => (SignUpOutcome::Won, None),
        Some("not_drawn") => (SignUpOutcome::NotDrawn, None),
        Some("missed") => (SignUpOutcome::Missed, None),
        Some(code) => (
            SignUpOutcome::Refused,
            Some(
                ErrorCode::ALL
                    .into_iter()
                    .find(|c| c.as_str() == code)
                    .unwrap_or(ErrorCode::InvalidRequest),
            ),
        ),
    }
}

/// The resident's sign-ups, newest first.
pub async fn mine(db: &Db, campaigns: &Campaigns, resident: ResidentId) -> Result<Vec<SignUpView>, DbError> {
    let rows = sqlx::query(
        "SELECT campaign, kind, day, denomination, ticket, signed_up_at, place, outcome, coupon_id FROM sign_ups \
         WHERE resident_id = $1 ORDER BY day DESC, id DESC LIMIT $2",
    )
    .bind(resident.0)
    .bind(MY_SIGN_UPS)
    .fetch_all(&db.pool)
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in &rows {
        let campaign: String = col(row, "campaign")?;
        let day_text: String = col(row, "day")?;
        let day = ChinaDate::parse(&day_text).map_err(|e| DbError(format!("a sign-up's day: {e}")))?;
        let stored: Option<String> = col(row, "outcome")?;
        let (outcome, refusal) = outcome(stored.as_deref());
        let release = campaigns
            .get(&campaign)
            .map_or(day.start(), |c| c.release_at(day));
        out.push(SignUpView {
            campaign: campaign.as_str().into(),
            kind: col::<String>(row, "kind")?.as_str().into(),
            denomination: usize::try_from(col::<i64>(row, "denomination")?).unwrap_or(0),
            day,
            ticket: col(row, "ticket")?,
            signed_up_at: Timestamp(col(row, "signed_up_at")?),
            draw_at: release,
            outcome,
            place: col::<Option<i64>>(row, "place")?.and_then(|p| u32::try_from(p).ok()),
            coupon: col::<Option<i64>>(row, "coupon_id")?.map(CouponId),
            refusal,
        });
    }
    Ok(out)
}

/// Makes `campaign`'s draw of `day` at `now`, unless it has been made. Whether this call made it.
pub async fn draw(
    db: &Db,
    campaigns: &Campaigns,
    coupon_master: &[u8],
    campaign: &Campaign,
    day: ChinaDate,
    now: Timestamp,
) -> Result<bool, DbError> {
    let mut tx = db.begin_write().await?;
    commit(&mut tx, campaign.id.as_str(), day, now).await?;
    let taken =
        sqlx::query("UPDATE draws SET drawn_at = $1 WHERE campaign = $2 AND day = $3 AND drawn_at IS NULL")
            .bind(now.millis())
            .bind(campaign.id.as_str())
            .bind(day.to_string())
            .execute(&mut *tx)
            .await?;
    if taken.rows_affected() == 0 {
        return Ok(false);
    }
    let row = sqlx::query("SELECT seed FROM draws WHERE campaign = $1 AND day = $2")
        .bind(campaign.id.as_str())
        .bind(day.to_string())
        .fetch_one(&mut *tx)
        .await?;
    let seed_text: String = col(&row, "seed")?;
    let seed =
        draw::parse_seed(&seed_text).ok_or_else(|| DbError("a draw's seed is not 64 hex digits".into()))?;
    let rows = sqlx::query(
        "SELECT id, kind, resident_id, denomination, ticket FROM sign_ups WHERE campaign = $1 AND day = $2",
    )
    .bind(campaign.id.as_str())
    .bind(day.to_string())
    .fetch_all(&mut *tx)
    .await?;
    let (mut ids, mut tickets, mut claims) = (Vec::new(), Vec::new(), Vec::new());
    for row in &rows {
        ids.push(col::<i64>(row, "id")?);
        tickets.push(col::<String>(row, "ticket")?);
        claims.push(Some(Claim {
            resident: ResidentId(col(row, "resident_id")?),
            request: ClaimRequest {
                campaign: campaign.id.clone(),
                kind: col::<String>(row, "kind")?.as_str().into(),
                denomination: usize::try_from(col::<i64>(row, "denomination")?).unwrap_or(usize::MAX),
            },
            idem: None,
        }));
    }
    // The sign-ups in the draw's order (a permutation of them all).
    let order = draw::order(&seed, &tickets);
    let ordered: Vec<Claim> = order
        .iter()
        .filter_map(|&i| claims.get_mut(i).and_then(Option::take))
        .collect();
    let (results, _) = claims::decide_in(
        &mut tx,
        db,
        campaigns,
        coupon_master,
        &ordered,
        now,
        Release::Draw,
    )
    .await?;
    let outcomes: Vec<(i64, i64, &str, Option<i64>)> = order
        .iter()
        .filter_map(|&i| ids.get(i).copied())
        .zip(results)
        .enumerate()
        .map(|(place, (id, result))| {
            let (outcome, coupon) = match result {
                Ok(Claimed::New(view)) => ("won", Some(view.id.0)),
                Ok(Claimed::Replay { .. }) => ("won", None),
                Err(e) if e.code == ErrorCode::SoldOut => ("not_drawn", None),
                Err(e) => (e.code.as_str(), None),
            };
            (id, i64::try_from(place + 1).unwrap_or(i64::MAX), outcome, coupon)
        })
        .collect();
    record_outcomes(&mut tx, db, &outcomes).await?;
    tx.commit().await?;
    tracing::info!(campaign = %campaign.id, %day, sign_ups = ordered.len(), "draw made");
    Ok(true)
}

/// Sign-ups whose outcomes one statement records.
const OUTCOMES_PER_UPDATE: usize = 500;

/// Records each sign-up's place and outcome (and coupon, if won): `(id, place, outcome, coupon)`,
/// a few hundred to a statement.
async fn record_outcomes(
    tx: &mut Tx,
    db: &Db,
    outcomes: &[(i64, i64, &str, Option<i64>)],
) -> Result<(), DbError> {
    for chunk in outcomes.chunks(OUTCOMES_PER_UPDATE) {
        // Typed in the VALUES, since a column of NULLs tells PostgreSQL nothing of its type.
        let d = db.dialect;
        let rows: Vec<String> = (0..chunk.len())
            .map(|r| {
                let p = |c: usize| d.param(r * 4 + c + 1);
                format!(
                    "(CAST({} AS BIGINT), CAST({} AS BIGINT), CAST({} AS TEXT), CAST({} AS BIGINT))",
                    p(0),
                    p(1),
                    p(2),
                    p(3)
                )
            })
            .collect();
        let q = format!(
            "WITH v (id, place, outcome, coupon) AS (VALUES {}) \
             UPDATE sign_ups SET place = v.place, outcome = v.outcome, coupon_id = v.coupon FROM v \
             WHERE sign_ups.id = v.id",
            rows.join(", ")
        );
        let mut query = sqlx::query(&q);
        for (id, place, outcome, coupon) in chunk {
            query = query.bind(*id).bind(*place).bind(*outcome).bind(*coupon);
        }
        let done = query.execute(&mut **tx).await?;
        if done.rows_affected() != chunk.len() as u64 {
            return Err(DbError(format!(
                "{} of {} sign-ups' outcomes recorded",
                done.rows_affected(),
                chunk.len()
            )));
        }
    }
    Ok(())
}

/// What is due at `now` of every campaign's draws: earlier days never drawn closed as missed,
/// today's seed committed once its sign-up has opened, and today's draw made once its release
/// time has come. A campaign whose draw fails is
/// logged and tried again next time; the others go on.
pub async fn due(db: &Db, campaigns: &Campaigns, coupon_master: &[u8], now: Timestamp) {
    for campaign in campaigns.iter() {
        if let Err(e) = due_of(db, campaigns, coupon_master, campaign, now).await {
            tracing::error!(campaign = %campaign.id, error = %e, "a draw failed; it will be tried again");
        }
    }
}

async fn due_of(
    db: &Db,
    campaigns: &Campaigns,
    coupon_master: &[u8],
    campaign: &Campaign,
    now: Timestamp,
) -> Result<(), DbError> {
    // A campaign that gives nothing out by draw has nothing here: no query at all.
    if campaign.rounds.iter().all(|r| r.release != Release::Draw) {
        return Ok(());
    }
    let day = now.china_date();
    close_missed(db, campaign.id.as_str(), day).await?;
    let Some(window) = campaign
        .round_on(day)
        .filter(|r| r.release == Release::Draw)
        .and_then(|r| r.sign_up)
    else {
        return Ok(());
    };
    if now < day.at(window.opens) {
        return Ok(());
    }
    let row = sqlx::query("SELECT drawn_at FROM draws WHERE campaign = $1 AND day = $2")
        .bind(campaign.id.as_str())
        .bind(day.to_string())
        .fetch_optional(&db.pool)
        .await?;
    let drawn = match &row {
        Some(r) => col::<Option<i64>>(r, "drawn_at")?.is_some(),
        None => false,
    };
    if drawn {
        return Ok(());
    }
    if now >= campaign.release_at(day) {
        draw(db, campaigns, coupon_master, campaign, day, now).await?;
    } else if row.is_none() {
        let mut tx = db.begin_write().await?;
        commit(&mut tx, campaign.id.as_str(), day, now).await?;
        tx.commit().await?;
    }
    Ok(())
}

/// Sign-ups of days before `today` whose draw was never made, because no instance ran from its
/// release time to midnight: `missed`, since that day's coupons could no longer be used. Read
/// first, so a tick with nothing to close writes nothing. (A draw racing this at midnight wins:
/// only sign-ups still without an outcome are closed.)
async fn close_missed(db: &Db, campaign: &str, today: ChinaDate) -> Result<(), DbError> {
    let today = today.to_string();
    let waiting = sqlx::query(
        "SELECT 1 AS one FROM sign_ups WHERE campaign = $1 AND day < $2 AND outcome IS NULL LIMIT 1",
    )
    .bind(campaign)
    .bind(&today)
    .fetch_optional(&db.pool)
    .await?;
    if waiting.is_none() {
        return Ok(());
    }
    let mut tx = db.begin_write().await?;
    let closed = sqlx::query(
        "UPDATE sign_ups SET outcome = 'missed' WHERE campaign = $1 AND day < $2 AND outcome IS NULL",
    )
    .bind(campaign)
    .bind(&today)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    tracing::warn!(
        campaign,
        sign_ups = closed.rows_affected(),
        "sign-ups of a day whose draw was never made are closed as missed"
    );
    Ok(())
}

/// Runs [`due`] every second, for as long as the server runs.
pub fn start(db: Db, campaigns: Live, coupon_master: Vec<u8>, clock: Clock) {
    tokio::spawn(async move {
        loop {
            let live = campaigns.now();
            due(&db, &live, &coupon_master, clock.now()).await;
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
    });
}

/// Every day's draw of `campaign`, oldest first, as anyone may check it.
pub async fn days(db: &Db, campaign: &str) -> Result<Vec<DrawView>, DbError> {
    let rows = sqlx::query(
        "SELECT d.day, d.seed, d.commitment, d.committed_at, d.drawn_at, \
         CAST((SELECT COUNT(*) FROM sign_ups s WHERE s.campaign = d.campaign AND s.day = d.day) AS BIGINT) AS sign_ups, \
         CAST((SELECT COUNT(*) FROM sign_ups s WHERE s.campaign = d.campaign AND s.day = d.day AND s.outcome = 'won') AS BIGINT) AS winners \
         FROM draws d WHERE d.campaign = $1 ORDER BY d.day",
    )
    .bind(campaign)
    .fetch_all(&db.pool)
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in &rows {
        let day_text: String = col(row, "day")?;
        let day = ChinaDate::parse(&day_text).map_err(|e| DbError(format!("a draw's day: {e}")))?;
        let drawn_at = col::<Option<i64>>(row, "drawn_at")?.map(Timestamp);
        out.push(DrawView {
            day,
            commitment: col(row, "commitment")?,
            committed_at: Timestamp(col(row, "committed_at")?),
            // The seed stays secret until the draw is made.
            seed: if drawn_at.is_some() {
                Some(col(row, "seed")?)
            } else {
                None
            },
            drawn_at,
            sign_ups: u64::try_from(col::<i64>(row, "sign_ups")?).unwrap_or(0),
            winners: u64::try_from(col::<i64>(row, "winners")?).unwrap_or(0),
        });
    }
    Ok(out)
}

/// One line of a day's published list.
pub struct ListedSignUp {
    pub ticket: String,
    pub kind: String,
    pub denomination: i64,
    pub place: Option<i64>,
    pub outcome: Option<String>,
}

/// The day's sign-ups under their tickets, in the draw's order once it is made.
pub async fn list(db: &Db, campaign: &str, day: ChinaDate) -> Result<Vec<ListedSignUp>, DbError> {
    let rows = sqlx::query(
        "SELECT ticket, kind, denomination, place, outcome FROM sign_ups WHERE campaign = $1 AND day = $2 \
         ORDER BY place, ticket",
    )
    .bind(campaign)
    .bind(day.to_string())
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(ListedSignUp {
                ticket: col(row, "ticket")?,
                kind: col(row, "kind")?,
                denomination: col(row, "denomination")?,
                place: col(row, "place")?,
                outcome: col(row, "outcome")?,
            })
        })
        .collect()
}
