//! Layout tests: every row tiles the grid, every submitted value is printed, pointers resolve.

use super::*;
use crate::domain::rulesets::Rulesets;

const SEED: &str = include_str!("../../../data/examples/hengyang-2020-department.json");

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
    let mut numbers = vec![funds.weight, funds.declared_score, funds.declared_rate];
    for row in &funds.breakdown {
        numbers.extend([row.initial_budget, row.annual_budget, row.executed]);
    }
    let leaves = document
        .indicators
        .iter()
        .flat_map(|l1| &l1.children)
        .flat_map(|l2| &l2.children);
    for leaf in leaves {
        numbers.extend([leaf.weight, leaf.declared_score]);
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

#[test]
fn the_basic_data_is_a_four_column_table_beside_the_unchanged_form() {
    let full = parse(include_str!(
        "../../../data/examples/hengyang-2020-department-full.json"
    ));
    let with = build_form(&full, &hunan());
    let without = build_form(&seed(), &hunan());
    assert_eq!(with.rows, without.rows, "the form's own grid is the same");
    assert!(without.basic_data.is_none() && without.report.is_none());

    let basic = with.basic_data.expect("the basic data is laid out");
    assert_eq!(basic.columns, 4);
    // 2 staffing rows, the spending heading, 12 spending rows, procurement, frugality.
    assert_eq!(basic.rows.len(), 2 + 1 + 12 + 2);
    for (i, row) in basic.rows.iter().enumerate() {
        assert_eq!(row.section, FormSection::BasicData);
        let covered: u32 = row.cells.iter().map(|c| c.col_span).sum();
        let expected = if i == 1 { 3 } else { 4 };
        assert_eq!(covered, expected, "row {i} covers the table's width");
        assert!(row.cells.iter().all(|c| c.row == u32::try_from(i).unwrap()));
    }
    assert_eq!(basic.rows[0].cells[0].text, "财政供养人员情况");
    assert_eq!(basic.rows[0].cells[0].row_span, 2);
    let heading: Vec<&str> = basic.rows[2]
        .cells
        .iter()
        .map(|c| c.text.as_str())
        .collect();
    assert_eq!(
        heading,
        [
            "经费控制情况",
            "2020年决算数",
            "2020年预算数",
            "2019年决算数"
        ]
    );
    let three = &basic.rows[5].cells;
    assert_eq!(three[0].text, "2、三公经费");
    assert_eq!(three[3].text, "16.99");
    assert_eq!(
        three[3].source.as_deref(),
        Some("/basic_data/spending/2/last_year_actual")
    );
    assert_eq!(basic.header[2].value, "万元");

    let report = with.report.expect("the report is laid out");
    assert_eq!(report.title, "部门整体支出绩效自评报告");
    assert_eq!(report.header[4].value, "2021年7月11日");
    assert_eq!(report.sections.len(), 7);
    assert_eq!(report.sections[0].paragraphs[0], "(一)、部门职责");
}

#[test]
fn a_form_printed_without_weights_shows_the_inferred_ones_in_brackets() {
    let mut document: EvaluationDocument = serde_json::from_str(SEED).unwrap();
    document.funds.weight = None;
    for level1 in &mut document.indicators {
        level1.weight = None;
        for leaf in level1.children.iter_mut().flat_map(|l2| &mut l2.children) {
            leaf.weight = None;
        }
    }
    let rulesets = Rulesets::built_in("national-2020").unwrap();
    let ruleset = rulesets.get("hunan-2020").unwrap();
    let grid = build_form(&document, ruleset);
    let text_at = |source: &str| {
        grid.rows
            .iter()
            .flat_map(|r| &r.cells)
            .find(|c| c.source.as_deref() == Some(source))
            .map(|c| c.text.clone())
            .unwrap()
    };
    assert_eq!(text_at("/funds/weight"), "(10)");
    assert_eq!(
        text_at("/indicators/0/children/0/children/0/weight"),
        "(10)"
    );
    assert_eq!(
        text_at("/indicators/1/children/1/children/0/weight"),
        "(15)"
    );
    assert_eq!(text_at("/indicators/2/children/0/children/1/weight"), "(5)");
    let total = grid
        .rows
        .iter()
        .filter(|r| r.section == FormSection::Total)
        .flat_map(|r| &r.cells)
        .find(|c| c.role == CellRole::Value && c.source.is_none())
        .unwrap();
    assert_eq!(total.text, "(100)");
    assert_eq!(
        grid.footnotes.last().unwrap(),
        "3. 本表未填分值，带括号的分值按评分规则推定（湖南省 2020 部门整体支出绩效自评），见规则评分。"
    );

    // Printed weights are printed as they are, with no note.
    let seed: EvaluationDocument = serde_json::from_str(SEED).unwrap();
    let grid = build_form(&seed, ruleset);
    assert_eq!(grid.footnotes.len(), 2);
    assert!(
        grid.rows
            .iter()
            .flat_map(|r| &r.cells)
            .all(|c| !c.text.starts_with('('))
    );
}
