//! A connection read through the request framing: complete heads and bodies are handed to the
//! HTTP library, refused heads are replaced by the service's stand-in request, and a head that
//! does not arrive in time is refused too.

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use actix_codec::{AsyncRead, AsyncWrite, ReadBuf};
use actix_web::rt::time::{Sleep, sleep};

use super::framing::{Framing, Refusal};

/// How much is read from the socket at a time.
const READ_CHUNK: usize = 16 * 1024;

/// A connection whose request heads are read, checked and given a deadline before the HTTP
/// library sees them.
pub struct Guarded<T> {
    io: T,
    framing: Framing,
    /// Bytes ready for the HTTP library, and how many of them it has taken.
    ready: Vec<u8>,
    taken: usize,
    /// A refusal was handed on: nothing more is read from the client.
    closed: bool,
    /// Whether a head has been handed on yet; the first is awaited from the connection's start.
    first_head_done: bool,
    head_timeout: Duration,
    deadline: Option<Pin<Box<Sleep>>>,
    scratch: Box<[u8]>,
}

impl<T> Guarded<T> {
    /// Reads `io` with `head_timeout` for each request head: the first counted from now, each
    /// later one from its first byte (an idle kept-alive connection is the HTTP library's to
    /// close).
    pub fn new(io: T, head_timeout: Duration) -> Self {
        Self {
            io,
            framing: Framing::default(),
            ready: Vec::new(),
            taken: 0,
            closed: false,
            first_head_done: false,
            head_timeout,
            deadline: Some(Box::pin(sleep(head_timeout))),
            scratch: vec![0; READ_CHUNK].into_boxed_slice(),
        }
    }

    fn refuse(&mut self, refusal: &Refusal) {
        self.ready.extend(super::stand_in(refusal));
        self.closed = true;
        self.deadline = None;
    }

    /// Keeps a deadline while a head is awaited, and none otherwise.
    fn update_deadline(&mut self) {
        let awaiting_head = self.framing.in_partial_head()
            || (!self.first_head_done && self.framing.between_requests());
        if !awaiting_head {
            self.deadline = None;
        } else if self.deadline.is_none() {
            self.deadline = Some(Box::pin(sleep(self.head_timeout)));
        }
    }
}

impl<T: AsyncRead + Unpin> AsyncRead for Guarded<T> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        loop {
            if this.taken < this.ready.len() {
                let n = buf.remaining().min(this.ready.len() - this.taken);
                buf.put_slice(&this.ready[this.taken..this.taken + n]);
                this.taken += n;
                if this.taken == this.ready.len() {
                    this.ready.clear();
                    this.taken = 0;
                }
                return Poll::Ready(Ok(()));
            }
            if this.closed {
                // End of input: the library answers the stand-in and closes.
                return Poll::Ready(Ok(()));
            }
            let mut read = ReadBuf::new(&mut this.scratch);
            match Pin::new(&mut this.io).poll_read(cx, &mut read) {
                Poll::Ready(Ok(())) => {
                    let input = read.filled();
                    if input.is_empty() {
                        this.closed = true;
                        this.deadline = None;
                        continue;
                    }
                    let fed = this.framing.feed(input);
                    this.first_head_done |= !fed.out.is_empty();
                    this.ready.extend(fed.out);
                    if let Some(refusal) = fed.refusal {
                        this.refuse(&refusal);
                    } else {
                        this.update_deadline();
                    }
                }
                Poll::Ready(Err(error)) => return Poll::Ready(Err(error)),
                Poll::Pending => {
                    let expired = this
                        .deadline
                        .as_mut()
                        .is_some_and(|deadline| deadline.as_mut().poll(cx).is_ready());
                    if !expired {
                        return Poll::Pending;
                    }
                    this.framing.give_up();
                    this.refuse(&Refusal::too_slow(this.head_timeout.as_secs()));
                }
            }
        }
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for Guarded<T> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().io).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().io).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.io.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().io).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().io).poll_shutdown(cx)
    }
}
