//! The operator's report and the auditors' sample: `GET /operator/campaigns/{id}/report` (JSON),
//! `…/report.csv`, and `…/audit-sample.csv`, all computed from the ledger alone.

use super::Table;
use axum::extract::State;
use axum::response::Response;
use quan_core::api::{Reallocation, ReallocationRequest, Settlement};
use quan_core::report::{self, AuditTerms, CampaignReport, KindFigures, AUDIT_PERCENT};
use quan_core::revision::check_reason;
use quan_core::{ChinaDate, ErrorCode, Fen};
use serde::Deserialize;

use crate::auth::{Bureau, MerchantAuth, Reports, Settlements, Shop, Staff};
use crate::error::{AppError, AppResult};
use crate::extract::{Json, Path, Query};
use crate::state::AppState;
use crate::store::reports::{self as store, AuditRow};
use crate::store::sessions::SignedIn;
use crate::store::{draws as store_draws, history, revisions};
#[allow(unused_imports)]
use quan_core::Problem;

pub fn routes() -> Table {
    Table::new()
        .add(__path_report_json, report_json)
        .add(__path_report_csv, report_csv)
        .add(__path_audit_csv, audit_csv)
        .add(__path_history_csv, history_csv)
        .add(__path_settlements_json, settlements_json)
        .add(__path_reallocations, reallocations)
        .add(__path_reallocate, reallocate)
        .add(__path_settlements_csv, settlements_csv)
        .add(__path_my_settlement_json, my_settlement_json)
        .add(__path_my_settlement_csv, my_settlement_csv)
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ReportParams {
    /// The day of the hourly series (YYYY-MM-DD, China); today by default.
    #[param(pattern = r"^\d{4}-\d{2}-\d{2}$")]
    pub day: Option<String>,
}

/// The largest seed an auditor may give: the largest integer JSON and JavaScript carry exactly.
pub const MAX_SEED: u64 = (1 << 53) - 1;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct SampleParams {
    /// Draw with this seed instead of the campaign's own (an auditor redrawing).
    #[param(minimum = 0, maximum = 9_007_199_254_740_991_i64)]
    pub seed: Option<u64>,
}

/// The report of campaign `id`, read in one snapshot.
async fn build(
    state: &AppState,
    who: &SignedIn,
    id: &str,
    day: Option<&str>,
) -> AppResult<(CampaignReport, Vec<AuditRow>)> {
    let campaigns = state.campaigns.now();
    let campaign = campaigns.for_staff(id, who)?;
    let now = state.clock.now();
    let day = match day {
        Some(text) => ChinaDate::parse(text)
            .map_err(|e| AppError::new(ErrorCode::InvalidRequest, format!("day: {e}")))?,
        None => now.china_date(),
    };
    let mut tx = state.db.begin_read().await?;
    let records = store::records(&mut tx, id).await?;
    let pools = store::pool_states(&mut tx, id).await?;
    let redemptions = store::redemptions(&mut tx, id).await?;
    tx.commit().await?;
    let seed = store::audit_seed(&state.db, id).await?;
    let history = history::history(&state.db, id).await?;
    let draws = store_draws::days(&state.db, id).await?;
    // The campaign's kinds in its own order, with their pools (a kind with no pool yet has none).
    let kinds: Vec<(String, report::PoolState)> = campaign
        .kinds
        .iter()
        .map(|k| {
            let pool = pools
                .iter()
                .find(|(kind, _)| kind == k.id.as_str())
                .map(|(_, p)| p.clone())
                .unwrap_or_default();
            (k.id.as_str().to_owned(), pool)
        })
        .collect();
    let names: Vec<String> = kinds.iter().map(|(k, _)| k.clone()).collect();
    let (mut figures, total) = report::figures(&records, &kinds);
    for (f, k) in figures.iter_mut().zip(&campaign.kinds) {
        f.name = k.name.clone();
    }
    let ids: Vec<i64> = redemptions.iter().map(|r| r.id).collect();
    let sampled = report::audit_sample(&ids, seed, AUDIT_PERCENT).len() as u64;
    let report = CampaignReport {
        campaign: id.to_owned(),
        name: campaign.name.clone(),
        generated_at: now,
        kinds: figures,
        total,
        day,
        hourly: report::hourly(&records, &names, day),
        first_day: campaign.starts,
        daily: report::daily(&records, &kinds, campaign.starts, campaign.ends),
        flags: report::flags(
            &redemptions
                .iter()
                .map(|r| report::Redemption {
                    id: r.id,
                    at: r.at,
                    resident: r.resident,
                    merchant: r.merchant,
                    merchant_name: r.merchant_name.clone(),
                    order: r.order,
                    threshold: r.threshold,
                    reversed: r.reversed_at.is_some(),
                })
                .collect::<Vec<_>>(),
        ),
        history,
        draws,
        audit: AuditTerms {
            seed,
            percent: AUDIT_PERCENT,
            records: ids.len() as u64,
            sampled,
        },
    };
    Ok((report, redemptions))
}

#[utoipa::path(get, path = "/api/v1/operator/campaigns/{id}/report", tag = "operator", params(("id" = String, Path, description = "Campaign id"), ReportParams), security(("bearer" = [])), responses((status = 200, body = CampaignReport), (status = 404, description = "not_found", body = Problem, content_type = "application/problem+json")))]
async fn report_json(
    State(state): State<AppState>,
    op: Staff<Reports>,
    Path(id): Path<String>,
    Query(params): Query<ReportParams>,
) -> AppResult<Json<CampaignReport>> {
    Ok(Json(build(&state, &op, &id, params.day.as_deref()).await?.0))
}

/// A CSV field: quoted when it holds a comma, a quote or a line break.
pub(crate) fn field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}

fn yuan(f: Fen) -> String {
    f.to_string()
}

/// Fixed point with `places` decimals, or empty.
fn fixed(value: Option<u64>, scale: u64, places: usize) -> String {
    value.map_or_else(String::new, |v| format!("{}.{:0places$}", v / scale, v % scale))
}

pub(crate) fn csv(name: &str, body: String) -> Response {
    // A byte-order mark, so spreadsheet programs read the Chinese names as UTF-8.
    super::attachment(name, "text/csv; charset=utf-8", format!("\u{feff}{body}"))
}

#[utoipa::path(get, path = "/api/v1/operator/campaigns/{id}/report.csv", tag = "operator", params(("id" = String, Path, description = "Campaign id")), security(("bearer" = [])), responses((status = 200, description = "The report, a line per kind and one for the campaign", content_type = "text/csv")))]
async fn report_csv(
    State(state): State<AppState>,
    op: Staff<Reports>,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let (r, _) = build(&state, &op, &id, None).await?;
    let mut out = String::from(
        "kind,name,budget_yuan,issued,issued_yuan,residents_issued,redeemed,discount_yuan,order_yuan,\
         residents_redeemed,redemption_rate_percent,leverage_ratio,reversals,reversed_yuan,expired,\
         returned_to_pool_yuan,held_yuan\n",
    );
    let line = |f: &KindFigures, kind: &str, name: &str| {
        [
            field(kind),
            field(name),
            yuan(f.budget),
            f.issued_count.to_string(),
            yuan(f.issued_value),
            f.residents_issued.to_string(),
            f.redeemed_count.to_string(),
            yuan(f.discount),
            yuan(f.order_amount),
            f.residents_redeemed.to_string(),
            fixed(f.redemption_rate_bp, 100, 2),
            fixed(f.leverage_x100, 100, 2),
            f.reversed_count.to_string(),
            yuan(f.reversed_discount),
            f.expired_count.to_string(),
            yuan(f.returned_value),
            yuan(f.held_value),
        ]
        .join(",")
    };
    for f in &r.kinds {
        out.push_str(&line(f, &f.kind, &f.name));
        out.push('\n');
    }
    out.push_str(&line(&r.total, "", &r.name));
    out.push('\n');
    out.push_str(&format!(
        "# audit sample: seed {}, {}% of {} redemption records = {} (GET audit-sample.csv)\n",
        r.audit.seed, r.audit.percent, r.audit.records, r.audit.sampled
    ));
    Ok(csv(&format!("{id}-report.csv"), out))
}

#[utoipa::path(get, path = "/api/v1/operator/campaigns/{id}/history.csv", tag = "operator", params(("id" = String, Path, description = "Campaign id")), security(("bearer" = [])), responses((status = 200, description = "Every change made to the campaign while it ran, oldest first: revisions, rounds scheduled, reallocations, pauses, resumptions and the overload switch", content_type = "text/csv"), (status = 404, description = "not_found", body = Problem, content_type = "application/problem+json")))]
async fn history_csv(
    State(state): State<AppState>,
    op: Staff<Reports>,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let campaigns = state.campaigns.now();
    let campaign = campaigns.for_staff(&id, &op)?;
    let mut out = String::from("at,event,by,what,reason\n");
    for e in history::history(&state.db, campaign.id.as_str()).await? {
        out.push_str(
            &[
                e.at.china_display(),
                e.what.word().to_owned(),
                field(&e.by),
                field(&e.what.to_string()),
                field(&e.reason),
            ]
            .join(","),
        );
        out.push('\n');
    }
    Ok(csv(&format!("{id}-history.csv"), out))
}

#[utoipa::path(get, path = "/api/v1/operator/campaigns/{id}/audit-sample.csv", tag = "operator", params(("id" = String, Path, description = "Campaign id"), SampleParams), security(("bearer" = [])), responses((status = 200, description = "The sampled redemption records; the first line names the seed", content_type = "text/csv")))]
async fn audit_csv(
    State(state): State<AppState>,
    op: Staff<Reports>,
    Path(id): Path<String>,
    Query(params): Query<SampleParams>,
) -> AppResult<Response> {
    let (r, redemptions) = build(&state, &op, &id, None).await?;
    let seed = match params.seed {
        Some(s) if s > MAX_SEED => {
            return Err(AppError::new(
                ErrorCode::InvalidRequest,
                format!("a seed is a whole number from 0 to {MAX_SEED}"),
            ))
        }
        Some(s) => s,
        None => r.audit.seed,
    };
    let ids: Vec<i64> = redemptions.iter().map(|x| x.id).collect();
    let sample = report::audit_sample(&ids, seed, AUDIT_PERCENT);
    let mut out = format!(
        "# {}: audit sample, seed {seed}, {}% of {} redemption records = {}; each record ranked by \
         HMAC-SHA256(key = the seed's decimal digits, message = the record id as 8 big-endian bytes), smallest first\n\
         redemption,at,kind,coupon,resident,merchant,merchant_name,order_yuan,discount_yuan,threshold_yuan,reversed_at\n",
        field(&r.name),
        AUDIT_PERCENT,
        ids.len(),
        sample.len()
    );
    for x in redemptions.iter().filter(|x| sample.binary_search(&x.id).is_ok()) {
        out.push_str(
            &[
                x.id.to_string(),
                x.at.china_display(),
                field(&x.kind),
                x.coupon.to_string(),
                x.resident.to_string(),
                x.merchant.to_string(),
                field(&x.merchant_name),
                yuan(x.order),
                yuan(x.discount),
                yuan(x.threshold),
                x.reversed_at.map(|t| t.china_display()).unwrap_or_default(),
            ]
            .join(","),
        );
        out.push('\n');
    }
    Ok(csv(&format!("{id}-audit-sample-{seed}.csv"), out))
}

/// Campaign `id`'s settlements, every merchant's or one's.
async fn settlement_of(
    state: &AppState,
    id: &str,
    who: &SignedIn,
    merchant: Option<quan_core::MerchantId>,
) -> AppResult<Settlement> {
    let campaigns = state.campaigns.now();
    campaigns.for_staff(id, who)?;
    store::settlement(&state.db, &campaigns, id, merchant)
        .await
        .map_err(AppError::internal)
}

fn settlement_csv(s: &Settlement) -> String {
    let mut out =
        String::from("merchant,merchant_name,kind,kind_name,redemptions,discount_yuan,order_yuan\n");
    for l in &s.lines {
        out.push_str(
            &[
                l.merchant.0.to_string(),
                field(&l.merchant_name),
                field(l.kind.as_str()),
                field(&l.kind_name),
                l.count.to_string(),
                yuan(l.discount),
                yuan(l.order_amount),
            ]
            .join(","),
        );
        out.push('\n');
    }
    out.push_str(&format!(",,,,{},{},\n", s.count, yuan(s.discount)));
    out
}

#[utoipa::path(get, path = "/api/v1/operator/campaigns/{id}/settlements", tag = "operator", params(("id" = String, Path, description = "Campaign id")), security(("bearer" = [])), responses((status = 200, description = "Every merchant's settlement, per kind", body = Settlement)))]
async fn settlements_json(
    State(state): State<AppState>,
    op: Staff<Settlements>,
    Path(id): Path<String>,
) -> AppResult<Json<Settlement>> {
    Ok(Json(settlement_of(&state, &id, &op, None).await?))
}

#[utoipa::path(get, path = "/api/v1/operator/campaigns/{id}/settlements.csv", tag = "operator", params(("id" = String, Path, description = "Campaign id")), security(("bearer" = [])), responses((status = 200, description = "Every merchant's settlement", content_type = "text/csv")))]
async fn settlements_csv(
    State(state): State<AppState>,
    op: Staff<Settlements>,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let s = settlement_of(&state, &id, &op, None).await?;
    Ok(csv(&format!("{id}-settlements.csv"), settlement_csv(&s)))
}

#[utoipa::path(get, path = "/api/v1/merchant/campaigns/{id}/settlement", tag = "merchant", params(("id" = String, Path, description = "Campaign id")), security(("bearer" = [])), responses((status = 200, description = "This merchant's settlement: what it redeemed, per kind", body = Settlement)))]
async fn my_settlement_json(
    State(state): State<AppState>,
    auth: MerchantAuth<Shop>,
    Path(id): Path<String>,
) -> AppResult<Json<Settlement>> {
    Ok(Json(
        settlement_of(&state, &id, &auth.staff, Some(auth.merchant.id)).await?,
    ))
}

#[utoipa::path(get, path = "/api/v1/merchant/campaigns/{id}/settlement.csv", tag = "merchant", params(("id" = String, Path, description = "Campaign id")), security(("bearer" = [])), responses((status = 200, description = "This merchant's settlement", content_type = "text/csv")))]
async fn my_settlement_csv(
    State(state): State<AppState>,
    auth: MerchantAuth<Shop>,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let s = settlement_of(&state, &id, &auth.staff, Some(auth.merchant.id)).await?;
    Ok(csv(
        &format!("{id}-settlement-{}.csv", auth.merchant.id.0),
        settlement_csv(&s),
    ))
}

#[utoipa::path(get, path = "/api/v1/operator/campaigns/{id}/reallocations", tag = "operator", params(("id" = String, Path, description = "Campaign id")), security(("bearer" = [])), responses((status = 200, description = "The campaign's budget reallocations, oldest first", body = Vec<Reallocation>)))]
async fn reallocations(
    State(state): State<AppState>,
    op: Staff<Reports>,
    Path(id): Path<String>,
) -> AppResult<Json<Vec<Reallocation>>> {
    let campaigns = state.campaigns.now();
    campaigns.for_staff(&id, &op)?;
    Ok(Json(store::reallocations(&state.db, &id).await?))
}

#[utoipa::path(post, path = "/api/v1/operator/campaigns/{id}/reallocations", tag = "operator", params(("id" = String, Path, description = "Campaign id")), request_body = ReallocationRequest, security(("bearer" = [])), responses((status = 201, description = "Moved and recorded, as a new version of the campaign that every instance runs within a second", body = Reallocation), (status = 409, description = "sold_out: the kind has less than that left; revision_refused: the campaign was revised meanwhile", body = Problem, content_type = "application/problem+json"), (status = 422, description = "invalid_request", body = Problem, content_type = "application/problem+json")))]
async fn reallocate(
    State(state): State<AppState>,
    op: Staff<Bureau>,
    Path(id): Path<String>,
    Json(body): Json<ReallocationRequest>,
) -> AppResult<Response> {
    let campaigns = state.campaigns.now();
    let campaign = campaigns.for_staff(&id, &op)?;
    let reason = check_reason(&body.reason).map_err(|why| AppError::new(ErrorCode::InvalidRequest, why))?;
    if reason.is_empty() {
        return Err(AppError::new(
            ErrorCode::InvalidRequest,
            "a reallocation needs its reason, for the record",
        ));
    }
    let done = revisions::reallocate(
        &state.db,
        campaign.id.as_str(),
        &body.from_kind,
        &body.to_kind,
        body.amount,
        op.account,
        reason,
        state.clock.now(),
    )
    .await?;
    // This instance runs the version at once; the others within a second.
    state.campaigns.refresh(&state.db).await?;
    Ok(crate::extract::created(done))
}
