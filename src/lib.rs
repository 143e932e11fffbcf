//! jixiao: stores, scores, grades and checks budget performance self-evaluations (预算绩效自评表).

pub mod domain;
