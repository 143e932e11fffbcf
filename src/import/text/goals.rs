//! The goals: 年初预期目标 beside 全年实际完成情况, `目标 1：… 目标 2：…` split.

use super::lines::squeeze;
use super::{FORM, Note};
use crate::domain::document::Goal;

/// Goals from the cells of the goal rows: `目标 1：… 目标 2：…` in one cell are several
/// goals; the expected and the actual goals are paired in order.
pub(super) fn pair_goals(
    expected: &[String],
    actual: &[String],
    line: u32,
    notes: &mut Vec<Note>,
) -> Vec<Goal> {
    let mut want: Vec<String> = Vec::new();
    let mut got: Vec<String> = Vec::new();
    for (e, a) in expected.iter().zip(actual) {
        let es = split_goals(e);
        let gs = split_goals(a);
        let n = es.len().max(gs.len());
        if es.len() != gs.len() {
            notes.push(Note {
                line,
                part: FORM,
                message: format!(
                    "年初预期目标有 {} 个、实际完成情况有 {} 条，按顺序配对",
                    es.len(),
                    gs.len()
                ),
            });
        }
        for k in 0..n {
            want.push(es.get(k).cloned().unwrap_or_default());
            got.push(gs.get(k).cloned().unwrap_or_default());
        }
    }
    if want.len() > 1 {
        notes.push(Note {
            line,
            part: FORM,
            message: format!("按“目标 1：”“目标 2：”等编号分出 {} 个目标", want.len()),
        });
    }
    want.into_iter()
        .zip(got)
        .map(|(expected, actual)| Goal { expected, actual })
        .collect()
}

/// Splits `目标 1：… 目标 2：…` before each numbered `目标`; text without such numbers is one
/// goal.
fn split_goals(text: &str) -> Vec<String> {
    let mut starts = Vec::new();
    for (i, _) in text.match_indices("目标") {
        let rest = text[i + "目标".len()..].trim_start();
        let digits = rest.chars().take_while(char::is_ascii_digit).count();
        if digits > 0
            && rest[digits..]
                .trim_start()
                .starts_with(['：', ':', '、', '.'])
        {
            starts.push(i);
        }
    }
    if starts.first() != Some(&0) {
        starts.insert(0, 0);
    }
    starts
        .iter()
        .enumerate()
        .map(|(k, &s)| {
            let e = starts.get(k + 1).copied().unwrap_or(text.len());
            squeeze(&text[s..e])
        })
        .filter(|g| !g.is_empty())
        .collect()
}
