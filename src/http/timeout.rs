//! A deadline for each request's body, counted from when its head has been read, so that a
//! client sending it slowly, or never, cannot hold a connection and its buffer open
//! indefinitely. The head has its own deadline, set on the server (`client_request_timeout`);
//! the handler's own work after the body is read has none, so a write is never reported as
//! failed while it commits. An NDJSON body of many forms has the deadline between its chunks
//! instead, since it is read only as fast as its forms are stored.

use std::cell::Cell;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};
use std::time::Duration;

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::error::PayloadError;
use actix_web::http::ConnectionType;
use actix_web::middleware::Next;
use actix_web::rt::time::{Sleep, sleep};
use actix_web::web::{Bytes, Data};
use actix_web::{HttpMessage as _, ResponseError as _};
use futures_util::Stream;

use crate::error::ApiError;

/// How long a client has to send a request's head, and then its body.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RequestTimeout(pub Duration);

/// Reads the request body under the deadline, and answers 408 (closing the connection) when the
/// body did not arrive in time, whatever the extractor that was reading it made of the failure.
///
/// # Errors
/// Whatever the inner service fails with, unless the body ran out of time.
pub async fn body_deadline(
    mut req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, actix_web::Error> {
    let timeout = req.app_data::<Data<RequestTimeout>>().map(|t| t.0);
    let payload = req.take_payload();
    let (Some(timeout), false) = (timeout, matches!(payload, Payload::None)) else {
        req.set_payload(payload);
        return Ok(next.call(req).await?.map_into_left_body());
    };
    let expired = Rc::new(Cell::new(false));
    // An NDJSON body of many forms is read only as fast as its forms are stored, so it may
    // take longer than the deadline as a whole: it has the deadline between its chunks.
    let idle = super::bulk::is_ndjson(req.request()).then_some(timeout);
    let limited: Pin<Box<dyn Stream<Item = Result<Bytes, PayloadError>>>> = Box::pin(Deadline {
        payload,
        timer: Box::pin(sleep(timeout)),
        expired: Rc::clone(&expired),
        finished: false,
        idle,
    });
    req.set_payload(Payload::from(limited));
    let response = next.call(req).await?;
    // Only a failure can be the extractor's view of the deadline; a handler that succeeded
    // anyway keeps its answer, lest a stored write be reported as failed.
    if !expired.get() || response.status().as_u16() < 400 {
        return Ok(response.map_into_left_body());
    }
    let (request, _) = response.into_parts();
    let mut timed_out = ApiError::RequestTimeout {
        seconds: timeout.as_secs(),
    }
    .error_response();
    // The rest of the body may still be on its way: the connection cannot carry another request.
    timed_out
        .head_mut()
        .set_connection_type(ConnectionType::Close);
    Ok(ServiceResponse::new(request, timed_out).map_into_right_body())
}

/// A request body that fails once its deadline has passed.
struct Deadline {
    payload: Payload,
    timer: Pin<Box<Sleep>>,
    expired: Rc<Cell<bool>>,
    finished: bool,
    /// When set, the deadline starts again with every chunk that arrives.
    idle: Option<Duration>,
}

impl Stream for Deadline {
    type Item = Result<Bytes, PayloadError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        if this.finished {
            return Poll::Ready(None);
        }
        // The timer first, so that a body still arriving after the deadline fails too, and so
        // that a stalled body wakes the reader when the deadline passes.
        if this.timer.as_mut().poll(cx).is_ready() {
            this.expired.set(true);
            return Poll::Ready(Some(Err(PayloadError::Io(std::io::Error::new(
                std::io::ErrorKind::TimedOut,
                "the request body did not arrive in time",
            )))));
        }
        let next = Pin::new(&mut this.payload).poll_next(cx);
        match (&next, this.idle) {
            (Poll::Ready(None), _) => this.finished = true,
            (Poll::Ready(Some(Ok(_))), Some(idle)) => {
                this.timer
                    .as_mut()
                    .reset(actix_web::rt::time::Instant::now() + idle);
            }
            _ => {}
        }
        next
    }
}
