//! The 基础数据表: staffing, the spending control rows as a tree, 政府采购金额 and the
//! frugality measures.

use super::captions::{captions, currency_in, year_in};
use super::form::figure;
use super::funds::strip_part_of;
use super::lines::{Line, compact, squeeze};
use super::rows::{Row, assemble};
use super::{BASIC, Note};
use crate::domain::basic_data::{BasicData, SpendingRow, Staffing};
use crate::domain::document::CurrencyUnit;
use crate::import::ImportError;

/// What the basic data table holds, with the unit it names.
pub(super) struct BasicRead {
    pub data: BasicData,
    pub unit: Option<String>,
    pub unit_line: u32,
}

/// Which figure a column of 经费控制情况 holds.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Figure {
    Actual,
    Budget,
    LastYear,
}

/// Reads the table in `lines`, the first of which is its title.
pub(super) fn read(lines: &[Line], notes: &mut Vec<Note>) -> Result<BasicRead, ImportError> {
    let mut unit = None;
    let mut unit_line = lines.first().map_or(1, |l| l.no);
    let mut data = BasicData {
        currency_unit: CurrencyUnit::default(),
        staffing: None,
        spending: Vec::new(),
        government_procurement: None,
        frugality_measures: None,
    };
    let body = lines.get(1..).unwrap_or_default();
    // The table: from the first line of two or more cells to the first caption after it.
    let start = body
        .iter()
        .position(|l| l.filled() >= 2 && !l.is_caption())
        .unwrap_or(body.len());
    let end = body[start..]
        .iter()
        .position(Line::is_caption)
        .map_or(body.len(), |e| start + e);
    for line in body[..start].iter().chain(&body[end..]) {
        let text = line.text();
        if let Some(currency) =
            currency_in(&text).filter(|_| text.contains("单位：") || text.contains("单位:"))
        {
            if currency == "元" && !text.contains("填报单位") {
                data.currency_unit = CurrencyUnit::Yuan;
            }
        }
        for (key, value) in captions(&text) {
            if key == "填报单位" && !value.is_empty() {
                unit = Some(value);
                unit_line = line.no;
            }
        }
    }
    let table = &body[start..end];
    let width = table.iter().map(|l| l.cells.len()).max().unwrap_or(0);
    let rows = assemble(table, width, BASIC, notes);
    let mut columns: Vec<(usize, Figure)> = Vec::new();
    let mut staffing_header: Option<&Row> = None;
    let mut tree = Tree::default();
    for row in &rows {
        let first = compact(row.at(0));
        if row.has("编制数") {
            staffing_header = Some(row);
            continue;
        }
        if let Some(header) = staffing_header.take() {
            let col = |word: &str| header.find(|c| c.contains(word));
            let pick = |c: Option<usize>, what| c.map_or(Ok(None), |c| figure(row, c, what));
            data.staffing = Some(Staffing {
                authorized: pick(col("编制数"), "编制数")?,
                actual: pick(col("在职"), "实际在职人数")?,
                declared_control_rate: pick(col("控制率"), "控制率")?,
            });
            continue;
        }
        if row.has("决算数") && row.has("预算数") {
            columns = spending_columns(row);
            continue;
        }
        if first.contains("政府采购") {
            let col = (1..row.cells.len()).find(|c| !row.at(*c).is_empty());
            data.government_procurement =
                col.map_or(Ok(None), |c| figure(row, c, "政府采购金额"))?;
            continue;
        }
        if first.contains("厉行节约") || first.contains("保障措施") {
            let text = squeeze(&row.cells[1..].join(" "));
            data.frugality_measures = (!text.is_empty()).then_some(text);
            continue;
        }
        if columns.is_empty() {
            continue;
        }
        let label = squeeze(row.at(0));
        if label.is_empty() || super::rows::is_placeholder(&label) {
            continue;
        }
        let mut entry = tree.place(&label, row.no, notes);
        for &(col, which) in &columns {
            let value = figure(row, col, &format!("“{}”的金额", entry.name))?;
            match which {
                Figure::Actual => entry.actual = value,
                Figure::Budget => entry.budget = value,
                Figure::LastYear => entry.last_year_actual = value,
            }
        }
        tree.rows.push(entry);
    }
    data.spending = tree.rows;
    Ok(BasicRead {
        data,
        unit,
        unit_line,
    })
}

/// `2020年决算数 → 2020年预算数 → 2019年决算数`: the latest year's 决算数 is the year's, an
/// earlier one the previous year's.
fn spending_columns(header: &Row) -> Vec<(usize, Figure)> {
    let years: Vec<(usize, Option<i32>, bool)> = (1..header.cells.len())
        .filter_map(|c| {
            let text = compact(header.at(c));
            (text.contains("决算") || text.contains("预算"))
                .then(|| (c, year_in(&text), text.contains("决算")))
        })
        .collect();
    let latest = years.iter().filter(|y| y.2).filter_map(|y| y.1).max();
    let mut first_actual = true;
    years
        .iter()
        .map(|&(c, year, actual)| {
            let which = if !actual {
                Figure::Budget
            } else if (year.is_some() && year < latest) || (year.is_none() && !first_actual) {
                Figure::LastYear
            } else {
                first_actual = false;
                Figure::Actual
            };
            (c, which)
        })
        .collect()
}

/// Places each row under the row it is part of.
#[derive(Default)]
struct Tree {
    rows: Vec<SpendingRow>,
    /// The current top-level row (`一、部门基本支出`).
    top: Option<usize>,
    /// The parent of the numbered rows (`1、`, `2、`) under the current top-level row.
    numbered_parent: Option<usize>,
    /// The last numbered row.
    numbered: Option<usize>,
    /// The parent of the current run of 其中 rows.
    within: Option<usize>,
}

/// `一、`, `二、` …: a top-level row.
pub(super) fn is_top(label: &str) -> bool {
    let numeral = label
        .chars()
        .take_while(|c| "一二三四五六七八九十".contains(*c))
        .count();
    numeral > 0 && label.chars().nth(numeral) == Some('、')
}

/// `1、业务工作专项(一个项目一行)` → `业务工作专项`, numbered.
fn strip_number(label: &str) -> (String, bool) {
    let digits = label.chars().take_while(char::is_ascii_digit).count();
    let rest = &label[digits..];
    let (name, numbered) = match rest.chars().next() {
        Some(c @ ('、' | '.' | '．')) if digits > 0 => (rest[c.len_utf8()..].trim(), true),
        _ => (label, false),
    };
    // The form's own instruction in brackets (一个项目一行) is not part of the name.
    let name = match name.rfind(['(', '（']) {
        Some(open) if name[open..].contains("一行") => name[..open].trim(),
        _ => name,
    };
    (name.to_owned(), numbered)
}

impl Tree {
    fn nearest(&self, test: impl Fn(&str) -> bool) -> Option<usize> {
        self.rows.iter().rposition(|r| test(&r.name))
    }

    fn place(&mut self, label: &str, line: u32, notes: &mut Vec<Note>) -> SpendingRow {
        let index = self.rows.len();
        let mut note = |message: String| {
            notes.push(Note {
                line,
                part: BASIC,
                message,
            });
        };
        let row = |name: String, parent| SpendingRow {
            name,
            parent,
            actual: None,
            budget: None,
            last_year_actual: None,
        };
        if is_top(label) {
            self.top = Some(index);
            self.numbered_parent = None;
            self.numbered = None;
            self.within = None;
            return row(label.to_owned(), None);
        }
        let (rest, part_of) = strip_part_of(label);
        let (name, numbered) = strip_number(&rest);
        let previous = index.checked_sub(1);
        let parent = if numbered {
            let parent = self
                .numbered_parent
                .or(if part_of { previous } else { self.top });
            self.numbered_parent = parent;
            self.numbered = Some(index);
            self.within = None;
            parent
        } else if part_of {
            self.within = previous;
            previous
        } else if let Some(parent) = self.known_parent(&name) {
            note(format!(
                "按名称判断“{name}”是“{}”的一项",
                self.rows[parent].name
            ));
            self.within = None;
            Some(parent)
        } else if let Some(within) = self.within {
            note(format!(
                "“{name}”紧接“其中”各行，按“{}”的组成部分读",
                self.rows[within].name
            ));
            Some(within)
        } else if let Some(numbered) = self.numbered.filter(|n| Some(*n) == previous) {
            note(format!(
                "“{name}”无编号，紧接“{}”，按它的组成部分读",
                self.rows[numbered].name
            ));
            Some(numbered)
        } else {
            previous.and_then(|p| self.rows[p].parent).or(self.top)
        };
        row(name, parent)
    }

    /// The parent the spending rules give a known item: the 三公经费 are 公务用车, 公务接待 and
    /// 出国; 公务用车 is 购置 and 运行维护.
    fn known_parent(&self, name: &str) -> Option<usize> {
        if name.contains("公车") || name.contains("车辆购置") || name.contains("车辆运行")
        {
            self.nearest(|n| n.contains("公务用车"))
        } else if name.contains("公务用车") || name.contains("公务接待") || name.contains("出国")
        {
            self.nearest(|n| n.contains("三公"))
        } else {
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn item_numbers_and_instructions_leave_the_names() {
        assert_eq!(
            strip_number("1、业务工作专项(一个项目一行)"),
            ("业务工作专项".into(), true)
        );
        assert_eq!(
            strip_number("3、县级专项资金（一个专项一行）"),
            ("县级专项资金".into(), true)
        );
        assert_eq!(strip_number("公车购置"), ("公车购置".into(), false));
        assert!(is_top("一、部门基本支出"));
        assert!(!is_top("1、三公经费"));
    }
}
