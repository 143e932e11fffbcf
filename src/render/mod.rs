//! The form and lists as people use them outside the API: a printable HTML page, Excel
//! workbooks and CSV. Pure functions from the form grid, the document and its result to bytes;
//! nothing here does I/O.

pub mod annotations;
pub mod columns;
pub mod csv;
pub mod html;
pub mod template;
pub mod xlsx;
mod xlsx_fit;

/// The media type of an Excel workbook.
pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
/// The media type of CSV.
pub const CSV: &str = "text/csv";
/// The media type of HTML.
pub const HTML: &str = "text/html";
