//! HTTP tests against the real server on a random port with a fresh SQLite file per test.

mod access;
mod concurrency;
mod deadlines;
mod helpers;
mod history;
mod invalid_input;
mod lifecycle;
mod listing;
mod openapi;
mod operations;
mod reading;
mod replacing;
mod review;
mod snapshots;
mod storing;
mod support;
