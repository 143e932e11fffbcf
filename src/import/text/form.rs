//! The 自评表: funds, goals, the indicator tree, the total and grade, the notes and the footer.

use std::str::FromStr as _;

use super::captions::{captions, currency_in, year_in};
use super::funds::{FundsColumn, Group, funds_column, read_funds_row};
use super::goals::pair_goals;
use super::indicators::Indicators;
use super::lines::{Line, compact, paragraphs, squeeze};
use super::rows::{Row, assemble};
use super::{FORM, Note, stop};
use crate::domain::decimal::Dec;
use crate::domain::document::{
    BreakdownGroup, BreakdownRow, CurrencyUnit, EvaluationDocument, FormKind, Funds, Project, Unit,
};
use crate::import::ImportError;

/// A form read so far: the document, and the line each part of it came from.
pub(super) struct FormRead {
    pub document: EvaluationDocument,
    pub lines: Vec<(String, u32)>,
}

impl FormRead {
    /// Takes the unit's name from another part when the form leaves 填报单位 blank.
    pub fn fallback_unit(&mut self, name: Option<&str>, line: u32, notes: &mut Vec<Note>) {
        let Some(name) = name.filter(|n| !n.is_empty()) else {
            return;
        };
        if self.document.unit.name.is_empty() {
            self.document.unit.name = name.to_owned();
            self.lines.push(("/unit".into(), line));
            notes.push(Note {
                line,
                part: FORM,
                message: format!("自评表未填填报单位，取“{name}”"),
            });
        }
    }

    /// The document, once it has a unit and a year.
    pub fn finish(
        self,
        title_line: u32,
    ) -> Result<(EvaluationDocument, Vec<(String, u32)>), ImportError> {
        if self.document.unit.name.is_empty() {
            return Err(stop(
                title_line,
                "找不到填报单位：自评表、基础数据表和自评报告都没有写单位名称",
            ));
        }
        if self.document.fiscal_year == 0 {
            return Err(stop(
                title_line,
                "找不到年度：标题下应有“（2020年度）”这样的一行",
            ));
        }
        Ok((self.document, self.lines))
    }
}

/// A figure as printed, `None` when blank.
pub(super) fn figure(row: &Row, col: usize, what: &str) -> Result<Option<Dec>, ImportError> {
    let text = compact(row.at(col));
    let text = text.trim_end_matches(['%', '％']);
    if text.is_empty() {
        return Ok(None);
    }
    Dec::from_str(text)
        .map(Some)
        .map_err(|_| stop(row.no, format!("{what}“{text}”不是数字")))
}

/// Where the reader is in the table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Block {
    Head,
    Funds,
    Goals,
    Indicators,
    Notes,
}

/// Reads the form in `lines`, the first of which is its title.
#[expect(
    clippy::too_many_lines,
    reason = "one pass over the table, block by block"
)]
pub(super) fn read(lines: &[Line], notes: &mut Vec<Note>) -> Result<FormRead, ImportError> {
    let title = lines.first().map(Line::text).unwrap_or_default();
    let title_no = lines.first().map_or(1, |l| l.no);
    let kind = if compact(&title).contains("项目支出") {
        FormKind::Project
    } else {
        FormKind::Department
    };
    let mut document = EvaluationDocument {
        kind,
        fiscal_year: year_in(&title).unwrap_or(0),
        ruleset: None,
        unit: Unit {
            name: String::new(),
            code: None,
        },
        project: None,
        currency_unit: CurrencyUnit::default(),
        funds: Funds {
            initial_budget: None,
            annual_budget: None,
            executed: None,
            weight: None,
            declared_rate: None,
            declared_score: None,
            breakdown: Vec::new(),
        },
        goals: Vec::new(),
        indicators: Vec::new(),
        declared_total: None,
        declared_grade: None,
        deviation_analysis: None,
        improvement_measures: None,
        notes: None,
        prepared_by: None,
        contact_phone: None,
        filled_on: None,
        basic_data: None,
        report: None,
    };
    let mut at: Vec<(String, u32)> = Vec::new();
    let body = &lines[1..];
    // The table: from the first line of two or more cells to the first caption line after it.
    let start = body.iter().position(|l| l.filled() >= 2 && !l.is_caption());
    let end = start.map_or(body.len(), |s| {
        body[s..]
            .iter()
            .position(Line::is_caption)
            .map_or(body.len(), |e| s + e)
    });
    for line in body[..start.unwrap_or(body.len())]
        .iter()
        .chain(&body[end..])
    {
        let text = line.text();
        if document.fiscal_year == 0 {
            if let Some(year) = year_in(&text).filter(|_| text.contains("年度")) {
                document.fiscal_year = year;
            }
        }
        for (key, value) in captions(&text) {
            read_caption(&mut document, &mut at, key, value, line.no);
        }
    }
    let Some(start) = start else {
        return Err(stop(
            title_no,
            "标题下没有找到表格：表格的行应以制表符（或两个以上空格）分列",
        ));
    };
    let table = &body[start..end];
    let width = table
        .iter()
        .filter(|l| {
            let t = compact(&l.cells.join(""));
            t.contains("年初预算数") || t.contains("三级指标")
        })
        .map(Line::used)
        .max()
        .ok_or_else(|| {
            stop(
                table[0].no,
                "表格中没有找到表头：资金表头应有“年初预算数”，指标表头应有“三级指标”",
            )
        })?;
    let rows = assemble(table, width, FORM, notes);

    let mut block = Block::Head;
    let mut funds_cols: Vec<(usize, FundsColumn)> = Vec::new();
    let mut funds_seen = false;
    let mut total_seen = false;
    let mut groups: Vec<Group> = Vec::new();
    let mut breakdown: Vec<(BreakdownRow, u32)> = Vec::new();
    let mut goal_cols = (1usize, 2usize);
    let mut goals_expected: Vec<String> = Vec::new();
    let mut goals_actual: Vec<String> = Vec::new();
    let mut goal_line = 0;
    let mut indicators: Option<Indicators> = None;
    let mut notes_cols = (1usize, 2usize);
    let mut last_row = title_no;
    for row in &rows {
        last_row = row.no;
        // Rows that open a block, wherever they are.
        if row.has("年初预算数") || (row.has("全年预算数") && row.has("全年执行数"))
        {
            block = Block::Funds;
            funds_seen = true;
            funds_cols = (0..row.cells.len())
                .filter_map(|c| funds_column(&compact(row.at(c))).map(|f| (c, f)))
                .collect();
            let caption = compact(&row.cells.join(""));
            match currency_in(&caption) {
                Some("元") => document.currency_unit = CurrencyUnit::Yuan,
                Some(_) => {}
                None => notes.push(Note {
                    line: row.no,
                    part: FORM,
                    message: "资金表头未写金额单位，按万元读".into(),
                }),
            }
            at.push(("/currency_unit".into(), row.no));
            continue;
        }
        if row.has("年初预期") || row.has("总体目标") {
            block = Block::Goals;
            let expected = row.find(|c| c.contains("预期")).unwrap_or(1);
            let actual = row.find(|c| c.contains("实际")).unwrap_or(expected + 1);
            goal_cols = (expected, actual);
            goal_line = row.no;
            continue;
        }
        if row.has("一级指标") && row.has("三级指标") {
            block = Block::Indicators;
            indicators = Some(Indicators::new(row, width));
            continue;
        }
        if row.has("评定等级") || row.has("自评等级") || row.find(|c| c == "总分").is_some()
        {
            read_totals(&mut document, &mut at, row)?;
            continue;
        }
        if row.has("偏差") && row.has("改进措施") {
            block = Block::Notes;
            let deviation = row.find(|c| c.contains("偏差")).unwrap_or(1);
            let measures = row
                .find(|c| c.contains("改进措施"))
                .unwrap_or(deviation + 1);
            notes_cols = (deviation, measures);
            continue;
        }
        if ["项目名称", "主管部门", "实施单位"]
            .iter()
            .any(|w| row.has(w))
        {
            read_project(&mut document, row);
            at.push(("/project".into(), row.no));
            continue;
        }
        match block {
            Block::Head => notes.push(Note {
                line: row.no,
                part: FORM,
                message: format!("表头之前的一行“{}”未读", squeeze(&row.cells.join(" "))),
            }),
            Block::Funds => {
                total_seen |= read_funds_row(
                    &mut document,
                    &mut at,
                    row,
                    &funds_cols,
                    &mut groups,
                    &mut breakdown,
                    notes,
                )?
            }
            Block::Goals => {
                let (e, a) = goal_cols;
                if !row.at(e).is_empty() || !row.at(a).is_empty() {
                    goals_expected.push(row.at(e).to_owned());
                    goals_actual.push(row.at(a).to_owned());
                }
            }
            Block::Indicators => {
                if let Some(tree) = indicators.as_mut() {
                    tree.read_row(row, notes)?;
                }
            }
            Block::Notes => {
                let (d, m) = notes_cols;
                let deviation = paragraphs(row.at(d));
                let measures = paragraphs(row.at(m));
                if !deviation.is_empty() {
                    document.deviation_analysis = Some(deviation);
                    at.push(("/deviation_analysis".into(), row.no));
                }
                if !measures.is_empty() {
                    document.improvement_measures = Some(measures);
                    at.push(("/improvement_measures".into(), row.no));
                }
            }
        }
    }
    if funds_seen && !total_seen {
        return Err(stop(
            last_row,
            "资金表头下没有找到“年度资金总额”一行，读不到分值",
        ));
    }
    if !funds_seen {
        return Err(stop(
            last_row,
            "读到表格末尾也没有找到资金表头（年初预算数、全年预算数、全年执行数、执行率、分值、得分）",
        ));
    }
    // Side by side on paper (收入 left, 支出 right), one group after the other in the document.
    breakdown.sort_by_key(|(row, _)| match row.group {
        BreakdownGroup::Income => 0,
        BreakdownGroup::Expenditure => 1,
        BreakdownGroup::Source => 2,
    });
    for (index, (row, line)) in breakdown.into_iter().enumerate() {
        at.push((format!("/funds/breakdown/{index}"), line));
        document.funds.breakdown.push(row);
    }
    if !goals_expected.is_empty() {
        document.goals = pair_goals(&goals_expected, &goals_actual, goal_line, notes);
        at.push(("/goals".into(), goal_line));
    }
    if let Some(tree) = indicators {
        let (list, lines) = tree.finish();
        document.indicators = list;
        at.extend(lines);
    }
    Ok(FormRead {
        document,
        lines: at,
    })
}

fn read_caption(
    document: &mut EvaluationDocument,
    at: &mut Vec<(String, u32)>,
    key: &str,
    value: String,
    line: u32,
) {
    if value.is_empty() {
        return;
    }
    match key {
        "填报单位" => {
            document.unit.name = value;
            at.push(("/unit".into(), line));
        }
        "预算编码" => document.unit.code = Some(value),
        "填报时间" => {
            document.filled_on = Some(value);
            at.push(("/filled_on".into(), line));
        }
        "填表人" | "填报人" => {
            document.prepared_by = Some(value);
            at.push(("/prepared_by".into(), line));
        }
        "联系电话" => {
            document.contact_phone = Some(value);
            at.push(("/contact_phone".into(), line));
        }
        _ => {}
    }
}

/// `项目名称 → 高标准农田建设项目`, `主管部门 → … 实施单位 → …`.
fn read_project(document: &mut EvaluationDocument, row: &Row) {
    let project = document.project.get_or_insert_with(|| Project {
        name: String::new(),
        department: None,
        implementer: None,
    });
    for col in 0..row.cells.len() {
        let label = compact(row.at(col));
        let value = || {
            (col + 1..row.cells.len())
                .map(|c| row.text(c))
                .find(|t| !t.is_empty())
        };
        match label.as_str() {
            "项目名称" => project.name = value().unwrap_or_default(),
            "主管部门" => project.department = value(),
            "实施单位" => project.implementer = value(),
            _ => {}
        }
    }
}

fn read_totals(
    document: &mut EvaluationDocument,
    at: &mut Vec<(String, u32)>,
    row: &Row,
) -> Result<(), ImportError> {
    let total_col = row.find(|c| c == "总分" || c.starts_with("总分"));
    if let Some(grade_col) = row.find(|c| c.contains("等级")) {
        let end = total_col
            .filter(|t| *t > grade_col)
            .unwrap_or(row.cells.len());
        if let Some(grade) = (grade_col + 1..end)
            .map(|c| row.text(c))
            .find(|t| !t.is_empty())
        {
            document.declared_grade = Some(grade);
            at.push(("/declared_grade".into(), row.no));
        }
    }
    if let Some(total_col) = total_col {
        let figures: Vec<usize> = (total_col + 1..row.cells.len())
            .filter(|c| !row.at(*c).is_empty())
            .collect();
        // 总分 is followed by the form's 分值 (100) and the score, or by the score alone.
        if let Some(&score) = figures.last() {
            document.declared_total = figure(row, score, "总分")?;
            at.push(("/declared_total".into(), row.no));
        }
    }
    Ok(())
}
