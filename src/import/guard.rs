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
    check_end_records(bytes, limits)?;
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

/// Refuses an archive whose end record declares more parts than the limit, before the zip
/// crate reads that many central-directory entries into memory (a 26 MB file of 300 000 empty
/// entries costs it 60 MB), and any ZIP64 archive, whose 64-bit counts no form needs. The zip
/// crate may try every end record in the archive's last 64 KiB, so each one it would accept
/// is checked: one whose comment fits in the file, and which either has a ZIP64 locator just
/// before it or names a single disk.
fn check_end_records(bytes: &[u8], limits: &Limits) -> Result<(), ImportError> {
    const END: &[u8; 4] = b"PK\x05\x06";
    const ZIP64_LOCATOR: &[u8; 4] = b"PK\x06\x07";
    const END_SIZE: usize = 22;
    let u16_at = |at: usize| u16::from_le_bytes([bytes[at], bytes[at + 1]]);
    let window = bytes
        .len()
        .saturating_sub(END_SIZE + usize::from(u16::MAX) + 64);
    for at in (window..bytes.len().saturating_sub(END_SIZE - 1)).rev() {
        if &bytes[at..at + 4] != END {
            continue;
        }
        let comment = usize::from(u16_at(at + 20));
        if at + END_SIZE + comment > bytes.len() {
            continue;
        }
        if at >= 20 && &bytes[at - 20..at - 16] == ZIP64_LOCATOR {
            return Err(ImportError::workbook(
                "the workbook is a ZIP64 archive, made for more or larger parts than any form \
                 workbook has",
            ));
        }
        let (disk, directory_disk) = (u16_at(at + 4), u16_at(at + 6));
        let (on_disk, parts) = (u16_at(at + 8), u16_at(at + 10));
        let single_disk = disk == 0 && directory_disk == 0 && on_disk == parts;
        if single_disk && usize::from(parts) > limits.max_parts {
            return Err(ImportError::workbook(format!(
                "the workbook has {parts} parts; a form workbook has at most {}",
                limits.max_parts
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::io::Write as _;

    use super::*;

    fn zip_of(names: impl Iterator<Item = String>) -> Vec<u8> {
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for name in names {
            zip.start_file(name, zip::write::SimpleFileOptions::default())
                .unwrap();
            zip.write_all(b"x").unwrap();
        }
        zip.finish().unwrap().into_inner()
    }

    #[test]
    fn an_archive_of_too_many_parts_is_refused_from_its_end_record() {
        let many = zip_of((0..300).map(|i| format!("{i}")));
        let error = check_end_records(&many, &Limits::default()).unwrap_err();
        assert!(error.detail.contains("has 300 parts"), "{error}");
        let few = zip_of(["xl/workbook.xml".to_owned()].into_iter());
        assert!(check_end_records(&few, &Limits::default()).is_ok());
        assert!(open_container(&few, &Limits::default()).is_ok());
    }

    #[test]
    fn zip64_archives_are_refused() {
        let mut bytes = b"PK\x06\x07".to_vec();
        bytes.extend_from_slice(&[0; 16]);
        bytes.extend_from_slice(b"PK\x05\x06");
        bytes.extend_from_slice(&[0xff; 16]);
        bytes.extend_from_slice(&[0; 2]);
        let error = check_end_records(&bytes, &Limits::default()).unwrap_err();
        assert!(error.detail.contains("ZIP64"), "{error}");
    }

    #[test]
    fn short_and_odd_bodies_pass_to_the_zip_reader() {
        for body in [
            &b""[..],
            b"PK",
            b"PK\x05\x06",
            &[0u8; 21],
            b"PK\x05\x06\xff\xff",
        ] {
            assert!(
                check_end_records(body, &Limits::default()).is_ok(),
                "{body:?}"
            );
        }
    }
}
