//! Where a unit stands: its 主管部门 (department) and its 行政区划 (region), and the region
//! prefixes a filter takes.

/// A 行政区划 code: six ASCII digits (`430421`, 衡阳县).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Region(String);

impl Region {
    /// Reads a region code.
    ///
    /// # Errors
    /// When the text is not exactly six ASCII digits.
    pub fn parse(text: &str) -> Result<Self, String> {
        if text.len() == 6 && text.bytes().all(|b| b.is_ascii_digit()) {
            Ok(Self(text.to_owned()))
        } else {
            Err(format!(
                "`{text}` is not a 行政区划 code; six digits are expected (430421)"
            ))
        }
    }

    /// The code.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A region filter: a whole code, or the 2 digits of a province (`43`, 湖南省) or the 4 of a
/// prefecture (`4304`, 衡阳市), which match every code they begin.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RegionPrefix(String);

impl RegionPrefix {
    /// Reads a region filter.
    #[must_use]
    pub fn parse(text: &str) -> Option<Self> {
        (matches!(text.len(), 2 | 4 | 6) && text.bytes().all(|b| b.is_ascii_digit()))
            .then(|| Self(text.to_owned()))
    }

    /// The codes it matches as a half-open range of text, `[from, to)`: every code that begins
    /// with the prefix sorts at or after it and before the prefix with its last digit raised
    /// by one (`9` raised is `:`, which sorts after every digit).
    #[must_use]
    pub fn range(&self) -> (String, String) {
        let mut to = self.0.clone();
        let last = to.pop().map_or(b'0', |c| u8::try_from(c).unwrap_or(b'0'));
        to.push(char::from(last + 1));
        (self.0.clone(), to)
    }
}

/// A 主管部门 budget code: any text that is not blank, trimmed.
///
/// # Errors
/// When the text is blank.
pub fn department(text: &str) -> Result<String, String> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        Err("the department is blank; leave it out for none".to_owned())
    } else {
        Ok(trimmed.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_region_is_six_ascii_digits() {
        assert_eq!(Region::parse("430421").unwrap().as_str(), "430421");
        for bad in ["43042", "4304211", "43042a", "４３０４２１", "", " 430421"] {
            assert!(Region::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn prefixes_of_two_four_or_six_digits_are_ranges() {
        let range = |t: &str| RegionPrefix::parse(t).unwrap().range();
        assert_eq!(range("43"), ("43".into(), "44".into()));
        assert_eq!(range("4304"), ("4304".into(), "4305".into()));
        assert_eq!(range("430429"), ("430429".into(), "43042:".into()));
        for bad in ["4", "430", "43042", "4304211", "4a"] {
            assert_eq!(RegionPrefix::parse(bad), None, "{bad}");
        }
        let (from, to) = range("49");
        assert!(from.as_str() <= "499999" && "499999" < to.as_str());
    }

    #[test]
    fn a_department_is_trimmed_and_not_blank() {
        assert_eq!(department(" 430421 ").unwrap(), "430421");
        assert!(department(" \t").is_err());
    }
}
