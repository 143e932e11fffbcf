//! Checks a workbook's zip container before anything is unpacked, so that a hostile file (a
//! zip bomb, thousands of parts) is refused in bounded time and memory.

use std::io::Cursor;

use zip::ZipArchive;

use super::{ImportError, Limits};

/// Opens the zip archive, refusing a body that is not one, or one whose parts declare they
/// would unpack beyond the limits. Reads only the central directory; what the parts really
/// unpack to is counted again as they are read (see `package`).
///
/// # Errors
/// `ImportError` saying which limit the archive breaks.
pub fn open_container<'a>(
    bytes: &'a [u8],
    limits: &Limits,
) -> Result<ZipArchive<Cursor<&'a [u8]>>, ImportError> {
    let mut archive = ZipArchive::new(Cursor::new(bytes)).map_err(|_| {
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
    Ok(archive)
}
