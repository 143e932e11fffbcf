//! The form as a self-contained, printable HTML page laid out like the paper 自评表: A4, one
//! table with the paper form's merged cells, Chinese fonts the reader's machine already has.

use std::collections::HashMap;
use std::fmt::Write as _;

use super::annotations::{Note, name_of, notes};
use super::columns::{self, ColumnLayout};
use crate::domain::form::{BasicDataGrid, CellRole, FormGrid, GridCell, LabeledValue, ReportPages};
use crate::domain::messages::{Lang, Msg};
use crate::domain::report::ReportCheckOutcome;
use crate::domain::ruleset::Ruleset;
use crate::domain::scoring::result::ScoreResult;

/// Fonts tried in order: those shipped with Windows, macOS and the common Linux CJK packages,
/// then the browser's generic families, so the page renders Chinese wherever it can without
/// fetching anything.
const FONTS: &str = "\"SimSun\", \"宋体\", \"Songti SC\", \"STSong\", \"Noto Serif CJK SC\", \
    \"Source Han Serif SC\", \"Noto Sans CJK SC\", \"Microsoft YaHei\", \"PingFang SC\", \
    \"WenQuanYi Micro Hei\", serif";

/// Renders the form. With `annotate`, each declared score, the total and the grade carry the
/// rule's figure (and the reviewer's, where recorded) beside them, and the findings follow the
/// table: the reviewer's copy. Without it, the clean copy a unit signs and stamps.
#[must_use]
pub fn form_page(grid: &FormGrid, annotate: Option<(&ScoreResult, &Ruleset)>) -> String {
    let notes = annotate
        .map(|(result, _)| notes(result))
        .unwrap_or_default();
    let mut page = String::with_capacity(16 * 1024);
    let unit = grid
        .header
        .first()
        .map(|h| h.value.as_str())
        .unwrap_or_default();
    let _ = write!(
        page,
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{} {} {}</title>\n<style>{}</style>\n</head>\n<body>\n",
        escape(&grid.title),
        escape(&grid.subtitle),
        escape(unit),
        style()
    );
    let _ = writeln!(
        page,
        "<h1>{}</h1>\n<p class=\"subtitle\">{}</p>",
        escape(&grid.title),
        escape(&grid.subtitle)
    );
    lines(&mut page, "header", &grid.header);
    table(&mut page, grid, &notes);
    lines(&mut page, "signatures", &grid.signatures);
    page.push_str("<div class=\"footnotes\">");
    for note in &grid.footnotes {
        let _ = write!(page, "<p>{}</p>", escape(note));
    }
    page.push_str("</div>\n");
    if let Some(basic_data) = &grid.basic_data {
        basic_data_page(&mut page, basic_data, &notes);
    }
    if let Some(report) = &grid.report {
        report_pages(&mut page, report);
    }
    if let Some((result, ruleset)) = annotate {
        findings(&mut page, result, ruleset);
        report_checks(&mut page, result);
    }
    page.push_str("</body>\n</html>\n");
    page
}

/// The `caption：value` lines above or below the table, spread across the page.
fn lines(page: &mut String, class: &str, lines: &[LabeledValue]) {
    let _ = write!(page, "<div class=\"{class}\">");
    for line in lines {
        let _ = write!(
            page,
            "<span>{}：{}</span>",
            escape(&line.label),
            escape(&line.value)
        );
    }
    page.push_str("</div>\n");
}

/// The 基础数据表 on a page of its own, in the official four-column layout.
fn basic_data_page(page: &mut String, grid: &BasicDataGrid, notes: &HashMap<String, Note>) {
    let _ = writeln!(
        page,
        "<section class=\"basic-data\">\n<h1>{}</h1>",
        escape(&grid.title)
    );
    lines(page, "header", &grid.header);
    page.push_str(
        "<table class=\"form basic\">\n<colgroup><col class=\"basic-name\">\
         <col><col><col></colgroup>\n<tbody>\n",
    );
    // The name column and three figure columns across the A4 page's 186 mm; the table's
    // figures (万元 or 元 of one unit) fit them at the text's size.
    let layout = ColumnLayout {
        widths_mm: vec![66.0, 40.0, 40.0, 40.0],
    };
    for row in &grid.rows {
        let _ = write!(page, "<tr data-section=\"{}\">", name_of(&row.section));
        for cell in &row.cells {
            cell_html(page, cell, &layout, notes);
        }
        page.push_str("</tr>\n");
    }
    page.push_str("</tbody>\n</table>\n");
    lines(page, "signatures", &grid.signatures);
    page.push_str("</section>\n");
}

/// The report on pages of its own: title, the evaluation's particulars, then each section's
/// paragraphs as written, left-aligned.
fn report_pages(page: &mut String, report: &ReportPages) {
    let _ = writeln!(
        page,
        "<section class=\"report\">\n<h1>{}</h1>\n<p class=\"subtitle\">{}</p>",
        escape(&report.title),
        escape(&report.subtitle)
    );
    page.push_str("<div class=\"particulars\">");
    for line in &report.header {
        let _ = write!(
            page,
            "<p>{}：{}</p>",
            escape(&line.label),
            escape(&line.value)
        );
    }
    page.push_str("</div>\n");
    for section in &report.sections {
        let _ = writeln!(page, "<h2>{}</h2>", escape(&section.heading));
        for paragraph in &section.paragraphs {
            let _ = writeln!(page, "<p>{}</p>", escape(paragraph));
        }
    }
    page.push_str("</section>\n");
}

/// The figures of the report compared with the form: the reviewer's copy only.
fn report_checks(page: &mut String, result: &ScoreResult) {
    if result.report_checks.is_empty() {
        return;
    }
    page.push_str(
        "<section class=\"findings\">\n<h2>自评报告数据核对</h2>\n<table class=\"list\">\n\
         <thead><tr><th>结果</th><th>项目</th><th>报告所述</th><th>表中数据</th><th>原文</th>\
         </tr></thead>\n<tbody>\n",
    );
    for check in &result.report_checks {
        let outcome = match check.outcome {
            ReportCheckOutcome::Matches => "一致",
            ReportCheckOutcome::Differs => "不一致",
        };
        let _ = writeln!(
            page,
            "<tr><td>{outcome}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(&check.keyword),
            escape(&check.quoted),
            escape(&check.form),
            escape(&check.sentence)
        );
    }
    page.push_str("</tbody>\n</table>\n</section>\n");
}

fn table(page: &mut String, grid: &FormGrid, notes: &HashMap<String, Note>) {
    let layout = columns::layout(grid);
    page.push_str("<table class=\"form\">\n<colgroup>");
    for width in &layout.widths_mm {
        let _ = write!(page, "<col style=\"width: {width:.2}mm\">");
    }
    page.push_str("</colgroup>\n<tbody>\n");
    for row in &grid.rows {
        let _ = write!(page, "<tr data-section=\"{}\">", name_of(&row.section));
        for cell in &row.cells {
            cell_html(page, cell, &layout, notes);
        }
        page.push_str("</tr>\n");
    }
    page.push_str("</tbody>\n</table>\n");
}

fn cell_html(
    page: &mut String,
    cell: &GridCell,
    layout: &ColumnLayout,
    notes: &HashMap<String, Note>,
) {
    let class = match cell.role {
        CellRole::Label => "label",
        CellRole::Value if columns::is_figure(cell) => "value figure",
        CellRole::Value if columns::is_prose(cell) => "value prose",
        CellRole::Value => "value",
    };
    page.push_str("<td");
    if cell.row_span > 1 {
        let _ = write!(page, " rowspan=\"{}\"", cell.row_span);
    }
    if cell.col_span > 1 {
        let _ = write!(page, " colspan=\"{}\"", cell.col_span);
    }
    let _ = write!(page, " class=\"{class}\"");
    if let Some(source) = &cell.source {
        let _ = write!(page, " data-source=\"{}\"", escape(source));
    }
    if columns::is_figure(cell) {
        let size = layout.figure_size(cell);
        if size < columns::TEXT_PT {
            let _ = write!(page, " style=\"font-size: {size}pt\"");
        }
    }
    let _ = write!(page, ">{}", escape(&columns::printed(cell)));
    if let Some(note) = cell.source.as_ref().and_then(|s| notes.get(s)) {
        let differs = if note.differs { " differs" } else { "" };
        let _ = write!(
            page,
            "<span class=\"rule{differs}\">规则 {}</span>",
            escape(&note.rule)
        );
        if let Some(review) = &note.review {
            let _ = write!(
                page,
                "<span class=\"review\">复核 {}</span>",
                escape(review)
            );
        }
    }
    page.push_str("</td>");
}

/// The findings after the table. `ruleset` names the rules in words; it is the ruleset the
/// result was scored by when that is still loaded.
fn findings(page: &mut String, result: &ScoreResult, ruleset: &Ruleset) {
    let name = if ruleset.id == result.ruleset.id {
        ruleset.name.clone()
    } else {
        result.ruleset.id.clone()
    };
    let rules = Msg::RulesetVersion {
        name,
        version: result.ruleset.version,
    };
    let _ = write!(
        page,
        "<section class=\"findings\">\n<h2>规则评分与检查结果</h2>\n<p>规则总分 {} · {}（{}）</p>\n",
        escape(&result.total.to_string()),
        escape(&result.grade.label),
        escape(&rules.render(Lang::Zh)),
    );
    if result.findings.is_empty() {
        page.push_str("<p>未发现问题。</p>\n</section>\n");
        return;
    }
    page.push_str(
        "<table class=\"list\">\n<thead><tr><th>级别</th><th>问题</th><th>位置</th>\
         <th>说明</th></tr></thead>\n<tbody>\n",
    );
    for finding in &result.findings {
        let _ = writeln!(
            page,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(finding.severity.label(Lang::Zh)),
            escape(&name_of(&finding.code)),
            escape(finding.place()),
            escape(&finding.message.render(Lang::Zh))
        );
    }
    page.push_str("</tbody>\n</table>\n</section>\n");
}

fn style() -> String {
    format!(
        "@page {{ size: A4 portrait; margin: 14mm 12mm; }}\n\
         body {{ font-family: {FONTS}; font-size: 10.5pt; color: #000; margin: 0 auto; max-width: 186mm; }}\n\
         h1 {{ font-size: 17pt; text-align: center; margin: 0 0 2mm; letter-spacing: 0.1em; }}\n\
         .subtitle {{ text-align: center; margin: 0 0 3mm; }}\n\
         .header, .signatures {{ display: flex; justify-content: space-between; margin: 2mm 0; }}\n\
         table.form {{ width: 100%; border-collapse: collapse; table-layout: fixed; }}\n\
         table.form td {{ border: 0.75pt solid #000; padding: 1.2mm 1mm; text-align: center; \
         vertical-align: middle; overflow-wrap: break-word; line-height: 1.35; }}\n\
         table.form td.figure {{ white-space: nowrap; padding-left: 0.5mm; padding-right: 0.5mm; }}\n\
         table.form td.prose {{ white-space: pre-line; text-align: left; }}\n\
         table.form td:not([rowspan]) {{ break-inside: avoid; }}\n\
         .rule, .review {{ display: block; font-size: 8pt; color: #555; }}\n\
         .rule.differs {{ color: #b00000; font-weight: bold; }}\n\
         .review {{ color: #004c99; }}\n\
         .footnotes p {{ margin: 1mm 0; font-size: 9pt; }}\n\
         .findings {{ margin-top: 6mm; page-break-before: auto; }}\n\
         .findings h2 {{ font-size: 12pt; }}\n\
         table.list {{ width: 100%; border-collapse: collapse; font-size: 9pt; }}\n\
         table.list th, table.list td {{ border: 0.5pt solid #000; padding: 1mm; text-align: left; }}\n\
         section.basic-data, section.report {{ page-break-before: always; break-before: page; }}\n\
         col.basic-name {{ width: 34%; }}\n\
         table.basic td[data-source$=\"/name\"] {{ text-align: left; }}\n\
         section.report p {{ text-align: left; text-indent: 2em; margin: 1.5mm 0; line-height: 1.6; }}\n\
         section.report .particulars p {{ text-indent: 0; }}\n\
         section.report h2 {{ font-size: 12pt; text-align: left; margin: 4mm 0 2mm; }}\n\
         @media print {{ body {{ max-width: none; }} }}\n"
    )
}

/// Escapes text for HTML content and attribute values.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::document::EvaluationDocument;
    use crate::domain::form::build_form;
    use crate::domain::rulesets::Rulesets;
    use crate::domain::validation::evaluate;

    const SEED: &str = include_str!("../../data/examples/hengyang-2020-department.json");

    fn seed() -> (FormGrid, ScoreResult, Ruleset) {
        let document: EvaluationDocument = serde_json::from_str(SEED).unwrap();
        let rulesets = Rulesets::built_in("national-2020").unwrap();
        let result = evaluate(&document, &rulesets).unwrap();
        let ruleset = rulesets.get(&result.ruleset.id).unwrap();
        (build_form(&document, ruleset), result, ruleset.clone())
    }

    #[test]
    fn the_clean_copy_has_every_cell_once_with_its_spans() {
        let (grid, _, _) = seed();
        let page = form_page(&grid, None);
        let cells: usize = grid.rows.iter().map(|r| r.cells.len()).sum();
        assert_eq!(page.matches("<td").count(), cells);
        assert!(
            page.contains("<td rowspan=\"2\" class=\"value\""),
            "level indicators span rows"
        );
        assert!(page.contains("衡阳县工伤保险服务中心"));
        assert!(
            !page.contains("规则 "),
            "the clean copy carries no rule scores"
        );
        assert!(!page.contains("http"), "nothing is fetched from elsewhere");
    }

    #[test]
    fn the_annotated_copy_marks_where_declared_and_rule_scores_differ() {
        let (grid, result, ruleset) = seed();
        let page = form_page(&grid, Some((&result, &ruleset)));
        assert!(
            page.contains("<span class=\"rule differs\">规则 9.40</span>"),
            "execution"
        );
        assert!(
            page.contains("<span class=\"rule differs\">规则 93.55</span>"),
            "total"
        );
        assert!(page.contains("declared_score_differs"));
        assert!(
            page.contains(&format!("（{}（第 1 版））", ruleset.name)),
            "the rules are named in words"
        );
        assert!(!page.contains(&format!("{} 1", ruleset.id)));
        let findings = &page[page.find("<section class=\"findings\">").unwrap()..];
        assert!(findings.contains("<td>警告</td>"));
        assert!(!findings.contains("<td>warning</td>"));
        for finding in &result.findings {
            assert!(
                findings.contains(&escape(&finding.location)),
                "{}",
                finding.location
            );
            assert!(findings.contains(&escape(&finding.message.to_string())));
            assert!(!findings.contains(&format!("<td>{}</td>", finding.path)));
        }
    }

    #[test]
    fn the_basic_data_and_the_report_follow_the_form_on_pages_of_their_own() {
        const FULL: &str = include_str!("../../data/examples/hengyang-2020-department-full.json");
        let document: EvaluationDocument = serde_json::from_str(FULL).unwrap();
        let rulesets = Rulesets::built_in("national-2020").unwrap();
        let result = evaluate(&document, &rulesets).unwrap();
        let grid = build_form(&document, rulesets.get(&result.ruleset.id).unwrap());
        let page = form_page(&grid, None);
        let form_at = page.find("<h1>部门整体支出绩效自评表</h1>").unwrap();
        let basic_at = page
            .find("<section class=\"basic-data\">\n<h1>部门整体支出绩效评价基础数据表</h1>")
            .unwrap();
        let report_at = page
            .find("<section class=\"report\">\n<h1>部门整体支出绩效自评报告</h1>")
            .unwrap();
        assert!(form_at < basic_at && basic_at < report_at);
        let basic = &page[basic_at..report_at];
        for text in [
            "财政供养人员情况",
            "2020年实际在职人数",
            "2019年决算数",
            ">2、三公经费<",
            ">16.99<",
            ">13.80<",
            "厉行节约保障措施",
            "打印资料尽量打印双面",
            "金额单位：万元",
        ] {
            assert!(basic.contains(text), "{text}");
        }
        let report = &page[report_at..];
        for text in [
            "<p>报告日期：2021年7月11日</p>",
            "<p>评价方式：部门(单位)自评</p>",
            "<h2>六、绩效评价结果</h2>",
            "<p>2020 年部门整体支出绩效评价自查自评结果为优秀。</p>",
            "同比上年减少了 3200 元。",
        ] {
            assert!(report.contains(text), "{text}");
        }
        assert!(page.contains("page-break-before: always"));
        let ruleset = rulesets.get(&result.ruleset.id).unwrap();
        let annotated = form_page(&grid, Some((&result, ruleset)));
        assert!(annotated.contains("<h2>自评报告数据核对</h2>"));
        assert!(
            annotated.contains("<td>不一致</td><td>三公经费</td><td>同比上年减少了3200元</td>")
        );
        assert!(annotated.contains("report_figure_differs"));
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(
            escape("<a href=\"x\">&'"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
    }
}
