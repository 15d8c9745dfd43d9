//! The periodic report (monthly, first quarter, six months, nine months, the
//! year, or any dates): numbered sections of tables. The print page renders the
//! sections; the Excel and CSV exports take [`periodic_tables`], one sheet or
//! file per table, in the same order.

use chrono::NaiveDateTime;
use diesel::QueryResult;

use crate::db::stats::{self, Figures, ItemLists, ListedItem, StatsScope};
use crate::db::DbConnection;
use crate::domain::calendar::local_date;
use crate::domain::table::{Cell, Table};

use super::figures::{
    by_body_table, by_field_table, by_outcome_table, commitments_table, overdue_table,
    satisfaction_table, stage_times_table, totals_table,
};
use super::Names;

/// One numbered section: its heading (numeral included) and its tables.
#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    /// "I. Số liệu chung" and so on.
    pub heading: String,
    /// The tables, in order.
    pub tables: Vec<Table>,
}

/// The report's sections: I. figures, II. per body, III. items answered in the
/// period, IV. items resolved, V. items still open with body and due date.
pub fn periodic_sections(figures: &Figures, lists: &ItemLists, names: &Names) -> Vec<Section> {
    let numbered = |numeral: &str, key: &str| format!("{numeral}. {}", names.t(key));
    vec![
        Section {
            heading: numbered("I", "periodic_section_figures"),
            tables: vec![
                totals_table(figures, names),
                stage_times_table(figures, names),
                by_field_table(figures, names),
                by_outcome_table(figures, names),
                satisfaction_table(figures, names),
                commitments_table(figures, names),
            ],
        },
        Section {
            heading: numbered("II", "periodic_section_bodies"),
            tables: vec![by_body_table(figures, names), overdue_table(figures, names)],
        },
        Section {
            heading: numbered("III", "periodic_section_answered"),
            tables: vec![answered_table(&lists.answered, names)],
        },
        Section {
            heading: numbered("IV", "periodic_section_resolved"),
            tables: vec![resolved_table(&lists.resolved, names)],
        },
        Section {
            heading: numbered("V", "periodic_section_open"),
            tables: vec![open_table(&lists.open, names)],
        },
    ]
}

/// What the report is built from: the figures and the item lists of `scope`
/// (give it a period), open and overdue judged at the period's end or `now`.
pub fn load(
    conn: &mut DbConnection,
    scope: &StatsScope,
    now: NaiveDateTime,
    list_limit: Option<i64>,
) -> QueryResult<(Figures, ItemLists)> {
    Ok((
        stats::figures(conn, scope, now)?,
        stats::item_lists(conn, scope, now, list_limit)?,
    ))
}

/// Every table of the report, section by section (for the exports).
pub fn periodic_tables(figures: &Figures, lists: &ItemLists, names: &Names) -> Vec<Table> {
    periodic_sections(figures, lists, names)
        .into_iter()
        .flat_map(|section| section.tables)
        .collect()
}

fn day(at: Option<chrono::NaiveDateTime>) -> Cell {
    at.map(|at| Cell::Date(local_date(at)))
        .unwrap_or(Cell::Empty)
}

fn item_columns<'a>(names: &'a Names, extra: &[(&'a str, f64)]) -> Vec<(String, f64)> {
    let mut columns = vec![
        (names.t("dash_col_reference"), 14.0),
        (names.t("dash_col_title"), 50.0),
        (names.t("dash_col_body"), 30.0),
    ];
    columns.extend(extra.iter().map(|(key, width)| (names.t(key), *width)));
    columns
}

fn list_table(
    sheet: &str,
    title: &str,
    columns: Vec<(String, f64)>,
    items: &[ListedItem],
    names: &Names,
    cells: impl Fn(&ListedItem) -> Vec<Cell>,
) -> Table {
    let columns: Vec<(&str, f64)> = columns.iter().map(|(h, w)| (h.as_str(), *w)).collect();
    let mut table = Table::new(&names.t(sheet), &names.t(title), &columns);
    for item in items {
        let mut row = vec![
            Cell::Text(item.reference.clone()),
            Cell::Text(item.title.clone()),
            Cell::Text(names.body(item.body)),
        ];
        row.extend(cells(item));
        table.push(row);
    }
    table
}

/// Items answered in the period.
pub fn answered_table(items: &[ListedItem], names: &Names) -> Table {
    list_table(
        "periodic_sheet_answered",
        "periodic_answered_title",
        item_columns(
            names,
            &[
                ("dash_col_submitted", 12.0),
                ("dash_col_published", 12.0),
                ("outcome_label", 30.0),
            ],
        ),
        items,
        names,
        |item| {
            vec![
                day(Some(item.submitted_at)),
                day(item.published_at),
                Cell::Text(names.outcome(item.outcome.as_deref())),
            ]
        },
    )
}

/// Items resolved in the period.
pub fn resolved_table(items: &[ListedItem], names: &Names) -> Table {
    list_table(
        "periodic_sheet_resolved",
        "periodic_resolved_title",
        item_columns(
            names,
            &[("dash_col_published", 12.0), ("dash_col_resolved_on", 12.0)],
        ),
        items,
        names,
        |item| vec![day(item.published_at), day(item.resolved_at)],
    )
}

/// Items still open at the end of the period.
pub fn open_table(items: &[ListedItem], names: &Names) -> Table {
    list_table(
        "periodic_sheet_open",
        "periodic_open_title",
        item_columns(
            names,
            &[("dash_col_submitted", 12.0), ("dash_col_due", 12.0)],
        ),
        items,
        names,
        |item| vec![day(Some(item.submitted_at)), day(Some(item.deadline))],
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{Catalog, Lang};

    #[test]
    fn the_report_has_five_numbered_sections_and_sheet_names_a_workbook_accepts() {
        let catalog = Catalog::load();
        for lang in [Lang::Vi, Lang::En] {
            let text = |key: &str| catalog.get(lang, key).to_owned();
            let names = Names {
                bodies: &[],
                fields: &[],
                lang,
                text: &text,
            };
            let sections = periodic_sections(&Figures::default(), &ItemLists::default(), &names);
            let numerals: Vec<&str> = sections
                .iter()
                .map(|s| s.heading.split('.').next().unwrap())
                .collect();
            assert_eq!(numerals, ["I", "II", "III", "IV", "V"]);
            let tables = periodic_tables(&Figures::default(), &ItemLists::default(), &names);
            assert_eq!(tables.len(), 11);
            let mut sheets: Vec<&str> = tables.iter().map(|t| t.name.as_str()).collect();
            sheets.sort_unstable();
            sheets.dedup();
            assert_eq!(sheets.len(), 11, "one sheet name per table");
            for table in &tables {
                assert!(
                    table.name.chars().count() <= 31
                        && !table.name.contains(['[', ']', ':', '*', '?', '/', '\\']),
                    "sheet name {:?}",
                    table.name
                );
                assert!(!table.name.starts_with("dash_") && !table.name.starts_with("periodic_"));
                for row in &table.rows {
                    assert_eq!(row.len(), table.columns.len());
                }
            }
        }
    }
}
