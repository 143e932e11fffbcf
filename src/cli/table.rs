//! A scored form as a readable terminal report: Chinese labels, tables aligned by display width
//! (CJK characters count as two columns). Pure: the same text for the same document and result.
//!
//! Cells wider than [`MAX_CELL_WIDTH`] display columns wrap onto extra lines of the same row;
//! nothing is truncated.

use unicode_width::UnicodeWidthStr;

use crate::domain::decimal::{Dec, plain};
use crate::domain::document::{EvaluationDocument, FormKind, Method};
use crate::domain::messages::Lang;
use crate::domain::scoring::findings::Finding;
use crate::domain::scoring::result::{
    ExecutionResult, LeafResult, Level1Result, Level2Result, ScoreResult,
};

/// Cells wider than this many display columns wrap onto extra lines.
pub const MAX_CELL_WIDTH: usize = 24;

/// Shown where a figure is absent.
const BLANK: &str = "—";

/// Renders a scored form as a terminal report: heading, 预算执行, 绩效指标 with one row per
/// level-3 indicator and the explanation of each rule score, 总分 and 问题 (the findings).
#[must_use]
pub fn render(document: &EvaluationDocument, result: &ScoreResult) -> String {
    [
        heading(document, result),
        execution_section(document, &result.execution),
        indicator_section(&result.indicators),
        total_section(result),
        findings_section(&result.findings),
    ]
    .join("\n")
}

fn heading(document: &EvaluationDocument, result: &ScoreResult) -> String {
    let title = match document.kind {
        FormKind::Department => "部门整体支出绩效自评表",
        FormKind::Project => "项目支出绩效自评表",
    };
    let mut out = format!("{title}（{}年度）\n", document.fiscal_year);
    let unit = &document.unit;
    match &unit.code {
        Some(code) => out.push_str(&format!("填报单位：{}（{code}）\n", unit.name)),
        None => out.push_str(&format!("填报单位：{}\n", unit.name)),
    }
    if let Some(project) = &document.project {
        out.push_str(&format!("项目名称：{}\n", project.name));
    }
    out.push_str(&format!(
        "评分规则：{} v{}\n",
        result.ruleset.id, result.ruleset.version
    ));
    out
}

fn execution_section(document: &EvaluationDocument, execution: &ExecutionResult) -> String {
    let mut table = Table::new(&[
        ("全年预算数", Align::Right),
        ("全年执行数", Align::Right),
        ("执行率", Align::Right),
        ("分值", Align::Right),
        ("自评得分", Align::Right),
        ("规则得分", Align::Right),
    ]);
    let funds = &document.funds;
    table.push(vec![
        optional(funds.annual_budget),
        optional(funds.executed),
        rate_cell(execution),
        plain(execution.weight.get()),
        optional(execution.declared_score),
        execution.score.to_string(),
    ]);
    format!(
        "预算执行（金额单位：{}）\n{}说明：{}\n",
        document.currency_unit.label(),
        table.render(),
        execution.explanation
    )
}

/// The rule rate, with the printed rate beside it when that differs.
fn rate_cell(execution: &ExecutionResult) -> String {
    let rate = execution
        .rate
        .map_or_else(|| BLANK.to_owned(), |r| format!("{r}%"));
    match execution.declared_rate {
        Some(declared) if Some(declared.get()) != execution.rate.map(Dec::get) => {
            format!("{rate}（填报{}%）", plain(declared.get()))
        }
        _ => rate,
    }
}

fn indicator_section(indicators: &[Level1Result]) -> String {
    let mut table = Table::new(&[
        ("序号", Align::Right),
        ("一级指标", Align::Left),
        ("二级指标", Align::Left),
        ("三级指标", Align::Left),
        ("指标值", Align::Left),
        ("完成值", Align::Left),
        ("分值", Align::Right),
        ("自评得分", Align::Right),
        ("规则得分", Align::Right),
        ("方法", Align::Left),
    ]);
    let mut explanations = Vec::new();
    for level1 in indicators {
        push_level1(&mut table, level1, &mut explanations);
    }
    let mut out = format!("绩效指标\n{}", table.render());
    if !explanations.is_empty() {
        out.push_str("说明：\n");
        for (number, explanation) in explanations.iter().enumerate() {
            out.push_str(&format!("[{}] {explanation}\n", number + 1));
        }
    }
    out
}

/// The rows of one level-1 indicator, its subtotal and a rule below; each leaf's explanation is
/// appended to `explanations`, whose length numbers the leaves.
fn push_level1(table: &mut Table, level1: &Level1Result, explanations: &mut Vec<String>) {
    let mut level1_name = Some(level1.name.as_str());
    for level2 in &level1.children {
        let names = [level1_name.take().unwrap_or(""), level2.name.as_str()];
        push_level2(table, names, level2, explanations);
    }
    if let Some(name) = level1_name {
        // A level-1 indicator without any level-2 rows still shows its name.
        table.push(name_row(&[name, ""]));
    }
    table.push(vec![
        String::new(),
        String::new(),
        String::new(),
        "小计".to_owned(),
        String::new(),
        String::new(),
        plain(level1.weight.get()),
        plain(level1.declared_score.get()),
        level1.score.to_string(),
        String::new(),
    ]);
    table.rule();
}

fn push_level2(
    table: &mut Table,
    names: [&str; 2],
    level2: &Level2Result,
    explanations: &mut Vec<String>,
) {
    if level2.children.is_empty() {
        table.push(name_row(&names));
        return;
    }
    let mut names = Some(names);
    for leaf in &level2.children {
        explanations.push(leaf.explanation.render(Lang::Zh).into_owned());
        let [first, second] = names.take().unwrap_or(["", ""]);
        table.push(leaf_row(explanations.len(), first, second, leaf));
    }
}

/// A row showing only the group names, for a group with no leaves.
fn name_row(names: &[&str; 2]) -> Vec<String> {
    let mut row = vec![String::new(); 10];
    row[1] = names[0].to_owned();
    row[2] = names[1].to_owned();
    row[3] = "（无三级指标）".to_owned();
    row
}

fn leaf_row(number: usize, level1: &str, level2: &str, leaf: &LeafResult) -> Vec<String> {
    vec![
        number.to_string(),
        level1.to_owned(),
        level2.to_owned(),
        leaf.name.clone(),
        leaf.target.raw.clone(),
        leaf.actual.raw.clone(),
        plain(leaf.weight.get()),
        optional(leaf.declared_score),
        leaf.score.to_string(),
        method_label(leaf.method).to_owned(),
    ]
}

fn method_label(method: Method) -> &'static str {
    match method {
        Method::Positive => "正向",
        Method::Reverse => "反向",
        Method::Equal => "等于",
        Method::Qualitative => "定性",
        Method::NotApplicable => "不适用",
    }
}

fn total_section(result: &ScoreResult) -> String {
    let declared = &result.declared;
    let declared_total = match declared.total {
        Some(total) => plain(total.get()),
        None => format!("{}（得分合计）", plain(declared.sum_of_scores.get())),
    };
    let declared_grade = declared
        .grade
        .as_deref()
        .map_or_else(String::new, |grade| format!("  等级：{grade}"));
    format!(
        "总分\n  自评：{declared_total}{declared_grade}\n  规则：{}  等级：{}\n  计算：{}\n",
        result.total, result.grade.label, result.total_explanation
    )
}

fn findings_section(findings: &[Finding]) -> String {
    if findings.is_empty() {
        return "问题\n  无\n".to_owned();
    }
    let mut out = format!("问题（{}）\n", findings.len());
    for finding in findings {
        out.push_str(&format!(
            "  [{}] {} {} {}\n",
            finding.severity.label(Lang::Zh),
            finding_code(finding),
            finding.place(),
            finding.message.render(Lang::Zh)
        ));
    }
    out
}

/// The stable snake_case code, as the API writes it.
fn finding_code(finding: &Finding) -> String {
    serde_json::to_value(finding.code)
        .ok()
        .and_then(|value| value.as_str().map(str::to_owned))
        .unwrap_or_else(|| format!("{:?}", finding.code))
}

fn optional(value: Option<Dec>) -> String {
    value.map_or_else(|| BLANK.to_owned(), |v| plain(v.get()))
}

#[derive(Clone, Copy)]
enum Align {
    Left,
    Right,
}

enum Row {
    Cells(Vec<String>),
    Rule,
}

/// A table drawn with `+`, `-` and `|`, its columns as wide as their widest (wrapped) cell.
struct Table {
    headers: Vec<String>,
    aligns: Vec<Align>,
    rows: Vec<Row>,
}

impl Table {
    fn new(columns: &[(&str, Align)]) -> Self {
        Self {
            headers: columns.iter().map(|(h, _)| (*h).to_owned()).collect(),
            aligns: columns.iter().map(|(_, a)| *a).collect(),
            rows: Vec::new(),
        }
    }

    fn push(&mut self, cells: Vec<String>) {
        self.rows.push(Row::Cells(cells));
    }

    /// A horizontal rule; a rule at the end or after another rule is drawn once.
    fn rule(&mut self) {
        self.rows.push(Row::Rule);
    }

    fn render(&self) -> String {
        let header = wrap_row(&self.headers);
        let body: Vec<Option<Vec<Vec<String>>>> = self
            .rows
            .iter()
            .map(|row| match row {
                Row::Cells(cells) => Some(wrap_row(cells)),
                Row::Rule => None,
            })
            .collect();
        let widths = column_widths(&header, body.iter().flatten());
        let border = border(&widths);
        let mut out = format!("{border}\n");
        // Headers are centred-ish by left alignment; their cells are all text.
        let header_aligns = vec![Align::Left; self.headers.len()];
        out.push_str(&lines_of(&header, &widths, &header_aligns));
        let mut last_was_rule = true;
        out.push_str(&format!("{border}\n"));
        for row in &body {
            match row {
                Some(cells) => {
                    out.push_str(&lines_of(cells, &widths, &self.aligns));
                    last_was_rule = false;
                }
                None if !last_was_rule => {
                    out.push_str(&format!("{border}\n"));
                    last_was_rule = true;
                }
                None => {}
            }
        }
        if !last_was_rule {
            out.push_str(&format!("{border}\n"));
        }
        out
    }
}

/// Each cell of a row split into lines no wider than [`MAX_CELL_WIDTH`].
fn wrap_row(cells: &[String]) -> Vec<Vec<String>> {
    cells
        .iter()
        .map(|cell| wrap(cell, MAX_CELL_WIDTH))
        .collect()
}

fn column_widths<'a>(
    header: &[Vec<String>],
    rows: impl Iterator<Item = &'a Vec<Vec<String>>>,
) -> Vec<usize> {
    let mut widths: Vec<usize> = header.iter().map(|cell| max_width(cell)).collect();
    for row in rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(max_width(cell));
        }
    }
    widths
}

fn max_width(lines: &[String]) -> usize {
    lines.iter().map(|line| line.width()).max().unwrap_or(0)
}

fn border(widths: &[usize]) -> String {
    let mut out = String::from("+");
    for width in widths {
        out.push_str(&"-".repeat(width + 2));
        out.push('+');
    }
    out
}

/// The printed lines of one row: as many as its tallest cell.
fn lines_of(cells: &[Vec<String>], widths: &[usize], aligns: &[Align]) -> String {
    let height = cells.iter().map(Vec::len).max().unwrap_or(1).max(1);
    let mut out = String::new();
    for line in 0..height {
        out.push('|');
        for (column, width) in widths.iter().enumerate() {
            let text = cells
                .get(column)
                .and_then(|cell| cell.get(line))
                .map_or("", String::as_str);
            let align = aligns.get(column).copied().unwrap_or(Align::Left);
            out.push(' ');
            out.push_str(&pad(text, *width, align));
            out.push_str(" |");
        }
        out.push('\n');
    }
    out
}

fn pad(text: &str, width: usize, align: Align) -> String {
    let fill = " ".repeat(width.saturating_sub(text.width()));
    match align {
        Align::Left => format!("{text}{fill}"),
        Align::Right => format!("{fill}{text}"),
    }
}

/// Splits `text` at line breaks and wherever a line would grow wider than `max` display
/// columns; control characters become spaces.
fn wrap(text: &str, max: usize) -> Vec<String> {
    let mut lines = Vec::new();
    for paragraph in text.split('\n') {
        let mut line = String::new();
        for ch in paragraph.chars() {
            let ch = if ch.is_control() { ' ' } else { ch };
            let mut candidate = line.clone();
            candidate.push(ch);
            if candidate.width() > max && !line.is_empty() {
                lines.push(std::mem::take(&mut line));
                line.push(ch);
            } else {
                line = candidate;
            }
        }
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::rulesets::Rulesets;
    use crate::domain::validation::evaluate;

    const SEED: &str = include_str!("../../data/examples/hengyang-2020-department.json");

    fn seed() -> (EvaluationDocument, ScoreResult) {
        let document: EvaluationDocument = serde_json::from_str(SEED).expect("seed parses");
        let rulesets = Rulesets::built_in("national-2020").expect("built-in rulesets");
        let result = evaluate(&document, &rulesets).expect("seed scores");
        (document, result)
    }

    /// The table lines that follow the line `title`.
    fn table_after<'a>(output: &'a str, title: &str) -> Vec<&'a str> {
        output
            .lines()
            .skip_while(|line| *line != title)
            .skip(1)
            .take_while(|line| line.starts_with('+') || line.starts_with('|'))
            .collect()
    }

    #[test]
    fn renders_the_seed_with_scores_grade_and_explanations() {
        let (document, result) = seed();
        let output = render(&document, &result);
        assert!(output.starts_with("部门整体支出绩效自评表（2020年度）\n"));
        assert!(output.contains("填报单位：衡阳县工伤保险服务中心"));
        assert!(output.contains("评分规则：hunan-2020 v"));
        for expected in ["93.55", "优秀", "6.40", "9.40", "94.04%"] {
            assert!(output.contains(expected), "missing {expected}");
        }
        let second = output
            .lines()
            .find(|l| l.starts_with("[2] "))
            .expect("explanation [2]");
        assert!(
            second.contains("分值 10 × min(完成值 3200 ÷ 指标值 5000, 1) = 6.40"),
            "{second}"
        );
        assert!(output.contains(&result.execution.explanation.to_string()));
        assert!(output.contains(&result.total_explanation.to_string()));
        for leaf in result.indicators.iter().flat_map(|l1| &l1.children) {
            for leaf in &leaf.children {
                let explanation = leaf.explanation.to_string();
                assert!(output.contains(&explanation), "{explanation}");
            }
        }
    }

    #[test]
    fn lists_every_finding_with_its_code_location_and_chinese_message() {
        let (document, result) = seed();
        let output = render(&document, &result);
        assert!(!result.findings.is_empty());
        for finding in &result.findings {
            let code = finding_code(finding);
            assert!(output.contains(&code), "missing {code}");
            assert!(
                output.contains(&finding.location),
                "missing {}",
                finding.location
            );
            assert!(!output.contains(&finding.path), "pointer {}", finding.path);
            assert!(output.contains(&finding.message.to_string()));
        }
        assert!(output.contains("declared_score_differs"));
        assert!(output.contains("[警告]"));
    }

    #[test]
    fn says_none_when_there_are_no_findings() {
        let (document, mut result) = seed();
        result.findings.clear();
        assert!(render(&document, &result).ends_with("问题\n  无\n"));
    }

    #[test]
    fn indicator_table_lines_share_one_display_width() {
        let (document, result) = seed();
        let output = render(&document, &result);
        let table = table_after(&output, "绩效指标");
        let leaves: usize = result
            .indicators
            .iter()
            .flat_map(|l1| &l1.children)
            .map(|l2| l2.children.len())
            .sum();
        assert!(table.len() > leaves + 3, "{table:?}");
        let width = table[0].width();
        for line in &table {
            assert_eq!(line.width(), width, "{line}");
        }
        let execution = table_after(&output, "预算执行（金额单位：万元）");
        assert_eq!(execution.len(), 5);
        assert!(execution.iter().all(|l| l.width() == execution[0].width()));
    }

    #[test]
    fn names_level_1_and_level_2_only_on_the_first_row_of_their_group() {
        let (document, result) = seed();
        let output = render(&document, &result);
        let table = table_after(&output, "绩效指标");
        assert_eq!(table.iter().filter(|l| l.contains("产出指标")).count(), 1);
        assert_eq!(table.iter().filter(|l| l.contains("数量指标")).count(), 1);
        assert_eq!(table.iter().filter(|l| l.contains("小计")).count(), 3);
    }

    #[test]
    fn wraps_long_cells_and_keeps_alignment() {
        assert_eq!(wrap("一二三四五六", 4), vec!["一二", "三四", "五六"]);
        assert_eq!(wrap("ab\ncd", 10), vec!["ab", "cd"]);
        let mut table = Table::new(&[("名称", Align::Left), ("值", Align::Right)]);
        table.push(vec!["很".repeat(30), "1".to_owned()]);
        let text = table.render();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 7, "{text}");
        assert!(
            lines.iter().all(|l| l.width() == lines[0].width()),
            "{text}"
        );
        assert!(lines.iter().all(|l| l.width() <= MAX_CELL_WIDTH + 12));
    }

    #[test]
    fn heads_project_forms_with_the_project() {
        let (mut document, result) = seed();
        document.kind = FormKind::Project;
        document.project = Some(crate::domain::document::Project {
            name: "工伤保险信息化".to_owned(),
            department: None,
            implementer: None,
        });
        document.unit.code = Some("101001".to_owned());
        let output = render(&document, &result);
        assert!(output.starts_with("项目支出绩效自评表（2020年度）\n"));
        assert!(output.contains("填报单位：衡阳县工伤保险服务中心（101001）"));
        assert!(output.contains("项目名称：工伤保险信息化"));
    }
}
