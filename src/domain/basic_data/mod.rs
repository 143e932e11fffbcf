//! The 部门整体支出绩效评价基础数据表: its model and the checks of its figures (control rate,
//! rows against their parts, spending against the budget and against last year). Pure.

mod check;
mod model;

pub use check::{
    BasicDataResult, SpendingChange, SpendingRowResult, at_scale_of, check_basic_data,
};
pub use model::{BasicData, SpendingColumn, SpendingRow, Staffing, bare_name};
