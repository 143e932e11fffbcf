//! The form as an Excel workbook in the official layout, and lists as a workbook with one row
//! per form. Built in memory; Excel, WPS and LibreOffice open them.
//!
//! The form sheet puts the grid where the paper form has it: the title and year above, the
//! table with the paper form's merged cells, figures as numbers with the decimals they were
//! written with, borders, column widths, A4 page setup and a print area; the signatures and
//! footnotes below. A second sheet carries the rule scores and the findings.

use rust_decimal::Decimal;
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError};

use super::annotations::name_of;
use super::{columns, xlsx_fit};
use crate::domain::document::{EvaluationDocument, FormKind};
use crate::domain::form::{BasicDataGrid, CellRole, FormGrid};
use crate::domain::lifecycle::Status;
use crate::domain::location::paper_location;
use crate::domain::messages::{Lang, Term};
use crate::domain::report::Report;
use crate::domain::scoring::result::ScoreResult;
use crate::storage::listing::{EvaluationSummary, GradeSource};

/// The name of the form sheet.
pub const FORM_SHEET: &str = "自评表";
/// The name of the rule-score sheet.
pub const SCORES_SHEET: &str = "规则评分";
/// Rows above the table: title, year, and the 填报单位 / 填报时间 line.
pub const TABLE_TOP: u32 = 3;

/// A4 in Excel's paper-size codes.
const A4: u8 = 9;

/// The name of the sheet of what the paper form has no place for.
pub const EXTRA_SHEET: &str = "附加信息";
/// Its keys, in the first column.
pub const EXTRA_RULESET: &str = "评分规则";
/// The unit's budget code.
pub const EXTRA_UNIT_CODE: &str = "预算编码";
/// A leaf's scoring method; the leaf's JSON pointer is in the second column.
pub const EXTRA_METHOD: &str = "计分方法";
/// The row a basic-data spending row is part of: the row's JSON pointer in the second column,
/// the parent's index in the third.
pub const EXTRA_SPENDING_PARENT: &str = "基础数据表所属行";
/// The name of the basic-data sheet.
pub const BASIC_DATA_SHEET: &str = "基础数据表";
/// The name of the report sheet.
pub const REPORT_SHEET: &str = "自评报告";
/// The report sheet's keys in its first column, above its sections.
pub const REPORT_METHOD: &str = "评价方式";
/// The evaluator.
pub const REPORT_EVALUATOR: &str = "评价机构";
/// The report date, as `2021-07-11`.
pub const REPORT_DATE: &str = "报告日期";
/// The heading of the sections' part of the report sheet: 标题 | 正文.
pub const REPORT_SECTIONS: &str = "标题";

/// The workbook of one form: the form sheet, the rule scores, and a third sheet with what the
/// paper form has no place for (the ruleset, the budget code, scoring methods chosen per
/// leaf), so that an import of the workbook gives back the same evaluation.
///
/// # Errors
/// When the workbook cannot be assembled (a cell beyond Excel's limits).
pub fn form_workbook(
    grid: &FormGrid,
    document: &EvaluationDocument,
    result: &ScoreResult,
) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    form_sheet(sheet, grid)?;
    let scores = workbook.add_worksheet();
    scores_sheet(scores, document, result)?;
    let extra = workbook.add_worksheet();
    extra_sheet(extra, document)?;
    if let Some(basic_data) = &grid.basic_data {
        basic_data_sheet(workbook.add_worksheet(), basic_data)?;
    }
    if let Some(report) = &document.report {
        report_sheet(workbook.add_worksheet(), report)?;
    }
    workbook.save_to_buffer()
}

/// A blank form as a workbook: the form sheet alone.
///
/// # Errors
/// When the workbook cannot be assembled.
pub fn template_workbook(grid: &FormGrid) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    form_sheet(workbook.add_worksheet(), grid)?;
    workbook.save_to_buffer()
}

fn extra_sheet(sheet: &mut Worksheet, document: &EvaluationDocument) -> Result<(), XlsxError> {
    sheet.set_name(EXTRA_SHEET)?;
    let mut rows: Vec<[String; 3]> = Vec::new();
    if let Some(ruleset) = &document.ruleset {
        rows.push([EXTRA_RULESET.into(), ruleset.clone(), String::new()]);
    }
    if let Some(code) = &document.unit.code {
        rows.push([EXTRA_UNIT_CODE.into(), code.clone(), String::new()]);
    }
    for (i, level1) in document.indicators.iter().enumerate() {
        for (j, level2) in level1.children.iter().enumerate() {
            for (k, leaf) in level2.children.iter().enumerate() {
                if let Some(method) = leaf.method {
                    let path = format!("/indicators/{i}/children/{j}/children/{k}");
                    rows.push([EXTRA_METHOD.into(), path, name_of(&method)]);
                }
            }
        }
    }
    if let Some(data) = &document.basic_data {
        for (i, row) in data.spending.iter().enumerate() {
            if let Some(parent) = row.parent {
                rows.push([
                    EXTRA_SPENDING_PARENT.into(),
                    format!("/basic_data/spending/{i}"),
                    parent.to_string(),
                ]);
            }
        }
    }
    let heading = boxed().set_bold();
    for (c, h) in ["项目", "内容", "说明"].iter().enumerate() {
        sheet.write_string_with_format(0, col_of(c), *h, &heading)?;
    }
    let text = boxed();
    for (r, row) in rows.iter().enumerate() {
        let r = u32::try_from(r + 1).map_err(|_| XlsxError::RowColumnLimitError)?;
        for (c, value) in row.iter().enumerate() {
            sheet.write_string_with_format(r, col_of(c), value, &text)?;
        }
    }
    sheet.set_column_width(0, 12)?;
    sheet.set_column_width(1, 40)?;
    sheet.set_column_width(2, 16)?;
    Ok(())
}

/// The 基础数据表 sheet: title, header line, the four-column table, signatures; figures as
/// numbers with their decimals.
fn basic_data_sheet(sheet: &mut Worksheet, grid: &BasicDataGrid) -> Result<(), XlsxError> {
    sheet.set_name(BASIC_DATA_SHEET)?;
    let last_col = col(grid.columns.saturating_sub(1));
    let title = base()
        .set_font_size(16)
        .set_bold()
        .set_align(FormatAlign::Center);
    sheet.merge_range(0, 0, 0, last_col, &grid.title, &title)?;
    sheet.set_row_height(0, 28)?;
    header_line(sheet, 1, last_col, &grid.header)?;
    let top = 2;
    let centered = boxed().set_align(FormatAlign::Center);
    let left = boxed();
    for cell in grid.rows.iter().flat_map(|row| &row.cells) {
        let r = top + cell.row;
        let c = col(cell.col);
        let bottom = r + cell.row_span.max(1) - 1;
        let right = col(cell.col + cell.col_span.max(1) - 1);
        let source = cell.source.as_deref().unwrap_or_default();
        let format = if source.ends_with("/name") || source.ends_with("frugality_measures") {
            &left
        } else {
            &centered
        };
        if bottom > r || right > c {
            sheet.merge_range(r, c, bottom, right, "", format)?;
        }
        let number = (cell.role == CellRole::Value
            && !source.ends_with("/name")
            && !source.ends_with("frugality_measures"))
        .then(|| cell.text.parse::<Decimal>().ok())
        .flatten();
        match number {
            Some(value) => {
                let format = format
                    .clone()
                    .set_num_format(decimals_format(value.scale()));
                sheet.write_with_format(r, c, value, &format)?;
            }
            None => {
                sheet.write_string_with_format(r, c, &cell.text, format)?;
            }
        }
    }
    let after = top + u32::try_from(grid.rows.len()).unwrap_or(u32::MAX);
    header_line(sheet, after, last_col, &grid.signatures)?;
    sheet.set_column_width(0, 34)?;
    for c in 1..=last_col {
        sheet.set_column_width(c, 16)?;
    }
    sheet
        .set_paper_size(A4)
        .set_portrait()
        .set_print_fit_to_pages(1, 0)
        .set_print_center_horizontally(true);
    sheet.set_print_area(0, 0, after, last_col)?;
    Ok(())
}

/// The 自评报告 sheet: the particulars, then one row per section (标题 | 正文).
fn report_sheet(sheet: &mut Worksheet, report: &Report) -> Result<(), XlsxError> {
    sheet.set_name(REPORT_SHEET)?;
    let heading = boxed().set_bold();
    let text = boxed().set_align(FormatAlign::Top);
    let particulars = [
        (REPORT_METHOD, report.method.clone().unwrap_or_default()),
        (
            REPORT_EVALUATOR,
            report.evaluator.clone().unwrap_or_default(),
        ),
        (
            REPORT_DATE,
            report
                .report_date
                .map(|d| d.format("%Y-%m-%d").to_string())
                .unwrap_or_default(),
        ),
    ];
    let mut r = 0;
    for (key, value) in particulars {
        sheet.write_string_with_format(r, 0, key, &heading)?;
        sheet.write_string_with_format(r, 1, &value, &text)?;
        r += 1;
    }
    sheet.write_string_with_format(r, 0, REPORT_SECTIONS, &heading)?;
    sheet.write_string_with_format(r, 1, "正文", &heading)?;
    for section in &report.sections {
        r += 1;
        sheet.write_string_with_format(r, 0, &section.heading, &text)?;
        sheet.write_string_with_format(r, 1, &section.text, &text)?;
    }
    sheet.set_column_width(0, 28)?;
    sheet.set_column_width(1, 100)?;
    Ok(())
}

fn base() -> Format {
    Format::new()
        .set_font_name("宋体")
        .set_font_size(10.5)
        .set_align(FormatAlign::VerticalCenter)
        .set_text_wrap()
}

fn boxed() -> Format {
    base().set_border(FormatBorder::Thin)
}

/// The number format that shows a figure with the decimals it was written with.
fn decimals_format(scale: u32) -> String {
    if scale == 0 {
        "0".to_owned()
    } else {
        format!("0.{}", "0".repeat(scale as usize))
    }
}

fn col(n: u32) -> u16 {
    u16::try_from(n).unwrap_or(u16::MAX)
}

fn form_sheet(sheet: &mut Worksheet, grid: &FormGrid) -> Result<(), XlsxError> {
    sheet.set_name(FORM_SHEET)?;
    let last_col = col(grid.columns.saturating_sub(1));
    let title = base()
        .set_font_size(16)
        .set_bold()
        .set_align(FormatAlign::Center);
    sheet.merge_range(0, 0, 0, last_col, &grid.title, &title)?;
    sheet.set_row_height(0, 28)?;
    let centered = base().set_align(FormatAlign::Center);
    sheet.merge_range(1, 0, 1, last_col, &grid.subtitle, &centered)?;
    header_line(sheet, 2, last_col, &grid.header)?;
    let label = boxed().set_align(FormatAlign::Center);
    let text = boxed().set_align(FormatAlign::Center);
    let prose = boxed().set_align(FormatAlign::Left);
    let widths = xlsx_fit::column_widths(grid);
    for row in &grid.rows {
        for cell in &row.cells {
            let top = TABLE_TOP + cell.row;
            let left = col(cell.col);
            let bottom = top + cell.row_span.max(1) - 1;
            let right = col(cell.col + cell.col_span.max(1) - 1);
            let format = match cell.role {
                CellRole::Label => &label,
                CellRole::Value if columns::is_prose(cell) => &prose,
                CellRole::Value => &text,
            };
            let number = xlsx_fit::typed(cell);
            let merged = bottom > top || right > left;
            if merged {
                sheet.merge_range(top, left, bottom, right, "", format)?;
            }
            match number {
                Some(typed) => {
                    let format = format.clone().set_num_format(&typed.format);
                    sheet.write_number_with_format(top, left, typed.value, &format)?;
                }
                None => {
                    sheet.write_string_with_format(top, left, &cell.text, format)?;
                }
            }
        }
    }
    for (r, height) in xlsx_fit::row_heights(grid, &widths).into_iter().enumerate() {
        if height > xlsx_fit::DEFAULT_ROW_PT {
            let r = u32::try_from(r).map_err(|_| XlsxError::RowColumnLimitError)?;
            sheet.set_row_height(TABLE_TOP + r, height)?;
        }
    }
    let after = TABLE_TOP + u32::try_from(grid.rows.len()).unwrap_or(u32::MAX);
    header_line(sheet, after, last_col, &grid.signatures)?;
    let note = base();
    for (i, footnote) in grid.footnotes.iter().enumerate() {
        let row = after + 1 + u32::try_from(i).unwrap_or(0);
        sheet.merge_range(row, 0, row, last_col, footnote, &note)?;
        let height = xlsx_fit::line_height(footnote, &widths);
        if height > xlsx_fit::DEFAULT_ROW_PT {
            sheet.set_row_height(row, height)?;
        }
    }
    let last_row = after + u32::try_from(grid.footnotes.len()).unwrap_or(0);
    for (c, width) in widths.iter().enumerate() {
        sheet.set_column_width(col_of(c), *width)?;
    }
    sheet
        .set_paper_size(A4)
        .set_portrait()
        .set_print_fit_to_pages(1, 0)
        .set_print_center_horizontally(true)
        .set_margins(0.5, 0.5, 0.6, 0.6, 0.3, 0.3);
    sheet.set_print_area(0, 0, last_row, last_col)?;
    Ok(())
}

/// `填报单位（盖章）：…` and the lines like it, spread over one row: the first half of the
/// columns for the first line, the rest shared by the others.
fn header_line(
    sheet: &mut Worksheet,
    row: u32,
    last_col: u16,
    lines: &[crate::domain::form::LabeledValue],
) -> Result<(), XlsxError> {
    let format = base();
    let count = u16::try_from(lines.len().max(1)).unwrap_or(1);
    let width = (last_col + 1) / count;
    for (i, line) in lines.iter().enumerate() {
        let i = u16::try_from(i).unwrap_or(0);
        let first = i * width;
        let last = if i + 1 == count {
            last_col
        } else {
            first + width - 1
        };
        let text = format!("{}：{}", line.label, line.value);
        if last > first {
            sheet.merge_range(row, first, row, last, &text, &format)?;
        } else {
            sheet.write_string_with_format(row, first, &text, &format)?;
        }
    }
    Ok(())
}

fn scores_sheet(
    sheet: &mut Worksheet,
    document: &EvaluationDocument,
    result: &ScoreResult,
) -> Result<(), XlsxError> {
    let outline = serde_json::to_value(document).unwrap_or_default();
    sheet.set_name(SCORES_SHEET)?;
    let heading = boxed().set_bold().set_align(FormatAlign::Center);
    let text = boxed();
    let figure = boxed().set_num_format("0.00");
    let headings = [
        "项目",
        "位置",
        "分值",
        "申报得分",
        "规则得分",
        "复核得分",
        "计分说明",
    ];
    for (c, h) in headings.iter().enumerate() {
        sheet.write_string_with_format(0, col_of(c), *h, &heading)?;
    }
    let execution = &result.execution;
    let mut rows = vec![ScoreLine {
        name: "预算执行率".to_owned(),
        path: "/funds".to_owned(),
        weight: execution.weight.get(),
        declared: execution.declared_score.map(|d| d.get()),
        rule: execution.score.get(),
        review: execution.review.as_ref().map(|r| r.score.get()),
        explanation: execution.explanation.render(Lang::Zh).into_owned(),
    }];
    let leaves = result
        .indicators
        .iter()
        .flat_map(|l1| &l1.children)
        .flat_map(|l2| &l2.children);
    rows.extend(leaves.map(|leaf| ScoreLine {
        name: leaf.name.clone(),
        path: leaf.path.clone(),
        weight: leaf.weight.get(),
        declared: leaf.declared_score.map(|d| d.get()),
        rule: leaf.score.get(),
        review: leaf.review.as_ref().map(|r| r.score.get()),
        explanation: leaf.explanation.render(Lang::Zh).into_owned(),
    }));
    let mut row = 1;
    for line in &rows {
        sheet.write_string_with_format(row, 0, &line.name, &text)?;
        let place = paper_location(&outline, &line.path);
        sheet.write_string_with_format(row, 1, &place, &text)?;
        sheet.write_with_format(row, 2, line.weight, &figure)?;
        optional(sheet, row, 3, line.declared, &figure)?;
        sheet.write_with_format(row, 4, line.rule, &figure)?;
        optional(sheet, row, 5, line.review, &figure)?;
        sheet.write_string_with_format(row, 6, &line.explanation, &text)?;
        row += 1;
    }
    sheet.write_string_with_format(row, 0, "总分", &heading)?;
    sheet.write_string_with_format(row, 1, &result.grade.label, &text)?;
    sheet.write_with_format(row, 2, result.applicable_weight.get(), &figure)?;
    optional(
        sheet,
        row,
        3,
        result.declared.total.map(|d| d.get()),
        &figure,
    )?;
    sheet.write_with_format(row, 4, result.total.get(), &figure)?;
    optional(
        sheet,
        row,
        5,
        result.review.as_ref().map(|r| r.total.get()),
        &figure,
    )?;
    sheet.write_string_with_format(
        row,
        6,
        result.total_explanation.render(Lang::Zh).as_ref(),
        &text,
    )?;
    findings_rows(sheet, row + 2, result, (&heading, &text))?;
    for (c, width) in [24.0, 30.0, 8.0, 10.0, 10.0, 10.0, 60.0]
        .into_iter()
        .enumerate()
    {
        sheet.set_column_width(col_of(c), width)?;
    }
    sheet
        .set_paper_size(A4)
        .set_landscape()
        .set_print_fit_to_pages(1, 0);
    Ok(())
}

/// The findings below the scores, from `row` on: severity in Chinese, the code, the place on
/// the paper form and the message.
fn findings_rows(
    sheet: &mut Worksheet,
    mut row: u32,
    result: &ScoreResult,
    (heading, text): (&Format, &Format),
) -> Result<(), XlsxError> {
    let finding_headings = ["级别", "问题", "位置", "说明", "应为", "实为"];
    for (c, h) in finding_headings.iter().enumerate() {
        sheet.write_string_with_format(row, col_of(c), *h, heading)?;
    }
    for finding in &result.findings {
        row += 1;
        let cells = [
            finding.severity.label(Lang::Zh).to_owned(),
            name_of(&finding.code),
            finding.place().to_owned(),
            finding.message.render(Lang::Zh).into_owned(),
            finding.expected.clone().unwrap_or_default(),
            finding.actual.clone().unwrap_or_default(),
        ];
        for (c, value) in cells.iter().enumerate() {
            sheet.write_string_with_format(row, col_of(c), value, text)?;
        }
    }
    Ok(())
}

struct ScoreLine {
    name: String,
    path: String,
    weight: Decimal,
    declared: Option<Decimal>,
    rule: Decimal,
    review: Option<Decimal>,
    explanation: String,
}

fn optional(
    sheet: &mut Worksheet,
    row: u32,
    col: u16,
    value: Option<Decimal>,
    format: &Format,
) -> Result<(), XlsxError> {
    match value {
        Some(value) => sheet.write_with_format(row, col, value, format)?,
        None => sheet.write_blank(row, col, format)?,
    };
    Ok(())
}

fn col_of(i: usize) -> u16 {
    u16::try_from(i).unwrap_or(u16::MAX)
}

/// The headings of a list export, in column order; the CSV export uses the same.
pub const LIST_HEADINGS: [&str; 21] = [
    "编号",
    "年度",
    "类型",
    "单位",
    "预算编码",
    "主管部门",
    "地区",
    "项目",
    "状态",
    "逾期",
    "规则总分",
    "等级",
    "等级来源",
    "规则等级",
    "复核总分",
    "复核等级",
    "申报总分",
    "申报等级",
    "错误",
    "警告",
    "提示",
];

/// One list row as cells: text, or a number where the column holds one.
pub enum ListCell {
    /// A text cell.
    Text(String),
    /// A number cell, with the decimals it has.
    Number(Decimal),
}

/// A summary as the cells of one list row, in [`LIST_HEADINGS`] order.
#[must_use]
pub fn list_row(item: &EvaluationSummary) -> Vec<ListCell> {
    use ListCell::{Number, Text};
    let optional = |d: Option<crate::domain::decimal::Dec>| {
        d.map_or_else(|| Text(String::new()), |d| Number(d.get()))
    };
    vec![
        Number(Decimal::from(item.id)),
        Number(Decimal::from(item.fiscal_year)),
        Text(kind_term(item.kind).text(Lang::Zh).to_owned()),
        Text(item.unit.name.clone()),
        Text(item.unit.code.clone().unwrap_or_default()),
        Text(item.department.clone().unwrap_or_default()),
        Text(item.region.clone().unwrap_or_default()),
        Text(item.project_name.clone().unwrap_or_default()),
        Text(status_term(item.status).text(Lang::Zh).to_owned()),
        Text(if item.overdue { "是" } else { "否" }.to_owned()),
        Number(item.total.get()),
        Text(item.grade.label.clone()),
        Text(source_term(item.grade_source).text(Lang::Zh).to_owned()),
        Text(item.rule_grade.label.clone()),
        optional(item.review_total),
        label_of(item.review_grade.as_ref()),
        optional(item.declared_total),
        label_of(item.declared_grade.as_ref()),
        Number(Decimal::from(item.findings.error)),
        Number(Decimal::from(item.findings.warning)),
        Number(Decimal::from(item.findings.info)),
    ]
}

fn kind_term(kind: FormKind) -> Term {
    match kind {
        FormKind::Department => Term::KindDepartment,
        FormKind::Project => Term::KindProject,
    }
}

fn status_term(status: Status) -> Term {
    match status {
        Status::Draft => Term::StatusDraft,
        Status::Submitted => Term::StatusSubmitted,
        Status::Returned => Term::StatusReturned,
        Status::Approved => Term::StatusApproved,
    }
}

fn source_term(source: GradeSource) -> Term {
    match source {
        GradeSource::Rule => Term::GradeSourceRule,
        GradeSource::Review => Term::GradeSourceReview,
    }
}

fn label_of(grade: Option<&crate::domain::scoring::result::Grade>) -> ListCell {
    ListCell::Text(grade.map(|g| g.label.clone()).unwrap_or_default())
}

/// A list of forms as a workbook: one row per form, with its grades.
///
/// # Errors
/// When the workbook cannot be assembled (more rows than a sheet holds).
pub fn list_workbook(items: &[EvaluationSummary]) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("评价列表")?;
    let heading = boxed().set_bold().set_align(FormatAlign::Center);
    for (c, h) in LIST_HEADINGS.iter().enumerate() {
        sheet.write_string_with_format(0, col_of(c), *h, &heading)?;
    }
    let text = boxed();
    for (r, item) in items.iter().enumerate() {
        let row = u32::try_from(r + 1).map_err(|_| XlsxError::RowColumnLimitError)?;
        for (c, cell) in list_row(item).into_iter().enumerate() {
            match cell {
                ListCell::Text(value) => {
                    sheet.write_string_with_format(row, col_of(c), &value, &text)?;
                }
                ListCell::Number(value) => {
                    let format = text.clone().set_num_format(decimals_format(value.scale()));
                    sheet.write_with_format(row, col_of(c), value, &format)?;
                }
            }
        }
    }
    sheet.set_freeze_panes(1, 0)?;
    sheet.set_column_width(3, 28)?;
    sheet.set_column_width(5, 20)?;
    workbook.save_to_buffer()
}
