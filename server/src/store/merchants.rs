//! The merchant registry: the county's list imported (previewed first, then written), and single
//! merchants added or edited during the campaign. A merchant is known by its credit code, so a
//! list imported again updates each merchant and never adds one twice.

use quan_core::api::{ImportLine, ImportOutcome, MerchantImport, MerchantView};
use quan_core::registry::{Line, Listed};
use quan_core::{MerchantId, Timestamp};

use crate::db::{col, Db, DbError, Tx};
use crate::store::accounts;

/// What the registry holds for `code`, and whether `m` would change it.
async fn compare(tx: &mut Tx, m: &Listed) -> Result<(Option<i64>, ImportOutcome), DbError> {
    let row = sqlx::query(
        "SELECT id, name, category, county, address, contact FROM merchants WHERE credit_code = $1",
    )
    .bind(m.credit_code.as_str())
    .fetch_optional(&mut **tx)
    .await?;
    let Some(row) = row else {
        return Ok((None, ImportOutcome::New));
    };
    let same = col::<String>(&row, "name")? == m.name
        && col::<String>(&row, "category")? == m.category
        && col::<String>(&row, "county")? == m.county
        && col::<String>(&row, "address")? == m.address
        && col::<String>(&row, "contact")? == m.contact;
    let outcome = if same {
        ImportOutcome::Unchanged
    } else {
        ImportOutcome::Updated
    };
    Ok((Some(col(&row, "id")?), outcome))
}

/// Writes `m`: over merchant `id`, or as a new merchant. Its id.
async fn write(tx: &mut Tx, id: Option<i64>, m: &Listed, now: Timestamp) -> Result<i64, DbError> {
    // The same six values either way; the seventh is the merchant's id, or when it was made.
    let (sql, last) = match id {
        Some(id) => (
            "UPDATE merchants SET name = $1, category = $2, county = $3, address = $4, contact = $5, \
             credit_code = $6 WHERE id = $7 RETURNING id",
            id,
        ),
        None => (
            "INSERT INTO merchants (name, category, county, address, contact, credit_code, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
            now.millis(),
        ),
    };
    let row = sqlx::query(sql)
        .bind(&m.name)
        .bind(&m.category)
        .bind(&m.county)
        .bind(&m.address)
        .bind(&m.contact)
        .bind(m.credit_code.as_str())
        .bind(last)
        .fetch_one(&mut **tx)
        .await?;
    col(&row, "id")
}

/// Imports `lines` (with `commit`), or says what importing them would do (a preview, which
/// writes nothing). Refused lines are reported and skipped; the rest go in one transaction.
pub async fn import(
    db: &Db,
    lines: &[Line],
    commit: bool,
    now: Timestamp,
) -> Result<MerchantImport, DbError> {
    let mut tx = if commit {
        db.begin_write().await?
    } else {
        db.begin_read().await?
    };
    let mut report = MerchantImport {
        committed: commit,
        lines: Vec::with_capacity(lines.len()),
        new: 0,
        updated: 0,
        unchanged: 0,
        refused: 0,
    };
    for line in lines {
        let (name, credit_code, outcome, problem) = match &line.outcome {
            Ok(m) => {
                let (id, outcome) = compare(&mut tx, m).await?;
                if commit && outcome != ImportOutcome::Unchanged {
                    write(&mut tx, id, m, now).await?;
                }
                (m.name.clone(), m.credit_code.as_str().to_owned(), outcome, None)
            }
            Err(why) => (
                String::new(),
                String::new(),
                ImportOutcome::Refused,
                Some(why.clone()),
            ),
        };
        match outcome {
            ImportOutcome::New => report.new += 1,
            ImportOutcome::Updated => report.updated += 1,
            ImportOutcome::Unchanged => report.unchanged += 1,
            ImportOutcome::Refused => report.refused += 1,
        }
        report.lines.push(ImportLine {
            line: u32::try_from(line.number).unwrap_or(u32::MAX),
            name,
            credit_code,
            outcome,
            problem,
        });
    }
    if commit {
        tx.commit().await?;
    } else {
        tx.rollback().await?;
    }
    Ok(report)
}

/// Why a single merchant could not be saved.
#[derive(Debug)]
pub enum Refused {
    /// Another merchant has that credit code.
    CodeTaken(MerchantId),
    NotFound,
}

/// Adds a merchant (`id` none) or edits merchant `id`.
pub async fn save(
    db: &Db,
    id: Option<MerchantId>,
    m: &Listed,
    now: Timestamp,
) -> Result<Result<MerchantView, Refused>, DbError> {
    let mut tx = db.begin_write().await?;
    let (holder, _) = compare(&mut tx, m).await?;
    if let Some(other) = holder.filter(|h| Some(*h) != id.map(|i| i.0)) {
        return Ok(Err(Refused::CodeTaken(MerchantId(other))));
    }
    if let Some(id) = id {
        let exists = sqlx::query("SELECT id FROM merchants WHERE id = $1")
            .bind(id.0)
            .fetch_optional(&mut *tx)
            .await?;
        if exists.is_none() {
            return Ok(Err(Refused::NotFound));
        }
    }
    let saved = write(&mut tx, id.map(|i| i.0), m, now).await?;
    tx.commit().await?;
    Ok(accounts::merchant(db, MerchantId(saved))
        .await?
        .ok_or(Refused::NotFound))
}
