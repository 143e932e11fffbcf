//! The pure core: the evaluation document, reading cell values, rulesets, scoring, grading,
//! checks and the form grid. Nothing here does I/O or knows about HTTP or SQL.

pub mod access;
pub mod basic_data;
pub mod completeness;
pub mod decimal;
pub mod diff;
pub mod document;
pub mod filing;
pub mod form;
pub mod invisible;
pub mod lifecycle;
pub mod location;
pub mod messages;
pub mod placement;
pub mod precondition;
pub mod problems;
pub mod reading;
pub mod report;
pub mod ruleset;
pub mod rulesets;
pub mod sampling;
pub mod scoring;
pub mod stats;
pub mod trend;
pub mod validation;
pub mod value;
pub mod weights;
