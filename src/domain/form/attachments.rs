//! The pages that go with the form: the 基础数据表 as its own table, and the 自评报告 as
//! headed paragraphs.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{CellRole, FormSection, GridCell, GridRow, LabeledValue, labeled};
use crate::domain::basic_data::{BasicData, SpendingColumn};
use crate::domain::decimal::Dec;
use crate::domain::document::EvaluationDocument;

/// The title of the basic-data table.
pub const BASIC_DATA_TITLE: &str = "部门整体支出绩效评价基础数据表";
/// The first-column label of the staffing block.
pub const STAFFING_LABEL: &str = "财政供养人员情况";
/// The first-column label of the spending block's heading row.
pub const SPENDING_LABEL: &str = "经费控制情况";
/// The label of the government-procurement row.
pub const PROCUREMENT_LABEL: &str = "政府采购金额";
/// The label of the frugality-measures row.
pub const FRUGALITY_LABEL: &str = "厉行节约保障措施";
/// The caption of the currency unit above the table.
pub const UNIT_CAPTION: &str = "金额单位";

/// The 部门整体支出绩效评价基础数据表 as a table of four columns, placed like the form.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct BasicDataGrid {
    /// `部门整体支出绩效评价基础数据表`.
    pub title: String,
    /// The lines above the table: 填报单位, 填报时间 and the 金额单位.
    pub header: Vec<LabeledValue>,
    /// Width of the table in columns: 4.
    #[schema(example = 4)]
    pub columns: u32,
    /// The table's rows, top to bottom, in the form grid's cell model.
    pub rows: Vec<GridRow>,
    /// The signature lines below the table.
    pub signatures: Vec<LabeledValue>,
}

/// The 绩效自评报告 laid out for printing.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ReportPages {
    /// `部门整体支出绩效自评报告` (or `项目支出绩效自评报告`).
    pub title: String,
    /// The year line, e.g. `（2020年度）`.
    pub subtitle: String,
    /// The lines under the title: 部门(单位)名称, 预算编码, 评价方式, 评价机构, 报告日期.
    pub header: Vec<LabeledValue>,
    /// The sections in order.
    pub sections: Vec<ReportPageSection>,
}

/// One section of the printed report.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ReportPageSection {
    /// The heading as written.
    pub heading: String,
    /// The paragraphs, one per line of the text; blank lines left out.
    pub paragraphs: Vec<String>,
}

fn cell(
    text: impl Into<String>,
    row: u32,
    col: u32,
    role: CellRole,
    source: Option<String>,
) -> GridCell {
    GridCell {
        text: text.into(),
        row,
        col,
        row_span: 1,
        col_span: 1,
        role,
        source,
    }
}

fn figure(value: Option<Dec>, row: u32, col: u32, source: String) -> GridCell {
    cell(
        value.map(|v| v.to_string()).unwrap_or_default(),
        row,
        col,
        CellRole::Value,
        Some(source),
    )
}

/// Lays out the basic data of `document`, if it has any.
#[must_use]
pub fn basic_data_grid(document: &EvaluationDocument) -> Option<BasicDataGrid> {
    let data = document.basic_data.as_ref()?;
    let year = document.fiscal_year;
    let mut rows = Vec::new();
    staffing_rows(data, year, &mut rows);
    spending_rows(data, year, &mut rows);
    let mut r = u32::try_from(rows.len()).unwrap_or(u32::MAX);
    let mut procurement = cell(PROCUREMENT_LABEL, r, 0, CellRole::Label, None);
    procurement.col_span = 1;
    let mut amount = figure(
        data.government_procurement,
        r,
        1,
        "/basic_data/government_procurement".to_owned(),
    );
    amount.col_span = 3;
    rows.push(GridRow {
        section: FormSection::BasicData,
        cells: vec![procurement, amount],
    });
    r += 1;
    let mut measures = cell(
        data.frugality_measures.clone().unwrap_or_default(),
        r,
        1,
        CellRole::Value,
        Some("/basic_data/frugality_measures".to_owned()),
    );
    measures.col_span = 3;
    rows.push(GridRow {
        section: FormSection::BasicData,
        cells: vec![cell(FRUGALITY_LABEL, r, 0, CellRole::Label, None), measures],
    });
    Some(BasicDataGrid {
        title: BASIC_DATA_TITLE.to_owned(),
        header: vec![
            labeled("填报单位", &document.unit.name),
            labeled(
                "填报时间",
                document.filled_on.as_deref().unwrap_or_default(),
            ),
            labeled(UNIT_CAPTION, data.currency_unit.label()),
        ],
        columns: 4,
        rows,
        signatures: vec![
            labeled(
                "填表人",
                document.prepared_by.as_deref().unwrap_or_default(),
            ),
            labeled(
                "联系电话",
                document.contact_phone.as_deref().unwrap_or_default(),
            ),
            labeled("单位负责人签字", ""),
        ],
    })
}

fn staffing_rows(data: &BasicData, year: i32, rows: &mut Vec<GridRow>) {
    let staffing = data.staffing.as_ref();
    let mut block = cell(STAFFING_LABEL, 0, 0, CellRole::Label, None);
    block.row_span = 2;
    rows.push(GridRow {
        section: FormSection::BasicData,
        cells: vec![
            block,
            cell("编制数", 0, 1, CellRole::Label, None),
            cell(format!("{year}年实际在职人数"), 0, 2, CellRole::Label, None),
            cell("控制率", 0, 3, CellRole::Label, None),
        ],
    });
    let at = |field: &str| format!("/basic_data/staffing/{field}");
    rows.push(GridRow {
        section: FormSection::BasicData,
        cells: vec![
            figure(staffing.and_then(|s| s.authorized), 1, 1, at("authorized")),
            figure(staffing.and_then(|s| s.actual), 1, 2, at("actual")),
            figure(
                staffing.and_then(|s| s.declared_control_rate),
                1,
                3,
                at("declared_control_rate"),
            ),
        ],
    });
}

fn spending_rows(data: &BasicData, year: i32, rows: &mut Vec<GridRow>) {
    let mut r = u32::try_from(rows.len()).unwrap_or(u32::MAX);
    let mut heading = vec![cell(SPENDING_LABEL, r, 0, CellRole::Label, None)];
    for (c, column) in SpendingColumn::ALL.into_iter().enumerate() {
        let c = u32::try_from(c).unwrap_or(0) + 1;
        heading.push(cell(column.heading(year), r, c, CellRole::Label, None));
    }
    rows.push(GridRow {
        section: FormSection::BasicData,
        cells: heading,
    });
    for (i, row) in data.spending.iter().enumerate() {
        r += 1;
        let at = |field: &str| format!("/basic_data/spending/{i}/{field}");
        let mut cells = vec![cell(&row.name, r, 0, CellRole::Value, Some(at("name")))];
        for (c, column) in SpendingColumn::ALL.into_iter().enumerate() {
            let c = u32::try_from(c).unwrap_or(0) + 1;
            cells.push(figure(column.of(row), r, c, at(column.field())));
        }
        rows.push(GridRow {
            section: FormSection::BasicData,
            cells,
        });
    }
}

/// Lays out the report of `document`, if it has one.
#[must_use]
pub fn report_pages(document: &EvaluationDocument) -> Option<ReportPages> {
    let report = document.report.as_ref()?;
    let date = report
        .report_date
        .map(|d| d.format("%Y年%-m月%-d日").to_string())
        .unwrap_or_default();
    Some(ReportPages {
        title: format!("{}绩效自评报告", document.kind.label()),
        subtitle: format!("（{}年度）", document.fiscal_year),
        header: vec![
            labeled("部门(单位)名称", &document.unit.name),
            labeled(
                "预算编码",
                document.unit.code.as_deref().unwrap_or_default(),
            ),
            labeled("评价方式", report.method.as_deref().unwrap_or_default()),
            labeled("评价机构", report.evaluator.as_deref().unwrap_or_default()),
            labeled("报告日期", &date),
        ],
        sections: report
            .sections
            .iter()
            .map(|section| ReportPageSection {
                heading: section.heading.clone(),
                paragraphs: section
                    .text
                    .lines()
                    .map(str::trim)
                    .filter(|line| !line.is_empty())
                    .map(str::to_owned)
                    .collect(),
            })
            .collect(),
    })
}
