//! The database: SQLite (embedded, the default) or PostgreSQL, chosen by the URL, behind one
//! handle. Queries are written once, with `$1` parameters that both backends read; the few
//! differences between them are methods of [`Dialect`].

use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use sqlx::any::{AnyPoolOptions, AnyRow};
use sqlx::migrate::Migrator;
use sqlx::{Any, AnyPool, Executor, Transaction};

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/postgres");

/// Which backend a URL names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Sqlite,
    Postgres,
}

impl Dialect {
    pub fn of(url: &str) -> Result<Dialect, DbError> {
        if url.starts_with("sqlite:") {
            Ok(Dialect::Sqlite)
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Ok(Dialect::Postgres)
        } else {
            Err(DbError(format!(
                "unsupported database URL '{url}': use sqlite:… or postgres://…"
            )))
        }
    }

    /// How a writing transaction starts. SQLite's must take the write lock at once
    /// (`IMMEDIATE`): a deferred one fails under contention instead of waiting.
    pub fn begin_write(self) -> &'static str {
        match self {
            Dialect::Sqlite => "BEGIN IMMEDIATE",
            Dialect::Postgres => "BEGIN",
        }
    }

    /// The placeholder of the `n`th parameter (from 1) of a statement whose parameters are
    /// written in the order they are bound: `$n` on PostgreSQL; on SQLite a bare `?`, since
    /// SQLite looks numbered and named parameters up by name, in time that grows with the
    /// square of their number (for a batch's thousands, more than its writes take). Every
    /// parameter of such a statement comes from here: a bare `?` after a numbered one would be
    /// bound to the wrong value.
    pub fn param(self, n: usize) -> String {
        match self {
            Dialect::Sqlite => "?".into(),
            Dialect::Postgres => format!("${n}"),
        }
    }

    /// `(…, …), (…, …)`: the VALUES of a multi-row insert of `rows` rows of `columns`
    /// parameters each, the first of them parameter `first`.
    pub fn values(self, rows: usize, columns: usize, first: usize) -> String {
        let mut out = String::with_capacity(rows * columns * 5);
        for r in 0..rows {
            out.push_str(if r == 0 { "(" } else { ", (" });
            for c in 0..columns {
                if c > 0 {
                    out.push_str(", ");
                }
                out.push_str(&self.param(first + r * columns + c));
            }
            out.push(')');
        }
        out
    }

    /// Appended to a `SELECT` whose rows the transaction is about to change. SQLite needs
    /// nothing: its write transaction already excludes every other writer.
    pub fn for_update(self) -> &'static str {
        match self {
            Dialect::Sqlite => "",
            Dialect::Postgres => " FOR UPDATE",
        }
    }
}

/// A database failure, kept for the log; the API answers it as a bare 500.
#[derive(Debug)]
pub struct DbError(pub String);

impl std::fmt::Display for DbError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for DbError {}

impl From<sqlx::Error> for DbError {
    fn from(e: sqlx::Error) -> DbError {
        DbError(e.to_string())
    }
}

impl From<sqlx::migrate::MigrateError> for DbError {
    fn from(e: sqlx::migrate::MigrateError) -> DbError {
        DbError(e.to_string())
    }
}

/// The pool and what kind of database is behind it.
#[derive(Clone)]
pub struct Db {
    pub pool: AnyPool,
    pub dialect: Dialect,
    /// What it was opened with, to open [`Db::another`] pool of the same database.
    url: Arc<str>,
}

/// How every pool's connections are made: on SQLite, each waits its turn for the write lock,
/// and commits durably.
fn pool_options(dialect: Dialect, max_connections: u32) -> AnyPoolOptions {
    let options = AnyPoolOptions::new()
        .max_connections(max_connections)
        .acquire_timeout(Duration::from_secs(30));
    if dialect != Dialect::Sqlite {
        return options;
    }
    options.after_connect(|conn, _| {
        Box::pin(async move {
            // The wait first, so that the pragmas after it (and a connection opened
            // while another process writes) wait their turn instead of failing.
            conn.execute("PRAGMA busy_timeout = 30000").await?;
            // WAL lets readers go on while one writer commits; FULL makes a commit
            // durable before the claim it carries is acknowledged.
            conn.execute("PRAGMA journal_mode = WAL").await?;
            conn.execute("PRAGMA synchronous = FULL").await?;
            conn.execute("PRAGMA foreign_keys = ON").await?;
            Ok(())
        })
    })
}

pub type Tx = Transaction<'static, Any>;

impl Db {
    /// Connects (creating a SQLite file if needed) and brings the schema up to date.
    pub async fn connect(url: &str, max_connections: u32) -> Result<Db, DbError> {
        sqlx::any::install_default_drivers();
        let dialect = Dialect::of(url)?;
        let url = match dialect {
            Dialect::Sqlite if !url.contains("mode=") => {
                format!("{url}{}mode=rwc", if url.contains('?') { '&' } else { '?' })
            }
            _ => url.to_owned(),
        };
        let options = pool_options(dialect, max_connections);
        match dialect {
            Dialect::Sqlite => {
                // On a connection of their own, with foreign keys off: rebuilding a table (the
                // only way SQLite changes a CHECK) needs them off. Every reference is checked
                // after.
                use sqlx::Connection;
                let mut conn = sqlx::AnyConnection::connect(&url).await?;
                conn.execute("PRAGMA busy_timeout = 30000").await?;
                conn.execute("PRAGMA foreign_keys = OFF").await?;
                SQLITE_MIGRATIONS.run(&mut conn).await?;
                let broken = sqlx::query("PRAGMA foreign_key_check")
                    .fetch_all(&mut conn)
                    .await?;
                if !broken.is_empty() {
                    return Err(DbError(format!(
                        "after the migrations, {} rows refer to rows that do not exist",
                        broken.len()
                    )));
                }
                conn.close().await?;
            }
            Dialect::Postgres => {}
        }
        let pool = options.connect(&url).await?;
        if dialect == Dialect::Postgres {
            let mut conn = pool.acquire().await?;
            POSTGRES_MIGRATIONS.run(&mut *conn).await?;
        }
        Ok(Db {
            pool,
            dialect,
            url: Arc::from(url),
        })
    }

    /// Another pool of `max_connections` to the same database, whose connections belong to
    /// the runtime that calls this (the schema is as [`Db::connect`] left it).
    pub async fn another(&self, max_connections: u32) -> Result<Db, DbError> {
        let pool = pool_options(self.dialect, max_connections)
            .connect(&self.url)
            .await?;
        Ok(Db {
            pool,
            dialect: self.dialect,
            url: self.url.clone(),
        })
    }

    /// A transaction that will write.
    pub async fn begin_write(&self) -> Result<Tx, DbError> {
        Ok(self.pool.begin_with(self.dialect.begin_write()).await?)
    }

    /// A read-only transaction (a consistent snapshot on both backends).
    pub async fn begin_read(&self) -> Result<Tx, DbError> {
        Ok(self.pool.begin().await?)
    }

    /// Whether the database answers.
    pub async fn ping(&self) -> bool {
        sqlx::query("SELECT 1").fetch_one(&self.pool).await.is_ok()
    }
}

/// Reads column `name` of a row as `T`, naming the column in the error.
pub fn col<T>(row: &AnyRow, name: &str) -> Result<T, DbError>
where
    T: for<'r> sqlx::Decode<'r, Any> + sqlx::Type<Any>,
{
    use sqlx::Row;
    row.try_get(name)
        .map_err(|e| DbError(format!("column {name}: {e}")))
}

impl FromStr for Dialect {
    type Err = DbError;
    fn from_str(s: &str) -> Result<Dialect, DbError> {
        Dialect::of(s)
    }
}

#[cfg(test)]
mod tests {
    use super::Dialect;

    #[test]
    fn a_multi_row_insert_numbers_every_parameter_in_order() {
        assert_eq!(Dialect::Postgres.values(2, 3, 1), "($1, $2, $3), ($4, $5, $6)");
        assert_eq!(Dialect::Postgres.values(1, 2, 3), "($3, $4)");
        assert_eq!(Dialect::Sqlite.values(2, 2, 1), "(?, ?), (?, ?)");
    }
}
