//! Placing the document's blocks on the grid, row by row.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use super::{CellRole, FormSection, GridCell, GridRow};
use crate::domain::decimal::{Dec, plain};
use crate::domain::document::{
    BreakdownGroup, BreakdownRow, EvaluationDocument, FormKind, Leaf, Level1Indicator,
    Level2Indicator,
};

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
            // Filled in by the builder, which knows the weights inferred from the ruleset.
            Self::Weight => dec_text(leaf.weight),
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

/// How an inferred weight is printed: in brackets, `(16.67)`.
pub(super) fn inferred_text(weight: Decimal) -> String {
    format!("({weight})")
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
pub(super) struct GridBuilder<'a> {
    document: &'a EvaluationDocument,
    /// Weights taken from the ruleset for a form printed without any, by pointer.
    inferred: BTreeMap<String, Decimal>,
    leaf_columns: Vec<LeafColumn>,
    pub(super) columns: u32,
    pub(super) rows: Vec<GridRow>,
}

impl<'a> GridBuilder<'a> {
    pub(super) fn new(
        document: &'a EvaluationDocument,
        inferred: BTreeMap<String, Decimal>,
    ) -> Self {
        let leaf_columns = LeafColumn::for_document(document);
        let columns = LEAF_START + count(leaf_columns.len());
        Self {
            document,
            inferred,
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

    pub(super) fn project(&mut self) {
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

    pub(super) fn funds(&mut self) {
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
            value(
                self.weight_text("/funds/weight", funds.weight),
                at("weight"),
            ),
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

    pub(super) fn goals(&mut self) {
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

    pub(super) fn indicators(&mut self) {
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
                Some((path, leaf)) => {
                    let source = format!("{path}/{}", column.field());
                    let text = if *column == LeafColumn::Weight {
                        self.weight_text(&source, leaf.weight)
                    } else {
                        column.text(leaf)
                    };
                    value(text, Some(source))
                }
                None => value("", None),
            })
            .collect();
        self.put_run(LEAF_START, cells);
    }

    /// The weights the form adds up to (normally 100): the execution block and each level-1
    /// indicator, whose weight defaults to the sum of its leaves as in scoring.
    /// Inferred weights count as the form's, and the sum is marked like them.
    fn total_weight(&self) -> String {
        let document = self.document;
        let weight = |path: String, printed: Option<Dec>| {
            printed
                .map(Dec::get)
                .or_else(|| self.inferred.get(&path).copied())
                .unwrap_or_default()
        };
        let indicators = document.indicators.iter().enumerate().map(|(i, level1)| {
            level1.weight.map_or_else(
                || {
                    let mut sum = Decimal::ZERO;
                    for (j, level2) in level1.children.iter().enumerate() {
                        for (k, leaf) in level2.children.iter().enumerate() {
                            let path = format!("/indicators/{i}/children/{j}/children/{k}/weight");
                            sum += weight(path, leaf.weight);
                        }
                    }
                    sum
                },
                Dec::get,
            )
        });
        let execution = weight("/funds/weight".into(), document.funds.weight);
        let sum = indicators.fold(execution, |sum, w| sum + w);
        if self.inferred.is_empty() {
            plain(sum)
        } else {
            inferred_text(sum)
        }
    }

    /// A weight as printed; one inferred from the ruleset in brackets, `(10)`, as the
    /// footnote explains; blank where there is neither.
    fn weight_text(&self, path: &str, printed: Option<Dec>) -> String {
        match (printed, self.inferred.get(path)) {
            (Some(weight), _) => weight.to_string(),
            (None, Some(weight)) => inferred_text(*weight),
            (None, None) => String::new(),
        }
    }

    pub(super) fn total(&mut self) {
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

    pub(super) fn explanation(&mut self) {
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
