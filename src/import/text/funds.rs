//! The funds block: 年度资金总额 and the breakdown by income, by spending or by source.

use super::form::figure;
use super::rows::Row;
use super::{FORM, Note};
use crate::domain::document::{BreakdownGroup, BreakdownRow, EvaluationDocument};
use crate::import::ImportError;

/// Which column of the funds block a figure is in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum FundsColumn {
    Initial,
    Annual,
    Executed,
    Rate,
    Weight,
    Score,
}

pub(super) fn funds_column(header: &str) -> Option<FundsColumn> {
    if header.contains("年初预算") {
        Some(FundsColumn::Initial)
    } else if header.contains("全年预算") || header.contains("调整后预算") {
        Some(FundsColumn::Annual)
    } else if header.contains("执行率") {
        Some(FundsColumn::Rate)
    } else if header.contains("执行数") || header.contains("执行") {
        Some(FundsColumn::Executed)
    } else if header == "分值" {
        Some(FundsColumn::Weight)
    } else if header == "得分" {
        Some(FundsColumn::Score)
    } else {
        None
    }
}

/// A breakdown group and where its rows stand.
pub(super) struct Group {
    pub col: usize,
    pub group: BreakdownGroup,
    /// The last row of the group that is not part of another.
    pub top: Option<String>,
    /// Whether the rows now are the parts (其中) of `top`.
    pub within: bool,
}

/// Reads one row of the funds block; whether it was the 年度资金总额 row.
pub(super) fn read_funds_row(
    document: &mut EvaluationDocument,
    at: &mut Vec<(String, u32)>,
    row: &Row,
    cols: &[(usize, FundsColumn)],
    groups: &mut Vec<Group>,
    breakdown: &mut Vec<(BreakdownRow, u32)>,
    notes: &mut Vec<Note>,
) -> Result<bool, ImportError> {
    if let Some(label) = row.find(|c| c.contains("资金总额") || c == "合计") {
        let funds = &mut document.funds;
        for &(col, column) in cols.iter().filter(|(c, _)| *c > label) {
            let value = figure(row, col, "资金")?;
            match column {
                FundsColumn::Initial => funds.initial_budget = value,
                FundsColumn::Annual => funds.annual_budget = value,
                FundsColumn::Executed => funds.executed = value,
                FundsColumn::Rate => funds.declared_rate = value,
                // A form printed without 分值 leaves it to the ruleset, or to the clerk.
                FundsColumn::Weight => funds.weight = value,
                FundsColumn::Score => funds.declared_score = value,
            }
        }
        at.push(("/funds".into(), row.no));
        groups.clear();
        groups.push(Group {
            col: label,
            group: BreakdownGroup::Source,
            top: None,
            within: false,
        });
        return Ok(true);
    }
    let income = row.find(|c| c.contains("按收入性质"));
    let spending = row.find(|c| c.contains("按支出性质"));
    if income.is_some() || spending.is_some() {
        groups.clear();
        for (col, group) in [
            (income, BreakdownGroup::Income),
            (spending, BreakdownGroup::Expenditure),
        ] {
            if let Some(col) = col {
                groups.push(Group {
                    col,
                    group,
                    top: None,
                    within: false,
                });
            }
        }
        groups.sort_by_key(|g| g.col);
        return Ok(false);
    }
    read_breakdown(row, cols, groups, breakdown, notes)?;
    Ok(false)
}

/// Reads a breakdown row: each group's label and its figures, by the column they stand in.
fn read_breakdown(
    row: &Row,
    cols: &[(usize, FundsColumn)],
    groups: &mut [Group],
    breakdown: &mut Vec<(BreakdownRow, u32)>,
    notes: &mut Vec<Note>,
) -> Result<(), ImportError> {
    let bounds: Vec<usize> = groups.iter().map(|g| g.col).collect();
    for (k, group) in groups.iter_mut().enumerate() {
        let end = bounds
            .get(k + 1)
            .copied()
            .unwrap_or(row.cells.len().max(group.col + 1));
        let label = row.text(group.col);
        if label.is_empty() {
            continue;
        }
        let (name, part_of) = strip_part_of(&label);
        let parent = if part_of {
            if let Some(top) = &group.top {
                group.within = true;
                Some(top.clone())
            } else {
                None
            }
        } else if group.within && !is_top_name(group.group, &name) {
            let top = group.top.clone();
            if let Some(top) = &top {
                notes.push(Note {
                    line: row.no,
                    part: FORM,
                    message: format!("“{name}”紧接“其中”各行，按“{top}”的组成部分读"),
                });
            }
            top
        } else {
            group.within = false;
            None
        };
        if parent.is_none() {
            group.top = Some(name.clone());
        }
        let mut entry = BreakdownRow {
            group: group.group,
            name: name.clone(),
            parent,
            initial_budget: None,
            annual_budget: None,
            executed: None,
        };
        for col in group.col + 1..end {
            let Some(value) = figure(row, col, &format!("“{name}”的金额"))? else {
                continue;
            };
            let column = cols.iter().find(|(c, _)| *c == col).map(|(_, f)| *f);
            let slot = match column {
                Some(FundsColumn::Initial) => &mut entry.initial_budget,
                Some(FundsColumn::Annual) => &mut entry.annual_budget,
                Some(FundsColumn::Executed) => &mut entry.executed,
                other => {
                    let under = match other {
                        Some(FundsColumn::Rate) => "执行率",
                        Some(FundsColumn::Weight) => "分值",
                        Some(FundsColumn::Score) => "得分",
                        _ => "无表头的",
                    };
                    let (slot, what) = match group.group {
                        BreakdownGroup::Income => (&mut entry.annual_budget, "全年预算数"),
                        _ => (&mut entry.executed, "全年执行数"),
                    };
                    notes.push(Note {
                        line: row.no,
                        part: FORM,
                        message: format!(
                            "“{name}”的 {value} 印在{under}列下，按{}的金额读作{what}",
                            group.group.label().trim_start_matches('按')
                        ),
                    });
                    slot
                }
            };
            *slot = Some(value);
        }
        breakdown.push((entry, row.no));
    }
    Ok(())
}

/// `其中：人员经费` → (`人员经费`, true).
pub(super) fn strip_part_of(label: &str) -> (String, bool) {
    for prefix in ["其中：", "其中:", "其中"] {
        if let Some(rest) = label.strip_prefix(prefix) {
            return (rest.trim().to_owned(), true);
        }
    }
    (label.to_owned(), false)
}

/// Whether a breakdown row is one of its group's own rows rather than a part of one: the
/// spending kinds (基本支出, 项目支出) end in 支出; every income or source row is its own.
fn is_top_name(group: BreakdownGroup, name: &str) -> bool {
    match group {
        BreakdownGroup::Expenditure => name.ends_with("支出"),
        _ => true,
    }
}
