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

    /// `SELECT … FROM …`: a batch's rows, bound as one JSON parameter (number `n`) by
    /// [`bind_rows`], in order, as `columns` (each a name, and whether it holds text or a whole
    /// number).
    ///
    /// The statement's text is the same however many rows the batch has, so each connection
    /// prepares it once, where a multi-row `VALUES` of each new length was a new statement of
    /// thousands of parameters, parsed (and on PostgreSQL planned) anew for every batch, in
    /// more time than its writes took.
    pub fn rows(self, n: usize, columns: &[(&str, Json)]) -> String {
        let list: Vec<String> = columns
            .iter()
            .enumerate()
            .map(|(i, (name, json))| match (self, json) {
                (Dialect::Sqlite, _) => format!("value ->> {i} AS {name}"),
                (Dialect::Postgres, Json::Text) => format!("e ->> {i} AS {name}"),
                (Dialect::Postgres, Json::Int) => format!("(e ->> {i})::BIGINT AS {name}"),
            })
            .collect();
        // `WHERE true`, so that an `ON CONFLICT` after it is not read as a join's `ON`.
        match self {
            Dialect::Sqlite => format!(
                "SELECT {} FROM json_each({}) WHERE true ORDER BY key",
                list.join(", "),
                self.param(n)
            ),
            Dialect::Postgres => format!(
                "SELECT {} FROM jsonb_array_elements({}::JSONB) WITH ORDINALITY AS rows(e, i) \
                 WHERE true ORDER BY i",
                list.join(", "),
                self.param(n)
            ),
        }
    }

    /// `INSERT INTO table (…) SELECT …`: a batch's rows into `table`, its columns named once,
    /// by `columns` (see [`Dialect::rows`]).
    pub fn insert_rows(self, table: &str, columns: &[(&str, Json)]) -> String {
        let names: Vec<&str> = columns.iter().map(|(name, _)| *name).collect();
        format!(
            "INSERT INTO {table} ({}) {}",
            names.join(", "),
            self.rows(1, columns)
        )
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

/// What a column of [`Dialect::rows`] holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Json {
    Text,
    Int,
}

pub type AnyQuery<'q> = sqlx::query::Query<'q, Any, sqlx::any::AnyArguments<'q>>;

/// Binds `rows` (each a tuple of text and whole numbers, in the order of the columns) to
/// `query`, as the parameter that [`Dialect::rows`] reads.
pub fn bind_rows<'q, T: serde::Serialize>(query: AnyQuery<'q>, rows: &[T]) -> Result<AnyQuery<'q>, DbError> {
    let json = serde_json::to_string(rows).map_err(|e| DbError(format!("a batch's rows: {e}")))?;
    Ok(query.bind(json))
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
    use super::{Dialect, Json};

    #[test]
    fn a_batch_statement_reads_its_rows_in_order_with_every_column_named() {
        let columns = [("a", Json::Int), ("b", Json::Text)];
        assert_eq!(
            Dialect::Sqlite.rows(3, &columns),
            "SELECT value ->> 0 AS a, value ->> 1 AS b FROM json_each(?) WHERE true ORDER BY key"
        );
        assert_eq!(
            Dialect::Postgres.rows(3, &columns),
            "SELECT (e ->> 0)::BIGINT AS a, e ->> 1 AS b FROM jsonb_array_elements($3::JSONB) \
             WITH ORDINALITY AS rows(e, i) WHERE true ORDER BY i"
        );
        assert_eq!(
            Dialect::Sqlite.insert_rows("t", &columns),
            format!("INSERT INTO t (a, b) {}", Dialect::Sqlite.rows(1, &columns))
        );
    }
}
