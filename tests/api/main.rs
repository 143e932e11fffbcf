//! HTTP tests against the real server on a random port with a fresh SQLite file per test.

mod access;
mod browser;
mod concurrency;
mod contract;
mod deadlines;
mod edges;
mod exports;
mod helpers;
mod history;
mod identity;
mod imports;
mod invalid_input;
mod lifecycle;
mod listing;
mod openapi;
mod operations;
mod preconditions;
mod publishing;
mod reading;
mod replacing;
mod review;
mod snapshots;
mod storing;
mod support;
mod timeouts;
mod units;
