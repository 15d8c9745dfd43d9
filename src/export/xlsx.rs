//! Tables as an Excel workbook (`rust_xlsxwriter`, see docs/architecture.md): one
//! sheet per table, the header row bold and frozen, dates as real dates formatted
//! `dd/mm/yyyy` (instants `dd/mm/yyyy hh:mm`) so a reader can sort and filter
//! them, counts as numbers, column widths from [`Column::width`], sheet names made
//! valid and unique.
//!
//! Sheets are written in constant-memory mode: each row goes to a temporary file
//! as it is written, so a workbook of a 100,000-item list does not hold the
//! list in memory. That mode wants rows in order, which [`Sheet::push`] keeps.

use rust_xlsxwriter::{Format, Workbook as Book, Worksheet, XlsxError};

use crate::domain::table::{Cell, Column, Table};

/// Excel's limit on a sheet name, in characters.
const SHEET_NAME_MAX: usize = 31;

/// A workbook being written.
pub struct Workbook {
    book: Book,
    names: Vec<String>,
    formats: Formats,
}

/// The cell formats every sheet shares.
#[derive(Clone)]
struct Formats {
    header: Format,
    date: Format,
    instant: Format,
    wrapped: Format,
}

/// One sheet being written, a row at a time.
pub struct Sheet<'a> {
    sheet: &'a mut Worksheet,
    formats: &'a Formats,
    next_row: u32,
}

impl Default for Workbook {
    fn default() -> Self {
        Workbook::new()
    }
}

impl Workbook {
    /// An empty workbook.
    pub fn new() -> Workbook {
        Workbook {
            book: Book::new(),
            names: Vec::new(),
            formats: Formats {
                header: Format::new().set_bold().set_text_wrap(),
                date: Format::new().set_num_format("dd/mm/yyyy"),
                instant: Format::new().set_num_format("dd/mm/yyyy hh:mm"),
                wrapped: Format::new().set_text_wrap(),
            },
        }
    }

    /// Adds a sheet with these columns; its header row is written, bold and
    /// frozen. `name` is made valid and unique first ([`sheet_name`]).
    pub fn add_sheet(&mut self, name: &str, columns: &[Column]) -> Result<Sheet<'_>, XlsxError> {
        let name = sheet_name(name, &self.names);
        self.names.push(name.clone());
        let sheet = self.book.add_worksheet_with_constant_memory()?;
        sheet.set_name(name)?;
        sheet.set_freeze_panes(1, 0)?;
        for (col, column) in columns.iter().enumerate() {
            let col = col as u16;
            sheet.set_column_width(col, column.width)?;
            sheet.write_string_with_format(0, col, &column.header, &self.formats.header)?;
        }
        Ok(Sheet {
            sheet,
            formats: &self.formats,
            next_row: 1,
        })
    }

    /// Adds a whole table as a sheet.
    pub fn add_table(&mut self, table: &Table) -> Result<(), XlsxError> {
        let mut sheet = self.add_sheet(&table.name, &table.columns)?;
        for row in &table.rows {
            sheet.push(row)?;
        }
        Ok(())
    }

    /// The finished file.
    pub fn finish(mut self) -> Result<Vec<u8>, XlsxError> {
        if self.names.is_empty() {
            // A workbook needs one sheet to open.
            self.book.add_worksheet();
        }
        self.book.save_to_buffer()
    }
}

impl Sheet<'_> {
    /// Writes the next row.
    pub fn push(&mut self, cells: &[Cell]) -> Result<(), XlsxError> {
        let row = self.next_row;
        for (col, cell) in cells.iter().enumerate() {
            let col = col as u16;
            match cell {
                Cell::Empty => {}
                Cell::Text(text) => {
                    if text.contains('\n') {
                        self.sheet.write_string_with_format(
                            row,
                            col,
                            text,
                            &self.formats.wrapped,
                        )?;
                    } else {
                        self.sheet.write_string(row, col, text)?;
                    }
                }
                Cell::Int(n) => {
                    self.sheet.write_number(row, col, *n as f64)?;
                }
                Cell::Number(x) => {
                    self.sheet.write_number(row, col, *x)?;
                }
                Cell::Date(day) => {
                    self.sheet
                        .write_datetime_with_format(row, col, day, &self.formats.date)?;
                }
                Cell::DateTime(at) => {
                    self.sheet
                        .write_datetime_with_format(row, col, at, &self.formats.instant)?;
                }
            }
        }
        self.next_row += 1;
        Ok(())
    }
}

/// Tables as a workbook, one sheet each, in order.
pub fn workbook(tables: &[Table]) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    for table in tables {
        book.add_table(table)?;
    }
    book.finish()
}

/// A valid sheet name from `wanted`, not among `taken`: the characters Excel
/// refuses (`[]:*?/\`) become spaces, a leading or trailing apostrophe goes, the
/// name is cut to 31 characters, an empty one becomes "Sheet", and a name already
/// used (Excel compares them without case) gets " (2)", " (3)", … within the 31.
pub fn sheet_name(wanted: &str, taken: &[String]) -> String {
    let cleaned: String = wanted
        .chars()
        .map(|c| match c {
            '[' | ']' | ':' | '*' | '?' | '/' | '\\' => ' ',
            c if c.is_control() => ' ',
            c => c,
        })
        .collect();
    let cleaned = cleaned.trim().trim_matches('\'').trim();
    let base = if cleaned.is_empty() { "Sheet" } else { cleaned };
    let is_taken = |name: &str| {
        taken
            .iter()
            .any(|t| t.to_lowercase() == name.to_lowercase())
    };
    let first = cut(base, SHEET_NAME_MAX);
    if !is_taken(&first) {
        return first;
    }
    (2..)
        .map(|n| {
            let suffix = format!(" ({n})");
            format!(
                "{}{suffix}",
                cut(base, SHEET_NAME_MAX - suffix.chars().count())
            )
        })
        .find(|name| !is_taken(name))
        .expect("some number is free")
}

/// The first `max` characters, without a trailing space or apostrophe.
fn cut(text: &str, max: usize) -> String {
    let cut: String = text.chars().take(max).collect();
    cut.trim_end().trim_end_matches('\'').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names_are_made_valid_short_and_unique() {
        assert_eq!(
            sheet_name("Tổng hợp: quý I/2026", &[]),
            "Tổng hợp  quý I 2026"
        );
        let long = "Danh sách kiến nghị đã được trả lời và đã giải quyết xong";
        let first = sheet_name(long, &[]);
        assert_eq!(first.chars().count(), 31);
        let second = sheet_name(long, std::slice::from_ref(&first));
        assert!(second.ends_with(" (2)") && second.chars().count() <= 31);
        assert_eq!(sheet_name("[]", &[]), "Sheet");
        assert_eq!(sheet_name("sheet", &["Sheet".to_string()]), "sheet (2)");
        assert_eq!(sheet_name("'Quoted'", &[]), "Quoted");
    }

    #[test]
    fn a_workbook_of_tables_is_a_zip_file() {
        let mut table = Table::new("Số liệu", "Số liệu", &[("Cơ quan", 30.0), ("Số", 8.0)]);
        table.push(vec![Cell::Text("Ban Tổ chức".into()), Cell::Int(3)]);
        let bytes = workbook(&[table.clone(), table]).unwrap();
        assert!(bytes.starts_with(b"PK"), "an .xlsx is a zip archive");
    }
}
