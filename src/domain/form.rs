//! The paper form as a grid: where every heading and every submitted value sits when an
//! evaluation is printed as the official 自评表.
//!
//! Clients render the grid as an HTML table or a spreadsheet without knowing the form's layout,
//! and finance bureaus get back the form they know. The grid only arranges the document: values
//! are printed exactly as submitted (numbers keep their scale), nothing is scored or corrected.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::decimal::{Dec, plain};
use super::document::{
    BreakdownGroup, BreakdownRow, EvaluationDocument, FormKind, Leaf, Level1Indicator,
    Level2Indicator,
};
use super::ruleset::Ruleset;

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
    /// The notes printed under the table: the ruleset's grade legend and the instruction on
    /// adding rows.
    pub footnotes: Vec<String>,
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
}

/// One cell of the table, placed explicitly so a renderer needs no layout logic of its own.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct GridCell {
    /// What the cell shows; values exactly as submitted (`94`, `10.00`, `≥95%`).
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
    let mut builder = GridBuilder::new(document);
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
        footnotes: vec![
            format!("说明：1. {}", ruleset.grade_legend()),
            "2. 三级绩效指标按需自行增减行。不涉及的二级指标可删除不要。".to_owned(),
        ],
    }
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

/// The columns of a level-3 row, left to right, starting at column 3.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum LeafColumn {
    Name,
    Operator,
    Unit,
    Target,
    Actual,
    Weight,
    Score,
    Deviation,
}

impl LeafColumn {
    fn heading(self) -> &'static str {
        match self {
            Self::Name => "三级指标",
            Self::Operator => "指标性质",
            Self::Unit => "度量单位",
            Self::Target => "指标值",
            Self::Actual => "完成值",
            Self::Weight => "分值",
            Self::Score => "得分",
            Self::Deviation => "偏差原因分析及改进措施",
        }
    }

    fn field(self) -> &'static str {
        match self {
            Self::Name => "name",
            Self::Operator => "operator",
            Self::Unit => "unit",
            Self::Target => "target",
            Self::Actual => "actual",
            Self::Weight => "weight",
            Self::Score => "declared_score",
            Self::Deviation => "deviation_reason",
        }
    }

    fn text(self, leaf: &Leaf) -> String {
        let optional = |text: &Option<String>| text.clone().unwrap_or_default();
        match self {
            Self::Name => leaf.name.clone(),
            Self::Operator => optional(&leaf.operator),
            Self::Unit => optional(&leaf.unit),
            Self::Target => leaf.target.clone(),
            Self::Actual => leaf.actual.clone(),
            Self::Weight => leaf.weight.to_string(),
            Self::Score => dec_text(leaf.declared_score),
            Self::Deviation => optional(&leaf.deviation_reason),
        }
    }

    /// The leaf columns a document needs: the optional ones only when some leaf fills them, so
    /// a form without them keeps the familiar eight-column layout.
    fn for_document(document: &EvaluationDocument) -> Vec<Self> {
        let leaves: Vec<&Leaf> = document
            .indicators
            .iter()
            .flat_map(|l1| &l1.children)
            .flat_map(|l2| &l2.children)
            .collect();
        let any = |has: fn(&Leaf) -> bool| leaves.iter().any(|leaf| has(leaf));
        let mut columns = vec![Self::Name];
        if any(|leaf| leaf.operator.is_some()) {
            columns.push(Self::Operator);
        }
        if any(|leaf| leaf.unit.is_some()) {
            columns.push(Self::Unit);
        }
        columns.extend([Self::Target, Self::Actual, Self::Weight, Self::Score]);
        if any(|leaf| leaf.deviation_reason.is_some()) {
            columns.push(Self::Deviation);
        }
        columns
    }
}

/// What goes into a cell, before it is placed.
struct Content {
    text: String,
    role: CellRole,
    source: Option<String>,
}

fn label(text: impl Into<String>) -> Content {
    Content {
        text: text.into(),
        role: CellRole::Label,
        source: None,
    }
}

fn blank() -> Content {
    label("")
}

fn value(text: impl Into<String>, source: Option<String>) -> Content {
    Content {
        text: text.into(),
        role: CellRole::Value,
        source,
    }
}

fn dec_text(number: Option<Dec>) -> String {
    number.map(|n| n.to_string()).unwrap_or_default()
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// The first column of the indicator leaves; columns 0–2 are the block label and levels 1–2.
const LEAF_START: u32 = 3;

/// One line of the funds breakdown under the total row.
enum FundsLine {
    /// A group heading (`按收入性质分`).
    Heading(&'static str),
    /// A breakdown row: its index in `funds.breakdown` and the name as printed.
    Item(usize, String),
}

/// The breakdown lines in print order: groups in a fixed order, rows in document order.
fn breakdown_lines(breakdown: &[BreakdownRow]) -> Vec<FundsLine> {
    let mut lines = Vec::new();
    for group in [
        BreakdownGroup::Income,
        BreakdownGroup::Expenditure,
        BreakdownGroup::Source,
    ] {
        let rows: Vec<(usize, &BreakdownRow)> = breakdown
            .iter()
            .enumerate()
            .filter(|(_, row)| row.group == group)
            .collect();
        if rows.is_empty() {
            continue;
        }
        // The project form prints its 其中 rows without a heading; "其中：" opens the first one.
        if group != BreakdownGroup::Source {
            lines.push(FundsLine::Heading(group.label()));
        }
        let mut parents_seen: Vec<&str> = Vec::new();
        for (position, (index, row)) in rows.into_iter().enumerate() {
            let first_of_source = group == BreakdownGroup::Source && position == 0;
            let first_child = row.parent.as_deref().is_some_and(|parent| {
                let new = !parents_seen.contains(&parent);
                parents_seen.push(parent);
                new
            });
            let text = if (first_of_source || first_child) && !row.name.starts_with("其中") {
                format!("其中：{}", row.name)
            } else {
                row.name.clone()
            };
            lines.push(FundsLine::Item(index, text));
        }
    }
    lines
}

/// `产出指标` with weight 50 → `产出指标（50分）`, as the form prints level-1 and level-2 names;
/// a name that already carries its points is left alone.
fn with_weight(name: &str, weight: Option<Dec>) -> String {
    match weight {
        Some(weight) if !name.contains('分') => format!("{name}（{}分）", plain(weight.get())),
        _ => name.to_owned(),
    }
}

fn level2_rows(level2: &Level2Indicator) -> u32 {
    count(level2.children.len()).max(1)
}

fn level1_rows(level1: &Level1Indicator) -> u32 {
    level1.children.iter().map(level2_rows).sum::<u32>().max(1)
}

/// Accumulates rows top to bottom; cells are always added to the last row started.
struct GridBuilder<'a> {
    document: &'a EvaluationDocument,
    leaf_columns: Vec<LeafColumn>,
    columns: u32,
    rows: Vec<GridRow>,
}

impl<'a> GridBuilder<'a> {
    fn new(document: &'a EvaluationDocument) -> Self {
        let leaf_columns = LeafColumn::for_document(document);
        let columns = LEAF_START + count(leaf_columns.len());
        Self {
            document,
            leaf_columns,
            columns,
            rows: Vec::new(),
        }
    }

    fn start_row(&mut self, section: FormSection) {
        self.rows.push(GridRow {
            section,
            cells: Vec::new(),
        });
    }

    fn put(&mut self, col: u32, col_span: u32, content: Content) {
        self.put_tall(col, 1, col_span, content);
    }

    fn put_tall(&mut self, col: u32, row_span: u32, col_span: u32, content: Content) {
        let row = count(self.rows.len()).saturating_sub(1);
        if let Some(last) = self.rows.last_mut() {
            last.cells.push(GridCell {
                text: content.text,
                row,
                col,
                row_span,
                col_span,
                role: content.role,
                source: content.source,
            });
        }
    }

    /// Places one cell per column from `first`, the last one stretching to the right edge.
    fn put_run(&mut self, first: u32, contents: Vec<Content>) {
        let last = contents.len().saturating_sub(1);
        for (offset, content) in contents.into_iter().enumerate() {
            let col = first + count(offset);
            let span = if offset == last { self.rest(col) } else { 1 };
            self.put(col, span, content);
        }
    }

    /// The span from `col` to the right edge.
    fn rest(&self, col: u32) -> u32 {
        self.columns.saturating_sub(col).max(1)
    }

    /// Column of 分值 in the indicator block; the funds and total rows line up their own
    /// 分值 with it.
    fn weight_col(&self) -> u32 {
        let position = self
            .leaf_columns
            .iter()
            .position(|c| *c == LeafColumn::Weight)
            .unwrap_or(0);
        LEAF_START + count(position)
    }

    fn project(&mut self) {
        let project = self.document.project.as_ref();
        let field = |name: &str| {
            let text = project.and_then(|p| match name {
                "name" => Some(p.name.clone()),
                "department" => p.department.clone(),
                _ => p.implementer.clone(),
            });
            let source = project.map(|_| format!("/project/{name}"));
            value(text.unwrap_or_default(), source)
        };
        self.start_row(FormSection::Project);
        self.put(0, 1, label("项目名称"));
        self.put(1, self.rest(1), field("name"));
        self.start_row(FormSection::Project);
        self.put(0, 1, label("主管部门"));
        self.put(1, 3, field("department"));
        self.put(4, 1, label("实施单位"));
        self.put(5, self.rest(5), field("implementer"));
    }

    fn funds(&mut self) {
        let document = self.document;
        let lines = breakdown_lines(&document.funds.breakdown);
        let whose = match document.kind {
            FormKind::Department => "部门资金",
            FormKind::Project => "项目资金",
        };
        let block = format!("{whose}（{}）", document.currency_unit.label());
        // The name column widens with the optional indicator columns so that 分值 and 得分
        // stay above the indicators' 分值 and 得分.
        let name_span = self.weight_col() - 5;
        let first = 1 + name_span;
        self.start_row(FormSection::Funds);
        self.put_tall(0, 2 + count(lines.len()), 1, label(block));
        self.put(1, name_span, blank());
        let headings = [
            "年初预算数",
            "全年预算数",
            "全年执行数",
            "执行率",
            "分值",
            "得分",
        ];
        self.put_run(first, headings.into_iter().map(label).collect());
        self.funds_total(name_span);
        for line in lines {
            self.start_row(FormSection::Funds);
            match line {
                FundsLine::Heading(heading) => self.put(1, self.rest(1), label(heading)),
                FundsLine::Item(index, name) => self.funds_item(name_span, index, name),
            }
        }
    }

    fn funds_total(&mut self, name_span: u32) {
        let funds = &self.document.funds;
        let at = |field: &str| Some(format!("/funds/{field}"));
        let cells = vec![
            value(dec_text(funds.initial_budget), at("initial_budget")),
            value(dec_text(funds.annual_budget), at("annual_budget")),
            value(dec_text(funds.executed), at("executed")),
            value(dec_text(funds.declared_rate), at("declared_rate")),
            value(funds.weight.to_string(), at("weight")),
            value(dec_text(funds.declared_score), at("declared_score")),
        ];
        self.start_row(FormSection::Funds);
        self.put(1, name_span, label("年度资金总额"));
        self.put_run(1 + name_span, cells);
    }

    fn funds_item(&mut self, name_span: u32, index: usize, name: String) {
        let Some(row) = self.document.funds.breakdown.get(index) else {
            return;
        };
        let at = |field: &str| Some(format!("/funds/breakdown/{index}/{field}"));
        let cells = vec![
            value(dec_text(row.initial_budget), at("initial_budget")),
            value(dec_text(row.annual_budget), at("annual_budget")),
            value(dec_text(row.executed), at("executed")),
            blank(),
            blank(),
            blank(),
        ];
        self.put(1, name_span, value(name, at("name")));
        self.put_run(1 + name_span, cells);
    }

    fn goals(&mut self) {
        let goals = &self.document.goals;
        self.start_row(FormSection::Goals);
        self.put_tall(0, 1 + count(goals.len()).max(1), 1, label("年度总体目标"));
        self.put(1, 3, label("年初预期（设定）目标"));
        self.put(4, self.rest(4), label("全年实际完成情况"));
        if goals.is_empty() {
            // The paper form keeps an empty row for the unit to write in.
            self.start_row(FormSection::Goals);
            self.put(1, 3, value("", None));
            self.put(4, self.rest(4), value("", None));
        }
        for (i, goal) in goals.iter().enumerate() {
            self.start_row(FormSection::Goals);
            let at = |field: &str| Some(format!("/goals/{i}/{field}"));
            self.put(1, 3, value(goal.expected.clone(), at("expected")));
            self.put(4, self.rest(4), value(goal.actual.clone(), at("actual")));
        }
    }

    fn indicators(&mut self) {
        let indicators = &self.document.indicators;
        let body: u32 = indicators.iter().map(level1_rows).sum::<u32>().max(1);
        self.start_row(FormSection::Indicators);
        self.put_tall(0, 1 + body, 1, label("绩效指标"));
        self.put(1, 1, label("一级指标"));
        self.put(2, 1, label("二级指标"));
        let headings = self
            .leaf_columns
            .iter()
            .map(|c| label(c.heading()))
            .collect();
        self.put_run(LEAF_START, headings);
        if indicators.is_empty() {
            self.start_row(FormSection::Indicators);
            self.put(1, 1, value("", None));
            self.put(2, 1, value("", None));
            self.leaf(None);
        }
        for (i, level1) in indicators.iter().enumerate() {
            self.level1(i, level1);
        }
    }

    fn level1(&mut self, i: usize, level1: &Level1Indicator) {
        let text = with_weight(&level1.name, level1.weight);
        let source = Some(format!("/indicators/{i}/name"));
        self.start_row(FormSection::Indicators);
        self.put_tall(1, level1_rows(level1), 1, value(text, source));
        if level1.children.is_empty() {
            self.put(2, 1, value("", None));
            self.leaf(None);
        }
        for (j, level2) in level1.children.iter().enumerate() {
            if j > 0 {
                self.start_row(FormSection::Indicators);
            }
            self.level2(&format!("/indicators/{i}/children/{j}"), level2);
        }
    }

    fn level2(&mut self, path: &str, level2: &Level2Indicator) {
        let text = with_weight(&level2.name, level2.weight);
        let source = Some(format!("{path}/name"));
        self.put_tall(2, level2_rows(level2), 1, value(text, source));
        if level2.children.is_empty() {
            self.leaf(None);
        }
        for (k, leaf) in level2.children.iter().enumerate() {
            if k > 0 {
                self.start_row(FormSection::Indicators);
            }
            self.leaf(Some((&format!("{path}/children/{k}"), leaf)));
        }
    }

    /// The level-3 cells of the current row; blank, with no source, for an empty group.
    fn leaf(&mut self, leaf: Option<(&str, &Leaf)>) {
        let cells = self
            .leaf_columns
            .iter()
            .map(|column| match leaf {
                Some((path, leaf)) => value(
                    column.text(leaf),
                    Some(format!("{path}/{}", column.field())),
                ),
                None => value("", None),
            })
            .collect();
        self.put_run(LEAF_START, cells);
    }

    /// The weights the form adds up to (normally 100): the execution block and each level-1
    /// indicator, whose weight defaults to the sum of its leaves as in scoring.
    fn total_weight(&self) -> String {
        let document = self.document;
        let indicators = document.indicators.iter().map(|level1| {
            level1.weight.map_or_else(
                || {
                    let leaves = level1.children.iter().flat_map(|l2| &l2.children);
                    leaves.map(|leaf| leaf.weight.get()).sum()
                },
                Dec::get,
            )
        });
        let sum = indicators.fold(document.funds.weight.get(), |sum, w| sum + w);
        plain(sum)
    }

    fn total(&mut self) {
        let document = self.document;
        // 总分's two numbers sit under the indicators' 分值 and 得分; the grade takes up the
        // room the optional columns add before them, the declared total whatever follows.
        let weight_col = self.weight_col();
        let grade = document.declared_grade.clone().unwrap_or_default();
        self.start_row(FormSection::Total);
        self.put(0, 3, label("综合评定等级"));
        self.put(
            3,
            weight_col - 5,
            value(grade, Some("/declared_grade".into())),
        );
        self.put(weight_col - 2, 2, label("总分"));
        self.put(weight_col, 1, value(self.total_weight(), None));
        let total = dec_text(document.declared_total);
        let score_col = weight_col + 1;
        self.put(
            score_col,
            self.rest(score_col),
            value(total, Some("/declared_total".into())),
        );
    }

    fn explanation(&mut self) {
        let document = self.document;
        let text = |field: &Option<String>| field.clone().unwrap_or_default();
        let rows = if document.notes.is_some() { 3 } else { 2 };
        self.start_row(FormSection::Explanation);
        self.put_tall(0, rows, 1, label("说明"));
        self.put(1, 3, label("偏差及原因分析"));
        self.put(4, self.rest(4), label("改进措施"));
        self.start_row(FormSection::Explanation);
        let analysis = text(&document.deviation_analysis);
        self.put(1, 3, value(analysis, Some("/deviation_analysis".into())));
        let measures = text(&document.improvement_measures);
        let source = Some("/improvement_measures".into());
        self.put(4, self.rest(4), value(measures, source));
        if let Some(notes) = &document.notes {
            self.start_row(FormSection::Explanation);
            self.put(1, 3, label("其他需要说明事项"));
            self.put(4, self.rest(4), value(notes.clone(), Some("/notes".into())));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::rulesets::Rulesets;

    const SEED: &str = include_str!("../../data/examples/hengyang-2020-department.json");

    const PROJECT: &str = r#"{
        "kind": "project",
        "fiscal_year": 2022,
        "unit": { "name": "中江县交通运输局" },
        "project": { "name": "农村公路养护", "department": "中江县交通运输局", "implementer": "中江县公路事务中心" },
        "currency_unit": "元",
        "funds": {
            "initial_budget": "1000000.00",
            "annual_budget": "1200000.00",
            "executed": "1150000.50",
            "declared_rate": "95.83",
            "weight": "10.00",
            "declared_score": "9.58",
            "breakdown": [
                { "group": "source", "name": "当年财政拨款", "annual_budget": "1000000.00", "executed": "950000.50" },
                { "group": "source", "name": "上年结转资金", "annual_budget": "200000.00", "executed": "200000" }
            ]
        },
        "indicators": [
            {
                "name": "产出指标",
                "weight": "50",
                "children": [
                    { "name": "数量指标", "children": [
                        { "name": "养护里程", "operator": "≥", "unit": "公里", "target": "120", "actual": "126.5", "weight": "30", "declared_score": "30" }
                    ] },
                    { "name": "质量指标", "weight": "20", "children": [
                        { "name": "优良路率", "operator": "≥", "unit": "%", "target": "80", "actual": "72", "weight": "20", "declared_score": "18", "deviation_reason": "雨季水毁，已安排专项修复" }
                    ] }
                ]
            },
            {
                "name": "效益指标",
                "children": [
                    { "name": "经济效益指标" },
                    { "name": "社会效益指标", "children": [
                        { "name": "群众出行条件", "target": "有所改善", "actual": "有所改善", "weight": "30" }
                    ] }
                ]
            },
            { "name": "满意度指标（10分）", "weight": "10" }
        ],
        "declared_total": "87.58",
        "declared_grade": "良",
        "notes": "无"
    }"#;

    fn hunan() -> Ruleset {
        let rulesets = Rulesets::built_in("national-2020").expect("built-in rulesets load");
        rulesets
            .get("hunan-2020")
            .expect("hunan-2020 is built in")
            .clone()
    }

    fn parse(json: &str) -> EvaluationDocument {
        serde_json::from_str(json).expect("fixture parses")
    }

    fn seed() -> EvaluationDocument {
        parse(SEED)
    }

    fn cells(grid: &FormGrid) -> impl Iterator<Item = &GridCell> {
        grid.rows.iter().flat_map(|row| &row.cells)
    }

    fn cell<'g>(grid: &'g FormGrid, text: &str) -> &'g GridCell {
        cells(grid)
            .find(|c| c.text == text)
            .unwrap_or_else(|| panic!("no cell shows {text:?}"))
    }

    /// Every row covers exactly `columns` columns, counting cells from rows above that reach
    /// down into it: no overlap, no hole, nothing outside the grid.
    fn assert_tiles(grid: &FormGrid) {
        let width = grid.columns as usize;
        let height = grid.rows.len();
        let mut taken = vec![vec![false; width]; height];
        for (r, row) in grid.rows.iter().enumerate() {
            let mut previous_col = None;
            for cell in &row.cells {
                assert_eq!(cell.row as usize, r, "{cell:?} is listed on row {r}");
                assert!(cell.row_span >= 1 && cell.col_span >= 1, "{cell:?}");
                assert!(previous_col < Some(cell.col), "row {r} out of order");
                previous_col = Some(cell.col);
                let rows = r..r + cell.row_span as usize;
                let cols = cell.col as usize..(cell.col + cell.col_span) as usize;
                for rr in rows {
                    for cc in cols.clone() {
                        assert!(rr < height && cc < width, "{cell:?} leaves the grid");
                        assert!(!taken[rr][cc], "{cell:?} overlaps at ({rr}, {cc})");
                        taken[rr][cc] = true;
                    }
                }
            }
        }
        for (r, row) in taken.iter().enumerate() {
            for (c, filled) in row.iter().enumerate() {
                assert!(filled, "hole at ({r}, {c})");
            }
        }
    }

    /// Every source pointer of a filled cell resolves to what the cell shows (names may carry
    /// a "其中：" prefix or a weight suffix).
    fn assert_sources_resolve(grid: &FormGrid, document: &EvaluationDocument) {
        let json = serde_json::to_value(document).expect("document serializes");
        for cell in cells(grid) {
            assert!(
                cell.role == CellRole::Value || cell.source.is_none(),
                "{cell:?}"
            );
            let Some(source) = &cell.source else { continue };
            if cell.text.is_empty() {
                continue;
            }
            let target = json
                .pointer(source)
                .and_then(|v| v.as_str())
                .unwrap_or_else(|| panic!("{source} does not resolve to a string"));
            assert!(cell.text.contains(target), "{cell:?} shows not {target:?}");
        }
    }

    #[test]
    fn the_seed_tiles_its_grid() {
        let grid = build_form(&seed(), &hunan());
        assert_eq!(grid.columns, 8);
        assert_tiles(&grid);
        // 2 funds header rows + 2 headings + 8 breakdown rows, 1 + 3 goal rows,
        // 1 + 9 indicator rows, 1 total row, 2 explanation rows.
        assert_eq!(grid.rows.len(), 12 + 4 + 10 + 1 + 2);
    }

    #[test]
    fn the_seed_prints_every_number_as_submitted() {
        let document = seed();
        let grid = build_form(&document, &hunan());
        let texts: Vec<&str> = cells(&grid).map(|c| c.text.as_str()).collect();
        let expected = [
            "144.22",
            "254.48",
            "239.31",
            "94",
            "10",
            "8",
            "167.31",
            "65",
            "22.17",
            "184.32",
            "54.98",
            "0",
            "300",
            "315",
            "5000",
            "3200",
            "7",
            "100%",
            "不突破预算",
            "有所提升",
            "95%",
            "5",
            "4",
            "13",
            "15",
            "92",
            "优秀",
            "100",
        ];
        for text in expected {
            assert!(texts.contains(&text), "no cell shows {text}");
        }
        let funds = &document.funds;
        let mut numbers = vec![
            Some(funds.weight),
            funds.declared_score,
            funds.declared_rate,
        ];
        for row in &funds.breakdown {
            numbers.extend([row.initial_budget, row.annual_budget, row.executed]);
        }
        let leaves = document
            .indicators
            .iter()
            .flat_map(|l1| &l1.children)
            .flat_map(|l2| &l2.children);
        for leaf in leaves {
            numbers.extend([Some(leaf.weight), leaf.declared_score]);
            assert!(texts.contains(&leaf.target.as_str()), "{}", leaf.target);
            assert!(texts.contains(&leaf.actual.as_str()), "{}", leaf.actual);
        }
        for number in numbers.into_iter().flatten() {
            assert!(texts.contains(&number.to_string().as_str()), "{number}");
        }
    }

    #[test]
    fn the_seed_lays_out_the_indicator_tree() {
        let grid = build_form(&seed(), &hunan());
        let output = cell(&grid, "产出指标（50分）");
        // 数量指标 has two leaves, 质量, 时效 and 成本 one each.
        assert_eq!((output.row_span, output.col, output.col_span), (5, 1, 1));
        assert_eq!(output.source.as_deref(), Some("/indicators/0/name"));
        assert_eq!(cell(&grid, "数量指标").row_span, 2);
        // No weight declared: the name is printed alone.
        assert_eq!(cell(&grid, "效益指标").row_span, 2);
        assert_eq!(cell(&grid, "满意度指标（10分）").row_span, 2);
        assert_eq!(cell(&grid, "绩效指标").row_span, 10);
        let reduced = cell(&grid, "3200");
        assert_eq!(reduced.col, 5);
        assert_eq!(
            reduced.source.as_deref(),
            Some("/indicators/0/children/0/children/1/actual")
        );
    }

    #[test]
    fn the_seed_funds_block_follows_the_paper_form() {
        let grid = build_form(&seed(), &hunan());
        let block = cell(&grid, "部门资金（万元）");
        assert_eq!((block.row, block.col, block.row_span), (0, 0, 12));
        let header: Vec<&str> = grid.rows[0].cells.iter().map(|c| c.text.as_str()).collect();
        assert_eq!(
            header,
            [
                "部门资金（万元）",
                "",
                "年初预算数",
                "全年预算数",
                "全年执行数",
                "执行率",
                "分值",
                "得分"
            ]
        );
        let total: Vec<&str> = grid.rows[1].cells.iter().map(|c| c.text.as_str()).collect();
        assert_eq!(
            total,
            [
                "年度资金总额",
                "144.22",
                "254.48",
                "239.31",
                "94",
                "10",
                "8"
            ]
        );
        let names: Vec<&str> = grid.rows[2..12]
            .iter()
            .map(|row| row.cells[0].text.as_str())
            .collect();
        assert_eq!(
            names,
            [
                "按收入性质分",
                "一般公共预算",
                "政府性基金拨款",
                "纳入管理的非税收入拨款",
                "其他资金",
                "按支出性质分",
                "基本支出",
                "其中：人员经费",
                "公用经费",
                "项目支出",
            ]
        );
        assert_eq!(grid.rows[2].cells[0].col_span, 7);
        let staff = &grid.rows[9].cells;
        assert_eq!((staff[3].text.as_str(), staff[3].col), ("184.32", 4));
    }

    #[test]
    fn the_seed_total_and_explanation_rows() {
        let grid = build_form(&seed(), &hunan());
        let total = grid
            .rows
            .iter()
            .find(|row| row.section == FormSection::Total)
            .expect("a total row");
        let placed: Vec<(&str, u32, u32)> = total
            .cells
            .iter()
            .map(|c| (c.text.as_str(), c.col, c.col_span))
            .collect();
        assert_eq!(
            placed,
            [
                ("综合评定等级", 0, 3),
                ("优秀", 3, 1),
                ("总分", 4, 2),
                ("100", 6, 1),
                ("92", 7, 1)
            ]
        );
        let explanation = cell(&grid, "说明");
        assert_eq!(explanation.row_span, 2);
        let measures = cells(&grid)
            .find(|c| c.source.as_deref() == Some("/improvement_measures"))
            .expect("improvement measures");
        assert_eq!((measures.col, measures.col_span), (4, 4));
    }

    #[test]
    fn the_seed_sources_resolve() {
        let document = seed();
        let grid = build_form(&document, &hunan());
        assert_sources_resolve(&grid, &document);
        let json = serde_json::to_value(&document).expect("document serializes");
        for (text, pointer) in [
            ("254.48", "/funds/annual_budget"),
            ("184.32", "/funds/breakdown/5/executed"),
            ("不突破预算", "/indicators/0/children/3/children/0/target"),
            ("优秀", "/declared_grade"),
        ] {
            let shown = cells(&grid)
                .find(|c| c.source.as_deref() == Some(pointer))
                .unwrap_or_else(|| panic!("no cell for {pointer}"));
            assert_eq!(shown.text, text);
            assert_eq!(json.pointer(pointer).and_then(|v| v.as_str()), Some(text));
        }
    }

    #[test]
    fn the_seed_header_signatures_and_footnotes() {
        let grid = build_form(&seed(), &hunan());
        assert_eq!(grid.kind, FormKind::Department);
        assert_eq!(grid.title, "部门整体支出绩效自评表");
        assert_eq!(grid.subtitle, "（2020年度）");
        assert_eq!(
            grid.header,
            [
                labeled("填报单位（盖章）", "衡阳县工伤保险服务中心"),
                labeled("填报时间", "2021年7月13日")
            ]
        );
        assert_eq!(
            grid.signatures,
            [
                labeled("填表人", "刘永好"),
                labeled("联系电话", "17769395763"),
                labeled("单位负责人签字", "")
            ]
        );
        assert_eq!(
            grid.footnotes[0],
            "说明：1. 评价等级分为优秀（S≥90）、良好（90>S≥80）、较差（80>S≥60）、差（S<60）。"
        );
        assert!(grid.footnotes[1].starts_with("2. 三级绩效指标"));
    }

    #[test]
    fn a_project_form_with_optional_columns_tiles_its_grid() {
        let document = parse(PROJECT);
        let grid = build_form(&document, &hunan());
        assert_eq!(grid.columns, 11);
        assert_tiles(&grid);
        assert_sources_resolve(&grid, &document);
        assert_eq!(grid.title, "项目支出绩效自评表");
        assert_eq!(grid.header[1], labeled("填报时间", ""));
        let heading = |text: &str| cell(&grid, text).col;
        assert_eq!(heading("指标性质"), 4);
        assert_eq!(heading("度量单位"), 5);
        assert_eq!(heading("偏差原因分析及改进措施"), 10);
        // 分值 of the funds block stays above the indicators' 分值.
        let weights: Vec<u32> = cells(&grid)
            .filter(|c| c.text == "分值")
            .map(|c| c.col)
            .collect();
        assert_eq!(weights, [8, 8]);
        assert_eq!(cell(&grid, "项目资金（元）").row_span, 4);
        assert_eq!(cell(&grid, "其中：当年财政拨款").col_span, 3);
        assert_eq!(
            cell(&grid, "上年结转资金").source.as_deref(),
            Some("/funds/breakdown/1/name")
        );
        assert_eq!(cell(&grid, "10.00").col, 8);
    }

    #[test]
    fn a_project_form_keeps_rows_for_what_is_empty() {
        let grid = build_form(&parse(PROJECT), &hunan());
        assert_eq!(cell(&grid, "农村公路养护").col_span, 10);
        assert_eq!(cell(&grid, "中江县公路事务中心").col_span, 6);
        let goals: Vec<&GridRow> = grid
            .rows
            .iter()
            .filter(|row| row.section == FormSection::Goals)
            .collect();
        assert_eq!(goals.len(), 2);
        assert!(
            goals[1]
                .cells
                .iter()
                .all(|c| c.text.is_empty() && c.source.is_none())
        );
        assert_eq!(cell(&grid, "经济效益指标").row_span, 1);
        assert_eq!(cell(&grid, "效益指标").row_span, 2);
        // Already carries its points: no second suffix; no children: one row.
        assert_eq!(cell(&grid, "满意度指标（10分）").row_span, 1);
        assert_eq!(cell(&grid, "质量指标（20分）").row_span, 1);
        // 10.00 + 50 + 30 (the leaves of 效益指标) + 10.
        assert_eq!(cell(&grid, "100").col, 8);
        assert_eq!(cell(&grid, "87.58").col_span, 2);
        assert_eq!(cell(&grid, "说明").row_span, 3);
        assert_eq!(cell(&grid, "无").source.as_deref(), Some("/notes"));
    }

    #[test]
    fn serializes_with_snake_case_and_without_empty_sources() {
        let grid = build_form(&seed(), &hunan());
        let json = serde_json::to_value(&grid).expect("grid serializes");
        let first = &json["rows"][0];
        assert_eq!(first["section"], "funds");
        assert_eq!(first["cells"][0]["role"], "label");
        assert!(first["cells"][0].get("source").is_none());
        assert_eq!(json["rows"][1]["cells"][1]["role"], "value");
        let back: FormGrid = serde_json::from_value(json).expect("grid deserializes");
        assert_eq!(back, grid);
    }
}
