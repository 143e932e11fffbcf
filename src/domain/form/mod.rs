//! The paper form as a grid: where every heading and every submitted value sits when an
//! evaluation is printed as the official 自评表.
//!
//! Clients render the grid as an HTML table or a spreadsheet without knowing the form's layout,
//! and finance bureaus get back the form they know. The grid only arranges the document: values
//! are printed exactly as submitted (numbers keep their scale), nothing is scored or corrected.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

mod attachments;
mod builder;
#[cfg(test)]
mod tests;

use super::document::{EvaluationDocument, FormKind};
use super::ruleset::Ruleset;
pub use attachments::{
    BASIC_DATA_TITLE, BasicDataGrid, FRUGALITY_LABEL, PROCUREMENT_LABEL, ReportPageSection,
    ReportPages, SPENDING_LABEL, STAFFING_LABEL, UNIT_CAPTION, basic_data_grid, report_pages,
};
use builder::GridBuilder;

/// An evaluation laid out as the paper 自评表, for rendering as one table.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct FormGrid {
    /// Which form this is; it decides the title and the funds heading.
    pub kind: FormKind,
    /// The form's title as printed: `部门整体支出绩效自评表` or `项目支出绩效自评表`.
    pub title: String,
    /// The year line printed under the title, e.g. `（2020年度）`.
    pub subtitle: String,
    /// The lines printed above the table: 填报单位（盖章） and 填报时间 (empty when not given).
    pub header: Vec<LabeledValue>,
    /// Width of the table in columns, so a renderer can size it before placing cells: 8, plus
    /// one for each optional indicator column the form uses (指标性质, 度量单位,
    /// 偏差原因分析及改进措施).
    #[schema(example = 8)]
    pub columns: u32,
    /// The table's rows, top to bottom; row `i` of the table is `rows[i]`.
    pub rows: Vec<GridRow>,
    /// The signature lines printed below the table: 填表人, 联系电话, 单位负责人签字. An empty
    /// value leaves the line blank for a hand signature.
    pub signatures: Vec<LabeledValue>,
    /// The notes printed under the table: the ruleset's grade legend, the instruction on
    /// adding rows and, for a form printed without weights, where its bracketed weights come
    /// from.
    pub footnotes: Vec<String>,
    /// The 部门整体支出绩效评价基础数据表, printed on a page of its own after the form; absent
    /// when the document has no basic data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub basic_data: Option<BasicDataGrid>,
    /// The 绩效自评报告, printed on pages of its own after the form; absent when the document
    /// has no report.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub report: Option<ReportPages>,
}

/// A printed caption with what was filled in after it, for the lines outside the table.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct LabeledValue {
    /// The caption as printed (`填报单位（盖章）`).
    #[schema(example = "填报单位（盖章）")]
    pub label: String,
    /// What follows the caption; empty when the document does not say.
    #[schema(example = "衡阳县工伤保险服务中心")]
    pub value: String,
}

/// One table row, so a renderer can emit rows one by one and style each block.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct GridRow {
    /// The block of the form this row belongs to.
    pub section: FormSection,
    /// The cells whose top-left corner is on this row, left to right. Columns covered by a
    /// taller cell from a row above are not repeated, as in an HTML table.
    pub cells: Vec<GridCell>,
}

/// The blocks of the form, top to bottom, for styling and for locating a block's rows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum FormSection {
    /// 项目名称, 主管部门, 实施单位; project forms only.
    Project,
    /// 部门资金 / 项目资金: budget, execution and their breakdown.
    Funds,
    /// 年度总体目标.
    Goals,
    /// 绩效指标: the indicator tree.
    Indicators,
    /// 综合评定等级 and 总分.
    Total,
    /// 说明: 偏差及原因分析, 改进措施, 其他需要说明事项.
    Explanation,
    /// A row of the 基础数据表 (`basic_data` grid only).
    BasicData,
}

/// One cell of the table, placed explicitly so a renderer needs no layout logic of its own.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct GridCell {
    /// What the cell shows; values exactly as submitted (`94`, `10.00`, `≥95%`). A form
    /// printed without weights shows the weights inferred from its ruleset in brackets
    /// (`(10)`, `(16.67)`), as a footnote explains.
    pub text: String,
    /// Row of the top-left corner, 0-based, so spreadsheets can place the cell directly.
    pub row: u32,
    /// Column of the top-left corner, 0-based.
    pub col: u32,
    /// How many rows the cell covers (at least 1); block labels and indicator names span the
    /// rows they head.
    #[schema(minimum = 1)]
    pub row_span: u32,
    /// How many columns the cell covers (at least 1).
    #[schema(minimum = 1)]
    pub col_span: u32,
    /// Whether the form prints the text or the unit filled it in.
    pub role: CellRole,
    /// Where the value lives in the evaluation document, as a JSON pointer, so an editor can
    /// write a change back. It may name a member the document omits because the cell is blank.
    /// Absent on labels and on values with no place in the document (the total weight, which
    /// is derived, and the blank rows kept for empty blocks).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(example = "/funds/annual_budget")]
    pub source: Option<String>,
}

/// Who writes a cell's text, so clients can style and protect printed text apart from data.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CellRole {
    /// Printed by the form itself: headings, block labels and the blanks between them.
    Label,
    /// Filled in by the unit (or derived from what it filled in).
    Value,
}

/// Lays out an evaluation as its paper form.
///
/// The ruleset supplies the grade legend of the footnote; the layout itself depends only on
/// the document.
#[must_use]
pub fn build_form(document: &EvaluationDocument, ruleset: &Ruleset) -> FormGrid {
    let weights = super::weights::resolve(document, ruleset);
    let inferred = weights
        .inferred
        .iter()
        .map(|(path, inferred)| (path.clone(), inferred.weight))
        .collect();
    let mut builder = GridBuilder::new(document, inferred);
    if document.kind == FormKind::Project {
        builder.project();
    }
    builder.funds();
    builder.goals();
    builder.indicators();
    builder.total();
    builder.explanation();
    FormGrid {
        kind: document.kind,
        title: title(document.kind).to_owned(),
        subtitle: format!("（{}年度）", document.fiscal_year),
        header: vec![
            labeled("填报单位（盖章）", &document.unit.name),
            labeled(
                "填报时间",
                document.filled_on.as_deref().unwrap_or_default(),
            ),
        ],
        columns: builder.columns,
        rows: builder.rows,
        signatures: vec![
            labeled(
                "填表人",
                document.prepared_by.as_deref().unwrap_or_default(),
            ),
            labeled(
                "联系电话",
                document.contact_phone.as_deref().unwrap_or_default(),
            ),
            // The document records no responsible person: the line is signed by hand.
            labeled("单位负责人签字", ""),
        ],
        footnotes: footnotes(ruleset, weights.is_inferred()),
        basic_data: basic_data_grid(document),
        report: report_pages(document),
    }
}

/// The notes under the table; a form printed without weights says where its weights come from.
fn footnotes(ruleset: &Ruleset, inferred: bool) -> Vec<String> {
    let mut notes = vec![
        format!("说明：1. {}", ruleset.grade_legend()),
        "2. 三级绩效指标按需自行增减行。不涉及的二级指标可删除不要。".to_owned(),
    ];
    if inferred {
        notes.push(inferred_weights_note(ruleset));
    }
    notes
}

/// The footnote of a form printed without weights.
#[must_use]
pub fn inferred_weights_note(ruleset: &Ruleset) -> String {
    format!(
        "3. 本表未填分值，带括号的分值按评分规则推定（{}），见规则评分。",
        ruleset.name
    )
}

fn title(kind: FormKind) -> &'static str {
    match kind {
        FormKind::Department => "部门整体支出绩效自评表",
        FormKind::Project => "项目支出绩效自评表",
    }
}

fn labeled(label: &str, value: &str) -> LabeledValue {
    LabeledValue {
        label: label.to_owned(),
        value: value.to_owned(),
    }
}
