//! The rulesets a service knows, by id.

use std::collections::BTreeMap;

use super::ruleset::{BUILT_IN, GradeCode, Ruleset, RulesetError};

/// The loaded rulesets and the one used when a form names none.
#[derive(Clone, Debug)]
pub struct Rulesets {
    by_id: BTreeMap<String, Ruleset>,
    default_id: String,
}

/// Why a set of rulesets cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum RulesetsError {
    /// One file is not a usable ruleset.
    #[error("{file}: {source}")]
    File {
        /// Which file.
        file: String,
        /// What is wrong with it.
        source: RulesetError,
    },
    /// Two files declare the same id.
    #[error("ruleset id `{0}` is declared twice")]
    Duplicate(String),
    /// The default names no loaded ruleset.
    #[error("the default ruleset `{0}` is not among the loaded rulesets ({1})")]
    UnknownDefault(String, String),
}

impl Rulesets {
    /// Parses rulesets from (file name, JSON text) pairs.
    ///
    /// # Errors
    /// When a file is not a valid ruleset, an id repeats, or the default is unknown.
    pub fn from_files<'a>(
        files: impl IntoIterator<Item = (String, &'a str)>,
        default_id: &str,
    ) -> Result<Self, RulesetsError> {
        let mut by_id = BTreeMap::new();
        for (file, json) in files {
            let ruleset = Ruleset::parse(json).map_err(|source| RulesetsError::File {
                file: file.clone(),
                source,
            })?;
            let id = ruleset.id.clone();
            if by_id.insert(id.clone(), ruleset).is_some() {
                return Err(RulesetsError::Duplicate(id));
            }
        }
        if !by_id.contains_key(default_id) {
            let known: Vec<&str> = by_id.keys().map(String::as_str).collect();
            return Err(RulesetsError::UnknownDefault(
                default_id.to_owned(),
                known.join(", "),
            ));
        }
        Ok(Self {
            by_id,
            default_id: default_id.to_owned(),
        })
    }

    /// The rulesets compiled into the binary.
    ///
    /// # Errors
    /// When the default is not one of them.
    pub fn built_in(default_id: &str) -> Result<Self, RulesetsError> {
        Self::from_files(
            BUILT_IN
                .iter()
                .map(|(name, json)| ((*name).to_owned(), *json)),
            default_id,
        )
    }

    /// The ruleset with this id.
    #[must_use]
    pub fn get(&self, id: &str) -> Option<&Ruleset> {
        self.by_id.get(id)
    }

    /// The ruleset a form uses: the one it names, else the default.
    #[must_use]
    pub fn for_form(&self, named: Option<&str>) -> Option<&Ruleset> {
        self.get(named.unwrap_or(&self.default_id))
    }

    /// The default ruleset's id.
    #[must_use]
    pub fn default_id(&self) -> &str {
        &self.default_id
    }

    /// These rulesets with `ruleset` added, or in place of the one with its id.
    #[must_use]
    pub fn with(&self, ruleset: Ruleset) -> Self {
        let mut by_id = self.by_id.clone();
        by_id.insert(ruleset.id.clone(), ruleset);
        Self {
            by_id,
            default_id: self.default_id.clone(),
        }
    }

    /// Every ruleset, by id.
    pub fn iter(&self) -> impl Iterator<Item = &Ruleset> {
        self.by_id.values()
    }

    /// The grades some ruleset in force names `text`, by label or alias (`优秀`, `良`); usually
    /// one, none for a name no ruleset uses.
    #[must_use]
    pub fn grades_named(&self, text: &str) -> Vec<GradeCode> {
        let mut codes: Vec<GradeCode> = self
            .iter()
            .filter_map(|ruleset| ruleset.grade_named(text))
            .map(|band| band.code)
            .collect();
        codes.sort_by_key(|code| GradeCode::ALL.iter().position(|c| c == code));
        codes.dedup();
        codes
    }

    /// Every label and alias the rulesets in force give `code`, in order of first use.
    #[must_use]
    pub fn grade_names(&self, code: GradeCode) -> Vec<&str> {
        let mut names: Vec<&str> = Vec::new();
        for band in self.iter().flat_map(|r| &r.grade_bands) {
            if band.code == code {
                for name in std::iter::once(&band.label).chain(&band.aliases) {
                    if !names.contains(&name.as_str()) {
                        names.push(name);
                    }
                }
            }
        }
        names
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_grade_is_found_by_any_label_or_alias_in_force() {
        let rulesets = Rulesets::built_in("national-2020").unwrap();
        let named = |text: &str| rulesets.grades_named(text);
        assert_eq!(named("优"), [GradeCode::Excellent]);
        assert_eq!(named("优秀"), [GradeCode::Excellent]);
        assert_eq!(named("良好"), [GradeCode::Good]);
        assert_eq!(named("较差"), [GradeCode::Fair]);
        assert_eq!(named("中"), [GradeCode::Fair]);
        assert_eq!(named("差"), [GradeCode::Poor]);
        assert_eq!(named("excellent"), [], "codes are not names");
        assert_eq!(named("极好"), []);
    }

    #[test]
    fn every_name_of_a_grade_is_listed_once() {
        let rulesets = Rulesets::built_in("national-2020").unwrap();
        let names = rulesets.grade_names(GradeCode::Fair);
        for name in ["中", "中等", "较差"] {
            assert_eq!(names.iter().filter(|n| **n == name).count(), 1, "{names:?}");
        }
        assert_eq!(rulesets.grade_names(GradeCode::Poor), ["差"]);
    }
}
