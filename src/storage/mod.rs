//! SQLite storage: a pool of connections, each in WAL mode with full syncs, foreign keys on and
//! a busy timeout, and plain functions over a connection or transaction for each kind of record.

pub mod changes;
pub mod deadlines;
pub mod evaluations;
pub mod filing;
pub mod history;
pub mod listing;
pub mod migrations;
pub mod review;
pub mod rulesets;
pub mod samples;
pub mod stats;
pub mod tokens;
pub mod trend;
pub mod units;
pub mod writer;

use std::path::Path;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use r2d2::{Pool, PooledConnection};
use r2d2_sqlite::SqliteConnectionManager;
use rusqlite::Connection;

/// How long a connection waits for another writer before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// A pooled SQLite database.
#[derive(Clone, Debug)]
pub struct Database {
    pool: Pool<SqliteConnectionManager>,
    writer: writer::Writer,
    /// A connection that never writes, asked for `PRAGMA data_version`: its answer changes
    /// whenever any other connection, in this process or another (the CLI), commits.
    watch: Arc<Mutex<Connection>>,
    /// The WAL index, read instead of asking `watch` when it can be; the same for the life
    /// of the process, so that the two kinds of answer are never compared.
    wal_index: Option<Arc<changes::WalIndex>>,
}

/// How long the change watch waits for a lock before the caller falls back to reading.
const WATCH_BUSY_TIMEOUT: Duration = Duration::from_millis(50);

/// A failure in the storage layer.
#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    /// The record does not exist.
    #[error("not found")]
    NotFound,
    /// Another record already has this identity (unit, kind, year, project).
    #[error("conflict: {0}")]
    Conflict(crate::domain::messages::Detail),
    /// A form cannot be submitted while something is missing from it.
    #[error("the form is incomplete: {} missing", .0.len())]
    Incomplete(Vec<crate::domain::completeness::Missing>),
    /// Another form already has this form's identity (unit, kind, year, project).
    #[error("conflict: {detail}")]
    Duplicate {
        /// Which identity is taken.
        detail: crate::domain::messages::Detail,
        /// The form that holds it, when the caller may read that form.
        existing_id: Option<i64>,
    },
    /// The caller expected another version than the stored one.
    #[error("version mismatch: the stored version is {current}")]
    VersionMismatch {
        /// The version currently stored.
        current: i64,
    },
    /// The caller did not say which version it means to change.
    #[error("the write does not say which version it changes")]
    PreconditionRequired,
    /// The form is in review or approved, so its document cannot change.
    #[error("the evaluation is {}; only draft and returned evaluations can be changed", status.as_str())]
    Locked {
        /// Where it stands.
        status: crate::domain::lifecycle::Status,
    },
    /// Review scores are recorded only while a form is submitted.
    #[error("the evaluation is {}; review scores are recorded while it is submitted", status.as_str())]
    NotUnderReview {
        /// Where it stands.
        status: crate::domain::lifecycle::Status,
    },
    /// The form's unit does not match the unit registry.
    #[error("{0}")]
    UnitMismatch(String),
    /// The caller may not do this.
    #[error(transparent)]
    Denied(crate::domain::access::Denial),
    /// A lifecycle transition from a state it cannot start from.
    #[error(transparent)]
    WrongState(#[from] crate::domain::lifecycle::WrongState),
    /// SQLite refused or failed.
    #[error(transparent)]
    Sqlite(#[from] rusqlite::Error),
    /// No connection could be had from the pool.
    #[error(transparent)]
    Pool(#[from] r2d2::Error),
    /// The schema could not be migrated.
    #[error(transparent)]
    Migration(#[from] rusqlite_migration::Error),
    /// The database's folder could not be created.
    #[error("cannot create the database folder: {0}")]
    Io(#[from] std::io::Error),
    /// The database file could not be created or opened where it was asked for.
    #[error(
        "cannot open the database {path}: {reason} (its folder must exist or be creatable, and \
         be writable by the user the service runs as)"
    )]
    Unopenable {
        /// The file asked for.
        path: String,
        /// What the system said.
        reason: String,
    },
    /// A stored JSON column could not be read back.
    #[error("stored JSON is unreadable: {0}")]
    Json(#[from] serde_json::Error),
}

impl From<crate::domain::access::Denial> for StorageError {
    /// A form the caller may not see is, to the caller, a form that does not exist.
    fn from(denial: crate::domain::access::Denial) -> Self {
        match denial {
            crate::domain::access::Denial::Hidden => Self::NotFound,
            other => Self::Denied(other),
        }
    }
}

impl From<crate::domain::precondition::Unmet> for StorageError {
    fn from(unmet: crate::domain::precondition::Unmet) -> Self {
        use crate::domain::precondition::Unmet;
        match unmet {
            Unmet::Required => Self::PreconditionRequired,
            Unmet::Stale { current } => Self::VersionMismatch { current },
        }
    }
}

impl Database {
    /// Opens (creating if needed) the database file and migrates it to the latest schema.
    ///
    /// # Errors
    /// When the file cannot be opened or migrated.
    pub fn open(path: &Path) -> Result<Self, StorageError> {
        let unopenable = |reason: String| StorageError::Unopenable {
            path: path.display().to_string(),
            reason,
        };
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|e| unopenable(e.to_string()))?;
        }
        // One connection switches the file to WAL (a lasting change) and migrates it before the
        // pool opens its connections together: two connections switching at once do not wait
        // for each other, whatever the busy timeout, since SQLite refuses the second lock
        // upgrade at once lest they deadlock, and r2d2 logs "database is locked".
        let mut first = Connection::open(path).map_err(|e| unopenable(e.to_string()))?;
        configure(&mut first).map_err(|e| unopenable(e.to_string()))?;
        migrations::migrations().to_latest(&mut first)?;
        drop(first);
        let manager = SqliteConnectionManager::file(path).with_init(configure);
        let pool = Pool::builder().max_size(8).build(manager)?;
        let writer = writer::Writer::start(path)?;
        let watch = Connection::open(path)?;
        watch.busy_timeout(WATCH_BUSY_TIMEOUT)?;
        // A first read maps the WAL index, should no connection have read yet; `watch` stays
        // open, so the index stays while the service runs.
        let _: i64 = watch.query_row("PRAGMA data_version", [], |row| row.get(0))?;
        let wal_index = changes::WalIndex::open(path).map(Arc::new);
        if wal_index.is_none() {
            tracing::warn!(db = %path.display(), "the WAL index cannot be read; changes are watched through SQLite");
        }
        Ok(Self {
            pool,
            writer,
            watch: Arc::new(Mutex::new(watch)),
            wal_index,
        })
    }

    /// The writer, which commits the writes waiting at one moment in one transaction.
    #[must_use]
    pub fn writer(&self) -> &writer::Writer {
        &self.writer
    }

    /// A number that changes whenever anything commits to the database file, from this
    /// process or another one; equal numbers mean nothing was committed in between. `None`
    /// when it cannot be told now: the caller must then read the database.
    ///
    /// Cheap enough to ask on an async worker: it reads the header of the WAL index (see
    /// [`changes`]), one `pread` and no lock. Where that cannot be read, it asks SQLite for
    /// `PRAGMA data_version`, which touches no file data either, and which a lock held by a
    /// recovering writer makes give up within [`WATCH_BUSY_TIMEOUT`] rather than wait.
    #[must_use]
    pub fn generation(&self) -> Option<i64> {
        if let Some(index) = &self.wal_index {
            return index.commit_mark();
        }
        let conn = self.watch.lock().unwrap_or_else(PoisonError::into_inner);
        let mut statement = conn.prepare_cached("PRAGMA data_version").ok()?;
        statement.query_row([], |row| row.get(0)).ok()
    }

    /// A connection from the pool. Blocking: call it off the async workers.
    ///
    /// # Errors
    /// When the pool is exhausted for longer than its timeout.
    pub fn connection(&self) -> Result<PooledConnection<SqliteConnectionManager>, StorageError> {
        Ok(self.pool.get()?)
    }
}

fn configure(conn: &mut Connection) -> rusqlite::Result<()> {
    // First, so that every statement below already waits for another writer.
    conn.busy_timeout(BUSY_TIMEOUT)?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    // A write is acknowledged only once it is on disk: with NORMAL, WAL skips the sync at each
    // commit, and a power cut or OS crash can lose the last transactions a client was told
    // were stored.
    conn.pragma_update(None, "synchronous", "FULL")?;
    // Lists, statistics and filing status are queried with SQL built from the filters asked
    // for: room for the shapes a dashboard asks again and again, beside the fixed statements.
    conn.set_prepared_statement_cache_capacity(64);
    conn.pragma_update(None, "foreign_keys", "ON")
}

/// Whether an error is a UNIQUE constraint violation.
fn is_unique_violation(error: &rusqlite::Error) -> bool {
    matches!(
        error,
        rusqlite::Error::SqliteFailure(e, _)
            if e.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_pooled_connection_syncs_fully_in_wal_with_foreign_keys_and_a_busy_timeout() {
        let dir = tempfile::tempdir().unwrap();
        let db = Database::open(&dir.path().join("pragmas.db")).unwrap();
        // Held at once, so that each is a different connection of the pool.
        let connections: Vec<_> = (0..8).map(|_| db.connection().unwrap()).collect();
        for conn in &connections {
            let read = |name: &str| -> String {
                conn.query_row(&format!("PRAGMA {name}"), [], |row| {
                    row.get::<_, rusqlite::types::Value>(0)
                })
                .map(|value| match value {
                    rusqlite::types::Value::Integer(n) => n.to_string(),
                    rusqlite::types::Value::Text(text) => text,
                    other => format!("{other:?}"),
                })
                .unwrap()
            };
            // synchronous: 0 OFF, 1 NORMAL, 2 FULL, 3 EXTRA.
            assert_eq!(read("synchronous"), "2");
            assert_eq!(read("journal_mode"), "wal");
            assert_eq!(read("foreign_keys"), "1");
            assert_eq!(read("busy_timeout"), BUSY_TIMEOUT.as_millis().to_string());
        }
    }

    #[test]
    fn the_generation_is_read_from_the_wal_index_and_follows_commits_from_elsewhere() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("generation.db");
        let db = Database::open(&path).unwrap();
        assert!(db.wal_index.is_some(), "the WAL index is not read");
        let before = db.generation().unwrap();
        // Another connection, as the CLI in another process would have.
        let other = Connection::open(&path).unwrap();
        let _: i64 = other
            .query_row("SELECT count(*) FROM evaluations", [], |row| row.get(0))
            .unwrap();
        assert_eq!(db.generation(), Some(before), "a read is no commit");
        other.execute_batch("CREATE TABLE probe (x)").unwrap();
        assert_ne!(db.generation(), Some(before));
    }
}
