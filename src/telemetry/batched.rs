//! A log writer that never makes a request wait for standard error, and does not wake a thread
//! for every line: lines are appended to a buffer in memory, and one thread of its own writes
//! the buffer out every [`FLUSH_EVERY`], or as soon as it holds [`WAKE_AT`] bytes or a
//! warning or error. A service answering thousands of requests a second writes its request
//! log in a few large writes a second rather than a write and a thread switch per line.
//!
//! Nothing is dropped: when standard error is not read (a full pipe), the buffer grows to
//! [`HOLD_AT_MOST`] and the threads logging then wait for the writer, as a blocking writer
//! would have made them.

use std::io::{self, Write};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::thread::JoinHandle;
use std::time::Duration;

use tracing::{Level, Metadata};
use tracing_subscriber::fmt::MakeWriter;

/// How long a line may wait in the buffer at most.
const FLUSH_EVERY: Duration = Duration::from_millis(50);
/// A buffer this full is written out at once.
const WAKE_AT: usize = 64 * 1024;
/// A buffer this full makes the threads logging wait until it has been written out.
const HOLD_AT_MOST: usize = 4 * 1024 * 1024;

/// The lines waiting to be written, shared by the threads logging and the writer thread.
struct Shared {
    state: Mutex<State>,
    /// Signalled when the buffer should be written out now.
    urgent: Condvar,
    /// Signalled when the writer has taken the buffer.
    taken: Condvar,
}

#[derive(Default)]
struct State {
    lines: Vec<u8>,
    /// Set when the lines should be written out without waiting for the next round.
    urgent: bool,
    /// Set when the process is ending: the writer writes what is left and stops.
    closing: bool,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        // A thread that panicked while appending leaves whole lines or a torn one; either is
        // still worth writing out.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Where the log subscriber writes: cheap to clone, one per process.
#[derive(Clone)]
pub struct BatchedWriter {
    shared: Arc<Shared>,
}

/// Writes out what is still buffered and stops the writer thread when dropped: keep it until
/// the process ends.
#[must_use = "dropping the guard stops the log writer"]
pub struct FlushGuard {
    shared: Arc<Shared>,
    writer: Option<JoinHandle<()>>,
}

impl BatchedWriter {
    /// Starts the writer thread, writing to `out`.
    ///
    /// # Errors
    /// When the thread cannot be started.
    pub fn start(out: impl Write + Send + 'static) -> io::Result<(Self, FlushGuard)> {
        let shared = Arc::new(Shared {
            state: Mutex::new(State::default()),
            urgent: Condvar::new(),
            taken: Condvar::new(),
        });
        let for_thread = Arc::clone(&shared);
        let writer = std::thread::Builder::new()
            .name("log-writer".into())
            .spawn(move || write_out(&for_thread, out))?;
        Ok((
            Self {
                shared: Arc::clone(&shared),
            },
            FlushGuard {
                shared,
                writer: Some(writer),
            },
        ))
    }

    fn append(&self, line: &[u8], urgent: bool) {
        let mut state = self.shared.lock();
        while state.lines.len() >= HOLD_AT_MOST && !state.closing {
            state = self
                .shared
                .taken
                .wait(state)
                .unwrap_or_else(PoisonError::into_inner);
        }
        let was = state.lines.len();
        state.lines.extend_from_slice(line);
        // Woken once when the buffer crosses the mark, not for every line after it.
        if urgent || (was < WAKE_AT && state.lines.len() >= WAKE_AT) {
            state.urgent = true;
            drop(state);
            self.shared.urgent.notify_one();
        }
    }
}

/// The writer thread: takes the buffer every [`FLUSH_EVERY`] or when woken, and writes it out
/// with the lock released.
fn write_out(shared: &Shared, mut out: impl Write) {
    let mut batch = Vec::new();
    loop {
        let closing = {
            let mut state = shared.lock();
            if !state.urgent && !state.closing {
                state = shared
                    .urgent
                    .wait_timeout(state, FLUSH_EVERY)
                    .unwrap_or_else(PoisonError::into_inner)
                    .0;
            }
            state.urgent = false;
            // The emptied buffer keeps the capacity of the last batch, so that a steady
            // stream of lines allocates nothing.
            std::mem::swap(&mut state.lines, &mut batch);
            state.closing
        };
        shared.taken.notify_all();
        if !batch.is_empty() {
            // Standard error gone (a closed pipe) is no reason to stop the service; the lines
            // have nowhere else to go.
            let _ = out.write_all(&batch).and_then(|()| out.flush());
            batch.clear();
        }
        if closing && shared.lock().lines.is_empty() {
            return;
        }
    }
}

impl Drop for FlushGuard {
    fn drop(&mut self) {
        self.shared.lock().closing = true;
        self.shared.urgent.notify_one();
        self.shared.taken.notify_all();
        if let Some(writer) = self.writer.take() {
            let _ = writer.join();
        }
    }
}

/// One log line on its way into the buffer. The subscriber writes each line whole, in one
/// call, so lines from different threads never interleave.
pub struct Line<'a> {
    writer: &'a BatchedWriter,
    urgent: bool,
}

impl Write for Line<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.writer.append(buf, self.urgent);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for BatchedWriter {
    type Writer = Line<'a>;

    fn make_writer(&'a self) -> Self::Writer {
        Line {
            writer: self,
            urgent: false,
        }
    }

    /// Warnings and errors are written out at once: an operator watching the log sees them
    /// when they happen, and they are not left in the buffer if the process is killed.
    fn make_writer_for(&'a self, meta: &Metadata<'_>) -> Self::Writer {
        Line {
            writer: self,
            urgent: *meta.level() <= Level::WARN,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A sink the test can read while the writer thread holds its own handle.
    #[derive(Clone, Default)]
    struct Sink(Arc<Mutex<Vec<u8>>>);

    impl Write for Sink {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn every_line_from_every_thread_is_written_whole_and_in_order_per_thread() {
        let sink = Sink::default();
        let (writer, guard) = BatchedWriter::start(sink.clone()).unwrap();
        let threads: Vec<_> = (0..4)
            .map(|t| {
                let writer = writer.clone();
                std::thread::spawn(move || {
                    for i in 0..20_000 {
                        let mut line = writer.make_writer();
                        line.write_all(
                            format!("thread {t} line {i:05} {}\n", "x".repeat(40)).as_bytes(),
                        )
                        .unwrap();
                    }
                })
            })
            .collect();
        for thread in threads {
            thread.join().unwrap();
        }
        drop(guard);
        let written = String::from_utf8(sink.0.lock().unwrap().clone()).unwrap();
        let mut next = [0_usize; 4];
        for line in written.lines() {
            let mut words = line.split(' ');
            assert_eq!(words.next(), Some("thread"), "{line}");
            let t: usize = words.next().unwrap().parse().unwrap();
            assert_eq!(words.next(), Some("line"));
            let i: usize = words.next().unwrap().parse().unwrap();
            assert_eq!(i, next[t], "thread {t} out of order");
            assert_eq!(words.next().unwrap().len(), 40);
            next[t] += 1;
        }
        assert_eq!(next, [20_000; 4]);
    }

    #[test]
    fn a_warning_is_written_out_without_waiting_for_the_next_round() {
        let sink = Sink::default();
        let (writer, _guard) = BatchedWriter::start(sink.clone()).unwrap();
        let meta = tracing::Metadata::new(
            "warning",
            "test",
            Level::WARN,
            None,
            None,
            None,
            tracing::field::FieldSet::new(&[], tracing::callsite::Identifier(&CALLSITE)),
            tracing::metadata::Kind::EVENT,
        );
        writer
            .make_writer_for(&meta)
            .write_all(b"careful\n")
            .unwrap();
        // Woken at once, the writer has it out long before a round would end; a round is
        // 50 ms, and this waits up to 5 s so that a loaded machine cannot fail it.
        for _ in 0..500 {
            if !sink.0.lock().unwrap().is_empty() {
                return;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        panic!("the warning was not written out");
    }

    struct Callsite;
    impl tracing::callsite::Callsite for Callsite {
        fn set_interest(&self, _: tracing::subscriber::Interest) {}
        fn metadata(&self) -> &tracing::Metadata<'_> {
            unreachable!("not registered")
        }
    }
    static CALLSITE: Callsite = Callsite;

    #[test]
    fn the_threads_logging_wait_while_the_writer_cannot_keep_up_and_nothing_is_lost() {
        /// Standard error that takes a while for every write, like a slow pipe.
        #[derive(Clone, Default)]
        struct Slow(Sink);
        impl Write for Slow {
            fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
                std::thread::sleep(Duration::from_millis(5));
                self.0.write(buf)
            }
            fn flush(&mut self) -> io::Result<()> {
                Ok(())
            }
        }
        let slow = Slow::default();
        let (writer, guard) = BatchedWriter::start(slow.clone()).unwrap();
        let line = vec![b'y'; 1023];
        for _ in 0..(3 * HOLD_AT_MOST / 1024) {
            let mut out = writer.make_writer();
            out.write_all(&line).unwrap();
            out.write_all(b"\n").unwrap();
            assert!(writer.shared.lock().lines.len() <= HOLD_AT_MOST + 1024);
        }
        drop(guard);
        assert_eq!(slow.0.0.lock().unwrap().len(), 3 * HOLD_AT_MOST);
    }
}
