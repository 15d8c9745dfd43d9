//! CSV as Excel opens it: UTF-8 with a byte-order mark (without it Excel reads the
//! file in the machine's code page and garbles Vietnamese), CRLF line ends and
//! RFC 4180 quoting. Text cells that a spreadsheet would read as a formula
//! (beginning with `=`, `+`, `-`, `@`, a tab or a carriage return) get a leading
//! `'`, as OWASP advises against CSV injection: a delegate's title
//! `=HYPERLINK(...)` must stay text on a coordinator's machine.
//!
//! Rows are written one at a time ([`header`], [`row`]) so a list of 100,000 items
//! streams in chunks; [`table`] writes a whole (small) table at once.

use crate::domain::table::{Cell, Column, Table};

/// The UTF-8 byte-order mark, first in every file.
pub const BOM: &str = "\u{feff}";

/// The header line of these columns, with its CRLF.
pub fn header(columns: &[Column]) -> String {
    let mut line = String::new();
    for (i, column) in columns.iter().enumerate() {
        if i > 0 {
            line.push(',');
        }
        push_field(&mut line, &neutralise(&column.header));
    }
    line.push_str("\r\n");
    line
}

/// One row of cells, with its CRLF.
pub fn row(cells: &[Cell]) -> String {
    let mut line = String::new();
    for (i, cell) in cells.iter().enumerate() {
        if i > 0 {
            line.push(',');
        }
        push_field(&mut line, &cell_text(cell));
    }
    line.push_str("\r\n");
    line
}

/// A whole table as a file: the BOM, the header, then every row.
pub fn table(table: &Table) -> String {
    let mut file = String::from(BOM);
    file.push_str(&header(&table.columns));
    for cells in &table.rows {
        file.push_str(&row(cells));
    }
    file
}

/// Several tables in one file (a report's sections): the BOM once, then each
/// table's title on a line of its own, its header and rows, and an empty line.
/// A spreadsheet opens it as one sheet with the tables one under another.
pub fn tables(tables: &[Table]) -> String {
    let mut file = String::from(BOM);
    for table in tables {
        push_field(&mut file, &neutralise(&table.title));
        file.push_str("\r\n");
        file.push_str(&header(&table.columns));
        for cells in &table.rows {
            file.push_str(&row(cells));
        }
        file.push_str("\r\n");
    }
    file
}

/// The text a cell is written as: dates as dd/mm/yyyy (as the printed report
/// shows them), numbers as digits with a point, text neutralised. Numbers are
/// never neutralised: `-3` is a number, not a formula.
fn cell_text(cell: &Cell) -> String {
    match cell {
        Cell::Empty => String::new(),
        Cell::Text(text) => neutralise(text),
        Cell::Int(n) => n.to_string(),
        Cell::Number(x) => format!("{x:.1}"),
        Cell::Date(day) => day.format("%d/%m/%Y").to_string(),
        Cell::DateTime(at) => at.format("%d/%m/%Y %H:%M").to_string(),
    }
}

/// Text that a spreadsheet would take for a formula, with a `'` in front.
pub fn neutralise(text: &str) -> String {
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{text}"),
        _ => text.to_string(),
    }
}

/// Appends one field, quoted when it holds a comma, a quote or a line break
/// (quotes doubled, RFC 4180).
fn push_field(line: &mut String, text: &str) {
    if text.contains([',', '"', '\r', '\n']) {
        line.push('"');
        line.push_str(&text.replace('"', "\"\""));
        line.push('"');
    } else {
        line.push_str(text);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    #[test]
    fn a_report_of_several_tables_has_one_bom_and_each_title_above_its_table() {
        let mut figures = Table::new(
            "Số liệu",
            "I. Số liệu chung",
            &[("Chỉ tiêu", 20.0), ("Số", 6.0)],
        );
        figures.push(vec![Cell::Text("Tiếp nhận".into()), Cell::Int(9)]);
        let mut open = Table::new("Còn mở", "=Còn mở", &[("Số hiệu", 12.0)]);
        open.push(vec![Cell::Text("KN-2023-7".into())]);
        let file = tables(&[figures, open]);
        assert_eq!(file.matches(BOM).count(), 1);
        assert_eq!(
            file,
            "\u{feff}I. Số liệu chung\r\nChỉ tiêu,Số\r\nTiếp nhận,9\r\n\r\n'=Còn mở\r\nSố hiệu\r\nKN-2023-7\r\n\r\n"
        );
    }

    #[test]
    fn a_file_starts_with_the_bom_and_ends_lines_with_crlf() {
        let mut t = Table::new(
            "Danh sách",
            "Danh sách",
            &[("Số hiệu", 12.0), ("Tiêu đề", 40.0)],
        );
        t.push(vec![
            Cell::Text("KN-2023-0001".into()),
            Cell::Text("Cán bộ".into()),
        ]);
        let file = table(&t);
        assert!(file.starts_with('\u{feff}'));
        assert_eq!(file, "\u{feff}Số hiệu,Tiêu đề\r\nKN-2023-0001,Cán bộ\r\n");
    }

    #[test]
    fn quotes_commas_and_line_breaks_are_quoted() {
        let line = row(&[
            Cell::Text("a, b".into()),
            Cell::Text("say \"yes\"".into()),
            Cell::Text("two\nlines".into()),
        ]);
        assert_eq!(line, "\"a, b\",\"say \"\"yes\"\"\",\"two\nlines\"\r\n");
    }

    #[test]
    fn formulas_in_text_are_neutralised_but_numbers_are_not() {
        for dangerous in ["=HYPERLINK(\"x\")", "+1", "-1+2", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(neutralise(dangerous), format!("'{dangerous}"));
        }
        assert_eq!(neutralise("Cán bộ"), "Cán bộ");
        assert_eq!(row(&[Cell::Int(-3)]), "-3\r\n");
        assert_eq!(
            row(&[Cell::Text("=1,2".into())]),
            "\"'=1,2\"\r\n",
            "neutralised, then quoted for its comma"
        );
    }

    #[test]
    fn dates_and_numbers_are_written_as_a_reader_expects() {
        let day = NaiveDate::from_ymd_opt(2026, 3, 9).unwrap();
        let at = day.and_hms_opt(14, 5, 0).unwrap();
        assert_eq!(
            row(&[
                Cell::Date(day),
                Cell::DateTime(at),
                Cell::Number(2.26),
                Cell::Empty
            ]),
            "09/03/2026,09/03/2026 14:05,2.3,\r\n"
        );
    }
}
