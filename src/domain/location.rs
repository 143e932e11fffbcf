//! Where a JSON pointer into an evaluation document sits on the paper form.
//!
//! A clerk does not read `/indicators/0/children/1/children/0/declared_score`; they look for
//! `绩效指标 › 产出指标 › 数量指标 › 减少三公开支 › 得分`. This module turns the one into the
//! other. It reads the raw JSON rather than the typed document so that it also places errors in a
//! document that could not be read: names come from the document where they are present and
//! readable, and fall back to the position (`第 2 项`) where they are not.

use serde_json::Value;

/// The separator between the steps of a location, as the printed copy shows it.
pub const SEPARATOR: &str = " › ";

/// The paper location of `pointer` in `document`, e.g. `部门资金 › 全年执行数`.
///
/// An empty pointer is the whole form (`整张表`). Unknown fields keep their JSON name, so the
/// location of a field the form does not have still says which field it is.
#[must_use]
pub fn paper_location(document: &Value, pointer: &str) -> String {
    paper_location_in(document, pointer)
}

/// [`paper_location`], reading names from any [`Outline`] of the form.
#[must_use]
pub fn paper_location_in<O: Outline + ?Sized>(document: &O, pointer: &str) -> String {
    // Most locations are a few Chinese labels and names: one allocation holds them.
    let mut text = String::with_capacity(96);
    let mut joined = Joined {
        text: &mut text,
        first: true,
    };
    write_steps(document, pointer, &mut joined);
    if joined.first {
        text.push_str("整张表");
    }
    text
}

/// The steps of [`paper_location`], outermost first.
#[must_use]
pub fn location_steps(document: &Value, pointer: &str) -> Vec<String> {
    location_steps_in(document, pointer)
}

/// The steps of [`paper_location_in`], outermost first.
#[must_use]
pub fn location_steps_in<O: Outline + ?Sized>(document: &O, pointer: &str) -> Vec<String> {
    let mut steps = Vec::new();
    write_steps(document, pointer, &mut steps);
    steps
}

/// Where the steps of a location go as they are read: kept one by one, or written straight
/// into the location's text, so that placing a finding builds one string rather than one per
/// step and then their join.
trait Steps {
    /// Adds a step.
    fn push(&mut self, step: &str);
    /// Adds a step written from `args` (`第 2 行`).
    fn push_fmt(&mut self, args: std::fmt::Arguments<'_>);
}

impl Steps for Vec<String> {
    fn push(&mut self, step: &str) {
        Vec::push(self, step.to_owned());
    }

    fn push_fmt(&mut self, args: std::fmt::Arguments<'_>) {
        Vec::push(self, args.to_string());
    }
}

/// Steps joined by [`SEPARATOR`] as they come. `first` is kept rather than read off the text's
/// length, since a step may be empty (an empty pointer segment) and still be joined.
struct Joined<'a> {
    text: &'a mut String,
    first: bool,
}

impl Joined<'_> {
    fn separate(&mut self) {
        if !std::mem::replace(&mut self.first, false) {
            self.text.push_str(SEPARATOR);
        }
    }
}

impl Steps for Joined<'_> {
    fn push(&mut self, step: &str) {
        self.separate();
        self.text.push_str(step);
    }

    fn push_fmt(&mut self, args: std::fmt::Arguments<'_>) {
        use std::fmt::Write as _;
        self.separate();
        let _ = self.text.write_fmt(args);
    }
}

/// What placing a pointer reads from a form: its kind and year, and the names of the rows,
/// indicators and sections the pointer passes through. Indices are the pointer's segments as
/// written; a lookup that finds nothing (or no readable name) falls back to the position.
pub trait Outline {
    /// Whether the form is a project form (`项目资金` rather than `部门资金`).
    fn is_project(&self) -> bool;
    /// The fiscal year, which names the columns of the basic data.
    fn fiscal_year(&self) -> Option<i32>;
    /// Breakdown row `index`: its group's code (`income`, `expenditure`, `source`) and its name;
    /// `None` when there is no such row.
    fn breakdown_row(&self, index: &str) -> Option<(Option<&str>, Option<&str>)>;
    /// The name of the indicator at `indices` (one index per level, one to three levels).
    fn indicator_name(&self, indices: &[&str]) -> Option<&str>;
    /// The bare name of basic-data spending row `index`.
    fn spending_name(&self, index: &str) -> Option<String>;
    /// The heading of report section `index`.
    fn section_heading(&self, index: &str) -> Option<&str>;
}

/// The raw JSON of a form, read as far as it can be: the outline of a document that may not
/// have parsed.
impl Outline for Value {
    fn is_project(&self) -> bool {
        self.get("kind").and_then(Value::as_str) == Some("project")
    }

    fn fiscal_year(&self) -> Option<i32> {
        self.get("fiscal_year")
            .and_then(Value::as_i64)
            .and_then(|year| i32::try_from(year).ok())
    }

    fn breakdown_row(&self, index: &str) -> Option<(Option<&str>, Option<&str>)> {
        let row = self.pointer(&format!("/funds/breakdown/{index}"))?;
        Some((
            row.get("group").and_then(Value::as_str),
            row.get("name").and_then(Value::as_str),
        ))
    }

    fn indicator_name(&self, indices: &[&str]) -> Option<&str> {
        let pointer = format!("/indicators/{}", indices.join("/children/"));
        self.pointer(&pointer)?.get("name")?.as_str()
    }

    fn spending_name(&self, index: &str) -> Option<String> {
        self.pointer(&format!("/basic_data/spending/{index}"))?
            .get("name")?
            .as_str()
            .map(crate::domain::basic_data::bare_name)
    }

    fn section_heading(&self, index: &str) -> Option<&str> {
        self.pointer(&format!("/report/sections/{index}"))?
            .get("heading")?
            .as_str()
    }
}

/// An array index as a JSON pointer reads it (RFC 6901: no sign, no leading zero), so that a
/// typed [`Outline`] finds exactly the nodes the raw JSON would.
#[must_use]
pub fn pointer_index(segment: &str) -> Option<usize> {
    if segment.starts_with('+') || (segment.starts_with('0') && segment.len() != 1) {
        return None;
    }
    segment.parse().ok()
}

/// Reads `pointer` step by step into `steps`.
fn write_steps<O: Outline + ?Sized, S: Steps>(document: &O, pointer: &str, steps: &mut S) {
    // Deep enough for a leaf's field (`/indicators/0/children/1/children/2/weight`).
    let mut buffer = [""; 8];
    if let Some(segments) = segments_into(pointer, &mut buffer) {
        write_segments(document, segments, steps);
    } else {
        let segments: Vec<String> = pointer
            .split('/')
            .skip(1)
            .map(|segment| segment.replace("~1", "/").replace("~0", "~"))
            .collect();
        let segments: Vec<&str> = segments.iter().map(String::as_str).collect();
        write_segments(document, &segments, steps);
    }
}

/// The segments of `pointer` as written (what comes after each `/`), in `buffer`; `None` when
/// one needs unescaping (`~0`, `~1`) or there are more than `buffer` holds. Written as a plain
/// scan because splitting a short pointer with `str::split` costs more than all the rest of
/// placing it.
fn segments_into<'p, 'b>(pointer: &'p str, buffer: &'b mut [&'p str; 8]) -> Option<&'b [&'p str]> {
    let bytes = pointer.as_bytes();
    if bytes.contains(&b'~') {
        return None;
    }
    let slash_after = |from: usize| bytes[from..].iter().position(|&b| b == b'/');
    let Some(mut slash) = slash_after(0) else {
        return Some(&buffer[..0]);
    };
    let mut count = 0;
    loop {
        let start = slash + 1;
        let end = slash_after(start).map_or(bytes.len(), |at| start + at);
        *buffer.get_mut(count)? = &pointer[start..end];
        count += 1;
        if end == bytes.len() {
            return Some(&buffer[..count]);
        }
        slash = end;
    }
}

fn write_segments<O: Outline + ?Sized, S: Steps>(document: &O, segments: &[&str], steps: &mut S) {
    match segments {
        [] => {}
        ["unit", rest @ ..] => unit_steps(rest, steps),
        ["project", rest @ ..] => project_steps(rest, steps),
        ["funds", rest @ ..] => funds_steps(document, rest, steps),
        ["goals", rest @ ..] => goal_steps(rest, steps),
        ["indicators", rest @ ..] => indicator_steps(document, rest, steps),
        ["basic_data", rest @ ..] => basic_data_steps(document, rest, steps),
        ["report", rest @ ..] => report_steps(document, rest, steps),
        [field, rest @ ..] => {
            steps.push(top_level_label(field));
            for step in rest {
                steps.push(step);
            }
        }
    }
}

fn top_level_label(field: &str) -> &str {
    match field {
        "kind" => "表格种类",
        "fiscal_year" => "年度",
        "ruleset" => "评分规则",
        "currency_unit" => "金额单位",
        "declared_total" => "总分",
        "declared_grade" => "自评等级",
        "deviation_analysis" => "偏差及原因分析",
        "improvement_measures" => "改进措施",
        "notes" => "其他需要说明事项",
        "prepared_by" => "填表人",
        "contact_phone" => "联系电话",
        "filled_on" => "填报时间",
        other => other,
    }
}

fn unit_steps(rest: &[&str], steps: &mut impl Steps) {
    steps.push(match rest {
        [] | ["name", ..] => "填报单位",
        ["code", ..] => "预算编码",
        [other, ..] => other,
    });
}

fn project_steps(rest: &[&str], steps: &mut impl Steps) {
    steps.push(match rest {
        [] => "项目",
        ["name", ..] => "项目名称",
        ["department", ..] => "主管部门",
        ["implementer", ..] => "实施单位",
        [other, ..] => other,
    });
}

fn funds_field_label(field: &str) -> &str {
    match field {
        "initial_budget" => "年初预算数",
        "annual_budget" => "全年预算数",
        "executed" => "全年执行数",
        "declared_rate" => "执行率",
        "weight" => "分值",
        "declared_score" => "得分",
        "name" => "名称",
        "group" => "分类",
        "parent" => "所属",
        "breakdown" => "资金明细",
        other => other,
    }
}

fn funds_steps<O: Outline + ?Sized>(document: &O, rest: &[&str], steps: &mut impl Steps) {
    steps.push(if document.is_project() {
        "项目资金"
    } else {
        "部门资金"
    });
    match rest {
        [] => {}
        ["breakdown", index, tail @ ..] => {
            let row = document.breakdown_row(index);
            let group = row.and_then(|(group, _)| group).map(|group| match group {
                "income" => "按收入性质分",
                "expenditure" => "按支出性质分",
                _ => "其中",
            });
            if let Some(group) = group {
                steps.push(group);
            }
            named_or_position(row.and_then(|(_, name)| name), index, "行", steps);
            if let Some(field) = tail.first() {
                steps.push(funds_field_label(field));
            }
        }
        [field, ..] => steps.push(funds_field_label(field)),
    }
}

fn goal_steps(rest: &[&str], steps: &mut impl Steps) {
    steps.push("年度总体目标");
    if let [index, tail @ ..] = rest {
        match index.parse::<usize>() {
            Ok(position) => steps.push_fmt(format_args!("目标 {}", position + 1)),
            Err(_) => steps.push(index),
        }
        if let Some(field) = tail.first() {
            steps.push(match *field {
                "expected" => "预期目标",
                "actual" => "实际完成情况",
                other => other,
            });
        }
    }
}

fn indicator_field_label(field: &str) -> &str {
    match field {
        "name" => "指标名称",
        "target" => "年度指标值",
        "actual" => "实际完成值",
        "weight" => "分值",
        "declared_score" => "得分",
        "operator" => "比较方式",
        "unit" => "计量单位",
        "method" => "评分方法",
        "deviation_reason" => "偏差原因分析及改进措施",
        other => other,
    }
}

fn indicator_steps<O: Outline + ?Sized>(document: &O, rest: &[&str], steps: &mut impl Steps) {
    steps.push("绩效指标");
    let mut indices: [&str; 3] = [""; 3];
    let mut depth = 0;
    let mut remaining = rest;
    while let [index, tail @ ..] = remaining {
        indices[depth] = index;
        depth += 1;
        let what = match depth {
            1 => "一级指标",
            2 => "二级指标",
            _ => "三级指标",
        };
        named_or_position(
            document.indicator_name(&indices[..depth]),
            index,
            what,
            steps,
        );
        match tail {
            ["children", rest_of_tail @ ..] if depth < 3 => {
                remaining = rest_of_tail;
            }
            [field, ..] => {
                steps.push(indicator_field_label(field));
                break;
            }
            [] => break,
        }
    }
}

fn basic_data_steps<O: Outline + ?Sized>(document: &O, rest: &[&str], steps: &mut impl Steps) {
    steps.push("基础数据表");
    let year = document.fiscal_year();
    match rest {
        [] => {}
        ["staffing", tail @ ..] => {
            steps.push("财政供养人员情况");
            match (tail.first().copied(), year) {
                (None, _) => {}
                (Some("authorized"), _) => steps.push("编制数"),
                (Some("actual"), Some(year)) => {
                    steps.push_fmt(format_args!("{year}年实际在职人数"))
                }
                (Some("actual"), None) => steps.push("实际在职人数"),
                (Some("declared_control_rate"), _) => steps.push("控制率"),
                (Some(other), _) => steps.push(other),
            }
        }
        ["spending", index, tail @ ..] => {
            steps.push("经费控制情况");
            let name = document
                .spending_name(index)
                .filter(|name| !name.is_empty());
            match (name, index.parse::<usize>()) {
                (Some(name), _) => steps.push(&name),
                (None, Ok(position)) => steps.push_fmt(format_args!("第 {} 行", position + 1)),
                (None, Err(_)) => steps.push(index),
            }
            if let Some(field) = tail.first() {
                let column = crate::domain::basic_data::SpendingColumn::from_field(field);
                match (column, year) {
                    (Some(column), Some(year)) => steps.push(&column.heading(year)),
                    _ => steps.push(match *field {
                        "actual" => "决算数",
                        "budget" => "预算数",
                        "last_year_actual" => "上年决算数",
                        "name" => "名称",
                        "parent" => "所属",
                        other => other,
                    }),
                }
            }
        }
        [field, ..] => steps.push(match *field {
            "currency_unit" => "金额单位",
            "government_procurement" => "政府采购金额",
            "frugality_measures" => "厉行节约保障措施",
            other => other,
        }),
    }
}

fn report_steps<O: Outline + ?Sized>(document: &O, rest: &[&str], steps: &mut impl Steps) {
    steps.push("自评报告");
    match rest {
        [] => {}
        ["sections", index, tail @ ..] => {
            let heading = document
                .section_heading(index)
                .map(str::trim)
                .filter(|heading| !heading.is_empty());
            match (heading, index.parse::<usize>()) {
                (Some(heading), _) => steps.push(heading),
                (None, Ok(position)) => steps.push_fmt(format_args!("第 {} 部分", position + 1)),
                (None, Err(_)) => steps.push(index),
            }
            if let Some(field) = tail.first() {
                steps.push(match *field {
                    "heading" => "标题",
                    "text" => "正文",
                    other => other,
                });
            }
        }
        [field, ..] => steps.push(match *field {
            "method" => "评价方式",
            "evaluator" => "评价机构",
            "report_date" => "报告日期",
            other => other,
        }),
    }
}

/// The node's `name` when it has a readable, non-blank one, else its position (`第 2 个三级指标`).
fn named_or_position(name: Option<&str>, index: &str, what: &str, steps: &mut impl Steps) {
    match name
        .map(crate::domain::value::trimmed)
        .filter(|name| !name.is_empty())
    {
        Some(name) => steps.push(name),
        None => match index.parse::<usize>() {
            Ok(position) => steps.push_fmt(format_args!("第 {} 个{what}", position + 1)),
            Err(_) => steps.push(index),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn seed_like() -> Value {
        json!({
            "kind": "department",
            "funds": {"breakdown": [{"group": "income", "name": "一般公共预算"}]},
            "indicators": [{
                "name": "产出指标",
                "children": [{
                    "name": "数量指标",
                    "children": [{"name": "开通账号"}, {"name": "减少三公开支"}]
                }]
            }]
        })
    }

    #[test]
    fn a_leaf_field_reads_as_the_path_through_the_indicator_tree() {
        assert_eq!(
            paper_location(
                &seed_like(),
                "/indicators/0/children/0/children/1/declared_score"
            ),
            "绩效指标 › 产出指标 › 数量指标 › 减少三公开支 › 得分"
        );
    }

    #[test]
    fn funds_fields_and_breakdown_rows_name_their_block_and_row() {
        let document = seed_like();
        assert_eq!(
            paper_location(&document, "/funds/executed"),
            "部门资金 › 全年执行数"
        );
        assert_eq!(
            paper_location(&document, "/funds/breakdown/0/annual_budget"),
            "部门资金 › 按收入性质分 › 一般公共预算 › 全年预算数"
        );
        assert_eq!(
            paper_location(&document, "/funds/breakdown"),
            "部门资金 › 资金明细"
        );
        let project = json!({"kind": "project"});
        assert_eq!(paper_location(&project, "/funds/weight"), "项目资金 › 分值");
    }

    #[test]
    fn a_missing_or_blank_name_falls_back_to_the_position() {
        let document = json!({"indicators": [{"name": " ", "children": []}]});
        assert_eq!(
            paper_location(&document, "/indicators/0/weight"),
            "绩效指标 › 第 1 个一级指标 › 分值"
        );
        assert_eq!(
            paper_location(&document, "/indicators/3/children/1/children/0/name"),
            "绩效指标 › 第 4 个一级指标 › 第 2 个二级指标 › 第 1 个三级指标 › 指标名称"
        );
    }

    #[test]
    fn basic_data_and_report_fields_name_their_table_row_and_column() {
        let document = json!({
            "fiscal_year": 2020,
            "basic_data": {"spending": [{"name": "一、部门基本支出"}, {"name": "2、三公经费"}, {"name": " "}]},
            "report": {"sections": [{"heading": "三、部门整体支出绩效情况", "text": ""}]}
        });
        for (pointer, location) in [
            (
                "/basic_data/spending/1/actual",
                "基础数据表 › 经费控制情况 › 三公经费 › 2020年决算数",
            ),
            (
                "/basic_data/spending/0/last_year_actual",
                "基础数据表 › 经费控制情况 › 部门基本支出 › 2019年决算数",
            ),
            (
                "/basic_data/spending/2/budget",
                "基础数据表 › 经费控制情况 › 第 3 行 › 2020年预算数",
            ),
            (
                "/basic_data/staffing/declared_control_rate",
                "基础数据表 › 财政供养人员情况 › 控制率",
            ),
            (
                "/basic_data/staffing/actual",
                "基础数据表 › 财政供养人员情况 › 2020年实际在职人数",
            ),
            (
                "/basic_data/government_procurement",
                "基础数据表 › 政府采购金额",
            ),
            (
                "/report/sections/0/text",
                "自评报告 › 三、部门整体支出绩效情况 › 正文",
            ),
            ("/report/sections/4/heading", "自评报告 › 第 5 部分 › 标题"),
            ("/report/report_date", "自评报告 › 报告日期"),
        ] {
            assert_eq!(paper_location(&document, pointer), location, "{pointer}");
        }
    }

    #[test]
    fn segments_are_what_follows_each_slash_as_split_reads_them() {
        for pointer in [
            "",
            "/",
            "//",
            "plain",
            "no/leading",
            "/funds",
            "/funds/",
            "/indicators/0/children/1/children/2/declared_score",
            "/a//b/",
            "/名称/第 1 行",
            "/a/b/c/d/e/f/g/h",
            "/a/b/c/d/e/f/g/h/i",
            "/notes/a~1b",
        ] {
            let expected: Vec<&str> = pointer.split('/').skip(1).collect();
            let mut buffer = [""; 8];
            match segments_into(pointer, &mut buffer) {
                Some(segments) => assert_eq!(segments, expected, "{pointer:?}"),
                // Left to the general path: too deep for the buffer, or escaped.
                None => assert!(expected.len() > 8 || pointer.contains('~'), "{pointer:?}"),
            }
        }
    }

    #[test]
    fn steps_and_the_joined_location_agree_even_with_empty_steps() {
        let document = seed_like();
        for pointer in [
            "/indicators/0/children/0/children/1/declared_score",
            "/indicators//weight",
            "/goals/",
            "/funds/breakdown/0/annual_budget",
            "/notes/a~1b/c~0d",
            "/x",
        ] {
            assert_eq!(
                paper_location(&document, pointer),
                location_steps(&document, pointer).join(SEPARATOR),
                "{pointer}"
            );
        }
        assert_eq!(
            paper_location(&document, "/indicators//weight"),
            "绩效指标 ›  › 分值"
        );
        assert_eq!(
            paper_location(&document, "/notes/a~1b"),
            "其他需要说明事项 › a/b"
        );
    }

    #[test]
    fn top_level_fields_and_goals_use_the_form_labels() {
        let document = json!({});
        assert_eq!(paper_location(&document, ""), "整张表");
        assert_eq!(paper_location(&document, "/declared_total"), "总分");
        assert_eq!(paper_location(&document, "/unit/name"), "填报单位");
        assert_eq!(
            paper_location(&document, "/goals/1/actual"),
            "年度总体目标 › 目标 2 › 实际完成情况"
        );
    }
}
