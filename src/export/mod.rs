//! Tables as files a reader opens in a spreadsheet: `xlsx` (one sheet per
//! [`Table`](crate::domain::table::Table)), `csv` (one table, written row by row so
//! a long list streams), and `http`, the responses that carry them as downloads.
//! Knows the domain's `Table` and actix's response types; never the database.

pub mod csv;
pub mod http;
pub mod xlsx;

/// Which file a list or a report is asked for as (`?format=`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// An Excel workbook.
    Xlsx,
    /// Comma-separated values, UTF-8 with a byte-order mark.
    Csv,
}

impl Format {
    /// `xlsx` or `csv`; anything else is no export (the page itself).
    pub fn parse(text: &str) -> Option<Format> {
        match text {
            "xlsx" => Some(Format::Xlsx),
            "csv" => Some(Format::Csv),
            _ => None,
        }
    }

    /// The file name's extension.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Xlsx => "xlsx",
            Format::Csv => "csv",
        }
    }
}
