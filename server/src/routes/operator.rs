//! The operator's calls: the merchant registry (the county's list imported, single merchants
//! added, edited or suspended) and the blacklist, the love-coupon list.

use super::Table;
use axum::body::Bytes;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use quan_core::api::{
    AllocationRequest, BlacklistRequest, MerchantImport, MerchantRequest, MerchantView, SuspensionRequest,
};
use quan_core::registry::{self, Fields, Listed};
use quan_core::{ErrorCode, MerchantId};

use crate::auth::{Bureau, Staff};
use crate::error::{AppError, AppResult};
use crate::extract::{created, Json, Path, Query};
use crate::state::AppState;
use crate::store::accounts::{self, Standing};
use crate::store::allocations;
use crate::store::merchants::{self, Refused};
#[allow(unused_imports)]
use quan_core::Problem;

pub fn routes() -> Table {
    Table::new()
        .add(__path_merchants, merchants)
        .add(__path_add_merchant, add_merchant)
        .add(__path_edit_merchant, edit_merchant)
        .add(__path_import_merchants, import_merchants)
        .add(__path_blacklist, blacklist)
        .add(__path_suspension, suspension)
        .add(__path_allocate, allocate)
}

#[utoipa::path(get, path = "/api/v1/operator/merchants", tag = "operator", security(("bearer" = [])), responses((status = 200, body = Vec<MerchantView>)))]
async fn merchants(State(state): State<AppState>, op: Staff<Bureau>) -> AppResult<Json<Vec<MerchantView>>> {
    let mut list = accounts::merchants(&state.db).await?;
    list.retain(|m| op.covers(&m.county));
    Ok(Json(list))
}

/// Sets `standing` on merchant `id` (or lifts it), with its reason when set; the reason is in the
/// audit trail's entry too.
async fn set_standing(
    state: &AppState,
    op: &Staff<Bureau>,
    id: i64,
    standing: Standing,
    on: bool,
    reason: &str,
) -> AppResult<Response> {
    let reason = reason.trim();
    if on && reason.is_empty() {
        return Err(AppError::new(
            ErrorCode::InvalidRequest,
            "say why, in words the merchant and the audit office will read",
        ));
    }
    if reason.chars().count() > 200 {
        return Err(AppError::new(
            ErrorCode::InvalidRequest,
            "a reason has at most 200 characters",
        ));
    }
    let view = accounts::set_standing(&state.db, MerchantId(id), &op.county, standing, on, reason)
        .await?
        .ok_or_else(|| AppError::new(ErrorCode::NotFound, "no such merchant"))?;
    let what = match (standing, on) {
        (Standing::Blacklisted, true) => "blacklisted",
        (Standing::Blacklisted, false) => "taken off the blacklist",
        (Standing::Suspended, true) => "suspended",
        (Standing::Suspended, false) => "resumed",
    };
    let detail = if reason.is_empty() {
        format!("{} {what}", view.name)
    } else {
        format!("{} {what}: {reason}", view.name)
    };
    Ok(crate::audit::with_detail(Json(view).into_response(), detail))
}

#[utoipa::path(post, path = "/api/v1/operator/merchants/{id}/blacklist", tag = "operator", params(("id" = i64, Path, description = "Merchant id")), request_body = BlacklistRequest, security(("bearer" = [])), responses((status = 200, body = MerchantView), (status = 404, description = "not_found", body = Problem, content_type = "application/problem+json"), (status = 422, description = "invalid_request: blacklisting without a reason", body = Problem, content_type = "application/problem+json")))]
async fn blacklist(
    State(state): State<AppState>,
    op: Staff<Bureau>,
    Path(id): Path<i64>,
    Json(body): Json<BlacklistRequest>,
) -> AppResult<Response> {
    set_standing(
        &state,
        &op,
        id,
        Standing::Blacklisted,
        body.blacklisted,
        &body.reason,
    )
    .await
}

#[utoipa::path(post, path = "/api/v1/operator/merchants/{id}/suspension", tag = "operator", params(("id" = i64, Path, description = "Merchant id")), request_body = SuspensionRequest, security(("bearer" = [])), responses((status = 200, description = "Suspended (it redeems nothing; its offers and dealership are hidden) or resumed", body = MerchantView), (status = 404, description = "not_found", body = Problem, content_type = "application/problem+json"), (status = 422, description = "invalid_request: suspending without a reason", body = Problem, content_type = "application/problem+json")))]
async fn suspension(
    State(state): State<AppState>,
    op: Staff<Bureau>,
    Path(id): Path<i64>,
    Json(body): Json<SuspensionRequest>,
) -> AppResult<Response> {
    set_standing(&state, &op, id, Standing::Suspended, body.suspended, &body.reason).await
}

#[utoipa::path(post, path = "/api/v1/operator/allocations", tag = "operator", request_body = AllocationRequest, security(("bearer" = [])), responses((status = 200, description = "What the import allocated and refused", body = allocations::AllocationReport)))]
async fn allocate(
    State(state): State<AppState>,
    op: Staff<Bureau>,
    Json(body): Json<AllocationRequest>,
) -> AppResult<Json<allocations::AllocationReport>> {
    let campaigns = state.campaigns.now();
    let (campaign, kind) = campaigns
        .kind(&body.campaign, &body.kind)
        .filter(|(c, _)| op.covers(&c.county))
        .ok_or_else(|| AppError::new(ErrorCode::NotFound, "no such campaign or kind"))?;
    let report = allocations::import(&state.db, campaign, kind, &body.csv, state.clock.now()).await?;
    Ok(Json(report))
}

/// The campaigns' categories, as a list may name them: (id, Chinese name).
fn categories(state: &AppState) -> Vec<(String, String)> {
    let campaigns = state.campaigns.now();
    let mut all: Vec<(String, String)> = campaigns
        .iter()
        .flat_map(|c| c.categories.iter())
        .map(|c| (c.id.as_str().to_owned(), c.name.clone()))
        .collect();
    all.sort();
    all.dedup_by(|a, b| a.0 == b.0);
    all
}

/// A merchant in the operator's county: an empty county is theirs; another is refused.
fn in_county(op: &Staff<Bureau>, mut m: Listed) -> Result<Listed, String> {
    if m.county.is_empty() {
        m.county = op.county.clone();
    }
    if !op.covers(&m.county) {
        return Err(format!("属于{}，不属于本账号的{}", m.county, op.county));
    }
    Ok(m)
}

/// A list file's text: UTF-8 (with or without its byte-order mark), or GBK, as Excel on a
/// Chinese Windows saves CSV.
fn decode(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(text) => text.to_owned(),
        Err(_) => encoding_rs::GBK.decode(bytes).0.into_owned(),
    }
}

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ImportParams {
    /// `true` to write; otherwise a preview that writes nothing.
    #[serde(default)]
    pub commit: bool,
}

#[utoipa::path(post, path = "/api/v1/operator/merchants/import", tag = "operator", params(ImportParams), request_body(content = String, description = "The county's list as CSV (UTF-8 or GBK) or as an Excel workbook (.xlsx, its first sheet): a header line naming 名称, 统一社会信用代码 and 类别 (and 县, 地址, 联系人), then a merchant a line", content_type = "text/csv"), security(("bearer" = [])), responses((status = 200, description = "Each line's outcome or problem; written only with commit=true, and then only the lines without a problem", body = MerchantImport), (status = 422, description = "invalid_request: the file has no header naming the columns, or is neither CSV nor a readable workbook", body = Problem, content_type = "application/problem+json")))]
async fn import_merchants(
    State(state): State<AppState>,
    op: Staff<Bureau>,
    Query(params): Query<ImportParams>,
    body: Bytes,
) -> AppResult<Json<MerchantImport>> {
    let categories = categories(&state);
    let lines = if crate::xlsx::is_workbook(&body) {
        // Unpacking and reading a workbook is work for a thread of its own.
        tokio::task::spawn_blocking(move || {
            crate::xlsx::first_sheet(&body, registry::MAX_LINES + 1)
                .and_then(|rows| registry::read_rows(rows, &categories))
        })
        .await
        .map_err(AppError::internal)?
    } else {
        registry::read(&decode(&body), &categories)
    };
    let mut lines = lines.map_err(|e| AppError::new(ErrorCode::InvalidRequest, e))?;
    for line in &mut lines {
        if let Ok(m) = &line.outcome {
            line.outcome = in_county(&op, m.clone());
        }
    }
    Ok(Json(
        merchants::import(&state.db, &lines, params.commit, state.clock.now()).await?,
    ))
}

/// Checks a single merchant as a list line would be checked.
fn checked(state: &AppState, op: &Staff<Bureau>, body: MerchantRequest) -> AppResult<Listed> {
    let fields = Fields {
        name: body.name,
        credit_code: body.credit_code,
        category: body.category,
        county: body.county,
        address: body.address,
        contact: body.contact,
    };
    registry::check(fields, &categories(state))
        .and_then(|m| in_county(op, m))
        .map_err(|e| AppError::new(ErrorCode::InvalidRequest, e))
}

fn refused(r: Refused) -> AppError {
    match r {
        Refused::CodeTaken(other) => AppError::new(
            ErrorCode::NameTaken,
            format!("merchant {} has that credit code already", other.0),
        ),
        Refused::NotFound => AppError::new(ErrorCode::NotFound, "no such merchant"),
    }
}

#[utoipa::path(post, path = "/api/v1/operator/merchants", tag = "operator", request_body = MerchantRequest, security(("bearer" = [])), responses((status = 201, description = "Added to the registry", body = MerchantView), (status = 409, description = "name_taken: a merchant has that credit code", body = Problem, content_type = "application/problem+json"), (status = 422, description = "invalid_request: what is wrong with it, in words", body = Problem, content_type = "application/problem+json")))]
async fn add_merchant(
    State(state): State<AppState>,
    op: Staff<Bureau>,
    Json(body): Json<MerchantRequest>,
) -> AppResult<Response> {
    let m = checked(&state, &op, body)?;
    let saved = merchants::save(&state.db, None, &m, state.clock.now()).await?;
    Ok(created(saved.map_err(refused)?))
}

#[utoipa::path(put, path = "/api/v1/operator/merchants/{id}", tag = "operator", params(("id" = i64, Path, description = "Merchant id")), request_body = MerchantRequest, security(("bearer" = [])), responses((status = 200, description = "Edited", body = MerchantView), (status = 404, description = "not_found", body = Problem, content_type = "application/problem+json"), (status = 409, description = "name_taken: another merchant has that credit code", body = Problem, content_type = "application/problem+json"), (status = 422, description = "invalid_request: what is wrong with it, in words", body = Problem, content_type = "application/problem+json")))]
async fn edit_merchant(
    State(state): State<AppState>,
    op: Staff<Bureau>,
    Path(id): Path<i64>,
    Json(body): Json<MerchantRequest>,
) -> AppResult<Json<MerchantView>> {
    let known = accounts::merchant(&state.db, MerchantId(id)).await?;
    if !known.is_some_and(|m| op.covers(&m.county)) {
        return Err(AppError::new(ErrorCode::NotFound, "no such merchant"));
    }
    let m = checked(&state, &op, body)?;
    let saved = merchants::save(&state.db, Some(MerchantId(id)), &m, state.clock.now()).await?;
    Ok(Json(saved.map_err(refused)?))
}
