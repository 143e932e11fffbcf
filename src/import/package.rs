//! The workbook's parts, unpacked from its zip archive: each part at most once, and all of them
//! together within a budget of unpacked bytes counted as they are read. The budget is counted
//! on the bytes actually inflated, not taken from the sizes the archive declares, since a
//! deflate stream can unpack to more than its entry says.

use std::cell::Cell;
use std::collections::{HashMap, HashSet};
use std::io::{self, Cursor, Read};

use zip::ZipArchive;
use zip::read::ZipFile;

use super::{ImportError, Limits, guard};

/// Reading stopped because the workbook unpacked to more than the budget.
#[derive(Debug, thiserror::Error)]
#[error("the workbook unpacks to more than {0} MiB; a form is far smaller")]
pub struct Overrun(u64);

/// A workbook's zip package.
pub struct Package<'a> {
    archive: ZipArchive<Cursor<&'a [u8]>>,
    /// Each part's index by its name, lower-cased with `/` separators: Excel finds parts
    /// whatever their case.
    by_name: HashMap<String, usize>,
    /// Bytes that may still be unpacked.
    left: Cell<u64>,
    budget: u64,
    opened: HashSet<usize>,
}

impl<'a> Package<'a> {
    /// Opens the package after checking its central directory against the limits.
    ///
    /// # Errors
    /// When the body is not a zip archive or breaks a limit (see `guard`).
    pub fn open(bytes: &'a [u8], limits: &Limits) -> Result<Self, ImportError> {
        let archive = guard::open_container(bytes, limits)?;
        let by_name = (0..archive.len())
            .filter_map(|index| {
                let name = archive.name_for_index(index)?.ok()?;
                Some((normalize(&name), index))
            })
            .collect();
        Ok(Self {
            archive,
            by_name,
            left: Cell::new(limits.max_unpacked_bytes),
            budget: limits.max_unpacked_bytes,
            opened: HashSet::new(),
        })
    }

    /// Whether the package has a part of this name.
    #[must_use]
    pub fn has(&self, name: &str) -> bool {
        self.by_name.contains_key(&normalize(name))
    }

    /// The part of this name to read, `None` when there is none.
    ///
    /// # Errors
    /// When the part was read before (so no workbook makes the reader unpack one part twice),
    /// or cannot be unpacked.
    pub fn part(&mut self, name: &str) -> Result<Option<Part<'_, 'a>>, ImportError> {
        let Some(&index) = self.by_name.get(&normalize(name)) else {
            return Ok(None);
        };
        if !self.opened.insert(index) {
            return Err(ImportError::workbook(format!(
                "the workbook uses its part {name} twice; each part of a workbook has one use"
            )));
        }
        let file = self.archive.by_index(index).map_err(|e| {
            ImportError::workbook(format!("the part {name} cannot be unpacked: {e}"))
        })?;
        Ok(Some(Part {
            file,
            left: &self.left,
            budget: self.budget,
        }))
    }
}

/// One part being unpacked, drawing on the package's budget.
pub struct Part<'p, 'a> {
    file: ZipFile<'p, Cursor<&'a [u8]>>,
    left: &'p Cell<u64>,
    budget: u64,
}

impl Read for Part<'_, '_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let left = self.left.get();
        // Ask for one byte beyond the budget, so that reaching it exactly is not an overrun.
        let wanted = usize::try_from(left.saturating_add(1)).unwrap_or(usize::MAX);
        let limit = buf.len().min(wanted);
        let n = self.file.read(&mut buf[..limit])?;
        let used = u64::try_from(n).unwrap_or(u64::MAX);
        if used > left {
            self.left.set(0);
            return Err(io::Error::other(Overrun(self.budget / (1024 * 1024))));
        }
        self.left.set(left - used);
        Ok(n)
    }
}

/// A part name as the package index holds it: `XL\Worksheets\Sheet1.xml` and
/// `/xl/worksheets/sheet1.xml` are `xl/worksheets/sheet1.xml`.
fn normalize(name: &str) -> String {
    name.replace('\\', "/")
        .trim_start_matches('/')
        .to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use std::io::Write as _;

    use super::*;

    fn zip_of(parts: &[(&str, &[u8])]) -> Vec<u8> {
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, data) in parts {
            zip.start_file(*name, options).unwrap();
            zip.write_all(data).unwrap();
        }
        zip.finish().unwrap().into_inner()
    }

    #[test]
    fn parts_are_found_whatever_their_case_and_read_once() {
        let bytes = zip_of(&[
            ("xl/workbook.xml", b"<workbook/>"),
            ("XL/Styles.xml", b"<a/>"),
        ]);
        let mut package = Package::open(&bytes, &Limits::default()).unwrap();
        assert!(package.has("/xl/styles.xml"));
        let mut text = String::new();
        package
            .part("xl\\STYLES.xml")
            .unwrap()
            .unwrap()
            .read_to_string(&mut text)
            .unwrap();
        assert_eq!(text, "<a/>");
        assert!(package.part("xl/styles.xml").is_err(), "read twice");
        assert!(package.part("xl/missing.xml").unwrap().is_none());
    }

    #[test]
    fn the_budget_counts_the_bytes_every_part_unpacks_to() {
        let big = vec![b' '; 600];
        let bytes = zip_of(&[("xl/workbook.xml", &big), ("xl/a.xml", &big)]);
        for (budget, fits) in [(1_200, true), (1_199, false)] {
            let mut package = Package::open(&bytes, &Limits::default()).unwrap();
            // As if the directory had understated the parts' sizes.
            package.left.set(budget);
            let mut sink = Vec::new();
            let mut first = package.part("xl/workbook.xml").unwrap().unwrap();
            first.read_to_end(&mut sink).unwrap();
            drop(first);
            let mut second = package.part("xl/a.xml").unwrap().unwrap();
            let read = second.read_to_end(&mut sink);
            match read {
                Ok(n) => assert!(fits && n == 600, "{budget}: read {n}"),
                Err(error) => assert!(
                    !fits && error.to_string().contains("unpacks to more than"),
                    "{budget}: {error}"
                ),
            }
        }
    }
}
