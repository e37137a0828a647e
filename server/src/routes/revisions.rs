//! Revising a running campaign without a restart: a revised file uploaded, or a round
//! scheduled, previewed in words, then confirmed. The version is written in the shared database
//! and every instance runs it within a second; each confirmed revision is in the audit trail.

use super::Table;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use quan_core::api::{
    CampaignVersions, RevisionRequest, RevisionView, RoundRequest, RoundView, MAX_FILE, MAX_QUOTA_KINDS,
    MAX_ROUNDS,
};
use quan_core::campaign::{Campaign, Release, Round};
use quan_core::money::MAX_INPUT;
use quan_core::revision::{check_reason, with_round};
use quan_core::ErrorCode;

use crate::auth::{Bureau, Reports, Staff};
use crate::error::{AppError, AppResult};
use crate::extract::{Json, Path};
use crate::state::AppState;
use crate::store::revisions::{self, By, Proposal};
#[allow(unused_imports)]
use quan_core::Problem;

pub fn routes() -> Table {
    Table::new()
        .add(__path_versions, versions)
        .add(__path_file, file)
        .add(__path_revise, revise)
        .add(__path_schedule, schedule)
}

#[utoipa::path(get, path = "/api/v1/operator/campaigns/{id}/revisions", tag = "operator", params(("id" = String, Path, description = "Campaign id")), security(("bearer" = [])), responses((status = 200, description = "The campaign as it runs (its version and rounds) and every version, newest first: the seed, then each confirmed revision with its changes", body = CampaignVersions)))]
async fn versions(
    State(state): State<AppState>,
    who: Staff<Reports>,
    Path(id): Path<String>,
) -> AppResult<Json<CampaignVersions>> {
    let campaigns = state.campaigns.now();
    let campaign = campaigns.for_staff(&id, &who)?;
    let now = state.clock.now();
    let rounds = campaign
        .rounds
        .iter()
        .map(|r| RoundView {
            number: r.number,
            name: r.name.clone(),
            starts: r.starts,
            ends: r.ends,
            release_time: r.release_time,
            sign_up: r.sign_up.filter(|_| r.release == Release::Draw),
            quota: r.quota.clone(),
            begun: campaign.round_begun(r, now),
        })
        .collect();
    Ok(Json(CampaignVersions {
        version: state
            .campaigns
            .versions()
            .get(campaign.id.as_str())
            .copied()
            .unwrap_or(0),
        release_time: campaign.release_time,
        rounds,
        versions: revisions::list(&state.db, campaign.id.as_str()).await?,
    }))
}

#[utoipa::path(get, path = "/api/v1/operator/campaigns/{id}/campaign.toml", tag = "operator", params(("id" = String, Path, description = "Campaign id")), security(("bearer" = [])), responses((status = 200, description = "The campaign as it runs, as a campaign file: the one to revise and upload, since it carries every version before it (reallocations and scheduled rounds among them)", content_type = "application/toml")))]
async fn file(
    State(state): State<AppState>,
    who: Staff<Reports>,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let campaigns = state.campaigns.now();
    let campaign = campaigns.for_staff(&id, &who)?;
    let (running, version) = revisions::current(&state.db, campaign.id.as_str()).await?;
    let body = running.to_toml().map_err(AppError::internal)?;
    Ok(super::attachment(
        &format!("{}-v{version}.toml", running.id),
        "application/toml; charset=utf-8",
        format!("# {}: version {version}, as it runs\n{body}", running.name),
    ))
}

/// A reason: one line, at most 200 characters.
fn reason(text: &str) -> Result<&str, AppError> {
    check_reason(text).map_err(|why| AppError::new(ErrorCode::InvalidRequest, why))
}

/// Previews or confirms `revised` for `op`; confirmed, this instance runs it at once (the others
/// within a second).
async fn decide(
    state: &AppState,
    op: &Staff<Bureau>,
    revised: &Campaign,
    file: Option<&str>,
    why: &str,
    confirm: bool,
    previewed: Option<i64>,
) -> AppResult<Response> {
    let view = revisions::revise(
        &state.db,
        Proposal {
            revised,
            file,
            reason: why,
            previewed,
        },
        By::Account(op.account),
        confirm,
        state.clock.now(),
    )
    .await?;
    if !view.applied {
        return Ok(Json(view).into_response());
    }
    state.campaigns.refresh(&state.db).await?;
    let words: Vec<String> = view.changes.iter().map(ToString::to_string).collect();
    let detail = format!("{} version {}: {}", view.campaign, view.version, words.join("; "));
    Ok(crate::audit::with_detail(
        (StatusCode::CREATED, Json(view)).into_response(),
        detail,
    ))
}

#[utoipa::path(post, path = "/api/v1/operator/campaigns/{id}/revisions", tag = "operator", params(("id" = String, Path, description = "Campaign id")), request_body = RevisionRequest, security(("bearer" = [])), responses((status = 200, description = "The preview: what the file would change, in words; nothing is written", body = RevisionView), (status = 201, description = "Confirmed: the new version runs on every instance within a second", body = RevisionView), (status = 409, description = "revision_refused: it would change what has begun, or the campaign was revised meanwhile", body = Problem, content_type = "application/problem+json"), (status = 422, description = "invalid_request: the file is not a valid campaign, or changes nothing", body = Problem, content_type = "application/problem+json")))]
async fn revise(
    State(state): State<AppState>,
    op: Staff<Bureau>,
    Path(id): Path<String>,
    Json(body): Json<RevisionRequest>,
) -> AppResult<Response> {
    let campaigns = state.campaigns.now();
    let running = campaigns.for_staff(&id, &op)?;
    if body.file.len() > MAX_FILE {
        return Err(AppError::new(
            ErrorCode::InvalidRequest,
            "a campaign file is at most 256 KiB",
        ));
    }
    let revised =
        Campaign::from_toml(&body.file).map_err(|e| AppError::new(ErrorCode::InvalidRequest, e.0))?;
    if revised.id != running.id {
        return Err(AppError::new(
            ErrorCode::InvalidRequest,
            format!("the file is of campaign {}, not {}", revised.id, running.id),
        ));
    }
    if !op.covers(&revised.county) {
        return Err(AppError::new(
            ErrorCode::Forbidden,
            "the file moves the campaign to a county this account does not cover",
        ));
    }
    decide(
        &state,
        &op,
        &revised,
        Some(&body.file),
        reason(&body.reason)?,
        body.confirm,
        body.version,
    )
    .await
}

#[utoipa::path(post, path = "/api/v1/operator/campaigns/{id}/rounds", tag = "operator", params(("id" = String, Path, description = "Campaign id")), request_body = RoundRequest, security(("bearer" = [])), responses((status = 200, description = "The preview: the round's changes in words and each kind's first daily release; nothing is written", body = RevisionView), (status = 201, description = "Scheduled: it releases on every instance at its time", body = RevisionView), (status = 409, description = "revision_refused: the round has begun, would begin in the past, or the campaign was revised meanwhile", body = Problem, content_type = "application/problem+json"), (status = 422, description = "invalid_request: the dates, quotas or name do not fit the campaign", body = Problem, content_type = "application/problem+json")))]
async fn schedule(
    State(state): State<AppState>,
    op: Staff<Bureau>,
    Path(id): Path<String>,
    Json(body): Json<RoundRequest>,
) -> AppResult<Response> {
    let campaigns = state.campaigns.now();
    let running = campaigns.for_staff(&id, &op)?;
    let invalid = |words: &str| Err(AppError::new(ErrorCode::InvalidRequest, words.to_owned()));
    let name = body.name.trim();
    if !(1..=MAX_ROUNDS).contains(&body.number) {
        return invalid("rounds are numbered 1 to 99");
    }
    if name.is_empty() || name.chars().count() > 40 || name.chars().any(char::is_control) {
        return invalid("a round's name is one line of 1 to 40 characters");
    }
    if body.quota.len() > MAX_QUOTA_KINDS {
        return invalid("a round gives quotas to at most 32 kinds");
    }
    if body.quota.values().any(|q| q.0 < 0 || *q > MAX_INPUT) {
        return invalid("a quota is between 0 and 100,000,000 yuan");
    }
    // By draw with its sign-up window, or first come without one.
    let release = if body.sign_up.is_some() {
        Release::Draw
    } else {
        Release::Rush
    };
    let round = Round {
        number: body.number,
        name: name.to_owned(),
        starts: Some(body.starts),
        ends: Some(body.ends),
        release_time: body.release_time,
        release,
        sign_up: body.sign_up,
        quota: body.quota.clone(),
    };
    let revised = with_round(running, round);
    revised
        .validate()
        .map_err(|e| AppError::new(ErrorCode::InvalidRequest, e.0))?;
    decide(
        &state,
        &op,
        &revised,
        None,
        reason(&body.reason)?,
        body.confirm,
        body.version,
    )
    .await
}
