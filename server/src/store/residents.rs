//! Residents: one row per real-name person, found or made at sign-in.

use quan_core::{ResidentId, Timestamp};

use crate::db::{col, Db, DbError};

/// The resident with this subject (the host's stable id, or `demo:<phone>`), made if new.
pub async fn find_or_create(
    db: &Db,
    subject: &str,
    name: &str,
    now: Timestamp,
) -> Result<ResidentId, DbError> {
    if let Some(row) = sqlx::query("SELECT id FROM residents WHERE subject = $1")
        .bind(subject)
        .fetch_optional(&db.pool)
        .await?
    {
        return Ok(ResidentId(col(&row, "id")?));
    }
    let mut tx = db.begin_write().await?;
    sqlx::query(
        "INSERT INTO residents (subject, name, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
    )
    .bind(subject)
    .bind(name)
    .bind(now.millis())
    .execute(&mut *tx)
    .await?;
    let row = sqlx::query("SELECT id FROM residents WHERE subject = $1")
        .bind(subject)
        .fetch_one(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(ResidentId(col(&row, "id")?))
}
