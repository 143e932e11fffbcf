//! jixiao: stores, scores, grades and checks budget performance self-evaluations (预算绩效自评表).
//!
//! `domain` is the pure core; `storage` (SQLite) and `http` (actix-web) are thin layers around
//! it; `startup` wires them into a server and `cli` holds the offline commands.

pub mod cli;
pub mod config;
pub mod domain;
pub mod error;
pub mod http;
pub mod import;
pub mod render;
pub mod startup;
pub mod storage;
pub mod telemetry;
