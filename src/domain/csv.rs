//! Reading CSV pasted by an administrator (the bulk invitation of delegates):
//! plain text rules, no HTTP and no storage.

use super::text::fold_for_search;

/// One record of pasted CSV: the line it starts on and its fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// The line the record starts on (1 is the first).
    pub line: usize,
    /// Its fields, trimmed.
    pub fields: Vec<String>,
}

/// Reads pasted CSV: fields separated by commas (or by tabs, when the first line
/// has one, as cells copied from a spreadsheet are), records by line ends (`\n`
/// or `\r\n`). A field in double quotes may hold separators, line ends and `""`
/// for a quote. Fields are trimmed; a leading byte-order mark is ignored. An
/// unclosed quote is an error, reported with the line it opened on.
pub fn parse_csv(text: &str) -> Result<Vec<Record>, usize> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first_line = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let separator = if first_line.contains('\t') { '\t' } else { ',' };
    let mut records = Vec::new();
    let mut fields: Vec<String> = Vec::new();
    let mut field = String::new();
    let (mut line, mut record_line, mut quote_line) = (1, 1, 1);
    let (mut in_quotes, mut quoted) = (false, false);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if in_quotes {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => in_quotes = false,
                '\r' if chars.peek() == Some(&'\n') => {}
                '\n' => {
                    line += 1;
                    field.push('\n');
                }
                _ => field.push(c),
            }
            continue;
        }
        match c {
            // A quote opens a quoted field only at its start (spaces aside); one
            // inside an unquoted field is kept as it is.
            '"' if !quoted && field.trim().is_empty() => {
                field.clear();
                in_quotes = true;
                quoted = true;
                quote_line = line;
            }
            '\n' => {
                fields.push(field.trim().to_owned());
                records.push(Record {
                    line: record_line,
                    fields: std::mem::take(&mut fields),
                });
                field.clear();
                quoted = false;
                line += 1;
                record_line = line;
            }
            '\r' => {}
            c if c == separator => {
                fields.push(field.trim().to_owned());
                field.clear();
                quoted = false;
            }
            _ => field.push(c),
        }
    }
    if in_quotes {
        return Err(quote_line);
    }
    if !fields.is_empty() || !field.trim().is_empty() || quoted {
        fields.push(field.trim().to_owned());
        records.push(Record {
            line: record_line,
            fields,
        });
    }
    records.retain(|r| r.fields.iter().any(|f| !f.is_empty()));
    Ok(records)
}

/// Whether the first record is a header row (`name, email, unit` in either
/// language) rather than a delegate: its second field names the email column.
pub fn is_header(record: &Record) -> bool {
    let email = record.fields.get(1).map(String::as_str).unwrap_or("");
    let folded = fold_for_search(email);
    !email.contains('@') && (folded.contains("mail") || folded.contains("thu dien tu"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(records: &[Record]) -> Vec<Vec<&str>> {
        records
            .iter()
            .map(|r| r.fields.iter().map(String::as_str).collect())
            .collect()
    }

    #[test]
    fn quoted_fields_keep_commas_quotes_and_line_ends() {
        let text = "\"Nguyễn Văn A, Phó Giám đốc\",a@nghean.vn,\"Sở \"\"Tài chính\"\"\"\r\n\
                    \"Trần\nThị B\", b@nghean.vn , Sở Y tế\n";
        let records = parse_csv(text).unwrap();
        assert_eq!(
            fields(&records),
            vec![
                vec![
                    "Nguyễn Văn A, Phó Giám đốc",
                    "a@nghean.vn",
                    "Sở \"Tài chính\""
                ],
                vec!["Trần\nThị B", "b@nghean.vn", "Sở Y tế"],
            ]
        );
        assert_eq!(records[0].line, 1);
        assert_eq!(records[1].line, 2);
    }

    #[test]
    fn blank_lines_are_skipped_but_line_numbers_still_count() {
        let records = parse_csv("\u{feff}A,a@x.vn\n\n , \nB,b@x.vn").unwrap();
        assert_eq!(
            fields(&records),
            vec![vec!["A", "a@x.vn"], vec!["B", "b@x.vn"]]
        );
        assert_eq!(records[1].line, 4);
    }

    #[test]
    fn cells_copied_from_a_spreadsheet_are_separated_by_tabs() {
        let records = parse_csv("Lê Văn C, Trưởng phòng\tc@x.vn\tSở Nội vụ\n").unwrap();
        assert_eq!(
            fields(&records),
            vec![vec!["Lê Văn C, Trưởng phòng", "c@x.vn", "Sở Nội vụ"]]
        );
    }

    #[test]
    fn an_unclosed_quote_is_reported_at_the_line_it_opened() {
        assert_eq!(parse_csv("A,a@x.vn\n\"B,b@x.vn\nC,c@x.vn"), Err(2));
    }

    #[test]
    fn a_header_row_is_recognised_in_either_language() {
        let header = |fields: &[&str]| Record {
            line: 1,
            fields: fields.iter().map(|f| f.to_string()).collect(),
        };
        assert!(is_header(&header(&["name", "email", "unit"])));
        assert!(is_header(&header(&["Họ và tên", "Thư điện tử", "Đơn vị"])));
        assert!(!is_header(&header(&["Email Nguyễn", "mail@x.vn", "Sở"])));
        assert!(!is_header(&header(&["Nguyễn Văn A", "a@x.vn"])));
    }
}
