//! What changed between two versions of a document, field by field, as JSON pointers.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

/// One changed field.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct FieldChange {
    /// JSON pointer of the field in the document.
    pub path: String,
    /// The value before (`null` when the field was absent).
    pub old: Value,
    /// The value after (`null` when the field was removed).
    pub new: Value,
}

/// Every leaf value that differs between `old` and `new`, keys in order within each object.
/// Objects are compared key by key and arrays index by index, so an edited cell is reported as
/// that cell.
#[must_use]
pub fn diff(old: &Value, new: &Value) -> Vec<FieldChange> {
    let mut changes = Vec::new();
    walk(String::new(), old, new, &mut changes);
    changes
}

fn walk(path: String, old: &Value, new: &Value, changes: &mut Vec<FieldChange>) {
    match (old, new) {
        (Value::Object(a), Value::Object(b)) => {
            let mut keys: Vec<&String> = a
                .keys()
                .chain(b.keys().filter(|k| !a.contains_key(*k)))
                .collect();
            keys.sort();
            for key in keys {
                let child = format!("{path}/{}", key.replace('~', "~0").replace('/', "~1"));
                walk(
                    child,
                    a.get(key).unwrap_or(&Value::Null),
                    b.get(key).unwrap_or(&Value::Null),
                    changes,
                );
            }
        }
        (Value::Array(a), Value::Array(b)) => {
            for i in 0..a.len().max(b.len()) {
                walk(
                    format!("{path}/{i}"),
                    a.get(i).unwrap_or(&Value::Null),
                    b.get(i).unwrap_or(&Value::Null),
                    changes,
                );
            }
        }
        _ if old != new => changes.push(FieldChange {
            path,
            old: old.clone(),
            new: new.clone(),
        }),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reports_each_changed_cell_by_pointer() {
        let old = json!({"funds": {"executed": "239.31", "weight": "10"}, "goals": [{"actual": "a"}], "notes": "x"});
        let new = json!({"funds": {"executed": "240", "weight": "10"}, "goals": [{"actual": "a"}, {"actual": "b"}], "prepared_by": "刘"});
        let changes = diff(&old, &new);
        let paths: Vec<&str> = changes.iter().map(|c| c.path.as_str()).collect();
        assert_eq!(
            paths,
            ["/funds/executed", "/goals/1", "/notes", "/prepared_by"]
        );
        assert_eq!(changes[0].old, json!("239.31"));
        assert_eq!(changes[0].new, json!("240"));
        assert_eq!(changes[2].new, Value::Null);
    }

    #[test]
    fn equal_documents_have_no_changes() {
        let doc = json!({"a": [1, {"b": "c"}]});
        assert!(diff(&doc, &doc).is_empty());
    }
}
