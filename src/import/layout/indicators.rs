//! The indicator table: level-1 and level-2 names (merged or repeated), and the level-3 rows.

use serde_json::{Map, Value, json};

use super::LayoutReader;
use super::text::split_points;
use crate::import::ImportError;
use crate::import::sheet::Sheet;

/// The columns of the indicator table, by their headings.
pub(super) struct LeafColumns {
    level1: u32,
    level2: u32,
    name: u32,
    operator: Option<u32>,
    unit: Option<u32>,
    target: Option<u32>,
    actual: Option<u32>,
    weight: Option<u32>,
    score: Option<u32>,
    deviation: Option<u32>,
}

impl LeafColumns {
    fn of(sheet: &Sheet, heading: u32) -> Self {
        let find = |test: &dyn Fn(&str) -> bool| {
            sheet
                .filled(heading)
                .into_iter()
                .find(|&c| test(sheet.text(heading, c)))
        };
        Self {
            level1: find(&|t| t.contains("一级指标")).unwrap_or(1),
            level2: find(&|t| t.contains("二级指标")).unwrap_or(2),
            name: find(&|t| t.contains("三级指标")).unwrap_or(3),
            operator: find(&|t| t.contains("指标性质")),
            unit: find(&|t| t.contains("度量单位") || t.contains("计量单位")),
            target: find(&|t| {
                (t.contains("指标值") || t.contains("目标值"))
                    && !t.contains("完成")
                    && !t.contains("实际")
            }),
            actual: find(&|t| t.contains("完成值") || t.contains("实际值") || t == "实际完成"),
            weight: find(&|t| t == "分值" || t == "权重" || t.starts_with("分值")),
            score: find(&|t| t.contains("得分")),
            deviation: find(&|t| t.contains("偏差原因")),
        }
    }

    /// Whether a row has any level-3 cell of its own filled in.
    fn leaf_filled(&self, sheet: &Sheet, row: u32) -> bool {
        [
            Some(self.name),
            self.target,
            self.actual,
            self.weight,
            self.score,
        ]
        .iter()
        .flatten()
        .any(|&c| !sheet.is_covered(row, c) && !sheet.text(row, c).is_empty())
    }
}

/// The first row after the indicator table: the total or the explanations.
fn table_end(sheet: &Sheet, heading: u32) -> u32 {
    (heading + 1..sheet.rows)
        .find(|&r| {
            sheet.filled(r).iter().any(|&c| {
                let t = sheet.text(r, c);
                t.contains("评定等级")
                    || t.contains("自评等级")
                    || t.starts_with("总分")
                    || t == "说明"
            })
        })
        .unwrap_or(sheet.rows)
}

/// A named node of the tree as read: level 1 holds level 2s, level 2 holds leaves.
struct Node {
    /// The label as printed, to tell a repeated cell from the next indicator.
    label: String,
    json: Map<String, Value>,
    children: Vec<Node>,
    leaves: Vec<Value>,
}

impl Node {
    fn new(label: &str, name: String, weight: Option<String>) -> Self {
        let mut json = Map::new();
        json.insert("name".into(), json!(name));
        if let Some(weight) = weight {
            json.insert("weight".into(), json!(weight));
        }
        Self {
            label: label.to_owned(),
            json,
            children: Vec::new(),
            leaves: Vec::new(),
        }
    }

    fn into_json(mut self) -> Value {
        let children: Vec<Value> = if self.children.is_empty() {
            self.leaves
        } else {
            self.children.into_iter().map(Node::into_json).collect()
        };
        self.json.insert("children".into(), Value::Array(children));
        Value::Object(self.json)
    }
}

impl LayoutReader<'_> {
    /// Reads the indicator table; returns the row after it.
    pub(super) fn indicators(
        &mut self,
        document: &mut Map<String, Value>,
        heading: u32,
    ) -> Result<u32, ImportError> {
        let sheet = self.sheet;
        let columns = LeafColumns::of(sheet, heading);
        let end = table_end(sheet, heading);
        let mut tree: Vec<Node> = Vec::new();
        for row in heading + 1..end {
            // A heading cell merged down over the first row does not name an indicator.
            let below_heading = |col: u32| {
                let (anchor_row, _) = sheet.anchor(row, col);
                if anchor_row > heading {
                    sheet.shown(row, col).to_owned()
                } else {
                    String::new()
                }
            };
            let (l1, l2) = (below_heading(columns.level1), below_heading(columns.level2));
            let leaf_filled = columns.leaf_filled(sheet, row);
            if l1.is_empty() && l2.is_empty() && !leaf_filled {
                continue;
            }
            // A new level 1 where the label changes; a merged or repeated cell continues it.
            if !l1.is_empty() && tree.last().is_none_or(|n| n.label != l1) {
                let i = tree.len();
                let (r, c) = sheet.anchor(row, columns.level1);
                let (name, weight) = self.split_weight(&l1, r, c);
                let place = self.place(r, c);
                self.cells.insert(format!("/indicators/{i}/name"), place);
                tree.push(Node::new(&l1, name, weight));
            }
            let i = tree.len().checked_sub(1).ok_or_else(|| {
                ImportError::at(
                    &sheet.name,
                    row,
                    columns.level1,
                    "an indicator row without its 一级指标",
                )
            })?;
            let level1 = &mut tree[i];
            let new_level2 = level1.children.last().is_none_or(|n| n.label != l2);
            if !l2.is_empty() && new_level2 {
                let j = level1.children.len();
                let (r, c) = sheet.anchor(row, columns.level2);
                let (name, weight) = split_points(&l2);
                let place = self.place(r, c);
                self.cells
                    .insert(format!("/indicators/{i}/children/{j}/name"), place);
                tree[i].children.push(Node::new(&l2, name, weight));
            }
            if !leaf_filled {
                continue;
            }
            let j = tree[i].children.len().checked_sub(1).ok_or_else(|| {
                ImportError::at(
                    &sheet.name,
                    row,
                    columns.level2,
                    "a 三级指标 without its 二级指标",
                )
            })?;
            let k = tree[i].children[j].leaves.len();
            let path = format!("/indicators/{i}/children/{j}/children/{k}");
            let leaf = self.leaf(&path, row, &columns)?;
            tree[i].children[j].leaves.push(Value::Object(leaf));
        }
        let indicators = tree.into_iter().map(Node::into_json).collect();
        document.insert("indicators".into(), Value::Array(indicators));
        Ok(end)
    }

    fn split_weight(&mut self, label: &str, row: u32, col: u32) -> (String, Option<String>) {
        let (name, weight) = split_points(label);
        if let Some(weight) = &weight {
            self.note(
                row,
                col,
                format!("weight {weight} read from the label `{label}`"),
            );
        }
        (name, weight)
    }

    fn leaf(
        &mut self,
        path: &str,
        row: u32,
        columns: &LeafColumns,
    ) -> Result<Map<String, Value>, ImportError> {
        let mut leaf = Map::new();
        leaf.insert(
            "name".into(),
            self.text_at(format!("{path}/name"), row, columns.name),
        );
        for (field, col) in [("target", columns.target), ("actual", columns.actual)] {
            let value = match col {
                Some(c) => self.text_at(format!("{path}/{field}"), row, c),
                None => json!(""),
            };
            leaf.insert(field.into(), value);
        }
        for (field, col) in [
            ("weight", columns.weight),
            ("declared_score", columns.score),
        ] {
            let Some(c) = col else { continue };
            if let Some(value) = self.figure_at(format!("{path}/{field}"), row, c)? {
                leaf.insert(field.into(), value);
            } else if field == "weight" {
                self.cells
                    .insert(format!("{path}/weight"), self.place(row, c));
            }
        }
        for (field, col) in [
            ("operator", columns.operator),
            ("unit", columns.unit),
            ("deviation_reason", columns.deviation),
        ] {
            let Some(c) = col else { continue };
            if !self.sheet.text(row, c).is_empty() {
                leaf.insert(
                    field.into(),
                    self.text_at(format!("{path}/{field}"), row, c),
                );
            }
        }
        Ok(leaf)
    }
}
