//! The funds block: the totals row, and the breakdown rows under their group headings.

use serde_json::{Map, Value, json};

use super::LayoutReader;
use super::text::currency_in;
use crate::import::ImportError;

/// Breakdown rows that stand on their own; a row after a `其中` row that is not one of them
/// belongs to the same parent.
const TOP_LEVEL_ROWS: [&str; 14] = [
    "一般公共预算",
    "一般公共预算拨款",
    "政府性基金拨款",
    "政府性基金预算拨款",
    "纳入管理的非税收入拨款",
    "纳入专户管理的非税收入拨款",
    "国有资本经营预算",
    "其他资金",
    "基本支出",
    "项目支出",
    "当年财政拨款",
    "上年结转资金",
    "财政专户管理资金",
    "单位资金",
];

/// The columns of the funds block, by their headings.
struct FundsColumns {
    initial: Option<u32>,
    annual: Option<u32>,
    executed: Option<u32>,
    rate: Option<u32>,
    weight: Option<u32>,
    score: Option<u32>,
}

impl FundsColumns {
    fn of(sheet: &crate::import::sheet::Sheet, heading: u32) -> Self {
        let column = |test: &dyn Fn(&str) -> bool| {
            sheet
                .filled(heading)
                .into_iter()
                .find(|&c| test(sheet.text(heading, c)))
        };
        Self {
            initial: column(&|t| t.contains("年初预算")),
            annual: column(&|t| t.contains("全年预算") || t == "调整预算数"),
            executed: column(&|t| t.contains("执行数") || t.contains("全年执行")),
            rate: column(&|t| t.contains("执行率")),
            weight: column(&|t| t == "分值" || t == "权重"),
            score: column(&|t| t.contains("得分")),
        }
    }

    /// The first column of figures; the row names are left of it.
    fn first_figure(&self) -> u32 {
        [self.initial, self.annual, self.executed]
            .into_iter()
            .flatten()
            .min()
            .unwrap_or(1)
    }

    fn totals(&self) -> [(&'static str, Option<u32>); 6] {
        [
            ("initial_budget", self.initial),
            ("annual_budget", self.annual),
            ("executed", self.executed),
            ("declared_rate", self.rate),
            ("weight", self.weight),
            ("declared_score", self.score),
        ]
    }

    fn amounts(&self) -> [(&'static str, Option<u32>); 3] {
        [
            ("initial_budget", self.initial),
            ("annual_budget", self.annual),
            ("executed", self.executed),
        ]
    }
}

/// Where the breakdown stands while its rows are read.
struct Breakdown {
    group: &'static str,
    /// The last row that stands on its own: the parent of `其中` rows after it.
    last_top: Option<String>,
    in_children: bool,
    rows: Vec<Value>,
}

impl Breakdown {
    fn switch_to(&mut self, group: &'static str) {
        self.group = group;
        self.last_top = None;
        self.in_children = false;
    }

    /// The parent of a row: the row above it that stands alone, for a `其中` row and for the
    /// rows after one that are not themselves rows that stand alone.
    fn parent_of(&mut self, name: &str, marked_child: bool) -> Option<String> {
        if self.group == "source" {
            return None;
        }
        if marked_child || (self.in_children && !TOP_LEVEL_ROWS.contains(&name)) {
            self.in_children = true;
            return self.last_top.clone();
        }
        self.in_children = false;
        self.last_top = Some(name.to_owned());
        None
    }
}

/// `其中：人员经费` → (`true`, `人员经费`).
fn strip_child_mark(name: &str) -> (bool, String) {
    match name
        .strip_prefix("其中：")
        .or_else(|| name.strip_prefix("其中:"))
        .or_else(|| name.strip_prefix("其中"))
    {
        Some(rest) => (true, rest.trim().to_owned()),
        None => (false, name.to_owned()),
    }
}

impl LayoutReader<'_> {
    pub(super) fn funds(
        &mut self,
        document: &mut Map<String, Value>,
        kind: &str,
        end: u32,
    ) -> Result<(), ImportError> {
        let sheet = self.sheet;
        let (heading, _) = sheet.find(0, |t| t.contains("年初预算")).ok_or_else(|| {
            ImportError::in_sheet(
                &sheet.name,
                "no funds block: the table's first block is headed 年初预算数, 全年预算数, \
                 全年执行数, 执行率, 分值, 得分",
            )
        })?;
        let columns = FundsColumns::of(sheet, heading);
        let first_figure = columns.first_figure();
        let block_label = self.currency(document, heading, first_figure);
        let mut funds = Map::new();
        let mut breakdown = Breakdown {
            group: if kind == "project" {
                "source"
            } else {
                "income"
            },
            last_top: None,
            in_children: false,
            rows: Vec::new(),
        };
        for row in heading + 1..end {
            let name: String = sheet
                .filled(row)
                .into_iter()
                .filter(|&c| c < first_figure)
                .map(|c| sheet.text(row, c))
                .filter(|t| *t != block_label)
                .collect::<Vec<_>>()
                .join("");
            if name.contains("收入性质") {
                breakdown.switch_to("income");
            } else if name.contains("支出性质") {
                breakdown.switch_to("expenditure");
            } else if name.contains("资金总额") || name == "合计" || name == "总计" {
                self.funds_totals(&mut funds, row, &columns)?;
            } else if !name.is_empty() {
                self.breakdown_row(&mut breakdown, &name, row, &columns)?;
            }
        }
        funds.insert("breakdown".into(), Value::Array(breakdown.rows));
        if !funds.contains_key("weight") {
            let place = self.place(heading, columns.weight.unwrap_or(0));
            self.cells.insert("/funds/weight".into(), place);
        }
        document.insert("funds".into(), Value::Object(funds));
        Ok(())
    }

    /// Reads the currency from the block label (部门资金（万元）) or a 单位：元 line above the
    /// table; returns the block label, so that rows repeating it are not named by it.
    fn currency(
        &mut self,
        document: &mut Map<String, Value>,
        heading: u32,
        first_figure: u32,
    ) -> String {
        let sheet = self.sheet;
        let label = sheet
            .filled(heading)
            .into_iter()
            .filter(|&c| c < first_figure)
            .map(|c| (c, sheet.text(heading, c).to_owned()))
            .find(|(_, t)| t.contains("资金") || t.contains('元'));
        let unit_line = sheet.find(0, |t| {
            (t.contains("单位：") || t.contains("单位:"))
                && t.ends_with('元')
                && !t.contains("填报")
        });
        let currency = [
            label.as_ref().map(|(c, t)| ((heading, *c), t.clone())),
            unit_line.map(|(r, c)| ((r, c), sheet.text(r, c).to_owned())),
        ]
        .into_iter()
        .flatten()
        .find_map(|(at, text)| currency_in(&text).map(|unit| (at, unit)));
        if let Some(((r, c), unit)) = currency {
            document.insert("currency_unit".into(), json!(unit));
            self.note(r, c, format!("amounts are in {unit}"));
        }
        label.map(|(_, t)| t).unwrap_or_default()
    }

    fn funds_totals(
        &mut self,
        funds: &mut Map<String, Value>,
        row: u32,
        columns: &FundsColumns,
    ) -> Result<(), ImportError> {
        for (field, col) in columns.totals() {
            let Some(col) = col else { continue };
            let Some(value) = self.figure_at(format!("/funds/{field}"), row, col)? else {
                continue;
            };
            // A rate may be printed with its percent sign.
            let value = match (field, value) {
                ("declared_rate", Value::String(s)) => {
                    Value::String(s.trim_end_matches(['%', '％']).to_owned())
                }
                (_, v) => v,
            };
            funds.insert(field.into(), value);
        }
        let place = self.place(row, 0);
        self.cells.insert("/funds".into(), place);
        Ok(())
    }

    fn breakdown_row(
        &mut self,
        breakdown: &mut Breakdown,
        name: &str,
        row: u32,
        columns: &FundsColumns,
    ) -> Result<(), ImportError> {
        let index = breakdown.rows.len();
        let (marked_child, clean) = strip_child_mark(name);
        let name_col = self
            .sheet
            .filled(row)
            .into_iter()
            .find(|&c| c < columns.first_figure())
            .unwrap_or(0);
        let place = self.place(row, name_col);
        self.cells
            .insert(format!("/funds/breakdown/{index}/name"), place);
        let mut item = Map::new();
        item.insert("group".into(), json!(breakdown.group));
        item.insert("name".into(), json!(clean));
        if let Some(parent) = breakdown.parent_of(&clean, marked_child) {
            item.insert("parent".into(), json!(parent));
        }
        for (field, col) in columns.amounts() {
            let Some(col) = col else { continue };
            let pointer = format!("/funds/breakdown/{index}/{field}");
            if let Some(value) = self.figure_at(pointer, row, col)? {
                item.insert(field.into(), value);
            }
        }
        breakdown.rows.push(Value::Object(item));
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_after_a_child_row_are_children_until_a_row_that_stands_alone() {
        let mut breakdown = Breakdown {
            group: "expenditure",
            last_top: None,
            in_children: false,
            rows: Vec::new(),
        };
        let mut parents = Vec::new();
        for name in ["基本支出", "其中：人员经费", "公用经费", "项目支出"] {
            let (marked, clean) = strip_child_mark(name);
            parents.push(breakdown.parent_of(&clean, marked));
        }
        let base = Some("基本支出".to_owned());
        assert_eq!(parents, [None, base.clone(), base, None]);
    }
}
