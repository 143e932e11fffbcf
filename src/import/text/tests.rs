//! The reader against the published seed report and variants of its text.

use serde_json::Value;

use super::{TextLimits, read_text};
use crate::domain::document::EvaluationDocument;
use crate::domain::rulesets::Rulesets;
use crate::import::{ImportError, Imported};

const SEED: &str = include_str!("../../../data/reports/hengyang-2020.txt");
const EXAMPLE: &str = include_str!("../../../data/examples/hengyang-2020-department.json");

fn rulesets() -> Rulesets {
    Rulesets::built_in("national-2020").expect("built-in rulesets")
}

fn read(text: &str) -> Imported {
    match read_text(text, &TextLimits::default(), &rulesets()) {
        Ok(imported) => imported,
        Err(error) => panic!("the text does not read: {error}"),
    }
}

fn refusal(text: &str) -> ImportError {
    match read_text(text, &TextLimits::default(), &rulesets()) {
        Ok(imported) => panic!("the text was read: {}", imported.json),
        Err(error) => error,
    }
}

/// The document as JSON, without the parts the example does not hold.
fn form_only(document: &EvaluationDocument) -> Value {
    let mut value = serde_json::to_value(document).expect("serializes");
    let object = value.as_object_mut().expect("an object");
    object.remove("basic_data");
    object.remove("report");
    value
}

fn example() -> Value {
    let document: EvaluationDocument = serde_json::from_str(EXAMPLE).expect("the example parses");
    serde_json::to_value(document).expect("serializes")
}

#[test]
fn the_seed_report_reads_as_the_example_form() {
    let imported = read(SEED);
    assert_eq!(form_only(&imported.document), example());
}

#[test]
fn the_seed_report_carries_its_basic_data_and_report() {
    let imported = read(SEED);
    let value = serde_json::to_value(&imported.document).expect("serializes");
    let basic = &value["basic_data"];
    assert_eq!(basic["currency_unit"], "万元");
    assert_eq!(
        basic["staffing"],
        serde_json::json!({"authorized": "21", "actual": "21", "declared_control_rate": "100"})
    );
    let spending: Vec<(String, Option<u64>)> = basic["spending"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|r| {
            (
                r["name"].as_str().unwrap_or("").to_owned(),
                r["parent"].as_u64(),
            )
        })
        .collect();
    let expected: Vec<(String, Option<u64>)> = [
        ("一、部门基本支出", None),
        ("压缩一般性支出", Some(0)),
        ("三公经费", Some(0)),
        ("公务用车购置和维护经费", Some(2)),
        ("公车购置", Some(3)),
        ("公车运行维护", Some(3)),
        ("公务接待", Some(2)),
        ("出国经费", Some(2)),
        ("二、部门项目支出", None),
        ("业务工作专项", Some(8)),
        ("运行维护专项", Some(8)),
        ("县级专项资金", Some(8)),
    ]
    .iter()
    .map(|(n, p)| ((*n).to_owned(), *p))
    .collect();
    assert_eq!(spending, expected);
    assert_eq!(
        basic["spending"][0],
        serde_json::json!({"name": "一、部门基本支出", "actual": "239.31", "budget": "144.22", "last_year_actual": "177.56"})
    );
    assert_eq!(basic["spending"][4]["last_year_actual"], "13.80");
    assert_eq!(basic["spending"][1].get("actual"), None);
    assert_eq!(basic["government_procurement"], Value::Null);
    assert_eq!(
        basic["frugality_measures"],
        "严格三公经费审批手续，提高工作人员节约意识，打印资料尽量打印双面"
    );
    let report = &value["report"];
    assert_eq!(report["method"], "部门(单位)自评");
    assert_eq!(report["evaluator"], "部门(单位)评价组");
    assert_eq!(report["report_date"], "2021-07-11");
    let headings: Vec<&str> = report["sections"]
        .as_array()
        .expect("sections")
        .iter()
        .map(|s| s["heading"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(
        headings,
        [
            "一、部门、单位基本情况",
            "二、一般公共预算支出情况",
            "三、部门整体支出绩效情况",
            "四、存在的主要问题及其原因",
            "五、下一步改进措施",
            "六、绩效评价结果"
        ]
    );
    assert_eq!(
        report["sections"][5]["text"],
        "2020 年部门整体支出绩效评价自查自评结果为优秀。"
    );
    assert!(
        report["sections"][2]["text"]
            .as_str()
            .is_some_and(|t| t.contains("预算执行率 94%，“三公”经费得到有效控制"))
    );
}

#[test]
fn every_guess_is_a_note_naming_its_line() {
    let imported = read(SEED);
    let messages: Vec<&str> = imported.notes.iter().map(|n| n.message.as_str()).collect();
    for expected in [
        "第 556 行：按行首空白判断“质量指标”属于“产出指标”",
        "第 559 行：一级指标栏空白，按二级指标“社会效益指标”归入一级指标“效益指标”",
        "第 560 行：这一行少了前 2 列，按右对齐读，“可持续影响指标”落在第 3 列",
        "第 547 行：“基本支出”的 239.31 印在分值列下，按支出性质分的金额读作全年执行数",
        "第 505 行：自评表未填填报单位，取“衡阳县工伤保险服务中心”",
        "第 518 行：按名称判断“公务接待”是“三公经费”的一项",
    ] {
        assert!(
            messages.contains(&expected),
            "no note {expected} in {messages:#?}"
        );
    }
    assert!(imported.notes.iter().all(|n| n.line.is_some()));
    assert_eq!(
        imported.cell_of("/indicators/1/children/1/children/0"),
        Some("第 560 行")
    );
}

/// The seed with lines `from..=to` (numbered from 1) replaced by `with`.
fn edit(from: usize, to: usize, with: &str) -> String {
    edit_text(SEED, from, to, with)
}

fn edit_text(text: &str, from: usize, to: usize, with: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let mut out: Vec<&str> = lines[..from - 1].to_vec();
    out.extend(with.lines());
    out.extend(&lines[to..]);
    out.join("\n")
}

#[test]
fn spaces_for_tabs_read_alike() {
    let text = SEED.replace('\t', "  ");
    let imported = read(&text);
    assert_eq!(form_only(&imported.document), example());
    assert_eq!(imported.document.basic_data, read(SEED).document.basic_data);
}

#[test]
fn centred_titles_and_captions_on_one_line_read_alike() {
    let text = SEED.replace('\t', "  ");
    let text = edit_text(
        &text,
        564,
        570,
        "综合评定等级      优秀  总 分    100  92\n说明  偏差及原因分析      改进措施\n\n填表人：刘永好        联系电话：17769395763",
    );
    let text = edit_text(
        &text,
        536,
        542,
        "          部门整体支出绩效自评表\n\n            (2020 年度)\n\n填报单位（盖章）：        填报时间：2021年7月13日",
    );
    let imported = read(&text);
    let mut expected = example();
    expected["deviation_analysis"] = Value::Null;
    expected["improvement_measures"] = Value::Null;
    let mut got = form_only(&imported.document);
    got["deviation_analysis"] = Value::Null;
    got["improvement_measures"] = Value::Null;
    assert_eq!(got, expected);
}

#[test]
fn cells_wrapped_elsewhere_and_labels_spread_over_rows_read_alike() {
    let lines: Vec<&str> = SEED.lines().collect();
    let goals = lines[551].replacen(" 目标 2：", "\n目标 2：", 1);
    let leaf =
        lines[553]
            .replacen("企业 数", "企业\n数", 1)
            .replacen("产出 指标 (50分)", "产出", 1);
    let level1 = lines[554].replacen("\t\t\t", "\t指标 (50分)\t\t", 1);
    let notes = lines[565].replacen("。 预算执行率", "。\n预算执行率", 1);
    let spread = "\t满意度 指标 (10分)\t社会公众 或服务对\t企业、民众对 工伤保险的认可度\t95%\t100%\t5\t5\n\t\t象满意度 指标\t企业、民众对 工伤保险服务满意 度\t100%\t95%\t5\t4";
    let mut text: Vec<String> = lines.iter().map(|l| (*l).to_owned()).collect();
    text[551] = goals;
    text[553] = leaf;
    text[554] = level1;
    text[565] = notes;
    text[561] = spread.to_owned();
    text[562] = String::new();
    let imported = read(&text.join("\n"));
    assert_eq!(form_only(&imported.document), example());
    assert!(imported.notes.iter().any(|n| {
        n.message
            .contains("二级指标的名称接续上一行，合为“社会公众或服务对象满意度指标”")
    }));
}

#[test]
fn without_the_report_the_form_and_basic_data_read_alike() {
    let text = edit(375, 497, "");
    let imported = read(&text);
    assert_eq!(form_only(&imported.document), example());
    assert!(imported.document.report.is_none());
    assert!(imported.document.basic_data.is_some());
}

#[test]
fn without_the_basic_data_the_unit_comes_from_the_form_or_is_missed() {
    let text = edit(503, 534, "");
    let error = refusal(&text);
    assert!(error.to_string().contains("找不到填报单位"), "{error}");
    assert!(error.line.is_some());
    let text = text.replace(
        "填报单位（盖章）：",
        "填报单位（盖章）：衡阳县工伤保险服务中心",
    );
    let imported = read(&text);
    assert_eq!(form_only(&imported.document), example());
    assert!(imported.document.basic_data.is_none());
}

/// The form as a report prints it: title, year, the captions, the table with tabs between the
/// cells (a merged cell's text in its first cell), the signatures.
fn printed(document: &EvaluationDocument) -> String {
    let rulesets = rulesets();
    let ruleset = rulesets
        .for_form(document.ruleset.as_deref())
        .expect("a ruleset");
    let grid = crate::domain::form::build_form(document, ruleset);
    let mut out = vec![grid.title.clone(), grid.subtitle.clone()];
    out.extend(
        grid.header
            .iter()
            .map(|h| format!("{}：{}", h.label, h.value)),
    );
    for row in &grid.rows {
        let mut cells = vec![String::new(); grid.columns as usize];
        for cell in &row.cells {
            if let Some(slot) = cells.get_mut(cell.col as usize) {
                slot.clone_from(&cell.text);
            }
        }
        out.push(cells.join("\t"));
    }
    out.extend(
        grid.signatures
            .iter()
            .map(|s| format!("{}：{}", s.label, s.value)),
    );
    out.extend(grid.footnotes.iter().cloned());
    out.join("\n")
}

#[test]
fn a_printed_project_form_reads_back() {
    let json = include_str!("../../../data/examples/sichuan-2022-project-example.json");
    let mut document: EvaluationDocument = serde_json::from_str(json).expect("the example parses");
    let imported = read(&printed(&document));
    // The printed form shows neither the budget code nor the ruleset.
    document.unit.code = None;
    document.ruleset = None;
    assert_eq!(
        serde_json::to_value(&imported.document).expect("serializes"),
        serde_json::to_value(&document).expect("serializes")
    );
}

#[test]
fn a_printed_department_form_reads_back() {
    let document: EvaluationDocument = serde_json::from_str(EXAMPLE).expect("the example parses");
    let imported = read(&printed(&document));
    assert_eq!(form_only(&imported.document), example());
}

#[test]
fn unreadable_text_is_refused_at_the_line_where_reading_stopped() {
    // A blank 分值 is not a refusal: the form is then incomplete (or weighted by its ruleset).
    let blank = read(&edit(555, 555, "\t\t\t减少三公开支\t5000\t3200\t\t7"));
    assert_eq!(
        blank.document.indicators[0].children[0].children[1].weight,
        None
    );
    let error = refusal(&edit(555, 555, "\t\t\t减少三公开支\t5000\t3200\t十\t7"));
    assert_eq!(error.line, Some(555));
    let error = refusal("衡阳县部门整体支出绩效自评报告\n一、基本情况\n正文");
    assert_eq!(error.line, Some(3));
    assert!(error.to_string().contains("没有找到绩效自评表"), "{error}");
}

#[test]
fn hostile_text_is_refused_within_its_limits() {
    let limits = TextLimits::default();
    let huge = "表".repeat(limits.max_bytes);
    assert_eq!(refusal(&huge).line, Some(1));
    let wide = format!("部门整体支出绩效自评表\n{}", "1\t".repeat(1000));
    assert_eq!(refusal(&wide).line, Some(2));
    let long = format!(
        "部门整体支出绩效自评表\n\n{}",
        "长".repeat(limits.max_line_chars + 1)
    );
    assert_eq!(refusal(&long).line, Some(3));
    // Many lines that each continue the one before stay linear: a row takes at most the
    // table's width of them.
    let mut text = String::from(
        "部门整体支出绩效自评表\n(2020 年度)\n填报单位：甲\n部门资金（万元）\t\t年初预算数\t全年预算数\t全年执行数\t执行率\t分值\t得分\n",
    );
    for _ in 0..40_000 {
        text.push_str("续\n");
    }
    let error = refusal(&text);
    assert!(error.to_string().contains("年度资金总额"), "{error}");
}
