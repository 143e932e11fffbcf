//! Telling cheaply whether anything has been committed to the database since a moment, from
//! this process or another one (the CLI beside a running service).
//!
//! In WAL mode every commit rewrites the header of the WAL index, the `-shm` file that all
//! connections to the database share: its frame count grows, or the log restarts with a new
//! salt, and its checksum covers both. The header's layout is fixed, since connections of
//! different SQLite versions in different processes read it together
//! (<https://sqlite.org/walformat.html>, "The WAL-Index Header"). Reading its 48 bytes is one
//! `pread`, where `PRAGMA data_version` takes and releases a read lock on the file (two
//! `fcntl` calls) on a connection that every request would share.
//!
//! The writer keeps two copies of the header and writes the second before the first; a reader
//! that finds them different caught a commit half-written and reads again. When the header
//! cannot be read or is not what this layout describes, the caller asks SQLite instead.

use std::fs::File;
use std::os::unix::fs::FileExt as _;
use std::path::{Path, PathBuf};

/// The size of one copy of the header.
const HEADER: usize = 48;
/// `iVersion`, the first field: the WAL-index format this layout describes.
const FORMAT: u32 = 3_007_000;
/// How often a half-written header is read again before giving up.
const ATTEMPTS: usize = 3;

/// The WAL index of one database, opened for reading.
#[derive(Debug)]
pub struct WalIndex {
    shm: File,
}

impl WalIndex {
    /// The WAL index of the database at `db`; `None` when it has none (not in WAL mode, or
    /// no connection has read the database yet).
    #[must_use]
    pub fn open(db: &Path) -> Option<Self> {
        let shm = File::open(shm_path(db)).ok()?;
        let index = Self { shm };
        index.commit_mark()?;
        Some(index)
    }

    /// A number that changes with every commit; equal numbers mean nothing was committed in
    /// between. `None` when the header could not be read whole.
    #[must_use]
    pub fn commit_mark(&self) -> Option<i64> {
        let mut both = [0_u8; 2 * HEADER];
        for _ in 0..ATTEMPTS {
            self.shm.read_exact_at(&mut both, 0).ok()?;
            let (first, second) = both.split_at(HEADER);
            if first != second {
                continue;
            }
            let version = u32::from_ne_bytes([first[0], first[1], first[2], first[3]]);
            let initialised = first[12] == 1;
            if version != FORMAT || !initialised {
                return None;
            }
            return Some(fingerprint(first));
        }
        None
    }
}

fn shm_path(db: &Path) -> PathBuf {
    let mut path = db.as_os_str().to_owned();
    path.push("-shm");
    PathBuf::from(path)
}

/// FNV-1a over the header: the change counter, frame count, salts and checksums together.
fn fingerprint(header: &[u8]) -> i64 {
    let hash = header.iter().fold(0xcbf2_9ce4_8422_2325_u64, |hash, byte| {
        (hash ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3)
    });
    i64::from_ne_bytes(hash.to_ne_bytes())
}

#[cfg(test)]
mod tests {
    use rusqlite::Connection;

    use super::*;

    fn open(path: &Path) -> Connection {
        let conn = Connection::open(path).unwrap();
        conn.pragma_update(None, "journal_mode", "WAL").unwrap();
        conn
    }

    #[test]
    fn every_commit_from_any_connection_changes_the_mark_and_reads_do_not() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("marks.db");
        let writer = open(&path);
        writer.execute_batch("CREATE TABLE t (x INTEGER)").unwrap();
        let index = WalIndex::open(&path).expect("a database in WAL mode has a WAL index");
        let other = open(&path);
        let mut seen = vec![index.commit_mark().unwrap()];
        for i in 0..50 {
            let conn = if i % 2 == 0 { &writer } else { &other };
            conn.execute("INSERT INTO t VALUES (?1)", [i]).unwrap();
            let mark = index.commit_mark().unwrap();
            assert!(!seen.contains(&mark), "commit {i} left the mark as it was");
            seen.push(mark);
            let _: i64 = other
                .query_row("SELECT count(*) FROM t", [], |row| row.get(0))
                .unwrap();
            assert_eq!(index.commit_mark(), Some(mark), "a read changed the mark");
        }
        // A checkpoint that restarts the log, then a commit: a new salt, a new mark.
        writer
            .execute_batch("PRAGMA wal_checkpoint(RESTART)")
            .unwrap();
        writer.execute("INSERT INTO t VALUES (99)", []).unwrap();
        assert!(!seen.contains(&index.commit_mark().unwrap()));
    }

    #[test]
    fn a_rolled_back_write_is_no_commit() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("rollback.db");
        let mut conn = open(&path);
        conn.execute_batch("CREATE TABLE t (x INTEGER)").unwrap();
        let index = WalIndex::open(&path).unwrap();
        let before = index.commit_mark();
        let tx = conn.transaction().unwrap();
        tx.execute("INSERT INTO t VALUES (1)", []).unwrap();
        tx.rollback().unwrap();
        assert_eq!(index.commit_mark(), before);
    }

    #[test]
    fn a_database_not_in_wal_mode_has_no_index() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("journal.db");
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch("CREATE TABLE t (x INTEGER)").unwrap();
        assert!(WalIndex::open(&path).is_none());
    }

    #[test]
    fn a_header_half_written_or_of_another_layout_is_not_read() {
        let dir = tempfile::tempdir().unwrap();
        let shm = dir.path().join("fake.db-shm");
        let mut header = [0_u8; 2 * HEADER];
        header[..4].copy_from_slice(&FORMAT.to_ne_bytes());
        header[12] = 1;
        header[16] = 7;
        header.copy_within(..HEADER, HEADER);
        std::fs::write(&shm, header).unwrap();
        let fake = dir.path().join("fake.db");
        assert!(WalIndex::open(&fake).is_some());
        header[HEADER + 16] = 8;
        std::fs::write(&shm, header).unwrap();
        assert!(WalIndex::open(&fake).is_none(), "copies that differ");
        header[HEADER + 16] = 7;
        header[..4].copy_from_slice(&3_007_001_u32.to_ne_bytes());
        header.copy_within(..HEADER, HEADER);
        std::fs::write(&shm, header).unwrap();
        assert!(WalIndex::open(&fake).is_none(), "another format");
    }
}
