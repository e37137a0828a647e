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

/// Records the mobile number the resident signed in with (demo) or the host app vouched for.
pub async fn set_phone(db: &Db, id: ResidentId, phone: &str) -> Result<(), DbError> {
    let mut tx = db.begin_write().await?;
    sqlx::query("UPDATE residents SET phone = $1 WHERE id = $2 AND phone <> $1")
        .bind(phone)
        .bind(id.0)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// The resident with this mobile number, if one has signed in with it.
pub async fn by_phone(db: &Db, phone: &str) -> Result<Option<ResidentId>, DbError> {
    let row = sqlx::query("SELECT id FROM residents WHERE phone = $1 ORDER BY id LIMIT 1")
        .bind(phone)
        .fetch_optional(&db.pool)
        .await?;
    row.map(|r| col(&r, "id").map(ResidentId)).transpose()
}
