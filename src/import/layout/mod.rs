//! The official layout, found by its printed headings: header lines, the project rows, the
//! funds block, the annual goals, the indicator table, the total and the explanations.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde_json::{Map, Value, json};

mod attachments;
mod funds;
mod indicators;
mod text;

use super::cellref::cell_ref;
use super::sheet::Sheet;
use super::{ImportError, ImportNote, Imported};
use crate::domain::reading::{ReadError, read_document};
use crate::domain::validation::FieldError;
use crate::render::xlsx::{EXTRA_METHOD, EXTRA_RULESET, EXTRA_UNIT_CODE};
use text::year_in;

/// Whether a sheet holds the indicator table of a 自评表.
pub fn holds_form(sheet: &Sheet) -> bool {
    indicator_heading(sheet).is_some()
}

fn indicator_heading(sheet: &Sheet) -> Option<u32> {
    (0..sheet.rows).find(|&r| {
        let texts: Vec<&str> = sheet.filled(r).iter().map(|&c| sheet.text(r, c)).collect();
        ["一级指标", "二级指标", "三级指标"]
            .iter()
            .all(|h| texts.iter().any(|t| t.contains(h)))
    })
}

/// The sheets that go with the form sheet, where the workbook has them.
#[derive(Clone, Copy, Default)]
pub struct Companions<'a> {
    /// The sheet of what the paper form has no place for (附加信息).
    pub extra: Option<&'a Sheet>,
    /// The 基础数据表 sheet.
    pub basic_data: Option<&'a Sheet>,
    /// The 自评报告 sheet.
    pub report: Option<&'a Sheet>,
}

/// Reads the document out of the form sheet, with the fields of its companion sheets.
pub fn read(sheet: &Sheet, companions: Companions<'_>) -> Result<Imported, ImportError> {
    let extra = companions.extra;
    let mut reader = LayoutReader {
        sheet,
        cells: BTreeMap::new(),
        notes: Vec::new(),
    };
    let mut document = Map::new();
    reader.header(&mut document)?;
    let kind = document["kind"].as_str().unwrap_or_default().to_owned();
    if kind == "project" {
        reader.project(&mut document);
    }
    let indicators_at = indicator_heading(sheet)
        .ok_or_else(|| ImportError::in_sheet(&sheet.name, "no indicator table"))?;
    let goals_at = sheet.find(0, |t| t.starts_with("年度总体目标") || t == "年度目标");
    let funds_end = goals_at.map_or(indicators_at, |(r, _)| r);
    reader.funds(&mut document, &kind, funds_end)?;
    reader.goals(&mut document, goals_at, indicators_at);
    let total_at = reader.indicators(&mut document, indicators_at)?;
    reader.total(&mut document, total_at)?;
    reader.explanation(&mut document, total_at);
    if let Some(extra) = extra {
        reader.extra(&mut document, extra);
    }
    for (field, attachment) in [
        ("basic_data", companions.basic_data),
        ("report", companions.report),
    ] {
        let Some(attachment) = attachment else {
            continue;
        };
        let mut other = LayoutReader {
            sheet: attachment,
            cells: BTreeMap::new(),
            notes: Vec::new(),
        };
        let value = if field == "basic_data" {
            other.basic_data(extra)?
        } else {
            other.report()
        };
        document.insert(field.into(), value);
        reader.cells.append(&mut other.cells);
        reader.notes.append(&mut other.notes);
    }
    let json = Value::Object(document);
    let text = json.to_string();
    let parsed = match read_document(&text, None) {
        Ok(document) => document,
        Err(ReadError::Invalid(problems)) => {
            let problems: Vec<FieldError> = problems
                .into_iter()
                .map(|problem| match reader.place_for(&problem.pointer) {
                    Some(place) => problem.read_at(place),
                    None => problem,
                })
                .collect();
            let first = problems
                .first()
                .map(|p| p.pointer.clone())
                .unwrap_or_default();
            let summary: Vec<String> = problems
                .iter()
                .map(|p| format!("{}: {}", p.pointer, p.detail))
                .collect();
            return Err(ImportError {
                sheet: Some(sheet.name.clone()),
                cell: reader.cell_for(&first),
                line: None,
                detail: summary.join("; "),
                problems,
            });
        }
        Err(ReadError::Malformed(detail)) => {
            return Err(ImportError {
                sheet: Some(sheet.name.clone()),
                cell: None,
                line: None,
                detail,
                problems: Vec::new(),
            });
        }
    };
    Ok(Imported {
        document: parsed,
        json: text,
        notes: reader.notes,
        cells: reader.cells,
    })
}

struct LayoutReader<'a> {
    sheet: &'a Sheet,
    /// The cell each JSON pointer was read from (`自评表!F12`).
    cells: BTreeMap<String, String>,
    notes: Vec<ImportNote>,
}

/// The captions of the lines above and below the table.
const CAPTIONS: [&str; 7] = [
    "填报单位",
    "单位名称",
    "填报时间",
    "填报日期",
    "填表人",
    "联系电话",
    "单位负责人",
];

/// Splits `label：value` (full- or half-width colon).
fn after_colon(text: &str) -> Option<&str> {
    text.split_once('：')
        .or_else(|| text.split_once(':'))
        .map(|(_, value)| value.trim())
}

impl LayoutReader<'_> {
    fn place(&self, row: u32, col: u32) -> String {
        format!("{}!{}", self.sheet.name, cell_ref(row, col))
    }

    fn note(&mut self, row: u32, col: u32, message: impl Into<String>) {
        self.notes.push(ImportNote {
            sheet: self.sheet.name.clone(),
            cell: cell_ref(row, col),
            line: None,
            message: message.into(),
        });
    }

    /// The place (`自评表!F12`) a field, or the nearest enclosing one, was read from.
    fn place_for(&self, pointer: &str) -> Option<&String> {
        let mut pointer = pointer;
        loop {
            if let Some(place) = self.cells.get(pointer) {
                return Some(place);
            }
            pointer = pointer.rsplit_once('/')?.0;
        }
    }

    fn cell_for(&self, pointer: &str) -> Option<String> {
        let mut pointer = pointer;
        loop {
            if let Some(place) = self.cells.get(pointer) {
                return place.split_once('!').map(|(_, cell)| cell.to_owned());
            }
            pointer = pointer.rsplit_once('/')?.0;
        }
    }

    /// Records where a text came from and returns it as a JSON string.
    fn text_at(&mut self, pointer: String, row: u32, col: u32) -> Value {
        let place = self.place(row, col);
        self.cells.insert(pointer, place);
        Value::String(self.sheet.shown(row, col).to_owned())
    }

    /// A figure: the number the cell holds, or its text; a formula is refused.
    fn figure_at(
        &mut self,
        pointer: String,
        row: u32,
        col: u32,
    ) -> Result<Option<Value>, ImportError> {
        let (r, c) = self.sheet.anchor(row, col);
        let cell = self.sheet.cell(r, c);
        if let Some(formula) = &cell.formula {
            return Err(ImportError::at(
                &self.sheet.name,
                r,
                c,
                format!(
                    "a formula ({formula}) where a figure belongs; enter the figure itself, as \
                     printed on the form"
                ),
            ));
        }
        let text = cell.text.trim();
        if text.is_empty() || is_dash(text) {
            return Ok(None);
        }
        if pointer.ends_with("/weight") && is_inferred_weight(text) {
            // A form printed without weights shows the ruleset's in brackets: they are not
            // the form's, and scoring infers them again.
            self.note(r, c, notes::inferred_weight_skipped(text));
            return Ok(None);
        }
        let place = self.place(r, c);
        self.cells.insert(pointer, place);
        Ok(Some(Value::String(match cell.number {
            Some(number) => number.to_string(),
            None => text.to_owned(),
        })))
    }

    fn header(&mut self, document: &mut Map<String, Value>) -> Result<(), ImportError> {
        let sheet = self.sheet;
        let project = sheet
            .find(0, |t| t.contains("项目支出绩效自评表"))
            .is_some()
            || sheet.find(0, |t| t == "项目名称").is_some();
        document.insert(
            "kind".into(),
            json!(if project { "project" } else { "department" }),
        );
        let (year, at) = (0..sheet.rows.min(12))
            .flat_map(|r| sheet.filled(r).into_iter().map(move |c| (r, c)))
            .find_map(|(r, c)| year_in(sheet.text(r, c)).map(|y| (y, (r, c))))
            .ok_or_else(|| {
                ImportError::in_sheet(
                    &sheet.name,
                    "no fiscal year above the table: the form's title or the line under it \
                     names the year, as in （2020年度）",
                )
            })?;
        self.cells
            .insert("/fiscal_year".into(), self.place(at.0, at.1));
        document.insert("fiscal_year".into(), json!(year));
        let unit = match self.labeled(|t| t.starts_with("填报单位") || t.starts_with("单位名称"))
        {
            Some((name, _)) if project && name.trim().is_empty() => None,
            unit => unit,
        };
        // Many regions print the project form with no 填报单位 line: the unit that carries the
        // project out (实施单位) is the one that fills the form in.
        let unit = unit.or_else(|| {
            let (name, (r, c)) = project.then(|| self.project_field("实施单位")).flatten()?;
            self.note(r, c, notes::unit_from_implementer(&name));
            Some((name, (r, c)))
        });
        let Some((name, (r, c))) = unit else {
            let also = if project { " or 实施单位" } else { "" };
            return Err(ImportError::in_sheet(
                &sheet.name,
                format!(
                    "no 填报单位{also}: the line above the table names the unit, as in \
                     填报单位（盖章）：…"
                ),
            ));
        };
        self.cells.insert("/unit/name".into(), self.place(r, c));
        document.insert("unit".into(), json!({ "name": name }));
        for (field, test) in [
            (
                "filled_on",
                (|t: &str| t.starts_with("填报时间") || t.starts_with("填报日期"))
                    as fn(&str) -> bool,
            ),
            ("prepared_by", |t: &str| t.starts_with("填表人")),
            ("contact_phone", |t: &str| t.starts_with("联系电话")),
        ] {
            if let Some((value, (r, c))) = self.labeled(test) {
                if !value.is_empty() {
                    self.cells.insert(format!("/{field}"), self.place(r, c));
                    document.insert(field.into(), Value::String(value));
                }
            }
        }
        Ok(())
    }

    /// A value printed after its caption: in the caption's cell after the colon, or in the
    /// next filled cell to the right.
    fn labeled(&self, test: impl Fn(&str) -> bool) -> Option<(String, (u32, u32))> {
        let (r, c) = self.sheet.find(0, &test)?;
        let text = self.sheet.text(r, c);
        match after_colon(text) {
            Some(value) if !value.is_empty() => Some((value.to_owned(), (r, c))),
            _ => {
                // Another caption (`填报时间：…` after a blank `填报单位：`) is no value.
                let next = self.sheet.next_right(r, c, |t| {
                    t.ends_with('：')
                        || t.ends_with(':')
                        || CAPTIONS.iter().any(|c| t.starts_with(c))
                });
                match next {
                    Some((r2, c2)) => Some((self.sheet.text(r2, c2).to_owned(), (r2, c2))),
                    None => Some((String::new(), (r, c))),
                }
            }
        }
    }

    /// The filled cell right of a project caption (`实施单位`), when there is one.
    fn project_field(&self, caption: &str) -> Option<(String, (u32, u32))> {
        let (r, c) = self.sheet.find(0, |t| t == caption)?;
        let labels = ["项目名称", "主管部门", "实施单位"];
        let (r2, c2) = self.sheet.next_right(r, c, |t| labels.contains(&t))?;
        let text = self.sheet.text(r2, c2).trim();
        (!text.is_empty()).then(|| (text.to_owned(), (r2, c2)))
    }

    fn project(&mut self, document: &mut Map<String, Value>) {
        let mut project = Map::new();
        for (field, caption) in [
            ("name", "项目名称"),
            ("department", "主管部门"),
            ("implementer", "实施单位"),
        ] {
            let Some((r, c)) = self.sheet.find(0, |t| t == caption) else {
                continue;
            };
            let labels = ["项目名称", "主管部门", "实施单位"];
            if let Some((r2, c2)) = self.sheet.next_right(r, c, |t| labels.contains(&t)) {
                let value = self.text_at(format!("/project/{field}"), r2, c2);
                project.insert(field.into(), value);
            }
        }
        document.insert("project".into(), Value::Object(project));
    }

    fn goals(
        &mut self,
        document: &mut Map<String, Value>,
        label: Option<(u32, u32)>,
        indicators_at: u32,
    ) {
        let Some((row, label_col)) = label else {
            return;
        };
        let sheet = self.sheet;
        let heading_row = [row, row + 1].into_iter().find(|&r| {
            sheet
                .filled(r)
                .iter()
                .any(|&c| sheet.text(r, c).contains("预期"))
        });
        let (first, expected_col, actual_col) = match heading_row {
            Some(h) => {
                let find = |test: &dyn Fn(&str) -> bool| {
                    sheet
                        .filled(h)
                        .into_iter()
                        .find(|&c| test(sheet.text(h, c)))
                };
                (
                    h + 1,
                    find(&|t| t.contains("预期")),
                    find(&|t| t.contains("实际完成") || t.contains("完成情况")),
                )
            }
            None => {
                let cols: Vec<u32> = sheet
                    .filled(row)
                    .into_iter()
                    .filter(|&c| c > label_col)
                    .collect();
                (row, cols.first().copied(), cols.get(1).copied())
            }
        };
        let mut goals = Vec::new();
        for r in first..indicators_at {
            let text =
                |col: Option<u32>| col.map(|c| sheet.text(r, c).to_owned()).unwrap_or_default();
            let (expected, actual) = (text(expected_col), text(actual_col));
            if expected.is_empty() && actual.is_empty() {
                continue;
            }
            let i = goals.len();
            if let Some(c) = expected_col {
                self.cells
                    .insert(format!("/goals/{i}/expected"), self.place(r, c));
            }
            if let Some(c) = actual_col {
                self.cells
                    .insert(format!("/goals/{i}/actual"), self.place(r, c));
            }
            goals.push(json!({ "expected": expected, "actual": actual }));
        }
        document.insert("goals".into(), Value::Array(goals));
    }

    fn total(&mut self, document: &mut Map<String, Value>, from: u32) -> Result<(), ImportError> {
        let sheet = self.sheet;
        if let Some((r, c)) = sheet.find(from, |t| t.contains("评定等级") || t.contains("自评等级"))
        {
            if let Some((r2, c2)) = sheet.next_right(r, c, |t| t.starts_with("总分")) {
                document.insert(
                    "declared_grade".into(),
                    self.text_at("/declared_grade".into(), r2, c2),
                );
            }
        }
        if let Some((r, c)) = sheet.find(from, |t| t.starts_with("总分")) {
            let figures: Vec<u32> = sheet
                .filled(r)
                .into_iter()
                .filter(|&col| col > c)
                .filter(|&col| {
                    let cell = sheet.cell(r, col);
                    cell.number.is_some()
                        || cell.text.trim().parse::<Decimal>().is_ok()
                        || cell.formula.is_some()
                })
                .collect();
            // 总分 is followed by the total weight (100) and then the score.
            if let Some(&col) = figures
                .last()
                .filter(|_| figures.len() >= 2)
                .or(figures.first())
            {
                if let Some(value) = self.figure_at("/declared_total".into(), r, col)? {
                    document.insert("declared_total".into(), value);
                }
            }
        }
        Ok(())
    }

    fn explanation(&mut self, document: &mut Map<String, Value>, from: u32) {
        let sheet = self.sheet;
        for (field, test) in [
            (
                "deviation_analysis",
                (|t: &str| t.contains("原因分析") && !t.contains("改进措施")) as fn(&str) -> bool,
            ),
            ("improvement_measures", |t: &str| {
                t.contains("改进措施") && !t.contains("原因")
            }),
        ] {
            let Some((r, c)) = sheet.find(from, test) else {
                continue;
            };
            // The text is under its caption, or to its right.
            let below = (r + 1, c);
            let at = if sheet.text(below.0, below.1).is_empty() {
                sheet.next_right(r, c, |t| t.contains("改进措施") || t.contains("原因分析"))
            } else {
                Some(below)
            };
            if let Some((r2, c2)) = at {
                if !sheet.text(r2, c2).is_empty() {
                    document.insert(field.into(), self.text_at(format!("/{field}"), r2, c2));
                }
            }
        }
        if let Some((r, c)) = sheet.find(from, |t| t.contains("其他需要说明")) {
            if let Some((r2, c2)) = sheet.next_right(r, c, |_| false) {
                document.insert("notes".into(), self.text_at("/notes".into(), r2, c2));
            }
        }
    }

    /// What the paper form has no place for, from the workbook's 附加信息 sheet.
    fn extra(&mut self, document: &mut Map<String, Value>, extra: &Sheet) {
        for row in 1..extra.rows {
            let (key, value, third) = (extra.text(row, 0), extra.text(row, 1), extra.text(row, 2));
            match key {
                k if k == EXTRA_RULESET && !value.is_empty() => {
                    document.insert("ruleset".into(), json!(value));
                }
                k if k == EXTRA_UNIT_CODE && !value.is_empty() => {
                    if let Some(Value::Object(unit)) = document.get_mut("unit") {
                        unit.insert("code".into(), json!(value));
                    }
                }
                k if k == EXTRA_METHOD => {
                    let mut target = document.get_mut("indicators");
                    for part in value.trim_start_matches("/indicators/").split('/') {
                        target = target.and_then(|v| match part.parse::<usize>() {
                            Ok(index) => v.get_mut(index),
                            Err(_) => v.get_mut(part),
                        });
                    }
                    if let Some(Value::Object(leaf)) = target {
                        leaf.insert("method".into(), json!(third));
                    }
                }
                _ => {}
            }
        }
    }
}

/// A weight printed in brackets, `(10)` or `（16.67）`: one inferred from the ruleset.
fn is_inferred_weight(text: &str) -> bool {
    let inner = text
        .strip_prefix('(')
        .and_then(|t| t.strip_suffix(')'))
        .or_else(|| text.strip_prefix('（').and_then(|t| t.strip_suffix('）')));
    inner.is_some_and(|t| t.trim().parse::<rust_decimal::Decimal>().is_ok())
}

/// The import notes this module adds, in one place.
mod notes {
    pub(super) fn unit_from_implementer(name: &str) -> String {
        format!("表中未印填报单位，填报单位取自实施单位：{name}")
    }

    pub(super) fn inferred_weight_skipped(text: &str) -> String {
        format!("分值 {text} 带括号，是按评分规则推定的分值，不作为本表填写的分值读入")
    }
}

pub(super) fn is_dash(text: &str) -> bool {
    matches!(text, "-" | "—" | "——" | "/" | "／")
}
