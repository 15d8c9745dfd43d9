//! The rules of the bulk invitation of delegates: which rows of a pasted CSV
//! (name, email, unit) can become accounts, and why the others cannot. Plain
//! rules, no HTTP and no storage; the caller says which addresses are taken.

use std::collections::HashMap;

use super::credentials::Email;
use super::csv::{is_header, parse_csv};
use super::text::{char_len, normalize};

/// Most rows one import takes (all go in one transaction).
pub const IMPORT_MAX_ROWS: usize = 500;
/// Longest name and unit, as on the user form.
pub const NAME_MAX_CHARS: usize = 200;

/// Why a paste is refused as a whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportRefusal {
    /// A quote opened on this line is never closed.
    UnclosedQuote {
        /// The line the quote opened on.
        line: usize,
    },
    /// No row besides the header.
    Empty,
    /// More rows than [`IMPORT_MAX_ROWS`].
    TooMany {
        /// The most rows allowed.
        max: usize,
    },
}

/// Why one row cannot become an account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowProblem {
    /// More than three columns.
    Columns,
    /// No name.
    NameMissing,
    /// A name longer than [`NAME_MAX_CHARS`].
    NameTooLong,
    /// A unit longer than [`NAME_MAX_CHARS`].
    UnitTooLong,
    /// Not an email address.
    Email,
    /// The address already appears on an earlier line.
    Duplicate {
        /// The line it first appears on.
        first_line: usize,
    },
    /// The address belongs to an existing account.
    Registered,
}

/// One row of the paste, normalised, with its problems.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportRow {
    /// The line it starts on.
    pub line: usize,
    /// The name (NFC, trimmed).
    pub full_name: String,
    /// The address, lower-cased when valid.
    pub email: String,
    /// The unit.
    pub unit: String,
    /// Why it cannot be imported; empty when it can.
    pub problems: Vec<RowProblem>,
}

impl ImportRow {
    /// Whether the row's address should be looked up among existing accounts: it
    /// is valid and appears here for the first time.
    pub fn needs_lookup(&self) -> bool {
        !self
            .problems
            .iter()
            .any(|p| matches!(p, RowProblem::Email | RowProblem::Duplicate { .. }))
    }
}

/// Reads the paste into rows (a header line is skipped) and checks each row on
/// its own and against the earlier rows. Addresses already registered are marked
/// afterwards by [`mark_registered`].
pub fn check_rows(csv: &str) -> Result<Vec<ImportRow>, ImportRefusal> {
    let mut records = parse_csv(csv).map_err(|line| ImportRefusal::UnclosedQuote { line })?;
    if records.first().is_some_and(is_header) {
        records.remove(0);
    }
    if records.is_empty() {
        return Err(ImportRefusal::Empty);
    }
    if records.len() > IMPORT_MAX_ROWS {
        return Err(ImportRefusal::TooMany {
            max: IMPORT_MAX_ROWS,
        });
    }
    let mut first_line_of: HashMap<String, usize> = HashMap::new();
    let mut rows = Vec::with_capacity(records.len());
    for record in records {
        let cell = |i: usize| normalize(record.fields.get(i).map(String::as_str).unwrap_or(""));
        let mut row = ImportRow {
            line: record.line,
            full_name: cell(0),
            email: cell(1),
            unit: cell(2),
            problems: Vec::new(),
        };
        if record.fields.len() > 3 {
            row.problems.push(RowProblem::Columns);
        }
        if row.full_name.is_empty() {
            row.problems.push(RowProblem::NameMissing);
        } else if char_len(&row.full_name) > NAME_MAX_CHARS {
            row.problems.push(RowProblem::NameTooLong);
        }
        if char_len(&row.unit) > NAME_MAX_CHARS {
            row.problems.push(RowProblem::UnitTooLong);
        }
        match Email::parse(&row.email) {
            None => row.problems.push(RowProblem::Email),
            Some(email) => {
                row.email = email.as_str().to_owned();
                match first_line_of.get(&row.email) {
                    Some(&first_line) => row.problems.push(RowProblem::Duplicate { first_line }),
                    None => {
                        first_line_of.insert(row.email.clone(), row.line);
                    }
                }
            }
        }
        rows.push(row);
    }
    Ok(rows)
}

/// Marks the rows whose address `registered` says is taken.
pub fn mark_registered(rows: &mut [ImportRow], registered: impl Fn(&str) -> bool) {
    for row in rows.iter_mut() {
        if row.needs_lookup() && registered(&row.email) {
            row.problems.push(RowProblem::Registered);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_row_gets_its_problems_and_the_file_is_checked_for_duplicates() {
        let csv = "name,email,unit\n\
                   Nguyễn Văn A,A@NgheAn.vn,Sở Tài chính\n\
                   ,b@nghean.vn,\n\
                   Trần C,not-an-email,\n\
                   Lê D,a@nghean.vn,\n\
                   Phạm E,taken@nghean.vn,\n\
                   Võ F,f@nghean.vn,x,y\n";
        let mut rows = check_rows(csv).unwrap();
        mark_registered(&mut rows, |email| email == "taken@nghean.vn");
        let problems: Vec<Vec<RowProblem>> = rows.iter().map(|r| r.problems.clone()).collect();
        assert_eq!(
            problems,
            vec![
                vec![],
                vec![RowProblem::NameMissing],
                vec![RowProblem::Email],
                vec![RowProblem::Duplicate { first_line: 2 }],
                vec![RowProblem::Registered],
                vec![RowProblem::Columns],
            ]
        );
        assert_eq!(rows[0].email, "a@nghean.vn");
        assert_eq!(rows[0].line, 2);
    }

    #[test]
    fn a_repeated_or_invalid_address_is_not_looked_up() {
        let mut rows = check_rows("A,x@nghean.vn,\nB,x@nghean.vn,\nC,nope,\n").unwrap();
        let mut asked = Vec::new();
        for row in &rows {
            if row.needs_lookup() {
                asked.push(row.email.clone());
            }
        }
        assert_eq!(asked, vec!["x@nghean.vn"]);
        mark_registered(&mut rows, |_| true);
        assert_eq!(rows[0].problems, vec![RowProblem::Registered]);
        assert!(!rows[1].problems.contains(&RowProblem::Registered));
    }

    #[test]
    fn long_names_and_units_are_refused() {
        let long = "x".repeat(NAME_MAX_CHARS + 1);
        let rows = check_rows(&format!("{long},a@nghean.vn,{long}\n")).unwrap();
        assert_eq!(
            rows[0].problems,
            vec![RowProblem::NameTooLong, RowProblem::UnitTooLong]
        );
    }

    #[test]
    fn a_paste_is_refused_as_a_whole_when_empty_too_long_or_badly_quoted() {
        assert_eq!(check_rows("name,email,unit\n"), Err(ImportRefusal::Empty));
        assert_eq!(
            check_rows("A,\"a@nghean.vn,\n"),
            Err(ImportRefusal::UnclosedQuote { line: 1 })
        );
        let many: String = (0..=IMPORT_MAX_ROWS)
            .map(|i| format!("N{i},n{i}@nghean.vn,\n"))
            .collect();
        assert_eq!(
            check_rows(&many),
            Err(ImportRefusal::TooMany {
                max: IMPORT_MAX_ROWS
            })
        );
    }
}
