//! The writer: one thread owns the write connection and commits every write waiting at that
//! moment in one transaction, so that many acknowledged writes share one sync to disk.
//!
//! Each write runs under its own savepoint inside the shared transaction: a write that fails
//! (a duplicate, a refused unit) is rolled back alone and the others in its batch commit. A
//! write is answered only once the transaction holding it has committed, so an acknowledged
//! write is on disk (the connection syncs fully, in WAL mode).

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;
use std::sync::mpsc;
use std::time::Duration;

use rusqlite::Connection;
use tokio::sync::oneshot;

use super::StorageError;

/// The most writes committed in one transaction; more waiting writes go in the next one.
const MAX_BATCH: usize = 512;

/// The writer connection's page cache, in KiB (SQLite's negative `cache_size`): 16 MiB.
const WRITER_CACHE_KIB: i64 = -16 * 1024;

/// How many pages the write-ahead log may hold before the writer itself copies what is left
/// of them into the database (SQLite's default is 1000): 128 MiB. The checkpointer has
/// copied most of them by then; the writer's checkpoint is what lets the next transaction
/// start the log again from its beginning, so that a long load does not grow it without end.
const WRITER_CHECKPOINT_PAGES: i64 = 32_768;

/// The least time between two checkpoints of the checkpointer, so that a stream of small
/// commits is copied and synced a few times a second, not once per commit.
const CHECKPOINT_PAUSE: Duration = Duration::from_millis(100);

/// A handle on the writer thread; cloning it shares the thread.
#[derive(Clone, Debug)]
pub struct Writer {
    jobs: mpsc::Sender<Box<dyn Job>>,
}

/// A write waiting for the writer.
trait Job: Send {
    /// Does the write on `conn`, inside the batch transaction; whether it succeeded.
    fn run(&mut self, conn: &Connection) -> bool;
    /// Answers the caller once the batch is committed (or failed to).
    fn finish(self: Box<Self>, committed: Result<(), &rusqlite::Error>);
}

struct Pending<T, F> {
    work: Option<F>,
    outcome: Option<Result<T, StorageError>>,
    reply: oneshot::Sender<Result<T, StorageError>>,
}

impl<T, F> Job for Pending<T, F>
where
    T: Send,
    F: FnOnce(&Connection) -> Result<T, StorageError> + Send,
{
    fn run(&mut self, conn: &Connection) -> bool {
        let Some(work) = self.work.take() else {
            return false;
        };
        // A panicking write must not take the writer thread, and every later write, with it.
        let outcome = catch_unwind(AssertUnwindSafe(|| work(conn)))
            .unwrap_or_else(|_| Err(failure("the write panicked")));
        let ok = outcome.is_ok();
        self.outcome = Some(outcome);
        ok
    }

    fn finish(mut self: Box<Self>, committed: Result<(), &rusqlite::Error>) {
        let outcome = match (committed, self.outcome.take()) {
            (_, Some(Err(error))) => Err(error),
            (Ok(()), Some(Ok(value))) => Ok(value),
            (Err(error), _) => Err(copy(error)),
            (Ok(()), None) => Err(failure("the write was not run")),
        };
        // The caller may have gone away (a closed connection); the write stands all the same.
        let _ = self.reply.send(outcome);
    }
}

impl Writer {
    /// Opens the write connection on `path` and starts the writer thread.
    ///
    /// # Errors
    /// When the connection cannot be opened or configured, or the thread cannot start.
    pub fn start(path: &Path) -> Result<Self, StorageError> {
        let mut conn = Connection::open(path)?;
        super::configure(&mut conn)?;
        // Every form written touches a page of each of its table's indexes: a cache that holds
        // them spares the writer reading them back from the file between batches.
        conn.pragma_update(None, "cache_size", WRITER_CACHE_KIB)?;
        // Pages written again and again (index leaves, the stats generation) are copied into
        // the database once per checkpoint: fewer, larger checkpoints copy them fewer times.
        conn.pragma_update(None, "wal_autocheckpoint", WRITER_CHECKPOINT_PAGES)?;
        // Each write runs under a savepoint inside the batch transaction, so every page it
        // changes that the batch had already changed is first copied to the savepoint's
        // journal. Kept in memory (it holds at most the pages of one batch), that copy is a
        // memcpy; on disk it was a `pwrite` per page, most of a bulk load's time.
        conn.pragma_update(None, "temp_store", "MEMORY")?;
        let mut checkpoints = Connection::open(path)?;
        super::configure(&mut checkpoints)?;
        let (committed, wake) = mpsc::sync_channel::<()>(1);
        std::thread::Builder::new()
            .name("jixiao-checkpoint".into())
            .spawn(move || checkpoint_in_background(&checkpoints, &wake))?;
        let (jobs, queue) = mpsc::channel::<Box<dyn Job>>();
        std::thread::Builder::new()
            .name("jixiao-writer".into())
            .spawn(move || serve(&conn, &queue, &committed))?;
        Ok(Self { jobs })
    }

    /// Queues `work` to run in the next batch transaction; the receiver gets its outcome once
    /// that transaction has committed.
    pub fn queue<T, F>(&self, work: F) -> oneshot::Receiver<Result<T, StorageError>>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> Result<T, StorageError> + Send + 'static,
    {
        let (reply, receiver) = oneshot::channel();
        let job = Box::new(Pending {
            work: Some(work),
            outcome: None,
            reply,
        });
        if let Err(mpsc::SendError(job)) = self.jobs.send(job) {
            job.finish(Err(&stopped()));
        }
        receiver
    }

    /// Runs `work` in a batch transaction and answers its outcome once committed.
    ///
    /// # Errors
    /// What `work` fails with, or the commit's failure.
    pub async fn write<T, F>(&self, work: F) -> Result<T, StorageError>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> Result<T, StorageError> + Send + 'static,
    {
        self.queue(work)
            .await
            .unwrap_or_else(|_| Err(copy(&stopped())))
    }

    /// As [`Writer::write`], blocking the calling thread (never an async worker).
    ///
    /// # Errors
    /// What `work` fails with, or the commit's failure.
    pub fn write_blocking<T, F>(&self, work: F) -> Result<T, StorageError>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> Result<T, StorageError> + Send + 'static,
    {
        self.queue(work)
            .blocking_recv()
            .unwrap_or_else(|_| Err(copy(&stopped())))
    }
}

/// The writer thread: takes every write waiting, commits them together, answers each, and
/// tells the checkpointer.
fn serve(
    conn: &Connection,
    queue: &mpsc::Receiver<Box<dyn Job>>,
    committed: &mpsc::SyncSender<()>,
) {
    while let Ok(first) = queue.recv() {
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH {
            match queue.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        let outcome = commit(conn, &mut batch);
        match &outcome {
            // Full means a checkpoint is already due; the checkpointer will see this commit too.
            Ok(()) => drop(committed.try_send(())),
            Err(error) => {
                tracing::error!(%error, writes = batch.len(), "a batch of writes failed to commit");
            }
        }
        for job in batch {
            job.finish(outcome.as_ref().map(|_| ()));
        }
    }
}

/// The checkpointer thread: after commits, copies the pages they wrote to the log into the
/// database and syncs it, on its own connection, so that the writer goes on writing the next
/// batch meanwhile instead of copying and syncing. A passive checkpoint never waits for the
/// writer or the readers; what it cannot copy yet it copies the next time.
fn checkpoint_in_background(conn: &Connection, wake: &mpsc::Receiver<()>) {
    while wake.recv().is_ok() {
        if let Err(error) = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(())) {
            tracing::warn!(%error, "a checkpoint failed; the writer's own checkpoints go on");
        }
        std::thread::sleep(CHECKPOINT_PAUSE);
    }
}

fn commit(conn: &Connection, batch: &mut [Box<dyn Job>]) -> rusqlite::Result<()> {
    conn.execute_batch("BEGIN IMMEDIATE")?;
    let outcome = batch.iter_mut().try_for_each(|job| {
        conn.execute_batch("SAVEPOINT write")?;
        if job.run(conn) {
            conn.execute_batch("RELEASE write")
        } else {
            conn.execute_batch("ROLLBACK TO write; RELEASE write")
        }
    });
    match outcome.and_then(|()| conn.execute_batch("COMMIT")) {
        Ok(()) => Ok(()),
        Err(error) => {
            if !conn.is_autocommit() {
                // Nothing of a batch that did not commit may stay, nor block the next one.
                let _ = conn.execute_batch("ROLLBACK");
            }
            Err(error)
        }
    }
}

/// A failure to hand to every write of a batch: rusqlite's errors cannot be cloned.
fn copy(error: &rusqlite::Error) -> StorageError {
    let copied = match error {
        rusqlite::Error::SqliteFailure(code, message) => {
            rusqlite::Error::SqliteFailure(*code, message.clone())
        }
        other => rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_ERROR),
            Some(other.to_string()),
        ),
    };
    StorageError::Sqlite(copied)
}

fn failure(message: &str) -> StorageError {
    StorageError::Sqlite(stopped_with(message))
}

fn stopped() -> rusqlite::Error {
    stopped_with("the writer has stopped")
}

fn stopped_with(message: &str) -> rusqlite::Error {
    rusqlite::Error::SqliteFailure(
        rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_ERROR),
        Some(message.to_owned()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn writer() -> (tempfile::TempDir, Writer, std::path::PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("writer.db");
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch("PRAGMA journal_mode = WAL; CREATE TABLE t (v INTEGER UNIQUE)")
            .unwrap();
        (dir, Writer::start(&path).unwrap(), path)
    }

    #[test]
    fn a_failing_write_is_rolled_back_alone_and_the_others_in_its_batch_commit() {
        let (_dir, writer, path) = writer();
        // Queued before any is answered, so that most of them share a batch.
        let receivers: Vec<_> = [1, 2, 2, 3]
            .into_iter()
            .map(|v| {
                writer.queue(move |conn| {
                    conn.execute("INSERT INTO t (v) VALUES (?1)", [v])?;
                    conn.execute("INSERT INTO t (v) VALUES (?1)", [v * 100])?;
                    Ok(v)
                })
            })
            .collect();
        let outcomes: Vec<_> = receivers
            .into_iter()
            .map(|r| r.blocking_recv().unwrap().is_ok())
            .collect();
        assert_eq!(outcomes, [true, true, false, true]);
        let conn = Connection::open(&path).unwrap();
        let stored: Vec<i64> = conn
            .prepare("SELECT v FROM t ORDER BY v")
            .unwrap()
            .query_map([], |row| row.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(stored, [1, 2, 3, 100, 200, 300]);
    }

    #[test]
    fn a_panicking_write_fails_alone_and_the_writer_goes_on() {
        let (_dir, writer, _path) = writer();
        let panicked = writer.write_blocking(|_| -> Result<(), StorageError> {
            panic!("boom");
        });
        assert!(panicked.is_err());
        let stored = writer.write_blocking(|conn| {
            conn.execute("INSERT INTO t (v) VALUES (7)", [])?;
            Ok(())
        });
        assert!(stored.is_ok());
    }
}
