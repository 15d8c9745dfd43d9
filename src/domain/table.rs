//! A table of a report or an exported list, independent of how it is shown: the
//! print page renders it as HTML, `export::xlsx` as one sheet of a workbook,
//! `export::csv` as a file. Headers and sheet names are already in the reader's
//! language when a table is built.

use chrono::{NaiveDate, NaiveDateTime};

/// One cell. Dates stay dates so a workbook can format them as dd/mm/yyyy and a
/// reader can sort and filter them.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Nothing.
    Empty,
    /// Text, shown as typed (exports neutralise a leading `=`, `+`, `-`, `@`).
    Text(String),
    /// A whole number (a count).
    Int(i64),
    /// A decimal number (a median, a share).
    Number(f64),
    /// A calendar day.
    Date(NaiveDate),
    /// An instant, in local time.
    DateTime(NaiveDateTime),
}

/// One column: its header and its width in characters (for the workbook).
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    /// The header, in the reader's language.
    pub header: String,
    /// Width in characters, as a spreadsheet measures it.
    pub width: f64,
}

/// A named table: one sheet of a workbook, one section of a report.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// The sheet name (at most 31 characters, no `[]:*?/\`; exports enforce it).
    pub name: String,
    /// The title shown above the table.
    pub title: String,
    /// The columns, left to right.
    pub columns: Vec<Column>,
    /// The rows, each with one cell per column.
    pub rows: Vec<Vec<Cell>>,
}

impl Table {
    /// An empty table with these columns, given as (header, width) pairs.
    pub fn new(name: &str, title: &str, columns: &[(&str, f64)]) -> Table {
        Table {
            name: name.to_string(),
            title: title.to_string(),
            columns: columns
                .iter()
                .map(|(header, width)| Column {
                    header: header.to_string(),
                    width: *width,
                })
                .collect(),
            rows: Vec::new(),
        }
    }

    /// Adds a row; it must have one cell per column.
    pub fn push(&mut self, row: Vec<Cell>) {
        debug_assert_eq!(row.len(), self.columns.len(), "one cell per column");
        self.rows.push(row);
    }
}

/// A table ready for a template (`partials/report_table.html`): every cell as
/// text, numbers marked so they align right.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct DisplayTable {
    /// The title, shown as the caption.
    pub title: String,
    /// The column headers.
    pub headers: Vec<String>,
    /// The rows of cells.
    pub rows: Vec<Vec<DisplayCell>>,
}

/// One cell as shown on a page.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct DisplayCell {
    /// The text shown.
    pub text: String,
    /// Whether it is a number (aligned right).
    pub numeric: bool,
}

impl Cell {
    /// The cell as a reader sees it: dates as dd/mm/yyyy, decimals with one digit
    /// after a comma (the Vietnamese decimal separator, also used in English
    /// reports of this desk so the two print the same figures).
    pub fn display(&self) -> DisplayCell {
        let (text, numeric) = match self {
            Cell::Empty => (String::new(), false),
            Cell::Text(text) => (text.clone(), false),
            Cell::Int(n) => (n.to_string(), true),
            Cell::Number(x) => (format!("{x:.1}").replace('.', ","), true),
            Cell::Date(day) => (day.format("%d/%m/%Y").to_string(), false),
            Cell::DateTime(at) => (at.format("%d/%m/%Y %H:%M").to_string(), false),
        };
        DisplayCell { text, numeric }
    }
}

impl Table {
    /// The table ready for a template.
    pub fn display(&self) -> DisplayTable {
        DisplayTable {
            title: self.title.clone(),
            headers: self.columns.iter().map(|c| c.header.clone()).collect(),
            rows: self
                .rows
                .iter()
                .map(|row| row.iter().map(Cell::display).collect())
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_display_as_a_vietnamese_report_prints_them() {
        let day = NaiveDate::from_ymd_opt(2026, 3, 9).unwrap();
        assert_eq!(Cell::Date(day).display().text, "09/03/2026");
        assert_eq!(Cell::Number(4.26).display().text, "4,3");
        let count = Cell::Int(12).display();
        assert!(count.numeric && count.text == "12");
        let mut table = Table::new("Tổng hợp", "Số liệu", &[("Cơ quan", 30.0), ("Số", 8.0)]);
        table.push(vec![Cell::Text("Ban Tổ chức".into()), Cell::Int(3)]);
        let shown = table.display();
        assert_eq!(shown.headers, vec!["Cơ quan", "Số"]);
        assert_eq!(shown.rows[0][1].text, "3");
    }
}
