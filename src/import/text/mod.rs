//! Reading a form out of the text of a published report (决算公开): the 部门整体支出 or 项目支出
//! 绩效自评表 copied out of a PDF or a web page, with the 基础数据表 and the 自评报告 where the
//! report has them.
//!
//! A small pipeline, pure (text in, document out): the text is split into lines of cells
//! (`lines`), cut into the parts each title opens (`find_parts`), and each part read by its
//! own reader (`form`, `basic`, `report`). Every guess is kept as a note naming its line.

mod basic;
mod captions;
mod form;
mod funds;
mod goals;
mod indicators;
mod lines;
mod report;
mod rows;
#[cfg(test)]
mod tests;

use std::collections::BTreeMap;

use lines::Line;

use super::{ImportError, ImportNote, Imported};
use crate::domain::document::EvaluationDocument;
use crate::domain::rulesets::Rulesets;

/// How much text one import may hold, so that reading hostile text takes bounded memory and
/// time: every step is linear in the text, and these bound the text.
#[derive(Clone, Copy, Debug)]
pub struct TextLimits {
    /// Bytes of text (2 MiB; a published report's whole text is a few hundred KiB).
    pub max_bytes: usize,
    /// Lines (50 000).
    pub max_lines: usize,
    /// Cells on one line (64).
    pub max_cells: usize,
    /// Characters in one line (20 000).
    pub max_line_chars: usize,
}

impl Default for TextLimits {
    fn default() -> Self {
        Self {
            max_bytes: 2 * 1024 * 1024,
            max_lines: 50_000,
            max_cells: 64,
            max_line_chars: 20_000,
        }
    }
}

/// A guess or a decision of the reader, at the line it concerns.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Note {
    pub line: u32,
    pub part: &'static str,
    pub message: String,
}

/// Why the text could not be read: the line where reading stopped, and why.
pub fn unreadable(line: u32, detail: impl Into<String>) -> ImportError {
    stop(line, detail)
}

pub(super) fn stop(line: u32, detail: impl Into<String>) -> ImportError {
    ImportError {
        sheet: None,
        cell: None,
        line: Some(line),
        detail: detail.into(),
        problems: Vec::new(),
    }
}

/// The names of the parts, as notes name them.
pub(super) const FORM: &str = "自评表";
pub(super) const BASIC: &str = "基础数据表";
pub(super) const REPORT: &str = "自评报告";

/// Which part a title line opens.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Title {
    Form,
    Basic,
    Report,
}

/// The part a line's text opens, if it is a title: short, not an item of a list (`2. 部门整体
/// 支出绩效自评表` in the list of attachments), and naming a form, the basic data table or the
/// report.
fn title_of(text: &str) -> Option<Title> {
    let text = lines::compact(text);
    if text.chars().count() > 40 || starts_with_list_marker(&text) {
        return None;
    }
    let head = text.split(['(', '（']).next().unwrap_or("");
    if head.ends_with("绩效自评表") {
        Some(Title::Form)
    } else if head.ends_with("基础数据表") {
        Some(Title::Basic)
    } else if head.ends_with("自评报告") || head.ends_with("评价报告") {
        Some(Title::Report)
    } else {
        None
    }
}

/// `1.`, `2、`, `（一）` …: the start of a list item.
pub(super) fn starts_with_list_marker(text: &str) -> bool {
    let digits = text.chars().take_while(char::is_ascii_digit).count();
    digits > 0 && text[digits..].starts_with(['.', '、', '．', ')', '）'])
}

/// Reads the form in `text` into a document, with the 基础数据表 and the 自评报告 where the
/// text has them. `rulesets` picks the ruleset whose grades the form declares, when only one
/// does.
///
/// # Errors
/// `ImportError` naming the line where reading stopped: the text breaks a limit, holds no
/// 自评表, or holds one that cannot be read (an indicator without 分值, a figure that is not a
/// number …).
pub fn read_text(
    text: &str,
    limits: &TextLimits,
    rulesets: &Rulesets,
) -> Result<Imported, ImportError> {
    if text.len() > limits.max_bytes {
        return Err(stop(1, format!("文本超过 {} 字节的上限", limits.max_bytes)));
    }
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if let Some((_, no)) = text.lines().zip(1u32..).find(|(l, _)| {
        l.len() > limits.max_line_chars * 4 || l.chars().count() > limits.max_line_chars
    }) {
        return Err(stop(
            no,
            format!("这一行超过 {} 个字符的上限", limits.max_line_chars),
        ));
    }
    // Counted before the lines are split, so that the split never holds more than the limit.
    if text.lines().count() > limits.max_lines {
        return Err(stop(
            u32::try_from(limits.max_lines + 1).unwrap_or(u32::MAX),
            format!("文本超过 {} 行的上限", limits.max_lines),
        ));
    }
    let all = lines::split(text);
    if let Some(line) = all.iter().find(|l| l.cells.len() > limits.max_cells) {
        return Err(stop(
            line.no,
            format!("这一行超过 {} 个单元格的上限", limits.max_cells),
        ));
    }
    let parts = find_parts(&all);
    let Some(form_part) = parts.iter().find(|p| p.title == Title::Form) else {
        let last = all.last().map_or(1, |l| l.no);
        return Err(stop(
            last,
            "读到文本末尾也没有找到绩效自评表：需要一行以“部门整体支出绩效自评表”或“项目支出绩效自评表”为标题",
        ));
    };
    let mut notes = Vec::new();
    let mut read = form::read(form_part.lines, &mut notes)?;
    if let Some(part) = parts.iter().find(|p| p.title == Title::Basic) {
        let basic = basic::read(part.lines, &mut notes)?;
        read.fallback_unit(basic.unit.as_deref(), basic.unit_line, &mut notes);
        read.document.basic_data = Some(basic.data);
    }
    if let Some(part) = parts.iter().find(|p| p.title == Title::Report) {
        let found = report::read(part.lines, &mut notes);
        read.fallback_unit(found.unit.as_deref(), found.unit_line, &mut notes);
        if read.document.fiscal_year == 0 {
            read.document.fiscal_year = found.year.unwrap_or(0);
        }
        read.document.report = Some(found.report);
    }
    let (mut document, pointers) = read.finish(form_part.title_line)?;
    choose_ruleset(&mut document, rulesets, &mut notes, form_part.title_line);
    notes.sort_by_key(|n| n.line);
    let json = serde_json::to_string(&document)
        .map_err(|e| stop(form_part.title_line, format!("无法写出文档：{e}")))?;
    Ok(Imported {
        document,
        json,
        notes: notes
            .into_iter()
            .map(|n| ImportNote {
                sheet: n.part.to_owned(),
                cell: String::new(),
                line: Some(n.line),
                message: format!("第 {} 行：{}", n.line, n.message),
            })
            .collect(),
        cells: pointers
            .into_iter()
            .map(|(pointer, line)| (pointer, format!("第 {line} 行")))
            .collect::<BTreeMap<_, _>>(),
    })
}

/// A part of the text: the lines from a title to the next title.
struct Part<'a> {
    title: Title,
    title_line: u32,
    lines: &'a [Line],
}

fn find_parts(all: &[Line]) -> Vec<Part<'_>> {
    let starts: Vec<(usize, Title)> = all
        .iter()
        .enumerate()
        .filter(|(_, l)| l.filled() == 1)
        .filter_map(|(i, l)| title_of(&l.text()).map(|t| (i, t)))
        .collect();
    starts
        .iter()
        .enumerate()
        .map(|(k, &(start, title))| {
            let end = starts.get(k + 1).map_or(all.len(), |&(next, _)| next);
            Part {
                title,
                title_line: all[start].no,
                lines: &all[start..end],
            }
        })
        .collect()
}

/// Names the ruleset when the form declares a grade only one ruleset prints (`优秀` is
/// Hunan's); otherwise leaves the service's default.
fn choose_ruleset(
    document: &mut EvaluationDocument,
    rulesets: &Rulesets,
    notes: &mut Vec<Note>,
    line: u32,
) {
    let Some(grade) = document.declared_grade.as_deref() else {
        return;
    };
    let matching: Vec<&str> = rulesets
        .iter()
        .filter(|r| {
            // By the printed label only: most rulesets accept the other spellings as aliases.
            r.grade_bands.iter().any(|b| b.label == grade)
        })
        .map(|r| r.id.as_str())
        .collect();
    if let [only] = matching.as_slice() {
        document.ruleset = Some((*only).to_owned());
        notes.push(Note {
            line,
            part: FORM,
            message: format!("自评等级“{grade}”只见于评分规则 {only}，按它评分"),
        });
    }
}
