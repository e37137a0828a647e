//! Car-purchase subsidy applications: the form (checked against the campaign's rules), the four
//! documents (kept as files named by their SHA-256, outside the database), submission, and the
//! reviewers' decisions, each logged with who and when. Approval reserves the subsidy from the
//! budget in one conditional update, so concurrent approvals never overspend it; first come,
//! first served is the queue's order (submission time) and the grant rule of the campaign file.
//!
//! The applicant's bank card and phone, and the documents, are sealed with the data key
//! ([`crate::vault`]); lists carry them masked, and only the application's reviewer reads them in
//! full ([`payment_details`]).

use std::path::Path;

use quan_core::api::{
    ApplicationRequest, ApplicationView, Dealer, DocumentView, PaymentDetails, ReviewRequest,
};
use quan_core::subsidy::{
    car_subsidy, grant, invoice_date_ok, review_step, ApplicationStatus, DocumentRole, ReviewAction,
    VehicleClass,
};
use quan_core::{CampaignId, ChinaDate, ErrorCode, Fen, KindId, MerchantId, ResidentId, Timestamp};
use sha2::{Digest, Sha256};
use sqlx::any::AnyRow;

use crate::campaigns::Campaigns;
use crate::db::{col, Db, Tx};
use crate::error::AppError;
use crate::vault::{Field, Vault};

/// The largest document accepted: a phone photo or a scanned PDF.
pub const MAX_DOCUMENT_BYTES: usize = 8 * 1024 * 1024;

fn vehicle_str(v: VehicleClass) -> &'static str {
    match v {
        VehicleClass::NewEnergy => "new_energy",
        VehicleClass::Fuel => "fuel",
    }
}

/// What a file is, by its first bytes: JPEG, PNG, WebP or PDF. Anything else is refused, whatever
/// it claims to be.
pub fn sniff(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some("image/webp")
    } else if bytes.starts_with(b"%PDF-") {
        Some("application/pdf")
    } else {
        None
    }
}

/// The listed dealers where the subsidy's car must be bought.
pub async fn dealers(
    db: &Db,
    campaigns: &Campaigns,
    campaign: &str,
    subsidy: &str,
) -> Result<Vec<Dealer>, AppError> {
    let sub = campaigns
        .get(campaign)
        .and_then(|c| c.subsidies.iter().find(|s| s.id.as_str() == subsidy))
        .ok_or_else(|| AppError::new(ErrorCode::NotFound, "no such campaign or subsidy"))?;
    let rows =
        sqlx::query("SELECT id, name FROM merchants WHERE category = $1 AND blacklisted = 0 AND suspended = 0 ORDER BY id")
            .bind(sub.dealer_category.as_str())
            .fetch_all(&db.pool)
            .await?;
    rows.iter()
        .map(|r| {
            Ok(Dealer {
                id: MerchantId(col(r, "id")?),
                name: col(r, "name")?,
            })
        })
        .collect()
}

/// A draft application, checked against the rules: a listed dealer, an invoice dated inside the
/// campaign, a vehicle class with a rate, a bank card and a mobile number.
pub async fn create(
    db: &Db,
    vault: &Vault,
    campaigns: &Campaigns,
    resident: ResidentId,
    req: &ApplicationRequest,
    now: Timestamp,
) -> Result<ApplicationView, AppError> {
    let campaign = campaigns
        .get(req.campaign.as_str())
        .ok_or_else(|| AppError::new(ErrorCode::NotFound, "no such campaign"))?;
    let sub = campaign
        .subsidies
        .iter()
        .find(|s| s.id == req.subsidy)
        .ok_or_else(|| AppError::new(ErrorCode::NotFound, "no such subsidy in this campaign"))?;
    if !invoice_date_ok(campaign, req.invoice_date) {
        return Err(AppError::new(
            ErrorCode::InvalidRequest,
            format!(
                "the invoice date must fall inside the campaign, {} to {}",
                campaign.starts, campaign.ends
            ),
        ));
    }
    let expected = car_subsidy(sub, req.vehicle, req.invoice_amount.fen()).ok_or_else(|| {
        AppError::new(
            ErrorCode::InvalidRequest,
            "the invoice amount must be more than zero, for a listed vehicle class",
        )
    })?;
    let card: String = req.bank_card.chars().filter(|c| !c.is_whitespace()).collect();
    if !(12..=19).contains(&card.len()) || !card.bytes().all(|b| b.is_ascii_digit()) {
        return Err(AppError::new(
            ErrorCode::InvalidRequest,
            "a bank card number has 12 to 19 digits",
        ));
    }
    let phone = quan_core::ids::mobile_number(&req.phone).ok_or_else(|| {
        AppError::new(
            ErrorCode::InvalidRequest,
            "a mobile number has 11 digits and starts with 1",
        )
    })?;
    let dealer_ok = dealers(db, campaigns, req.campaign.as_str(), req.subsidy.as_str())
        .await?
        .iter()
        .any(|d| d.id == req.dealer);
    if !dealer_ok {
        return Err(AppError::new(
            ErrorCode::InvalidRequest,
            "the dealer is not one of the listed dealers",
        ));
    }
    let sealed_card = vault
        .seal(Field::ApplicationBankCard, &card)
        .map_err(AppError::internal)?;
    let sealed_phone = vault
        .seal(Field::ApplicationPhone, &phone)
        .map_err(AppError::internal)?;
    let mut tx = db.begin_write().await?;
    let row = sqlx::query(
        "INSERT INTO applications (campaign, subsidy, resident_id, created_at, invoice_amount, invoice_date, vehicle, \
         dealer_id, bank_card, phone, bank_card_masked, phone_masked, expected, status) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 'draft') RETURNING id",
    )
    .bind(req.campaign.as_str())
    .bind(req.subsidy.as_str())
    .bind(resident.0)
    .bind(now.millis())
    .bind(req.invoice_amount.fen().0)
    .bind(req.invoice_date.to_string())
    .bind(vehicle_str(req.vehicle))
    .bind(req.dealer.0)
    .bind(&sealed_card)
    .bind(&sealed_phone)
    .bind(quan_core::ids::masked_card(&card))
    .bind(quan_core::ids::masked_mobile(&phone))
    .bind(expected.0)
    .fetch_one(&mut *tx)
    .await?;
    let id: i64 = col(&row, "id")?;
    let view = load(&mut tx, id).await?;
    tx.commit().await?;
    Ok(view)
}

/// Stores a document of a draft of `resident`'s: checked for size and kind, sealed and written to
/// `uploads` under its SHA-256, recorded with it (a second upload of a role replaces the first).
#[allow(clippy::too_many_arguments)]
pub async fn put_document(
    db: &Db,
    vault: &Vault,
    uploads: &Path,
    resident: ResidentId,
    id: i64,
    role: DocumentRole,
    declared: Option<&str>,
    bytes: &[u8],
    now: Timestamp,
) -> Result<DocumentView, AppError> {
    if bytes.is_empty() {
        return Err(AppError::new(ErrorCode::InvalidRequest, "the document is empty"));
    }
    if bytes.len() > MAX_DOCUMENT_BYTES {
        return Err(AppError::new(
            ErrorCode::InvalidRequest,
            format!(
                "a document may be at most {} MB",
                MAX_DOCUMENT_BYTES / 1024 / 1024
            ),
        ));
    }
    let media_type = sniff(bytes).ok_or_else(|| {
        AppError::new(
            ErrorCode::UnsupportedMediaType,
            "documents are photos (JPEG, PNG, WebP) or PDF files",
        )
    })?;
    if declared.is_some_and(|d| !d.eq_ignore_ascii_case(media_type)) {
        return Err(AppError::new(
            ErrorCode::UnsupportedMediaType,
            format!("the file is {media_type}, not what its Content-Type says"),
        ));
    }
    let sha256: String = Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect();
    let mut tx = db.begin_write().await?;
    let app = owned_draft(&mut tx, resident, id).await?;
    write_file(
        uploads,
        &sha256,
        &vault.seal_file(&sha256, bytes).map_err(AppError::internal)?,
    )
    .await?;
    sqlx::query("DELETE FROM documents WHERE application_id = $1 AND role = $2")
        .bind(app)
        .bind(role.as_str())
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "INSERT INTO documents (application_id, role, sha256, media_type, bytes, uploaded_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(app)
    .bind(role.as_str())
    .bind(&sha256)
    .bind(media_type)
    .bind(i64::try_from(bytes.len()).unwrap_or(i64::MAX))
    .bind(now.millis())
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(DocumentView {
        role,
        media_type: media_type.to_owned(),
        bytes: bytes.len() as u64,
        sha256,
    })
}

/// Writes the file once (a file of the same hash is the same file), through a temporary name so
/// that a reader never sees half of it.
async fn write_file(uploads: &Path, sha256: &str, bytes: &[u8]) -> Result<(), AppError> {
    if tokio::fs::try_exists(uploads.join(sha256)).await.unwrap_or(false) {
        return Ok(());
    }
    replace_file(uploads, sha256, bytes)
        .await
        .map_err(AppError::internal)
}

/// Writes the file `name` in `uploads`, whole or not at all: through a temporary name, then renamed.
pub async fn replace_file(uploads: &Path, name: &str, bytes: &[u8]) -> std::io::Result<()> {
    tokio::fs::create_dir_all(uploads).await?;
    let temp = uploads.join(format!("{name}.{}.part", std::process::id()));
    tokio::fs::write(&temp, bytes).await?;
    tokio::fs::rename(&temp, uploads.join(name)).await
}

/// The application `id` if it is `resident`'s and still a draft.
async fn owned_draft(tx: &mut Tx, resident: ResidentId, id: i64) -> Result<i64, AppError> {
    let row = sqlx::query("SELECT resident_id, status FROM applications WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?
        .ok_or_else(|| AppError::new(ErrorCode::NotFound, "no such application"))?;
    let owner: i64 = col(&row, "resident_id")?;
    if owner != resident.0 {
        return Err(AppError::new(ErrorCode::NotFound, "no such application"));
    }
    let status: String = col(&row, "status")?;
    if status != "draft" {
        return Err(AppError::new(
            ErrorCode::InvalidRequest,
            "the application has been submitted and cannot change",
        ));
    }
    Ok(id)
}

/// Submits a draft with all four documents: from now it is in the queue, by this instant.
pub async fn submit(
    db: &Db,
    resident: ResidentId,
    id: i64,
    now: Timestamp,
) -> Result<ApplicationView, AppError> {
    let mut tx = db.begin_write().await?;
    owned_draft(&mut tx, resident, id).await?;
    let have = load(&mut tx, id).await?;
    let missing: Vec<&str> = DocumentRole::ALL
        .iter()
        .filter(|r| !have.documents.iter().any(|d| d.role == **r))
        .map(|r| r.as_str())
        .collect();
    if !missing.is_empty() {
        return Err(AppError::new(
            ErrorCode::InvalidRequest,
            format!("documents still missing: {}", missing.join(", ")),
        ));
    }
    sqlx::query(
        "UPDATE applications SET status = 'submitted', submitted_at = $1 WHERE id = $2 AND status = 'draft'",
    )
    .bind(now.millis())
    .bind(id)
    .execute(&mut *tx)
    .await?;
    let view = load(&mut tx, id).await?;
    tx.commit().await?;
    Ok(view)
}

/// `resident`'s applications, newest first.
pub async fn mine(db: &Db, resident: ResidentId) -> Result<Vec<ApplicationView>, AppError> {
    let mut tx = db.begin_read().await?;
    let ids: Vec<i64> =
        sqlx::query_scalar("SELECT id FROM applications WHERE resident_id = $1 ORDER BY id DESC")
            .bind(resident.0)
            .fetch_all(&mut *tx)
            .await?;
    load_all(tx, ids).await
}

/// The reviewers' queue: every submitted application, in submission order.
pub async fn queue(db: &Db) -> Result<Vec<ApplicationView>, AppError> {
    let mut tx = db.begin_read().await?;
    let ids: Vec<i64> =
        sqlx::query_scalar("SELECT id FROM applications WHERE status <> 'draft' ORDER BY submitted_at, id")
            .fetch_all(&mut *tx)
            .await?;
    load_all(tx, ids).await
}

/// A reviewer's decision, logged. Approval reserves the grant from the subsidy's budget with one
/// conditional update (the budget's CHECK holds it too); payment moves it from reserved to paid.
pub async fn decide(
    db: &Db,
    campaigns: &Campaigns,
    account: i64,
    id: i64,
    req: &ReviewRequest,
    now: Timestamp,
) -> Result<ApplicationView, AppError> {
    let reason = req.reason.trim();
    if req.action == ReviewAction::Reject && reason.is_empty() {
        return Err(AppError::new(
            ErrorCode::InvalidRequest,
            "a rejection needs the reason the applicant will read",
        ));
    }
    let mut tx = db.begin_write().await?;
    let app = load(&mut tx, id).await?;
    let to = review_step(app.status, req.action).ok_or_else(|| {
        AppError::new(
            ErrorCode::InvalidRequest,
            format!(
                "an application that is {} cannot take this action",
                app.status.as_str()
            ),
        )
    })?;
    let mut amount = Fen::ZERO;
    match req.action {
        ReviewAction::Approve => {
            let sub = campaigns
                .get(app.campaign.as_str())
                .and_then(|c| c.subsidies.iter().find(|s| s.id == app.subsidy))
                .ok_or_else(|| AppError::internal("the application's subsidy is no longer configured"))?;
            let row = sqlx::query(&format!(
                "SELECT budget, reserved, paid FROM subsidy_budgets WHERE campaign = $1 AND subsidy = $2{}",
                db.dialect.for_update()
            ))
            .bind(app.campaign.as_str())
            .bind(app.subsidy.as_str())
            .fetch_one(&mut *tx)
            .await?;
            let left =
                Fen(col::<i64>(&row, "budget")? - col::<i64>(&row, "reserved")? - col::<i64>(&row, "paid")?);
            amount = grant(sub.grant, app.expected, left).ok_or_else(|| {
                AppError::new(
                    ErrorCode::SoldOut,
                    "the subsidy's budget cannot cover this application: reject it with that reason",
                )
            })?;
            let reserved = sqlx::query(
                "UPDATE subsidy_budgets SET reserved = reserved + $1 \
                 WHERE campaign = $2 AND subsidy = $3 AND reserved + paid + $1 <= budget",
            )
            .bind(amount.0)
            .bind(app.campaign.as_str())
            .bind(app.subsidy.as_str())
            .execute(&mut *tx)
            .await?;
            if reserved.rows_affected() != 1 {
                return Err(AppError::new(ErrorCode::SoldOut, "the subsidy's budget is spent"));
            }
        }
        ReviewAction::MarkPaid => {
            amount = app.granted;
            sqlx::query(
                "UPDATE subsidy_budgets SET reserved = reserved - $1, paid = paid + $1 WHERE campaign = $2 AND subsidy = $3",
            )
            .bind(amount.0)
            .bind(app.campaign.as_str())
            .bind(app.subsidy.as_str())
            .execute(&mut *tx)
            .await?;
        }
        ReviewAction::Review | ReviewAction::Reject => {}
    }
    let granted = if req.action == ReviewAction::Approve {
        amount
    } else {
        app.granted
    };
    let changed = sqlx::query(
        "UPDATE applications SET status = $1, reason = $2, granted = $3 WHERE id = $4 AND status = $5",
    )
    .bind(to.as_str())
    .bind(if req.action == ReviewAction::Reject {
        reason
    } else {
        app.reason.as_str()
    })
    .bind(granted.0)
    .bind(id)
    .bind(app.status.as_str())
    .execute(&mut *tx)
    .await?;
    if changed.rows_affected() != 1 {
        return Err(AppError::new(
            ErrorCode::IdempotencyInProgress,
            "another reviewer decided it just now",
        ));
    }
    sqlx::query("INSERT INTO review_log (application_id, at, account_id, action, reason, amount) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(id)
        .bind(now.millis())
        .bind(account)
        .bind(to.as_str())
        .bind(reason)
        .bind(amount.0)
        .execute(&mut *tx)
        .await?;
    let view = load(&mut tx, id).await?;
    tx.commit().await?;
    Ok(view)
}

/// A document's file and kind, for its applicant or a reviewer (`resident` `None`).
pub async fn document(
    db: &Db,
    vault: &Vault,
    uploads: &Path,
    resident: Option<ResidentId>,
    id: i64,
    role: DocumentRole,
) -> Result<(String, Vec<u8>), AppError> {
    let row = sqlx::query(
        "SELECT d.sha256, d.media_type, a.resident_id FROM documents d JOIN applications a ON a.id = d.application_id \
         WHERE d.application_id = $1 AND d.role = $2",
    )
    .bind(id)
    .bind(role.as_str())
    .fetch_optional(&db.pool)
    .await?
    .ok_or_else(|| AppError::new(ErrorCode::NotFound, "no such document"))?;
    let owner: i64 = col(&row, "resident_id")?;
    if resident.is_some_and(|r| r.0 != owner) {
        return Err(AppError::new(ErrorCode::NotFound, "no such document"));
    }
    let sha256: String = col(&row, "sha256")?;
    let stored = tokio::fs::read(uploads.join(&sha256))
        .await
        .map_err(AppError::internal)?;
    let bytes = vault.open_file(&sha256, stored).map_err(AppError::internal)?;
    let actual: String = Sha256::digest(&bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    if actual != sha256 {
        return Err(AppError::internal(format!(
            "document {id}/{} does not match its recorded hash",
            role.as_str()
        )));
    }
    Ok((col(&row, "media_type")?, bytes))
}

/// The applicant's bank card and phone in full, for `account` if it is the application's reviewer:
/// the first to act on it in the review log.
pub async fn payment_details(
    db: &Db,
    vault: &Vault,
    account: i64,
    id: i64,
) -> Result<PaymentDetails, AppError> {
    let row = sqlx::query("SELECT bank_card, phone FROM applications WHERE id = $1 AND status <> 'draft'")
        .bind(id)
        .fetch_optional(&db.pool)
        .await?
        .ok_or_else(|| AppError::new(ErrorCode::NotFound, "no such application"))?;
    let reviewer: Option<i64> =
        sqlx::query_scalar("SELECT account_id FROM review_log WHERE application_id = $1 ORDER BY id LIMIT 1")
            .bind(id)
            .fetch_optional(&db.pool)
            .await?;
    match reviewer {
        None => Err(AppError::new(
            ErrorCode::Forbidden,
            "take the application up for review first: only its reviewer sees the full numbers",
        )),
        Some(r) if r != account => Err(AppError::new(
            ErrorCode::Forbidden,
            "another reviewer has this application: only its reviewer sees the full numbers",
        )),
        Some(_) => Ok(PaymentDetails {
            bank_card: vault
                .open(Field::ApplicationBankCard, &col::<String>(&row, "bank_card")?)
                .map_err(AppError::internal)?,
            phone: vault
                .open(Field::ApplicationPhone, &col::<String>(&row, "phone")?)
                .map_err(AppError::internal)?,
        }),
    }
}

/// What a rotation of the data key sealed again.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Resealed {
    pub applications: u64,
    pub documents: u64,
}

/// Seals again, under the current data key, every application's bank card and phone and every
/// document that is not sealed under it yet: sealed under a previous key, or written before
/// encryption. A document is checked against its hash before it is written back.
pub async fn reseal(db: &Db, vault: &Vault, uploads: &Path) -> Result<Resealed, String> {
    let mut done = Resealed::default();
    let rows = sqlx::query("SELECT id, bank_card, phone FROM applications ORDER BY id")
        .fetch_all(&db.pool)
        .await
        .map_err(|e| e.to_string())?;
    for row in rows {
        let (card, phone): (String, String) = (
            col(&row, "bank_card").map_err(|e| e.to_string())?,
            col(&row, "phone").map_err(|e| e.to_string())?,
        );
        if vault.is_current(&card) && vault.is_current(&phone) {
            continue;
        }
        let reseal = |field, stored: &str| {
            vault
                .open(field, stored)
                .and_then(|plain| vault.seal(field, &plain))
                .map_err(|e| e.to_string())
        };
        // A write transaction of its own, as every write here is (on SQLite `BEGIN IMMEDIATE`,
        // which waits its turn behind a running server's writes).
        let mut tx = db.begin_write().await.map_err(|e| e.to_string())?;
        let changed = sqlx::query(
            "UPDATE applications SET bank_card = $1, phone = $2 WHERE id = $3 AND bank_card = $4 AND phone = $5",
        )
        .bind(reseal(Field::ApplicationBankCard, &card)?)
        .bind(reseal(Field::ApplicationPhone, &phone)?)
        .bind(col::<i64>(&row, "id").map_err(|e| e.to_string())?)
        .bind(&card)
        .bind(&phone)
        .execute(&mut *tx)
        .await
        .map_err(|e| e.to_string())?;
        tx.commit().await.map_err(|e| e.to_string())?;
        done.applications += changed.rows_affected();
    }
    let files: Vec<String> = sqlx::query_scalar("SELECT DISTINCT sha256 FROM documents ORDER BY sha256")
        .fetch_all(&db.pool)
        .await
        .map_err(|e| e.to_string())?;
    for sha256 in files {
        let stored = tokio::fs::read(uploads.join(&sha256))
            .await
            .map_err(|e| format!("document {sha256}: {e}"))?;
        if vault.file_is_current(&stored) {
            continue;
        }
        let plain = vault.open_file(&sha256, stored).map_err(|e| e.to_string())?;
        let actual: String = Sha256::digest(&plain)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        if actual != sha256 {
            return Err(format!(
                "document {sha256} does not match its hash; it is left as it is"
            ));
        }
        let sealed = vault.seal_file(&sha256, &plain).map_err(|e| e.to_string())?;
        replace_file(uploads, &sha256, &sealed)
            .await
            .map_err(|e| format!("document {sha256}: {e}"))?;
        done.documents += 1;
    }
    Ok(done)
}

/// The applications `ids`, in that order, read in `tx` (then ended).
async fn load_all(mut tx: Tx, ids: Vec<i64>) -> Result<Vec<ApplicationView>, AppError> {
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        out.push(load(&mut tx, id).await?);
    }
    tx.commit().await?;
    Ok(out)
}

/// One application as its views show it: the masked columns only, never the sealed ones.
async fn load(tx: &mut Tx, id: i64) -> Result<ApplicationView, AppError> {
    let row = sqlx::query(
        "SELECT a.id, a.campaign, a.subsidy, a.status, a.invoice_amount, a.invoice_date, a.vehicle, a.dealer_id, \
         a.bank_card_masked, a.phone_masked, a.expected, a.granted, a.submitted_at, a.reason, \
         m.name AS dealer_name, r.name AS applicant FROM applications a \
         JOIN merchants m ON m.id = a.dealer_id JOIN residents r ON r.id = a.resident_id WHERE a.id = $1",
    )
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?
    .ok_or_else(|| AppError::new(ErrorCode::NotFound, "no such application"))?;
    let docs = sqlx::query(
        "SELECT role, sha256, media_type, bytes FROM documents WHERE application_id = $1 ORDER BY role",
    )
    .bind(id)
    .fetch_all(&mut **tx)
    .await?;
    read(&row, &docs).map_err(AppError::internal)
}

fn read(row: &AnyRow, docs: &[AnyRow]) -> Result<ApplicationView, String> {
    let e = |e: crate::db::DbError| e.to_string();
    let status: String = col(row, "status").map_err(e)?;
    let vehicle: String = col(row, "vehicle").map_err(e)?;
    let date: String = col(row, "invoice_date").map_err(e)?;
    let documents = docs
        .iter()
        .map(|d| {
            let role: String = col(d, "role").map_err(e)?;
            Ok(DocumentView {
                role: DocumentRole::parse(&role).ok_or_else(|| format!("unknown document role {role}"))?,
                media_type: col(d, "media_type").map_err(e)?,
                bytes: u64::try_from(col::<i64>(d, "bytes").map_err(e)?).unwrap_or(0),
                sha256: col(d, "sha256").map_err(e)?,
            })
        })
        .collect::<Result<Vec<_>, String>>()?;
    Ok(ApplicationView {
        id: col(row, "id").map_err(e)?,
        campaign: CampaignId::from(col::<String>(row, "campaign").map_err(e)?.as_str()),
        subsidy: KindId::from(col::<String>(row, "subsidy").map_err(e)?.as_str()),
        status: ApplicationStatus::parse(&status).ok_or_else(|| format!("unknown status {status}"))?,
        applicant: col(row, "applicant").map_err(e)?,
        invoice_amount: Fen(col(row, "invoice_amount").map_err(e)?),
        invoice_date: ChinaDate::parse(&date).map_err(|x| x.to_string())?,
        vehicle: if vehicle == "fuel" {
            VehicleClass::Fuel
        } else {
            VehicleClass::NewEnergy
        },
        dealer: Dealer {
            id: MerchantId(col(row, "dealer_id").map_err(e)?),
            name: col(row, "dealer_name").map_err(e)?,
        },
        bank_card: col(row, "bank_card_masked").map_err(e)?,
        phone: col(row, "phone_masked").map_err(e)?,
        expected: Fen(col(row, "expected").map_err(e)?),
        granted: Fen(col(row, "granted").map_err(e)?),
        submitted_at: col::<Option<i64>>(row, "submitted_at").map_err(e)?.map(Timestamp),
        reason: col(row, "reason").map_err(e)?,
        documents,
    })
}
