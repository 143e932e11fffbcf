//! The indicator tree: 一级 → 二级 → 三级 rows, with merged labels spread over lines and
//! rows shifted left where the copy lost the merged columns.

use super::captions::split_points;
use super::form::figure;
use super::lines::{compact, squeeze};
use super::rows::Row;
use super::{FORM, Note, stop};
use crate::domain::decimal::Dec;
use crate::domain::document::{Leaf, Level1Indicator, Level2Indicator};
use crate::import::ImportError;

/// The columns of the indicator table, from its header row.
struct Columns {
    level1: usize,
    level2: usize,
    level3: usize,
    operator: Option<usize>,
    unit: Option<usize>,
    target: usize,
    actual: usize,
    weight: usize,
    score: usize,
    reason: Option<usize>,
}

/// The tree being read.
pub(super) struct Indicators {
    columns: Columns,
    width: usize,
    list: Vec<Level1Indicator>,
    lines: Vec<(String, u32)>,
    /// Whether the last level-1 / level-2 label may go on in the next row (it does not end in
    /// 指标 yet: `可持 续影` … `响 指 标`).
    level1_open: bool,
    level2_open: bool,
}

/// The three level-1 indicators of the official forms and the level-2 names under each.
const FAMILIES: [(&str, &[&str]); 3] = [
    ("产出指标", &["数量", "质量", "时效", "成本", "产出"]),
    ("效益指标", &["效益", "可持续", "影响"]),
    ("满意度指标", &["满意"]),
];

/// Which level-1 indicator a level-1 or level-2 name belongs to.
fn family(name: &str) -> Option<&'static str> {
    if name.contains("满意") {
        return Some("满意度指标");
    }
    FAMILIES
        .iter()
        .find(|(l1, words)| {
            name.contains(&l1[..l1.len() - "指标".len()]) || words.iter().any(|w| name.contains(w))
        })
        .map(|(l1, _)| *l1)
}

/// Whether a first-column fragment is part of the caption 绩效指标 (merged down the table).
fn is_caption_fragment(text: &str) -> bool {
    !text.is_empty() && text.chars().all(|c| "绩效指标".contains(c))
}

impl Indicators {
    pub fn new(header: &Row, width: usize) -> Self {
        let col =
            |test: &dyn Fn(&str) -> bool, default: usize| header.find(test).unwrap_or(default);
        let level1 = col(&|c| c.contains("一级"), 1);
        let level2 = col(&|c| c.contains("二级"), level1 + 1);
        let level3 = col(&|c| c.contains("三级"), level2 + 1);
        let operator = header.find(|c| c.contains("性质"));
        let unit = header.find(|c| c.contains("度量单位") || c == "单位" || c.contains("计量单位"));
        let target = col(
            &|c| c.contains("指标值") || c.contains("目标值"),
            level3 + 1,
        );
        let actual = col(
            &|c| c.contains("完成值") || c.contains("实际值"),
            target + 1,
        );
        let weight = col(&|c| c == "分值" || c.contains("权重"), actual + 1);
        let score = col(&|c| c == "得分" || c.contains("自评得分"), weight + 1);
        let reason = header.find(|c| c.contains("偏差") || c.contains("原因"));
        Self {
            columns: Columns {
                level1,
                level2,
                level3,
                operator,
                unit,
                target,
                actual,
                weight,
                score,
                reason,
            },
            width,
            list: Vec::new(),
            lines: Vec::new(),
            level1_open: false,
            level2_open: false,
        }
    }

    /// Puts a row that lost its leading merged columns back in place: a row whose first cell
    /// holds a label (not the caption 绩效指标) and that is shorter than the table is
    /// right-aligned, its last figure under 得分.
    fn align(&self, row: &Row, notes: &mut Vec<Note>) -> Row {
        let first = compact(row.at(0));
        let used = row.used();
        if first.is_empty() || is_caption_fragment(&first) || used >= self.width {
            return row.clone();
        }
        let last_is_figure = compact(row.at(used - 1))
            .trim_end_matches('%')
            .parse::<rust_decimal::Decimal>()
            .is_ok();
        let end = if last_is_figure {
            self.columns.score + 1
        } else {
            self.width
        };
        let Some(shift) = end.checked_sub(used).filter(|s| *s > 0) else {
            return row.clone();
        };
        notes.push(Note {
            line: row.no,
            part: FORM,
            message: format!(
                "这一行少了前 {shift} 列，按右对齐读，“{}”落在第 {} 列",
                squeeze(row.at(0)),
                shift + 1
            ),
        });
        let mut cells = vec![String::new(); shift];
        cells.extend(row.cells[..used].iter().cloned());
        Row { no: row.no, cells }
    }

    /// Reads one row of the table.
    pub fn read_row(&mut self, row: &Row, notes: &mut Vec<Note>) -> Result<(), ImportError> {
        let row = &self.align(row, notes);
        let level1 = squeeze(row.at(self.columns.level1));
        let level2 = squeeze(row.at(self.columns.level2));
        let name = squeeze(row.at(self.columns.level3));
        if !level1.is_empty() {
            self.read_level1(&level1, row.no, notes);
        }
        if !level2.is_empty() {
            self.read_level2(&level2, level1.is_empty(), row.no, notes);
        } else if !level1.is_empty() && name.is_empty() {
            return Ok(());
        }
        let c = &self.columns;
        if name.is_empty() {
            let figures = [c.target, c.actual, c.weight, c.score]
                .iter()
                .any(|col| !row.at(*col).is_empty());
            if figures && level2.is_empty() {
                notes.push(Note {
                    line: row.no,
                    part: FORM,
                    message: "这一行有数字却没有三级指标名称，未读".into(),
                });
            }
            return Ok(());
        }
        let (i, j) = match (
            self.list.len().checked_sub(1),
            self.list
                .last()
                .and_then(|l| l.children.len().checked_sub(1)),
        ) {
            (Some(i), Some(j)) => (i, j),
            _ => {
                return Err(stop(
                    row.no,
                    format!("三级指标“{name}”之前没有一级、二级指标"),
                ));
            }
        };
        if level1.is_empty() && level2.is_empty() {
            notes.push(Note {
                line: row.no,
                part: FORM,
                message: format!(
                    "按行首空白判断“{name}”属于“{}”",
                    self.list[i].children[j].name
                ),
            });
        }
        // A blank 分值 is read as missing: the ruleset may infer it, or the draft is incomplete.
        let weight = figure(row, c.weight, &format!("三级指标“{name}”的分值"))?;
        let declared_score = figure(row, c.score, &format!("三级指标“{name}”的得分"))?;
        let optional = |col: Option<usize>| {
            col.map(|col| squeeze(row.at(col)))
                .filter(|t| !t.is_empty())
        };
        let leaf = Leaf {
            name,
            target: squeeze(row.at(c.target)),
            actual: squeeze(row.at(c.actual)),
            weight,
            declared_score,
            operator: optional(c.operator),
            unit: optional(c.unit),
            method: None,
            deviation_reason: optional(c.reason),
        };
        let leaves = &mut self.list[i].children[j].children;
        self.lines.push((
            format!("/indicators/{i}/children/{j}/children/{}", leaves.len()),
            row.no,
        ));
        leaves.push(leaf);
        Ok(())
    }

    fn read_level1(&mut self, label: &str, line: u32, notes: &mut Vec<Note>) {
        let (name, points) = split_points(label);
        let weight = points.and_then(|p| p.parse::<Dec>().ok());
        if let Some(last) = self.list.last_mut() {
            if name.is_empty() || (self.level1_open && !name.is_empty()) {
                if !name.is_empty() {
                    last.name.push_str(&name);
                    notes.push(Note {
                        line,
                        part: FORM,
                        message: format!("一级指标的名称接续上一行，合为“{}”", last.name),
                    });
                }
                if weight.is_some() {
                    last.weight = weight;
                }
                self.level1_open = !last.name.ends_with("指标");
                return;
            }
        }
        self.level1_open = !name.ends_with("指标");
        self.lines
            .push((format!("/indicators/{}", self.list.len()), line));
        self.list.push(Level1Indicator {
            name,
            weight,
            children: Vec::new(),
        });
        self.level2_open = false;
    }

    fn read_level2(&mut self, label: &str, level1_blank: bool, line: u32, notes: &mut Vec<Note>) {
        let (name, points) = split_points(label);
        let weight = points.and_then(|p| p.parse::<Dec>().ok());
        if self.level2_open {
            if let Some(last) = self.list.last_mut().and_then(|l| l.children.last_mut()) {
                last.name.push_str(&name);
                if weight.is_some() {
                    last.weight = weight;
                }
                self.level2_open = !last.name.ends_with("指标");
                notes.push(Note {
                    line,
                    part: FORM,
                    message: format!("二级指标的名称接续上一行，合为“{}”", last.name),
                });
                return;
            }
        }
        self.level2_open = !name.ends_with("指标");
        let wanted = family(&name);
        let current = self.list.last().and_then(|l| family(&l.name));
        if self.list.is_empty() || (level1_blank && wanted.is_some() && wanted != current) {
            let l1 = wanted.unwrap_or("产出指标");
            notes.push(Note {
                line,
                part: FORM,
                message: format!("一级指标栏空白，按二级指标“{name}”归入一级指标“{l1}”"),
            });
            self.lines
                .push((format!("/indicators/{}", self.list.len()), line));
            self.list.push(Level1Indicator {
                name: l1.to_owned(),
                weight: None,
                children: Vec::new(),
            });
            self.level1_open = false;
        } else if level1_blank {
            if let Some(l1) = self.list.last() {
                notes.push(Note {
                    line,
                    part: FORM,
                    message: format!("按行首空白判断“{name}”属于“{}”", l1.name),
                });
            }
        }
        if let Some(l1) = self.list.last_mut() {
            l1.children.push(Level2Indicator {
                name,
                weight,
                children: Vec::new(),
            });
        }
    }

    /// The tree, and the line each indicator came from.
    pub fn finish(self) -> (Vec<Level1Indicator>, Vec<(String, u32)>) {
        (self.list, self.lines)
    }
}
