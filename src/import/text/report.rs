//! The 绩效自评报告: its captions (评价方式, 评价机构, 报告日期) and its numbered parts.

use super::captions::{captions, date_in, year_in};
use super::lines::{Line, compact};
use super::{Note, REPORT};
use crate::domain::report::{Report, ReportSection};

/// What the report holds, with the unit and year it names.
pub(super) struct ReportRead {
    pub report: Report,
    pub unit: Option<String>,
    pub unit_line: u32,
    pub year: Option<i32>,
}

/// `一、`, `二、` … at the start of a line: a part's heading.
fn is_heading(text: &str) -> bool {
    let numeral = text
        .chars()
        .take_while(|c| "一二三四五六七八九十".contains(*c))
        .count();
    numeral > 0 && text.chars().nth(numeral) == Some('、')
}

/// Reads the report in `lines`, the first of which is its title; it ends at 附件 or at the
/// next title.
pub(super) fn read(lines: &[Line], notes: &mut Vec<Note>) -> ReportRead {
    let mut out = ReportRead {
        report: Report {
            method: None,
            evaluator: None,
            report_date: None,
            sections: Vec::new(),
        },
        unit: None,
        unit_line: lines.first().map_or(1, |l| l.no),
        year: None,
    };
    for line in lines.iter().skip(1).filter(|l| !l.is_blank()) {
        let text = line.text();
        if compact(&text) == "附件" {
            break;
        }
        if is_heading(&text) {
            out.report.sections.push(ReportSection {
                heading: text,
                text: String::new(),
            });
            continue;
        }
        if let Some(section) = out.report.sections.last_mut() {
            if !section.text.is_empty() {
                section.text.push('\n');
            }
            section.text.push_str(&text);
            continue;
        }
        if out.year.is_none() && text.contains("年度") {
            out.year = year_in(&text);
        }
        for (key, value) in captions(&text) {
            if value.is_empty() {
                continue;
            }
            match key {
                "评价方式" => out.report.method = Some(value),
                "评价机构" => out.report.evaluator = Some(value),
                "报告日期" => {
                    out.report.report_date = date_in(&value);
                    if out.report.report_date.is_none() {
                        notes.push(Note {
                            line: line.no,
                            part: REPORT,
                            message: format!("报告日期“{value}”读不出日期，未记"),
                        });
                    }
                }
                "部门(单位)名称" | "填报单位" => {
                    out.unit = Some(value);
                    out.unit_line = line.no;
                }
                _ => {}
            }
        }
    }
    out
}
