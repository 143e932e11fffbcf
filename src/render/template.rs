//! The blank form of each kind, for units to fill in a spreadsheet and import: the standard
//! funds rows and indicator groups, with one blank level-3 row under each group.

use serde_json::json;

use crate::domain::document::{EvaluationDocument, FormKind};
use crate::domain::form::{CellRole, FormGrid, build_form};
use crate::domain::ruleset::Ruleset;

/// The blank form of a kind, laid out as the filled one is.
///
/// # Errors
/// Never in practice: the skeleton is a constant document, checked by a test.
pub fn template_grid(kind: FormKind, ruleset: &Ruleset) -> Result<FormGrid, serde_json::Error> {
    let mut grid = build_form(&skeleton(kind)?, ruleset);
    // Everything the unit writes is left blank, the structure's names kept.
    for cell in grid.rows.iter_mut().flat_map(|r| r.cells.iter_mut()) {
        let structural = cell.source.as_deref().is_some_and(|s| {
            s.starts_with("/funds/breakdown/") && s.ends_with("/name")
                || s.starts_with("/indicators/") && s.matches("/children/").count() < 2
        });
        if cell.role == CellRole::Value && !structural {
            cell.text.clear();
        }
    }
    for line in grid.header.iter_mut().chain(grid.signatures.iter_mut()) {
        line.value.clear();
    }
    grid.subtitle = "（    年度）".to_owned();
    Ok(grid)
}

fn skeleton(kind: FormKind) -> Result<EvaluationDocument, serde_json::Error> {
    let leaf = json!([{ "name": "", "target": "", "actual": "", "weight": "0" }]);
    let group = |name: &str| json!({ "name": name, "children": leaf });
    let breakdown = match kind {
        FormKind::Department => json!([
            { "group": "income", "name": "一般公共预算" },
            { "group": "income", "name": "政府性基金拨款" },
            { "group": "income", "name": "纳入管理的非税收入拨款" },
            { "group": "income", "name": "其他资金" },
            { "group": "expenditure", "name": "基本支出" },
            { "group": "expenditure", "name": "人员经费", "parent": "基本支出" },
            { "group": "expenditure", "name": "公用经费", "parent": "基本支出" },
            { "group": "expenditure", "name": "项目支出" },
        ]),
        FormKind::Project => json!([
            { "group": "source", "name": "当年财政拨款" },
            { "group": "source", "name": "上年结转资金" },
            { "group": "source", "name": "其他资金" },
        ]),
    };
    let document = json!({
        "kind": kind.as_str(),
        "fiscal_year": 2000,
        "unit": { "name": "" },
        "project": if kind == FormKind::Project { json!({ "name": "" }) } else { json!(null) },
        "funds": { "weight": "10", "breakdown": breakdown },
        "goals": [{ "expected": "", "actual": "" }],
        "indicators": [
            { "name": "产出指标", "children": [
                group("数量指标"), group("质量指标"), group("时效指标"), group("成本指标")
            ] },
            { "name": "效益指标", "children": [
                group("经济效益指标"), group("社会效益指标"), group("生态效益指标"),
                group("可持续影响指标")
            ] },
            { "name": "满意度指标", "children": [group("服务对象满意度指标")] },
        ],
    });
    serde_json::from_value(document)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::rulesets::Rulesets;

    #[test]
    fn each_kind_has_a_blank_form_with_its_structure() {
        let rulesets = Rulesets::built_in("national-2020").unwrap();
        let ruleset = rulesets.for_form(None).unwrap();
        for kind in [FormKind::Department, FormKind::Project] {
            let grid = template_grid(kind, ruleset).unwrap();
            let texts: Vec<&str> = grid
                .rows
                .iter()
                .flat_map(|r| &r.cells)
                .map(|c| c.text.as_str())
                .collect();
            assert!(texts.contains(&"数量指标") && texts.contains(&"产出指标"));
            assert!(!texts.contains(&"0"), "no placeholder weight is printed");
        }
    }
}
