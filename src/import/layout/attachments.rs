//! The sheets that go with the form: the 基础数据表 and the 自评报告.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use super::LayoutReader;
use super::text::currency_in;
use crate::domain::basic_data::bare_name;
use crate::domain::form::{FRUGALITY_LABEL, PROCUREMENT_LABEL, SPENDING_LABEL, UNIT_CAPTION};
use crate::import::ImportError;
use crate::import::sheet::Sheet;
use crate::render::xlsx::{
    EXTRA_SPENDING_PARENT, REPORT_DATE, REPORT_EVALUATOR, REPORT_METHOD, REPORT_SECTIONS,
};

/// Whether a row name is only the `.....` placeholder of a blank form.
fn is_placeholder(name: &str) -> bool {
    name.chars()
        .all(|c| matches!(c, '.' | '…' | '。' | '·') || c.is_whitespace())
}

/// The parents the extra sheet records, by row index.
fn recorded_parents(extra: Option<&Sheet>) -> Option<BTreeMap<usize, usize>> {
    let extra = extra?;
    let mut parents = BTreeMap::new();
    let mut any = false;
    for row in 1..extra.rows {
        if extra.text(row, 0) != EXTRA_SPENDING_PARENT {
            continue;
        }
        any = true;
        let index = extra
            .text(row, 1)
            .trim_start_matches("/basic_data/spending/")
            .parse::<usize>();
        if let (Ok(index), Ok(parent)) = (index, extra.text(row, 2).trim().parse::<usize>()) {
            parents.insert(index, parent);
        }
    }
    any.then_some(parents)
}

/// The parent of each row as the official layout implies it: `一、` rows stand alone, the
/// 三公经费 parts belong to it, the 公车 rows to the 公务用车 funds, and other rows to the last
/// row that stands alone.
fn inferred_parents(names: &[String]) -> BTreeMap<usize, usize> {
    let mut parents = BTreeMap::new();
    let (mut top, mut three, mut cars) = (None, None, None);
    for (i, name) in names.iter().enumerate() {
        let bare = bare_name(name);
        let chinese_numbered = name
            .trim()
            .chars()
            .next()
            .is_some_and(|c| "一二三四五六七八九十".contains(c))
            && name.contains('、');
        let parent = if chinese_numbered {
            None
        } else if bare.contains('车') && !bare.contains("公务用车购置") {
            cars.or(three).or(top)
        } else if bare.contains("公务用车购置")
            || bare.contains("公务接待")
            || bare.contains("出国")
        {
            three.or(top)
        } else {
            top
        };
        if let Some(parent) = parent {
            parents.insert(i, parent);
        }
        if chinese_numbered {
            top = Some(i);
            three = None;
            cars = None;
        } else if bare.contains("三公") {
            three = Some(i);
        } else if bare.contains("公务用车购置") {
            cars = Some(i);
        }
    }
    parents
}

impl LayoutReader<'_> {
    /// Reads the 基础数据表 sheet into the document's `basic_data`.
    pub(super) fn basic_data(&mut self, extra: Option<&Sheet>) -> Result<Value, ImportError> {
        let sheet = self.sheet;
        let mut data = Map::new();
        if let Some((r, c)) = sheet.find(0, |t| t.contains(UNIT_CAPTION) || t.starts_with("单位"))
        {
            if let Some(unit) = currency_in(sheet.text(r, c)) {
                data.insert("currency_unit".into(), json!(unit));
            }
        }
        if let Some((r, _)) = sheet.find(0, |t| t == "编制数") {
            let mut staffing = Map::new();
            for c in 0..sheet.cols {
                let heading = sheet.text(r, c);
                let field = if heading == "编制数" {
                    "authorized"
                } else if heading.contains("在职人数") {
                    "actual"
                } else if heading.contains("控制率") {
                    "declared_control_rate"
                } else {
                    continue;
                };
                let pointer = format!("/basic_data/staffing/{field}");
                if let Some(value) = self.figure_at(pointer, r + 1, c)? {
                    staffing.insert(field.into(), value);
                }
            }
            data.insert("staffing".into(), Value::Object(staffing));
        }
        let mut end = sheet.rows;
        if let Some((r, _)) = sheet.find(0, |t| t.starts_with(PROCUREMENT_LABEL)) {
            end = end.min(r);
            if let Some(value) =
                self.figure_at("/basic_data/government_procurement".into(), r, 1)?
            {
                data.insert("government_procurement".into(), value);
            }
        }
        if let Some((r, _)) = sheet.find(0, |t| t.starts_with(FRUGALITY_LABEL)) {
            end = end.min(r);
            let text = sheet.shown(r, 1).trim();
            if !text.is_empty() {
                let value = self.text_at("/basic_data/frugality_measures".into(), r, 1);
                data.insert("frugality_measures".into(), value);
            }
        }
        if let Some((heading, _)) = sheet.find(0, |t| t == SPENDING_LABEL) {
            let mut columns = Vec::new();
            let mut actual_seen = false;
            for c in 1..sheet.cols {
                let text = sheet.text(heading, c);
                if text.contains("预算数") {
                    columns.push((c, "budget"));
                } else if text.contains("决算数") {
                    columns.push((
                        c,
                        if actual_seen {
                            "last_year_actual"
                        } else {
                            "actual"
                        },
                    ));
                    actual_seen = true;
                }
            }
            let mut rows = Vec::new();
            let mut names = Vec::new();
            for r in heading + 1..end {
                let name = sheet.shown(r, 0).trim().to_owned();
                if name.is_empty() || is_placeholder(&name) {
                    continue;
                }
                let i = rows.len();
                let mut row = Map::new();
                row.insert(
                    "name".into(),
                    self.text_at(format!("/basic_data/spending/{i}/name"), r, 0),
                );
                for (c, field) in &columns {
                    let pointer = format!("/basic_data/spending/{i}/{field}");
                    if let Some(value) = self.figure_at(pointer, r, *c)? {
                        row.insert((*field).into(), value);
                    }
                }
                names.push(name);
                rows.push(row);
            }
            let parents = recorded_parents(extra).unwrap_or_else(|| inferred_parents(&names));
            for (i, parent) in parents {
                if let Some(row) = rows.get_mut(i) {
                    row.insert("parent".into(), json!(parent));
                }
            }
            data.insert(
                "spending".into(),
                Value::Array(rows.into_iter().map(Value::Object).collect()),
            );
        }
        Ok(Value::Object(data))
    }

    /// Reads the 自评报告 sheet into the document's `report`.
    pub(super) fn report(&mut self) -> Value {
        let sheet = self.sheet;
        let mut report = Map::new();
        let mut sections = Vec::new();
        let mut in_sections = false;
        for r in 0..sheet.rows {
            let key = sheet.shown(r, 0).trim();
            let value = sheet.shown(r, 1).trim();
            if in_sections {
                if key.is_empty() && value.is_empty() {
                    continue;
                }
                let i = sections.len();
                let heading = self.text_at(format!("/report/sections/{i}/heading"), r, 0);
                let text = self.text_at(format!("/report/sections/{i}/text"), r, 1);
                sections.push(json!({ "heading": heading, "text": text }));
                continue;
            }
            let field = match key {
                REPORT_METHOD => "method",
                REPORT_EVALUATOR => "evaluator",
                REPORT_DATE => "report_date",
                REPORT_SECTIONS => {
                    in_sections = true;
                    continue;
                }
                _ => continue,
            };
            if value.is_empty() {
                continue;
            }
            let value = if field == "report_date" {
                json!(iso_date(value))
            } else {
                self.text_at(format!("/report/{field}"), r, 1)
            };
            report.insert(field.into(), value);
        }
        report.insert("sections".into(), Value::Array(sections));
        Value::Object(report)
    }
}

/// `2021-07-11` as it is, `2021年7月11日` as `2021-07-11`; anything else unchanged, for the
/// document's reader to refuse with its pointer.
fn iso_date(text: &str) -> String {
    let parts: Vec<&str> = text
        .split(|c: char| !c.is_ascii_digit())
        .filter(|part| !part.is_empty())
        .collect();
    match parts.as_slice() {
        [y, m, d] if text.contains('年') => format!("{y}-{m:0>2}-{d:0>2}"),
        _ => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_official_rows_get_their_parents_from_their_numbering() {
        let names: Vec<String> = [
            "一、部门基本支出",
            "其中：1、压缩一般性支出",
            "2、三公经费",
            "公务用车购置和维护经费",
            "其中：公车购置",
            "公车运行维护",
            "公务接待",
            "出国经费",
            "二、部门项目支出",
            "1、业务工作专项(一个项目一行)",
            "2、运行维护专项(一个项目一行)",
        ]
        .map(str::to_owned)
        .to_vec();
        let parents = inferred_parents(&names);
        let expected: BTreeMap<usize, usize> = [
            (1, 0),
            (2, 0),
            (3, 2),
            (4, 3),
            (5, 3),
            (6, 2),
            (7, 2),
            (9, 8),
            (10, 8),
        ]
        .into_iter()
        .collect();
        assert_eq!(parents, expected);
    }

    #[test]
    fn dates_read_in_either_form() {
        assert_eq!(iso_date("2021-07-11"), "2021-07-11");
        assert_eq!(iso_date("2021年7月11日"), "2021-07-11");
    }
}
