//! `quan-server backup PATH`: a consistent copy of a live SQLite database and its uploads, taken
//! while the server runs. The database is written by `VACUUM INTO` inside one read snapshot, so
//! every claim acknowledged before it began is in the copy and the pools add up; the documents
//! are copied after it, and since a document's file is written before the row that names it,
//! every document the copy names is there. PostgreSQL is backed up with `pg_dump` (README).

use std::path::{Path, PathBuf};

use crate::db::{Db, Dialect};

/// What a backup wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Backup {
    /// The database copy: `PATH/quan.db`.
    pub database: PathBuf,
    /// Documents copied into `PATH/uploads/`.
    pub documents: usize,
}

/// Backs up `db` and the documents in `uploads` into the folder `dest`, which must not exist
/// yet or be empty (a backup never overwrites another).
pub async fn backup(db: &Db, uploads: &Path, dest: &Path) -> Result<Backup, String> {
    if db.dialect == Dialect::Postgres {
        return Err("this database is PostgreSQL: back it up with pg_dump (see README)".into());
    }
    let is_empty = match std::fs::read_dir(dest) {
        Ok(mut entries) => entries.next().is_none(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => true,
        Err(e) => return Err(format!("{}: {e}", dest.display())),
    };
    if !is_empty {
        return Err(format!(
            "{} is not empty: a backup goes into a new folder",
            dest.display()
        ));
    }
    let copies = dest.join("uploads");
    std::fs::create_dir_all(&copies).map_err(|e| format!("{}: {e}", copies.display()))?;
    let database = dest.join("quan.db");
    let target = database
        .to_str()
        .ok_or_else(|| format!("{}: the path is not UTF-8", database.display()))?
        .to_owned();
    sqlx::query("VACUUM INTO $1")
        .bind(target)
        .execute(&db.pool)
        .await
        .map_err(|e| format!("copying the database: {e}"))?;
    let mut documents = 0;
    match std::fs::read_dir(uploads) {
        Ok(entries) => {
            for entry in entries {
                let entry = entry.map_err(|e| format!("{}: {e}", uploads.display()))?;
                let name = entry.file_name();
                // Documents are named by their SHA-256; half-written ones end in `.part`.
                let is_document = name
                    .to_str()
                    .is_some_and(|n| n.len() == 64 && n.bytes().all(|b| b.is_ascii_hexdigit()));
                if !is_document {
                    continue;
                }
                std::fs::copy(entry.path(), copies.join(&name))
                    .map_err(|e| format!("{}: {e}", entry.path().display()))?;
                documents += 1;
            }
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(format!("{}: {e}", uploads.display())),
    }
    Ok(Backup { database, documents })
}
