//! Car-purchase subsidy applications: the resident's form, documents and status; the reviewers'
//! queue, documents and decisions.

use super::Table;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};
use axum::routing::MethodRouter;
use quan_core::api::{
    ApplicationRequest, ApplicationView, Dealer, DocumentView, PaymentDetails, ReviewRequest, SubsidyView,
};
use quan_core::subsidy::DocumentRole;
use quan_core::ErrorCode;

use crate::auth::{Bank, ResidentAuth, Staff};
use crate::error::{AppError, AppResult};
use crate::extract::{created, Json, Path};
use crate::state::AppState;
use crate::store::applications::{self, MAX_DOCUMENT_BYTES};
#[allow(unused_imports)]
use quan_core::Problem;

pub fn routes() -> Table {
    // A document travels in the body: the one route with a larger body limit than the API's.
    let documents =
        |route: MethodRouter<AppState>| route.layer(DefaultBodyLimit::max(MAX_DOCUMENT_BYTES + 1024));
    Table::new()
        .add(__path_dealers, dealers)
        .add(__path_subsidies, subsidies)
        .add(__path_create, create)
        .add(__path_mine, mine)
        .add(__path_submit, submit)
        .add_with(__path_upload, upload, documents)
        .add_with(__path_my_document, my_document, documents)
        .add(__path_queue, queue)
        .add(__path_decide, decide)
        .add(__path_review_document, review_document)
        .add(__path_payment_details, payment_details)
}

fn role_of(word: &str) -> AppResult<DocumentRole> {
    DocumentRole::parse(word).ok_or_else(|| {
        AppError::new(
            ErrorCode::NotFound,
            "documents are id_card, bank_card, invoice and licence",
        )
    })
}

fn file(media_type: String, bytes: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, media_type),
            (header::CACHE_CONTROL, "private, no-store".to_owned()),
        ],
        bytes,
    )
        .into_response()
}

#[utoipa::path(get, path = "/api/v1/campaigns/{campaign}/subsidies/{subsidy}/dealers", tag = "applications", params(("campaign" = String, Path), ("subsidy" = String, Path)), responses((status = 200, description = "The listed dealers", body = Vec<Dealer>)))]
async fn dealers(
    State(state): State<AppState>,
    Path((campaign, subsidy)): Path<(String, String)>,
) -> AppResult<Json<Vec<Dealer>>> {
    let campaigns = state.campaigns.now();
    Ok(Json(
        applications::dealers(&state.db, &campaigns, &campaign, &subsidy).await?,
    ))
}

#[utoipa::path(get, path = "/api/v1/subsidies", tag = "applications", responses((status = 200, description = "Each running campaign's subsidies, with their rates, floor, dates and dealers", body = Vec<SubsidyView>)))]
async fn subsidies(State(state): State<AppState>) -> AppResult<Json<Vec<SubsidyView>>> {
    let campaigns = state.campaigns.now();
    let now = state.clock.now();
    let mut out = Vec::new();
    for c in campaigns
        .iter()
        .filter(|c| c.phase(now) == quan_core::campaign::Phase::Running)
    {
        for s in &c.subsidies {
            let rate = |v| s.rates.get(&v).copied().unwrap_or(0);
            out.push(SubsidyView {
                campaign: c.id.clone(),
                campaign_name: c.name.clone(),
                id: s.id.clone(),
                name: s.name.clone(),
                name_en: s.name_en.clone(),
                starts: c.starts,
                ends: c.ends,
                new_energy_bp: rate(quan_core::subsidy::VehicleClass::NewEnergy),
                fuel_bp: rate(quan_core::subsidy::VehicleClass::Fuel),
                floor: s.floor,
                dealers: applications::dealers(&state.db, &campaigns, c.id.as_str(), s.id.as_str()).await?,
            });
        }
    }
    Ok(Json(out))
}

#[utoipa::path(post, path = "/api/v1/applications", tag = "applications", request_body = ApplicationRequest, security(("bearer" = [])), responses((status = 201, description = "A draft, with the subsidy the rules give", body = ApplicationView), (status = 422, description = "invalid_request: an invoice date outside the campaign, an unlisted dealer, a malformed card or number", body = Problem, content_type = "application/problem+json")))]
async fn create(
    State(state): State<AppState>,
    ResidentAuth(resident): ResidentAuth,
    Json(request): Json<ApplicationRequest>,
) -> AppResult<Response> {
    let campaigns = state.campaigns.now();
    let view = applications::create(
        &state.db,
        &state.vault,
        &campaigns,
        resident,
        &request,
        state.clock.now(),
    )
    .await?;
    Ok(created(view))
}

#[utoipa::path(get, path = "/api/v1/applications", tag = "applications", security(("bearer" = [])), responses((status = 200, description = "The resident's applications, newest first", body = Vec<ApplicationView>)))]
async fn mine(
    State(state): State<AppState>,
    ResidentAuth(resident): ResidentAuth,
) -> AppResult<Json<Vec<ApplicationView>>> {
    Ok(Json(applications::mine(&state.db, resident).await?))
}

#[utoipa::path(put, path = "/api/v1/applications/{id}/documents/{role}", tag = "applications", params(("id" = i64, Path), ("role" = String, Path, description = "id_card, bank_card, invoice or licence")), request_body(content = Vec<u8>, description = "The file: JPEG, PNG, WebP or PDF, at most 8 MB", content_type = "application/octet-stream"), security(("bearer" = [])), responses((status = 200, body = DocumentView), (status = 415, description = "unsupported_media_type: not a photo or PDF", body = Problem, content_type = "application/problem+json")))]
async fn upload(
    State(state): State<AppState>,
    ResidentAuth(resident): ResidentAuth,
    Path((id, role)): Path<(i64, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> AppResult<Json<DocumentView>> {
    let role = role_of(&role)?;
    let declared = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.split(';').next().unwrap_or("").trim())
        .filter(|v| !v.is_empty() && *v != "application/octet-stream");
    Ok(Json(
        applications::put_document(
            &state.db,
            &state.vault,
            &state.uploads,
            resident,
            id,
            role,
            declared,
            &body,
            state.clock.now(),
        )
        .await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/applications/{id}/submit", tag = "applications", params(("id" = i64, Path)), security(("bearer" = [])), responses((status = 200, description = "Submitted: in the queue by this instant", body = ApplicationView), (status = 422, description = "invalid_request: documents missing", body = Problem, content_type = "application/problem+json")))]
async fn submit(
    State(state): State<AppState>,
    ResidentAuth(resident): ResidentAuth,
    Path(id): Path<i64>,
) -> AppResult<Json<ApplicationView>> {
    Ok(Json(
        applications::submit(&state.db, resident, id, state.clock.now()).await?,
    ))
}

#[utoipa::path(get, path = "/api/v1/applications/{id}/documents/{role}", tag = "applications", params(("id" = i64, Path), ("role" = String, Path)), security(("bearer" = [])), responses((status = 200, description = "The applicant's own document", content_type = "application/octet-stream")))]
async fn my_document(
    State(state): State<AppState>,
    ResidentAuth(resident): ResidentAuth,
    Path((id, role)): Path<(i64, String)>,
) -> AppResult<Response> {
    let (media_type, bytes) = applications::document(
        &state.db,
        &state.vault,
        &state.uploads,
        Some(resident),
        id,
        role_of(&role)?,
    )
    .await?;
    Ok(file(media_type, bytes))
}

#[utoipa::path(get, path = "/api/v1/review/applications", tag = "applications", security(("bearer" = [])), responses((status = 200, description = "Every submitted application, in submission order", body = Vec<ApplicationView>)))]
async fn queue(State(state): State<AppState>, _op: Staff<Bank>) -> AppResult<Json<Vec<ApplicationView>>> {
    Ok(Json(applications::queue(&state.db).await?))
}

#[utoipa::path(post, path = "/api/v1/review/applications/{id}", tag = "applications", params(("id" = i64, Path)), request_body = ReviewRequest, security(("bearer" = [])), responses((status = 200, description = "Decided and logged", body = ApplicationView), (status = 409, description = "sold_out: the budget cannot cover it", body = Problem, content_type = "application/problem+json"), (status = 422, description = "invalid_request: not possible in its status, or a rejection without a reason", body = Problem, content_type = "application/problem+json")))]
async fn decide(
    State(state): State<AppState>,
    op: Staff<Bank>,
    Path(id): Path<i64>,
    Json(request): Json<ReviewRequest>,
) -> AppResult<Json<ApplicationView>> {
    let campaigns = state.campaigns.now();
    Ok(Json(
        applications::decide(&state.db, &campaigns, op.account, id, &request, state.clock.now()).await?,
    ))
}

#[utoipa::path(get, path = "/api/v1/review/applications/{id}/documents/{role}", tag = "applications", params(("id" = i64, Path), ("role" = String, Path)), security(("bearer" = [])), responses((status = 200, description = "The document, as uploaded", content_type = "application/octet-stream")))]
async fn review_document(
    State(state): State<AppState>,
    _op: Staff<Bank>,
    Path((id, role)): Path<(i64, String)>,
) -> AppResult<Response> {
    let (media_type, bytes) =
        applications::document(&state.db, &state.vault, &state.uploads, None, id, role_of(&role)?).await?;
    Ok(file(media_type, bytes))
}

#[utoipa::path(get, path = "/api/v1/review/applications/{id}/payment-details", tag = "applications", params(("id" = i64, Path)), security(("bearer" = [])), responses((status = 200, description = "The bank card and mobile number in full; the read is in the audit trail", body = PaymentDetails), (status = 403, description = "forbidden: not this application's reviewer", body = Problem, content_type = "application/problem+json")))]
async fn payment_details(
    State(state): State<AppState>,
    reviewer: Staff<Bank>,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let details = applications::payment_details(&state.db, &state.vault, reviewer.account, id).await?;
    Ok(crate::audit::with_detail(
        Json(details).into_response(),
        format!("read application {id}'s bank card and mobile number in full"),
    ))
}
