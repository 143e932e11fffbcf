//! Checks a workbook's zip container before anything is unpacked, so that a hostile file (a
//! zip bomb, thousands of parts) is refused in bounded time and memory.

use std::io::Cursor;

use super::{ImportError, Limits};

/// Refuses a body that is not a zip archive, or one whose parts would unpack beyond the
/// limits. Reads only the central directory.
///
/// # Errors
/// `ImportError` saying which limit the archive breaks.
pub fn check_container(bytes: &[u8], limits: &Limits) -> Result<(), ImportError> {
    let archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| {
        ImportError::workbook(
            "the file is not an Excel workbook (.xlsx): it is not a zip archive. Save the form \
             as an Excel workbook (.xlsx) and send that",
        )
    })?;
    if archive.len() > limits.max_parts {
        return Err(ImportError::workbook(format!(
            "the workbook has {} parts; a form workbook has at most {}",
            archive.len(),
            limits.max_parts
        )));
    }
    let mut archive = archive;
    let mut total: u64 = 0;
    let mut has_workbook = false;
    for index in 0..archive.len() {
        let entry = archive
            .by_index_raw(index)
            .map_err(|e| ImportError::workbook(format!("the workbook's zip is damaged: {e}")))?;
        has_workbook |= entry.name().is_ok_and(|n| n == "xl/workbook.xml");
        total = total.saturating_add(entry.size());
        if entry.size() > limits.max_unpacked_bytes || total > limits.max_unpacked_bytes {
            return Err(ImportError::workbook(format!(
                "the workbook unpacks to more than {} MiB; a form is far smaller",
                limits.max_unpacked_bytes / (1024 * 1024)
            )));
        }
    }
    if !has_workbook {
        return Err(ImportError::workbook(
            "the zip archive is not an Excel workbook: it has no xl/workbook.xml",
        ));
    }
    Ok(())
}
