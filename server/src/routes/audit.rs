//! The audit trail, for the audit office: filtered in the console, exported as CSV.

use super::Table;
use axum::extract::State;
use axum::response::Response;

use crate::audit::{self, Filter};
use crate::auth::{Audit, Staff};
use crate::error::{AppError, AppResult};
use crate::extract::{Json, Query};
use crate::state::AppState;
use quan_core::api::AuditEntry;
use quan_core::ErrorCode;
#[allow(unused_imports)]
use quan_core::Problem;

pub fn routes() -> Table {
    Table::new()
        .add(__path_entries, entries)
        .add(__path_entries_csv, entries_csv)
}

fn valid(filter: Filter) -> Result<Filter, AppError> {
    filter
        .checked()
        .map_err(|e| AppError::new(ErrorCode::InvalidRequest, e))
}

#[utoipa::path(get, path = "/api/v1/audit/entries", tag = "audit", params(Filter), security(("bearer" = [])), responses((status = 200, description = "The entries that match, newest first", body = Vec<AuditEntry>)))]
async fn entries(
    State(state): State<AppState>,
    _auditor: Staff<Audit>,
    Query(filter): Query<Filter>,
) -> AppResult<Json<Vec<AuditEntry>>> {
    Ok(Json(audit::read(&state.db, &valid(filter)?).await?))
}

#[utoipa::path(get, path = "/api/v1/audit/entries.csv", tag = "audit", params(Filter), security(("bearer" = [])), responses((status = 200, description = "The entries that match, newest first, with each one's hash", content_type = "text/csv")))]
async fn entries_csv(
    State(state): State<AppState>,
    _auditor: Staff<Audit>,
    Query(filter): Query<Filter>,
) -> AppResult<Response> {
    let entries = audit::read(&state.db, &valid(filter)?).await?;
    Ok(super::reports::csv("audit-trail.csv", audit::csv(&entries)))
}
