//! Merchants, their staff, and operators.

use quan_core::api::{MerchantView, Role};
use quan_core::{CategoryId, MerchantId, Timestamp};

use crate::db::{col, Db, DbError};

/// A signed-in account's record.
#[derive(Debug, Clone)]
pub struct Account {
    pub id: i64,
    pub password_hash: String,
    pub role: Role,
    pub merchant: Option<MerchantId>,
    pub display_name: String,
}

pub async fn find_account(db: &Db, username: &str) -> Result<Option<Account>, DbError> {
    let row = sqlx::query(
        "SELECT id, password_hash, role, merchant_id, display_name FROM accounts WHERE username = $1",
    )
    .bind(username)
    .fetch_optional(&db.pool)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let role: String = col(&row, "role")?;
    Ok(Some(Account {
        id: col(&row, "id")?,
        password_hash: col(&row, "password_hash")?,
        role: Role::parse(&role).ok_or_else(|| DbError(format!("unknown role '{role}'")))?,
        merchant: col::<Option<i64>>(&row, "merchant_id")?.map(MerchantId),
        display_name: col(&row, "display_name")?,
    }))
}

/// Creates an account unless one has the name already. Its id either way.
pub async fn ensure_account(
    db: &Db,
    username: &str,
    password_hash: &str,
    role: Role,
    merchant: Option<MerchantId>,
    display_name: &str,
    now: Timestamp,
) -> Result<i64, DbError> {
    let mut tx = db.begin_write().await?;
    sqlx::query(
        "INSERT INTO accounts (username, password_hash, role, merchant_id, display_name, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING",
    )
    .bind(username)
    .bind(password_hash)
    .bind(role.as_str())
    .bind(merchant.map(|m| m.0))
    .bind(display_name)
    .bind(now.millis())
    .execute(&mut *tx)
    .await?;
    let row = sqlx::query("SELECT id FROM accounts WHERE username = $1")
        .bind(username)
        .fetch_one(&mut *tx)
        .await?;
    tx.commit().await?;
    col(&row, "id")
}

pub async fn merchant(db: &Db, id: MerchantId) -> Result<Option<MerchantView>, DbError> {
    let row = sqlx::query("SELECT id, name, category, blacklisted FROM merchants WHERE id = $1")
        .bind(id.0)
        .fetch_optional(&db.pool)
        .await?;
    row.map(|r| read_merchant(&r)).transpose()
}

pub fn read_merchant(row: &sqlx::any::AnyRow) -> Result<MerchantView, DbError> {
    Ok(MerchantView {
        id: MerchantId(col(row, "id")?),
        name: col(row, "name")?,
        category: CategoryId(col(row, "category")?),
        blacklisted: col::<i64>(row, "blacklisted")? != 0,
    })
}

pub async fn merchants(db: &Db) -> Result<Vec<MerchantView>, DbError> {
    let rows = sqlx::query("SELECT id, name, category, blacklisted FROM merchants ORDER BY id")
        .fetch_all(&db.pool)
        .await?;
    rows.iter().map(read_merchant).collect()
}

/// Adds a merchant, or finds it by name.
pub async fn ensure_merchant(
    db: &Db,
    name: &str,
    category: &str,
    county: &str,
    now: Timestamp,
) -> Result<MerchantId, DbError> {
    if let Some(row) = sqlx::query("SELECT id FROM merchants WHERE name = $1")
        .bind(name)
        .fetch_optional(&db.pool)
        .await?
    {
        return Ok(MerchantId(col(&row, "id")?));
    }
    let mut tx = db.begin_write().await?;
    let row = sqlx::query(
        "INSERT INTO merchants (name, category, county, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(name)
    .bind(category)
    .bind(county)
    .bind(now.millis())
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(MerchantId(col(&row, "id")?))
}

/// Puts a merchant on the blacklist (it may redeem nothing) or takes it off.
pub async fn set_blacklisted(db: &Db, id: MerchantId, on: bool, reason: &str) -> Result<bool, DbError> {
    let mut tx = db.begin_write().await?;
    let done = sqlx::query("UPDATE merchants SET blacklisted = $1, blacklist_reason = $2 WHERE id = $3")
        .bind(i64::from(on))
        .bind(reason)
        .bind(id.0)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(done.rows_affected() == 1)
}
