//! Claims, batched: the 10:00 rush is thousands of claims in the same second against one pool.
//!
//! Claims wait in a queue; one task takes whatever has gathered (up to [`MAX_BATCH`]) and decides
//! them all in one write transaction — limits, pool, coupons, records — then commits once and
//! answers each. A claim is acknowledged only after the commit that carries it is durable
//! (group commit). The pool's counters are updated once per batch, so the hot row is written a
//! few hundred times a second rather than once per claim.
//!
//! Per-resident limits are enforced by the database: every claim takes a numbered slot in each
//! scope that limits it, and `limit_slots`' primary key lets a slot be taken once.
//!
//! On PostgreSQL, several instances run their own batchers; the day's release row is locked
//! (`FOR UPDATE`) by each batch that claims from it, so their batches take turns on that kind.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

use quan_core::api::{ClaimRequest, CouponView};
use quan_core::campaign::{Campaign, Issuance, Kind, Release};
use quan_core::pause::stopping_issue;
use quan_core::report::LedgerEvent;
use quan_core::rules::{
    check_claim, check_release, claim_delta, daily_release, ClaimRefusal, CouponStatus, Usage,
};
use quan_core::slots::LimitScope;
use quan_core::{ChinaDate, CouponId, ErrorCode, Fen, ResidentId, Timestamp};
use tokio::sync::{mpsc, oneshot};

use super::coupons::{status_str, CouponRow};
use super::idempotency::{self, IdemKey, Prior};
use super::{pauses, pools, sweep};
use crate::campaigns::{Campaigns, Live};
use crate::clock::Clock;
use crate::db::{bind_rows, col, Db, DbError, Dialect, Json, Tx};
use crate::error::AppError;

/// The most claims decided in one transaction.
pub const MAX_BATCH: usize = 512;
/// Claims waiting beyond this are refused at once as "busy, retry" rather than queued for long.
const QUEUE: usize = 20_000;

/// The columns of the batch statements ([`Dialect::rows`]).
const COUPON_ROWS: &[(&str, Json)] = &[
    ("campaign", Json::Text),
    ("kind", Json::Text),
    ("denomination", Json::Int),
    ("round", Json::Int),
    ("resident_id", Json::Int),
    ("source", Json::Text),
    ("day", Json::Text),
    ("value", Json::Int),
    ("threshold", Json::Int),
    ("rate_bp", Json::Int),
    ("status", Json::Text),
    ("given", Json::Int),
    ("claimed_at", Json::Int),
    ("expires_at", Json::Int),
];
const SLOT_ROWS: &[(&str, Json)] = &[
    ("resident_id", Json::Int),
    ("campaign", Json::Text),
    ("kind", Json::Text),
    ("scope", Json::Text),
    ("slot", Json::Int),
    ("coupon_id", Json::Int),
];
const LEDGER_ROWS: &[(&str, Json)] = &[
    ("at", Json::Int),
    ("event", Json::Text),
    ("campaign", Json::Text),
    ("kind", Json::Text),
    ("round", Json::Int),
    ("coupon_id", Json::Int),
    ("resident_id", Json::Int),
    ("amount", Json::Int),
];
const RESIDENT_ROWS: &[(&str, Json)] = &[("resident_id", Json::Int)];

/// What a claim came to.
#[derive(Debug)]
pub enum Claimed {
    New(Box<CouponView>),
    /// A retry with a known Idempotency-Key: the first answer, again.
    Replay {
        status: u16,
        body: String,
    },
}

pub type ClaimResult = Result<Claimed, AppError>;

/// One claim: whose, of what, and its Idempotency-Key if it came with one.
pub struct Claim {
    pub resident: ResidentId,
    pub request: ClaimRequest,
    pub idem: Option<IdemKey>,
}

struct Pending {
    claim: Claim,
    reply: oneshot::Sender<ClaimResult>,
}

type DayKey = (String, String, ChinaDate);

/// The queue in front of the batcher, and what it has learnt about sold-out days.
#[derive(Clone)]
pub struct Claims {
    queue: mpsc::Sender<Pending>,
    /// What was left of a day's release after the last batch: it only ever shrinks, so a claim
    /// worth more than this is refused without touching the database.
    left: Arc<Mutex<HashMap<DayKey, Fen>>>,
    campaigns: Live,
    clock: Clock,
    /// Claims waiting beyond which new ones are asked to come back ([`Config::claim_queue_busy`]).
    ///
    /// [`Config::claim_queue_busy`]: crate::config::Config::claim_queue_busy
    busy_depth: usize,
}

/// The wait asked of a claim when the queue is deep: a second for every 2,000 claims ahead of
/// it (what one instance decides in well under a second on SQLite or PostgreSQL), 2 to 30 s.
fn queue_wait(depth: usize) -> u32 {
    u32::try_from(depth / 2_000).unwrap_or(u32::MAX).clamp(2, 30)
}

impl Claims {
    /// Starts the batcher: on a thread of its own, with a runtime and database connections of
    /// its own, so that a batch's round trips do not wait their turn behind the requests the
    /// instance is serving (on two cores this halved a batch's time on PostgreSQL); on the
    /// caller's runtime, with `db`, if a thread or connections cannot be had.
    pub fn start(db: Db, campaigns: Live, coupon_master: Vec<u8>, clock: Clock, busy_depth: usize) -> Claims {
        let (tx, rx) = mpsc::channel(QUEUE);
        let left = Arc::new(Mutex::new(HashMap::new()));
        let batcher = Batcher {
            db,
            campaigns: campaigns.clone(),
            coupon_master,
            clock: clock.clone(),
            left: left.clone(),
        };
        // Handed to the thread through a slot, so that they are still here if no thread starts.
        let parts = Arc::new(Mutex::new(Some((batcher, rx))));
        let handed = parts.clone();
        let server = tokio::runtime::Handle::try_current().ok();
        let spawned = std::thread::Builder::new()
            .name("quan-claims".into())
            .spawn(move || {
                let Some((batcher, rx)) = handed.lock().ok().and_then(|mut p| p.take()) else {
                    return;
                };
                match tokio::runtime::Builder::new_current_thread().enable_all().build() {
                    Ok(runtime) => runtime.block_on(batcher.run_on_own_connections(rx)),
                    Err(e) => {
                        tracing::warn!(error = %e, "the claim batcher runs on the server's runtime");
                        if let Some(server) = server {
                            server.spawn(batcher.run(rx));
                        }
                    }
                }
            });
        if let Err(e) = spawned {
            tracing::warn!(error = %e, "the claim batcher runs on the server's runtime");
            if let Some((batcher, rx)) = parts.lock().ok().and_then(|mut p| p.take()) {
                tokio::spawn(batcher.run(rx));
            }
        }
        Claims {
            queue: tx,
            left,
            campaigns,
            clock,
            busy_depth,
        }
    }

    /// Claims a coupon for `resident`.
    pub async fn claim(
        &self,
        resident: ResidentId,
        request: ClaimRequest,
        idem: Option<IdemKey>,
    ) -> ClaimResult {
        let campaigns = self.campaigns.now();
        let (campaign, kind) = campaigns
            .kind(request.campaign.as_str(), request.kind.as_str())
            .ok_or_else(|| AppError::new(ErrorCode::NotFound, "no such campaign or coupon kind"))?;
        let benefit = kind
            .benefit(request.denomination)
            .ok_or_else(|| AppError::new(ErrorCode::InvalidRequest, "no such denomination in this kind"))?;
        let now = self.clock.now();
        // Everything that does not depend on stored data is decided here, without queueing.
        if let Err(r) = check_claim(
            campaign,
            kind,
            request.denomination,
            Usage::default(),
            Fen(i64::MAX),
            now,
        ) {
            return Err(refusal(r));
        }
        // A claim with an Idempotency-Key may be the retry of one granted before: the batcher,
        // which looks its batch's keys up in one query, answers it.
        if idem.is_none() {
            let key = (campaign.id.0.clone(), kind.id.0.clone(), now.china_date());
            let known = self.left.lock().ok().and_then(|m| m.get(&key).copied());
            if known.is_some_and(|left| benefit.face_value().is_some_and(|v| left < v)) {
                return Err(refusal(ClaimRefusal::SoldOut));
            }
        }
        // The overload switches: the bureau's, then the queue's own depth. Either way the claim
        // is asked to come back, and the page counts down to its next try.
        self.campaigns.hold(campaign.id.as_str())?;
        let depth = QUEUE.saturating_sub(self.queue.capacity());
        if depth >= self.busy_depth {
            let secs = queue_wait(depth);
            return Err(AppError::unavailable(
                secs,
                format!("{depth} claims are waiting: try again in {secs} seconds"),
            ));
        }
        let (reply, answer) = oneshot::channel();
        let pending = Pending {
            claim: Claim {
                resident,
                request,
                idem,
            },
            reply,
        };
        self.queue.try_send(pending).map_err(|_| AppError {
            code: ErrorCode::Unavailable,
            detail: Some("too many claims are waiting; trying again shortly will work".into()),
            retry_after: Some(1),
        })?;
        answer
            .await
            .map_err(|_| AppError::internal("the claim batcher stopped"))?
    }
}

/// The error a refusal is answered with, with words for the log and the developer.
pub fn refusal(r: ClaimRefusal) -> AppError {
    let detail = match r {
        ClaimRefusal::NotStarted { opens_at: Some(t) } => {
            format!("opens at {} China time", t.china_display())
        }
        ClaimRefusal::NotStarted { opens_at: None } => "the next round's dates are still to be set".into(),
        ClaimRefusal::Ended => "the campaign is over".into(),
        ClaimRefusal::SoldOut => "today's release is gone; the next is tomorrow at the release time".into(),
        ClaimRefusal::LimitReached(l) => {
            format!("limit reached: {}", serde_json::to_string(&l).unwrap_or_default())
        }
        ClaimRefusal::NotClaimable => "this kind is not claimed by residents".into(),
        ClaimRefusal::ByDraw => {
            "today's coupons of this kind are drawn among those who sign up before the release time".into()
        }
        ClaimRefusal::NotByDraw => {
            "today's coupons of this kind are claimed first come; there is no draw to sign up for".into()
        }
        ClaimRefusal::SignUpClosed => "today's sign-up for the draw has closed".into(),
    };
    AppError::new(r.code(), detail)
}

struct Batcher {
    db: Db,
    campaigns: Live,
    coupon_master: Vec<u8>,
    clock: Clock,
    left: Arc<Mutex<HashMap<DayKey, Fen>>>,
}

impl Batcher {
    /// Runs with connections opened on the runtime that runs it (one batch's transaction, and
    /// one to spare), or with the server's pool if they cannot be opened.
    async fn run_on_own_connections(self, rx: mpsc::Receiver<Pending>) {
        match self.db.another(2).await {
            Ok(db) => Batcher { db, ..self }.run(rx).await,
            Err(e) => {
                tracing::warn!(error = %e, "the claim batcher uses the server's connections");
                self.run(rx).await;
            }
        }
    }

    async fn run(self, mut rx: mpsc::Receiver<Pending>) {
        while let Some(first) = rx.recv().await {
            let mut batch = vec![first];
            while batch.len() < MAX_BATCH {
                match rx.try_recv() {
                    Ok(p) => batch.push(p),
                    Err(_) => break,
                }
            }
            let now = self.clock.now();
            let (claims, replies): (Vec<Claim>, Vec<_>) =
                batch.into_iter().map(|p| (p.claim, p.reply)).unzip();
            match self.decide(&claims, now).await {
                Ok((results, left)) => {
                    if let Ok(mut m) = self.left.lock() {
                        m.extend(left);
                    }
                    for (reply, r) in replies.into_iter().zip(results) {
                        let _ = reply.send(r);
                    }
                }
                Err(e) => {
                    tracing::error!(error = %e, claims = claims.len(), "claim batch failed; nothing was claimed");
                    for reply in replies {
                        let _ = reply.send(Err(AppError {
                            code: ErrorCode::Unavailable,
                            detail: Some(
                                "the claim could not be recorded; nothing was claimed, try again".into(),
                            ),
                            retry_after: Some(1),
                        }));
                    }
                }
            }
        }
    }

    /// Decides a batch of claims in one transaction (see [`decide_in`]). Every claim's answer,
    /// and what is left of each day's release it touched.
    async fn decide(
        &self,
        batch: &[Claim],
        now: Timestamp,
    ) -> Result<(Vec<ClaimResult>, Vec<(DayKey, Fen)>), DbError> {
        let date = now.china_date();
        // One snapshot of the campaigns for the whole batch.
        let campaigns = self.campaigns.now();
        let mut tx = self.db.begin_write().await?;
        let (results, days) = decide_in(
            &mut tx,
            &self.db,
            &campaigns,
            &self.coupon_master,
            batch,
            now,
            Release::Rush,
        )
        .await?;
        tx.commit().await?;
        let left = days
            .into_iter()
            .map(|((c, k), d)| ((c, k, date), d.released - d.claimed))
            .collect();
        Ok((results, left))
    }
}

/// Decides `batch` inside `tx`, in the batch's order: each claim refused, replayed, or granted
/// by the rules of the day's release (`how`: a resident's claim first come, or the draw's grant
/// to one it drew). Every claim's answer, and each day's release it touched as it now stands.
///
/// Round trips are per batch, not per claim: one release row and one usage query per kind,
/// one look-up of the batch's Idempotency-Keys, then the rules decide every claim in memory,
/// and the batch's coupons, its keys' first answers, its slots and its ledger records are
/// written in one statement each (its rows one JSON parameter: see [`Dialect::rows`]), and the
/// counters once.
pub(crate) async fn decide_in(
    tx: &mut Tx,
    db: &Db,
    campaigns: &Campaigns,
    coupon_master: &[u8],
    batch: &[Claim],
    now: Timestamp,
    how: Release,
) -> Result<(Vec<ClaimResult>, BTreeMap<(String, String), Day>), DbError> {
    let date = now.china_date();
    // Ordered, so that the pools are written in the one order too.
    let mut days: BTreeMap<(String, String), Day> = BTreeMap::new();
    let mut counted: HashMap<SlotKey, u32> = HashMap::new();
    // Each campaign's live pauses, read once a batch.
    let mut paused: HashMap<&str, Vec<quan_core::pause::Pause>> = HashMap::new();
    // The release rows first (in one order, so instances never wait on each other in a
    // circle), then what the batch's residents already hold.
    let mut kinds: Vec<(&Campaign, &Kind)> = batch
        .iter()
        .filter_map(|p| campaigns.kind(p.request.campaign.as_str(), p.request.kind.as_str()))
        .collect();
    kinds.sort_by(|a, b| (a.0.id.as_str(), a.1.id.as_str()).cmp(&(b.0.id.as_str(), b.1.id.as_str())));
    kinds.dedup_by(|a, b| a.0.id == b.0.id && a.1.id == b.1.id);
    for (campaign, kind) in kinds {
        let Some(round) = campaign.round_on(date) else {
            continue;
        };
        let mut day = open_day(tx, db, campaign, kind, round.number, date, now).await?;
        // Read in the batch's transaction, after its first release row's lock: a pause
        // committed before then refuses the batch's claims of what it stops.
        if !paused.contains_key(campaign.id.as_str()) {
            let live = pauses::live(&mut **tx, campaign.id.as_str()).await?;
            paused.insert(campaign.id.as_str(), live);
        }
        let live = paused.get(campaign.id.as_str()).map_or(&[][..], Vec::as_slice);
        day.paused = stopping_issue(live, &kind.id).map(|p| p.reason.clone());
        days.insert((campaign.id.0.clone(), kind.id.0.clone()), day);
        let residents: Vec<i64> = batch
            .iter()
            .filter(|p| p.request.campaign == campaign.id && p.request.kind == kind.id)
            .map(|p| p.resident.0)
            .collect();
        usage_counts(tx, db.dialect, &residents, campaign, kind, &mut counted).await?;
    }
    // The slots residents held before this batch: the batch's are numbered on from these.
    let mut slots_before = counted.clone();
    let keys: Vec<&IdemKey> = batch.iter().filter_map(|p| p.idem.as_ref()).collect();
    let priors = idempotency::lookup_many(tx, db.dialect, &keys).await?;

    // The rules, in memory: each claim refused, replayed, or granted.
    let mut results: Vec<Option<ClaimResult>> = Vec::with_capacity(batch.len());
    let mut grants = Vec::new();
    for (i, p) in batch.iter().enumerate() {
        if let Some(prior) = p.idem.as_ref().and_then(|k| priors.get(&k.id()).map(|r| (k, r))) {
            let (k, first) = prior;
            results.push(Some(match first.answer(k) {
                Ok(Prior::Replay { status, body }) => Ok(Claimed::Replay { status, body }),
                Ok(Prior::None) => Err(AppError::code(ErrorCode::IdempotencyInProgress)),
                Err(e) => Err(e),
            }));
            continue;
        }
        match grant(campaigns, p, now, how, &mut days, &mut counted) {
            Ok(g) => {
                results.push(None);
                grants.push((i, g));
            }
            Err(e) => results.push(Some(Err(e))),
        }
    }

    // The granted coupons, each with its id, and its view.
    let rows = insert_coupons(tx, db.dialect, &grants, date, now).await?;
    let mut views: Vec<CouponView> = rows
        .iter()
        .map(|c| c.view(campaigns, coupon_master, now))
        .collect();
    // The first answer of each key, recorded with the coupon it gave. A key another instance
    // answered first meanwhile gives that answer instead, and this batch's coupon goes.
    let answers: Vec<(&IdemKey, String)> = grants
        .iter()
        .zip(&views)
        .filter_map(|((i, _), v)| {
            let k = batch[*i].idem.as_ref()?;
            Some((k, serde_json::to_string(v).unwrap_or_default()))
        })
        .collect();
    let taken = idempotency::record_many(tx, db.dialect, &answers, 201, now).await?;
    let mut made = Made::default();
    for (((i, g), coupon), view) in grants.into_iter().zip(&rows).zip(views.drain(..)) {
        let p = &batch[i];
        if let Some(k) = &p.idem {
            if taken.contains(&k.id()) {
                sqlx::query("DELETE FROM coupons WHERE id = $1")
                    .bind(coupon.id.0)
                    .execute(&mut **tx)
                    .await?;
                if let Some(day) = days.get_mut(&(g.campaign.clone(), g.kind.clone())) {
                    day.claimed -= g.value;
                    day.claimed_now -= g.value;
                }
                results[i] = Some(match idempotency::lookup(tx, k).await {
                    Ok(Prior::Replay { status, body }) => Ok(Claimed::Replay { status, body }),
                    Ok(Prior::None) => Err(AppError::code(ErrorCode::IdempotencyInProgress)),
                    Err(e) => Err(e),
                });
                continue;
            }
        }
        for scope in &g.scopes {
            let n = slots_before
                .entry((p.resident.0, g.campaign.clone(), g.kind.clone(), *scope))
                .or_insert(0);
            *n += 1;
            made.slots.push((
                p.resident.0,
                g.campaign.clone(),
                g.kind.clone(),
                scope.key(),
                i64::from(*n),
                coupon.id.0,
            ));
        }
        made.ledger
            .push((g.campaign, g.kind, g.round, coupon.id.0, p.resident.0, g.value.0));
        results[i] = Some(Ok(Claimed::New(Box::new(view))));
    }
    made.write(tx, db.dialect, now).await?;
    for ((campaign, kind), day) in &days {
        if day.claimed_now.is_positive() {
            sqlx::query(
                "UPDATE releases SET claimed = claimed + $1 WHERE campaign = $2 AND kind = $3 AND day = $4",
            )
            .bind(day.claimed_now.0)
            .bind(campaign)
            .bind(kind)
            .bind(date.to_string())
            .execute(&mut **tx)
            .await?;
            pools::apply(tx, campaign, kind, day.round, claim_delta(day.claimed_now)).await?;
        }
    }
    let results = results
        .into_iter()
        .map(|r| r.unwrap_or_else(|| Err(AppError::internal("a claim of the batch went undecided"))))
        .collect();
    Ok((results, days))
}

/// A claim the rules grant, before its coupon is written.
struct Grant {
    resident: i64,
    campaign: String,
    kind: String,
    denomination: i64,
    round: i64,
    value: Fen,
    threshold: i64,
    rate_bp: i64,
    expires: Timestamp,
    /// The limits it counts against.
    scopes: Vec<LimitScope>,
}

/// Decides one claim by the rules, against what the batch has seen and granted so far (which it
/// then counts too).
fn grant(
    campaigns: &Campaigns,
    p: &Claim,
    now: Timestamp,
    how: Release,
    days: &mut BTreeMap<(String, String), Day>,
    counted: &mut HashMap<SlotKey, u32>,
) -> Result<Grant, AppError> {
    let date = now.china_date();
    let Some((campaign, kind)) = campaigns.kind(p.request.campaign.as_str(), p.request.kind.as_str()) else {
        return Err(AppError::code(ErrorCode::NotFound));
    };
    let Some(round) = campaign.round_on(date) else {
        return Err(refusal(ClaimRefusal::NotStarted { opens_at: None }));
    };
    let key = (campaign.id.0.clone(), kind.id.0.clone());
    let Some(day) = days.get_mut(&key) else {
        return Err(AppError::code(ErrorCode::Internal));
    };
    if let Some(reason) = &day.paused {
        return Err(AppError::new(ErrorCode::ClaimsPaused, reason.clone()));
    }
    let den = p.request.denomination;
    let scopes = LimitScope::for_coupon(&kind.limits, den, round.number, date);
    let slot_key = |scope: LimitScope| (p.resident.0, key.0.clone(), key.1.clone(), scope);
    let mut usage = Usage::default();
    for scope in &scopes {
        let n = counted.get(&slot_key(*scope)).copied().unwrap_or(0);
        usage.count(*scope, n, den, round.number, date);
    }
    let left = day.released - day.claimed;
    let granted = check_release(campaign, kind, den, usage, left, now, how).map_err(refusal)?;
    let Some(benefit) = kind.benefit(den) else {
        return Err(AppError::code(ErrorCode::InvalidRequest));
    };
    let (threshold, rate_bp) = match benefit {
        quan_core::rules::Benefit::ThresholdOff { threshold, .. } => (threshold.0, 0i64),
        quan_core::rules::Benefit::Rate { basis_points, .. } => (0, i64::from(basis_points)),
    };
    for scope in &scopes {
        *counted.entry(slot_key(*scope)).or_insert(0) += 1;
    }
    day.claimed += granted.value;
    day.claimed_now += granted.value;
    Ok(Grant {
        resident: p.resident.0,
        campaign: key.0,
        kind: key.1,
        denomination: i64::try_from(den).unwrap_or(0),
        round: i64::from(granted.round),
        value: granted.value,
        threshold,
        rate_bp,
        expires: granted.expires,
        scopes,
    })
}

/// Writes the granted coupons in one statement; each one's row, in `grants`' order.
async fn insert_coupons(
    tx: &mut Tx,
    dialect: Dialect,
    grants: &[(usize, Grant)],
    date: ChinaDate,
    now: Timestamp,
) -> Result<Vec<CouponRow>, DbError> {
    if grants.is_empty() {
        return Ok(Vec::new());
    }
    let day = date.to_string();
    let q = format!(
        "{} RETURNING id, resident_id",
        dialect.insert_rows("coupons", COUPON_ROWS)
    );
    // Each coupon as it will be stored (its id still to come), and so as it is written.
    let mut coupons: Vec<CouponRow> = grants
        .iter()
        .map(|(_, g)| CouponRow {
            id: CouponId(0),
            campaign: g.campaign.clone(),
            kind: g.kind.clone(),
            denomination: g.denomination,
            round: g.round,
            resident_id: g.resident,
            source: Issuance::Claim,
            value: g.value,
            threshold: Fen(g.threshold),
            rate_bp: g.rate_bp,
            status: CouponStatus::Held,
            given: Fen::ZERO,
            claimed_at: now,
            expires_at: g.expires,
            merchant: None,
        })
        .collect();
    let rows: Vec<_> = coupons
        .iter()
        .map(|c| {
            (
                c.campaign.as_str(),
                c.kind.as_str(),
                c.denomination,
                c.round,
                c.resident_id,
                c.source.as_str(),
                day.as_str(),
                c.value.0,
                c.threshold.0,
                c.rate_bp,
                status_str(c.status),
                c.given.0,
                c.claimed_at.millis(),
                c.expires_at.millis(),
            )
        })
        .collect();
    let mut written: Vec<(i64, i64)> = Vec::with_capacity(coupons.len());
    for row in bind_rows(sqlx::query(&q), &rows)?.fetch_all(&mut **tx).await? {
        written.push((col(&row, "id")?, col(&row, "resident_id")?));
    }
    // Ids are given in the order of the rows inserted; the order rows come back in is not
    // promised, so they are put in id order and checked against what was asked.
    written.sort_unstable();
    if written.len() != coupons.len()
        || !written
            .iter()
            .zip(&coupons)
            .all(|((_, r), c)| *r == c.resident_id)
    {
        return Err(DbError(format!(
            "the coupons written ({}) are not the {} granted",
            written.len(),
            coupons.len()
        )));
    }
    for (c, (id, _)) in coupons.iter_mut().zip(written) {
        c.id = CouponId(id);
    }
    Ok(coupons)
}

/// (resident, campaign, kind, scope).
type SlotKey = (i64, String, String, LimitScope);

/// The slots and ledger records a batch makes, written in one statement each.
#[derive(Default)]
struct Made {
    /// resident, campaign, kind, scope, slot, coupon
    slots: Vec<(i64, String, String, String, i64, i64)>,
    /// campaign, kind, round, coupon, resident, amount
    ledger: Vec<(String, String, i64, i64, i64, i64)>,
}

impl Made {
    /// Writes them. A slot taken meanwhile (which the release row's lock rules out among
    /// claims) fails the statement, and with it the whole batch: the database has the last word
    /// on every limit.
    async fn write(&self, tx: &mut Tx, dialect: Dialect, now: Timestamp) -> Result<(), DbError> {
        if !self.slots.is_empty() {
            let q = dialect.insert_rows("limit_slots", SLOT_ROWS);
            bind_rows(sqlx::query(&q), &self.slots)?
                .execute(&mut **tx)
                .await?;
        }
        if !self.ledger.is_empty() {
            let q = dialect.insert_rows("ledger", LEDGER_ROWS);
            let event = LedgerEvent::Issue(Issuance::Claim).as_str();
            let rows: Vec<_> = self
                .ledger
                .iter()
                .map(|(c, k, round, id, r, amount)| (now.millis(), event, c, k, round, id, r, amount))
                .collect();
            bind_rows(sqlx::query(&q), &rows)?.execute(&mut **tx).await?;
        }
        Ok(())
    }
}

/// A day's release of one kind, as this batch sees it.
pub(crate) struct Day {
    round: i64,
    released: Fen,
    claimed: Fen,
    /// Claimed by this batch (not yet written to the row).
    claimed_now: Fen,
    /// The bureau's reason, if it has paused claims of this kind.
    paused: Option<String>,
}

/// Locks the day's release of a kind, first deciding it if this is the day's first claim. The
/// row is made (undecided) and locked before anything else, so every transaction takes its locks
/// in one order — release, coupons, pools — and two instances never wait on each other in a
/// circle. Deciding the release is the moment the pool is released: coupons due to expire are
/// returned to the pool first, so today's release counts them.
async fn open_day(
    tx: &mut Tx,
    db: &Db,
    campaign: &Campaign,
    kind: &Kind,
    round: u32,
    date: ChinaDate,
    now: Timestamp,
) -> Result<Day, DbError> {
    sqlx::query(
        "INSERT INTO releases (campaign, kind, day, round, released, claimed, opened) \
         VALUES ($1, $2, $3, $4, 0, 0, 0) ON CONFLICT DO NOTHING",
    )
    .bind(campaign.id.as_str())
    .bind(kind.id.as_str())
    .bind(date.to_string())
    .bind(i64::from(round))
    .execute(&mut **tx)
    .await?;
    let row = sqlx::query(&format!(
        "SELECT round, released, claimed, opened FROM releases WHERE campaign = $1 AND kind = $2 AND day = $3{}",
        db.dialect.for_update()
    ))
    .bind(campaign.id.as_str())
    .bind(kind.id.as_str())
    .bind(date.to_string())
    .fetch_one(&mut **tx)
    .await?;
    let mut day = Day {
        round: col(&row, "round")?,
        released: Fen(col(&row, "released")?),
        claimed: Fen(col(&row, "claimed")?),
        claimed_now: Fen::ZERO,
        paused: None,
    };
    if col::<i64>(&row, "opened")? != 0 {
        return Ok(day);
    }
    sweep::expire_due(tx, db, now).await?;
    let pool = sqlx::query("SELECT available FROM pools WHERE campaign = $1 AND kind = $2 AND round = $3")
        .bind(campaign.id.as_str())
        .bind(kind.id.as_str())
        .bind(i64::from(round))
        .fetch_optional(&mut **tx)
        .await?;
    let available = match pool {
        Some(row) => Fen(col(&row, "available")?),
        None => Fen::ZERO,
    };
    day.released = campaign
        .rounds
        .iter()
        .find(|r| r.number == round)
        .map(|r| daily_release(campaign.daily_release, r, date, available))
        .unwrap_or(Fen::ZERO);
    sqlx::query(
        "UPDATE releases SET released = $1, opened = 1 WHERE campaign = $2 AND kind = $3 AND day = $4",
    )
    .bind(day.released.0)
    .bind(campaign.id.as_str())
    .bind(kind.id.as_str())
    .bind(date.to_string())
    .execute(&mut **tx)
    .await?;
    Ok(day)
}

/// Adds to `counted` the slots the `residents` hold in each scope of this kind.
async fn usage_counts(
    tx: &mut Tx,
    dialect: Dialect,
    residents: &[i64],
    campaign: &Campaign,
    kind: &Kind,
    counted: &mut HashMap<SlotKey, u32>,
) -> Result<(), DbError> {
    let mut residents = residents.to_vec();
    residents.sort_unstable();
    residents.dedup();
    if residents.is_empty() {
        return Ok(());
    }
    let list: Vec<(i64,)> = residents.iter().map(|r| (*r,)).collect();
    let batch = dialect.rows(1, RESIDENT_ROWS);
    let q = match dialect {
        Dialect::Sqlite => format!(
            "SELECT resident_id, scope, CAST(COUNT(*) AS BIGINT) AS n FROM limit_slots \
             WHERE resident_id IN ({batch}) AND campaign = ? AND kind = ? GROUP BY resident_id, scope"
        ),
        // Each resident's slots looked up by the key, whatever the planner guesses of the
        // table: `OFFSET 0` keeps the lookup inside the loop over the batch's residents.
        Dialect::Postgres => format!(
            "SELECT r.resident_id, s.scope, CAST(COUNT(*) AS BIGINT) AS n FROM ({batch}) AS r \
             CROSS JOIN LATERAL (SELECT scope FROM limit_slots WHERE resident_id = r.resident_id \
             AND campaign = $2 AND kind = $3 OFFSET 0) AS s GROUP BY r.resident_id, s.scope"
        ),
    };
    let rows = bind_rows(sqlx::query(&q), &list)?
        .bind(campaign.id.as_str())
        .bind(kind.id.as_str())
        .fetch_all(&mut **tx)
        .await?;
    for row in rows {
        let n: i64 = col(&row, "n")?;
        let Some(scope) = LimitScope::parse(&col::<String>(&row, "scope")?) else {
            continue;
        };
        let key = (
            col(&row, "resident_id")?,
            campaign.id.0.clone(),
            kind.id.0.clone(),
            scope,
        );
        counted.insert(key, u32::try_from(n).unwrap_or(u32::MAX));
    }
    Ok(())
}

/// What is left of today's release of each claimable kind at `now` (before the release time,
/// or before the day's first claim, what the release will offer).
pub async fn left_today(
    db: &Db,
    campaigns: &Campaigns,
    now: Timestamp,
) -> Result<HashMap<(String, String), Fen>, DbError> {
    let date = now.china_date();
    let mut out = HashMap::new();
    let released = sqlx::query(
        "SELECT campaign, kind, released - claimed AS left_now FROM releases WHERE day = $1 AND opened = 1",
    )
    .bind(date.to_string())
    .fetch_all(&db.pool)
    .await?;
    for r in released {
        out.insert(
            (col(&r, "campaign")?, col(&r, "kind")?),
            Fen(col(&r, "left_now")?),
        );
    }
    let pools = sqlx::query("SELECT campaign, kind, round, available FROM pools WHERE round > 0")
        .fetch_all(&db.pool)
        .await?;
    for r in pools {
        let (campaign, kind): (String, String) = (col(&r, "campaign")?, col(&r, "kind")?);
        if out.contains_key(&(campaign.clone(), kind.clone())) {
            continue;
        }
        let Some((c, k)) = campaigns.kind(&campaign, &kind) else {
            continue;
        };
        let Some(round) = c.round_on(date) else { continue };
        if i64::from(round.number) != col::<i64>(&r, "round")?
            || !matches!(
                k.issuance,
                quan_core::campaign::Issuance::Claim | quan_core::campaign::Issuance::Merchant
            )
        {
            continue;
        }
        let left = daily_release(c.daily_release, round, date, Fen(col(&r, "available")?));
        out.insert((campaign, kind), left);
    }
    Ok(out)
}

/// What `resident` has used of every kind's limits at `now`.
pub async fn usage_of(
    db: &Db,
    campaigns: &Campaigns,
    resident: ResidentId,
    now: Timestamp,
) -> Result<Vec<quan_core::api::KindUsage>, DbError> {
    let date = now.china_date();
    let rows = sqlx::query(
        "SELECT campaign, kind, scope, CAST(COUNT(*) AS BIGINT) AS n FROM limit_slots WHERE resident_id = $1 \
         GROUP BY campaign, kind, scope",
    )
    .bind(resident.0)
    .fetch_all(&db.pool)
    .await?;
    let mut out: Vec<quan_core::api::KindUsage> = Vec::new();
    for c in campaigns.iter() {
        let round = c.round_on(date).map(|r| r.number);
        for k in &c.kinds {
            let mut u = quan_core::api::KindUsage {
                campaign: c.id.clone(),
                kind: k.id.clone(),
                claims_this_round: 0,
                claims_today: 0,
                claims_in_campaign: 0,
                denominations_today: Vec::new(),
                kind_today: 0,
            };
            for r in rows.iter().filter(|r| {
                col::<String>(r, "campaign").is_ok_and(|x| x == c.id.0)
                    && col::<String>(r, "kind").is_ok_and(|x| x == k.id.0)
            }) {
                let n = u32::try_from(col::<i64>(r, "n")?).unwrap_or(u32::MAX);
                match LimitScope::parse(&col::<String>(r, "scope")?) {
                    Some(LimitScope::Round(r)) if round == Some(r) => u.claims_this_round = n,
                    Some(LimitScope::Day(d)) if d == date => u.claims_today = n,
                    Some(LimitScope::Campaign) => u.claims_in_campaign = n,
                    Some(LimitScope::Kind(d)) if d == date => u.kind_today = n,
                    Some(LimitScope::Denomination { index, day }) if day == date => {
                        u.denominations_today.push(index)
                    }
                    _ => {}
                }
            }
            out.push(u);
        }
    }
    Ok(out)
}
