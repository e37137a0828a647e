//! Merchants, their staff, and operators.

use quan_core::api::{MerchantView, Role, SignInRecord};
use quan_core::{CategoryId, MerchantId, Timestamp};

use crate::db::{col, Db, DbError};

/// An account's record, as signing in reads it.
#[derive(Debug, Clone)]
pub struct Account {
    pub id: i64,
    pub username: String,
    pub password_hash: String,
    pub role: Role,
    pub merchant: Option<MerchantId>,
    pub display_name: String,
    pub county: String,
    pub disabled: bool,
    pub must_change_password: bool,
    pub last_sign_in: Option<SignInRecord>,
}

const ACCOUNT_COLUMNS: &str = "id, username, password_hash, role, merchant_id, display_name, county, \
     disabled_at, must_change_password, last_sign_in_at, last_sign_in_from";

fn read_account(row: &sqlx::any::AnyRow) -> Result<Account, DbError> {
    let role: String = col(row, "role")?;
    Ok(Account {
        id: col(row, "id")?,
        username: col(row, "username")?,
        password_hash: col(row, "password_hash")?,
        role: Role::parse(&role).ok_or_else(|| DbError(format!("unknown role '{role}'")))?,
        merchant: col::<Option<i64>>(row, "merchant_id")?.map(MerchantId),
        display_name: col(row, "display_name")?,
        county: col(row, "county")?,
        disabled: col::<Option<i64>>(row, "disabled_at")?.is_some(),
        must_change_password: col::<i64>(row, "must_change_password")? != 0,
        last_sign_in: col::<Option<i64>>(row, "last_sign_in_at")?.map(|at| SignInRecord {
            at: Timestamp(at),
            from: col(row, "last_sign_in_from").unwrap_or_default(),
        }),
    })
}

pub async fn find_account(db: &Db, username: &str) -> Result<Option<Account>, DbError> {
    let row = sqlx::query(&format!(
        "SELECT {ACCOUNT_COLUMNS} FROM accounts WHERE username = $1"
    ))
    .bind(username)
    .fetch_optional(&db.pool)
    .await?;
    row.as_ref().map(read_account).transpose()
}

pub async fn account(db: &Db, id: i64) -> Result<Option<Account>, DbError> {
    let row = sqlx::query(&format!("SELECT {ACCOUNT_COLUMNS} FROM accounts WHERE id = $1"))
        .bind(id)
        .fetch_optional(&db.pool)
        .await?;
    row.as_ref().map(read_account).transpose()
}

/// Every account, or a shop's, in the order they were made.
pub async fn list(db: &Db, merchant: Option<MerchantId>) -> Result<Vec<Account>, DbError> {
    let rows = match merchant {
        Some(m) => {
            sqlx::query(&format!(
                "SELECT {ACCOUNT_COLUMNS} FROM accounts WHERE merchant_id = $1 ORDER BY id"
            ))
            .bind(m.0)
            .fetch_all(&db.pool)
            .await?
        }
        None => {
            sqlx::query(&format!("SELECT {ACCOUNT_COLUMNS} FROM accounts ORDER BY id"))
                .fetch_all(&db.pool)
                .await?
        }
    };
    rows.iter().map(read_account).collect()
}

/// Wrong passwords in a row that lock an account.
pub const LOCK_AFTER: i64 = 5;
/// How long a lock lasts.
pub const LOCK_MS: i64 = 15 * 60 * 1000;

/// Takes one of an account's sign-in attempts before its password is checked, so that however
/// many arrive at once, no more than [`LOCK_AFTER`] are ever compared: the count is one atomic
/// update on both databases. `Err(until)` while the account is locked. A lock that has run out
/// starts the count afresh.
pub async fn take_attempt(db: &Db, id: i64, now: Timestamp) -> Result<Result<(), Timestamp>, DbError> {
    let lock = now.plus_millis(LOCK_MS).millis();
    let mut tx = db.begin_write().await?;
    let taken = sqlx::query(
        "UPDATE accounts SET \
            failed_sign_ins = CASE WHEN failed_sign_ins >= $1 THEN 1 ELSE failed_sign_ins + 1 END, \
            locked_until = CASE WHEN failed_sign_ins = $1 - 1 THEN $2 ELSE 0 END \
         WHERE id = $3 AND (failed_sign_ins < $1 OR locked_until <= $4) \
         RETURNING failed_sign_ins",
    )
    .bind(LOCK_AFTER)
    .bind(lock)
    .bind(id)
    .bind(now.millis())
    .fetch_optional(&mut *tx)
    .await?;
    let until = match taken {
        Some(_) => None,
        None => {
            let row = sqlx::query("SELECT locked_until FROM accounts WHERE id = $1")
                .bind(id)
                .fetch_one(&mut *tx)
                .await?;
            Some(Timestamp(col(&row, "locked_until")?))
        }
    };
    tx.commit().await?;
    Ok(until.map_or(Ok(()), Err))
}

/// A right password: the count starts again, and this sign-in is the one the next shows.
pub async fn signed_in(db: &Db, id: i64, now: Timestamp, from: &str) -> Result<(), DbError> {
    let mut tx = db.begin_write().await?;
    sqlx::query(
        "UPDATE accounts SET failed_sign_ins = 0, locked_until = 0, last_sign_in_at = $1, \
         last_sign_in_from = $2 WHERE id = $3",
    )
    .bind(now.millis())
    .bind(from)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

/// A new account. `None` when the name is taken.
#[allow(clippy::too_many_arguments)]
pub async fn create(
    db: &Db,
    username: &str,
    password_hash: &str,
    role: Role,
    merchant: Option<MerchantId>,
    display_name: &str,
    county: &str,
    must_change_password: bool,
    now: Timestamp,
) -> Result<Option<i64>, DbError> {
    let mut tx = db.begin_write().await?;
    let row = sqlx::query(
        "INSERT INTO accounts (username, password_hash, role, merchant_id, display_name, county, \
         must_change_password, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
         ON CONFLICT (username) DO NOTHING RETURNING id",
    )
    .bind(username)
    .bind(password_hash)
    .bind(role.as_str())
    .bind(merchant.map(|m| m.0))
    .bind(display_name)
    .bind(county)
    .bind(i64::from(must_change_password))
    .bind(now.millis())
    .fetch_optional(&mut *tx)
    .await?;
    tx.commit().await?;
    row.map(|r| col(&r, "id")).transpose()
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
    if let Some(id) = create(
        db,
        username,
        password_hash,
        role,
        merchant,
        display_name,
        "",
        false,
        now,
    )
    .await?
    {
        return Ok(id);
    }
    let row = sqlx::query("SELECT id FROM accounts WHERE username = $1")
        .bind(username)
        .fetch_one(&db.pool)
        .await?;
    col(&row, "id")
}

/// Sets an account's password. `must_change`: it was set by someone else (a reset), so the
/// holder must choose a new one at the next sign-in. A reset also lifts a lock.
pub async fn set_password(db: &Db, id: i64, password_hash: &str, must_change: bool) -> Result<bool, DbError> {
    let mut tx = db.begin_write().await?;
    let done = sqlx::query(
        "UPDATE accounts SET password_hash = $1, must_change_password = $2, failed_sign_ins = 0, \
         locked_until = 0 WHERE id = $3",
    )
    .bind(password_hash)
    .bind(i64::from(must_change))
    .bind(id)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(done.rows_affected() == 1)
}

/// Disables an account (`on`), or enables it again. Its sessions stop working at once.
pub async fn set_disabled(db: &Db, id: i64, on: bool, now: Timestamp) -> Result<bool, DbError> {
    let mut tx = db.begin_write().await?;
    let done = sqlx::query("UPDATE accounts SET disabled_at = $1 WHERE id = $2")
        .bind(on.then_some(now.millis()))
        .bind(id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(done.rows_affected() == 1)
}

/// Whether any operator account exists (a server with none says how to make the first).
pub async fn has_operator(db: &Db) -> Result<bool, DbError> {
    let row =
        sqlx::query("SELECT COUNT(*) AS n FROM accounts WHERE role = 'operator' AND disabled_at IS NULL")
            .fetch_one(&db.pool)
            .await?;
    Ok(col::<i64>(&row, "n")? > 0)
}

/// The columns [`read_merchant`] needs.
pub const MERCHANT_COLUMNS: &str =
    "id, name, category, county, blacklisted, blacklist_reason, suspended, suspension_reason, credit_code, address, contact";

pub async fn merchant(db: &Db, id: MerchantId) -> Result<Option<MerchantView>, DbError> {
    let row = sqlx::query(&format!("SELECT {MERCHANT_COLUMNS} FROM merchants WHERE id = $1"))
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
        county: col(row, "county")?,
        blacklisted: col::<i64>(row, "blacklisted")? != 0,
        blacklist_reason: col(row, "blacklist_reason")?,
        suspended: col::<i64>(row, "suspended")? != 0,
        suspension_reason: col(row, "suspension_reason")?,
        credit_code: col::<Option<String>>(row, "credit_code")?.unwrap_or_default(),
        address: col(row, "address")?,
        contact: col(row, "contact")?,
    })
}

pub async fn merchants(db: &Db) -> Result<Vec<MerchantView>, DbError> {
    let rows = sqlx::query(&format!("SELECT {MERCHANT_COLUMNS} FROM merchants ORDER BY id"))
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

/// What the bureau may set on a merchant, apart from its particulars. Either way it redeems
/// nothing, and its offers and its dealership are hidden.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    /// Market supervision's finding: out of the campaign.
    Blacklisted,
    /// For a while (moved, under inquiry), then resumed.
    Suspended,
}

/// Sets `standing` on a merchant with its reason, or lifts it. Lifted, the merchant keeps the
/// reason it was last set for; the audit trail has both acts.
pub async fn set_standing(
    db: &Db,
    id: MerchantId,
    county: &str,
    standing: Standing,
    on: bool,
    reason: &str,
) -> Result<Option<MerchantView>, DbError> {
    let (flag, why) = match standing {
        Standing::Blacklisted => ("blacklisted", "blacklist_reason"),
        Standing::Suspended => ("suspended", "suspension_reason"),
    };
    // The reason stays on record when the standing is lifted: only the flag changes then.
    let reason_set = if on {
        format!(", {why} = $4")
    } else {
        String::new()
    };
    let sql = format!(
        "UPDATE merchants SET {flag} = $3{reason_set} WHERE id = $1 AND ($2 = '' OR county = $2) \
         RETURNING {MERCHANT_COLUMNS}"
    );
    let mut query = sqlx::query(&sql).bind(id.0).bind(county).bind(i64::from(on));
    if on {
        query = query.bind(reason);
    }
    let row = query.fetch_optional(&db.pool).await?;
    row.map(|r| read_merchant(&r)).transpose()
}

/// The name an account is shown by in records: its display name, else its username.
pub fn shown_name(display: Option<String>, username: Option<String>) -> Option<String> {
    display.filter(|d| !d.is_empty()).or(username)
}
