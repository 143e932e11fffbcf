//! HTTP tests against the real server on a random port with a fresh SQLite file per test.

mod evaluations;
mod helpers;
mod openapi;
