//! The request a log line is written for: its id and, once its token is verified, the token's
//! id and role (never the secret). Every line logged while a request is handled, on its worker
//! or on the threads its work is handed to, carries them.
//!
//! The request is kept in a task-local of its own rather than in a `tracing` span: a span is
//! registered, formatted, entered and left at every poll, and closed, for every request, and
//! that bookkeeping cost about a tenth of the CPU time of a cached read of a form. The line
//! format ([`super::format`]) writes the request as the span `request{…}` was written.

use std::future::Future;
use std::sync::{Arc, OnceLock};

tokio::task_local! {
    static CURRENT: Arc<Request>;
}

/// One request as the log names it.
#[derive(Debug)]
pub struct Request {
    id: String,
    caller: OnceLock<Caller>,
}

/// The verified token of a request.
#[derive(Clone, Copy, Debug)]
pub struct Caller {
    /// The token's id.
    pub token_id: i64,
    /// Its role, as the API names it.
    pub role: &'static str,
}

impl Request {
    /// A request with id `id`, its caller not known yet.
    #[must_use]
    pub fn new(id: String) -> Arc<Self> {
        Arc::new(Self {
            id,
            caller: OnceLock::new(),
        })
    }

    /// The request id, as sent back in `X-Request-Id`.
    #[must_use]
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The verified token, once known.
    #[must_use]
    pub fn caller(&self) -> Option<Caller> {
        self.caller.get().copied()
    }
}

/// Runs `future` as part of `request`: every line it logs names the request.
pub async fn within<F: Future>(request: Arc<Request>, future: F) -> F::Output {
    CURRENT.scope(request, future).await
}

/// Runs `work` as part of `request` (taken with [`current`] before handing work to another
/// thread), or as it is without one.
pub fn within_sync<R>(request: Option<Arc<Request>>, work: impl FnOnce() -> R) -> R {
    match request {
        Some(request) => CURRENT.sync_scope(request, work),
        None => work(),
    }
}

/// The request being handled here, if any.
#[must_use]
pub fn current() -> Option<Arc<Request>> {
    CURRENT.try_with(Arc::clone).ok()
}

/// Calls `read` with the request being handled here, if any, without taking a reference to it.
pub(super) fn with_current<R>(mut read: impl FnMut(Option<&Request>) -> R) -> R {
    CURRENT
        .try_with(|request| read(Some(request)))
        .unwrap_or_else(|_| read(None))
}

/// Names the verified token of the request being handled here; the first one named stays.
pub fn set_caller(token_id: i64, role: &'static str) {
    // Outside a request (a test calling the resolver alone) there is nothing to name.
    let _ = CURRENT.try_with(|request| request.caller.set(Caller { token_id, role }));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_request_is_seen_inside_its_scope_and_on_threads_it_is_handed_to() {
        assert!(current().is_none());
        let request = Request::new("abc".into());
        within_sync(Some(Arc::clone(&request)), || {
            set_caller(7, "admin");
            let handed = current();
            let seen = std::thread::spawn(move || {
                within_sync(handed, || with_current(|r| r.map(|r| r.id().to_owned())))
            })
            .join()
            .unwrap();
            assert_eq!(seen.as_deref(), Some("abc"));
        });
        assert_eq!(
            request.caller().map(|c| (c.token_id, c.role)),
            Some((7, "admin"))
        );
        assert!(current().is_none());
        assert!(!with_current(|r| r.is_some()));
    }

    #[test]
    fn a_future_sees_its_request_across_awaits() {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let request = Request::new("xyz".into());
        let seen = runtime.block_on(within(request, async {
            tokio::task::yield_now().await;
            current().map(|r| r.id().to_owned())
        }));
        assert_eq!(seen.as_deref(), Some("xyz"));
        assert!(current().is_none());
    }
}
