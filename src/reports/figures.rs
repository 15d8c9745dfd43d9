//! The figures of `db::stats` as tables, and the charts drawn from the same
//! numbers: the dashboard shows each chart with its table right below it, the
//! periodic report prints the tables.

use crate::db::stats::{Figures, StageTime};
use crate::domain::calendar::local_date;
use crate::domain::chart::BarChart;
use crate::domain::follow_up::Outcome;
use crate::domain::table::{Cell, Table};
use crate::domain::Satisfaction;

use super::Names;

/// One block of figures: a table and, for some, its chart.
#[derive(Debug, Clone, PartialEq)]
pub struct FigureSection {
    /// A stable id (the chart's element id, the heading's anchor).
    pub id: &'static str,
    /// The numbers.
    pub table: Table,
    /// The chart of those numbers, if the section has one.
    pub chart: Option<BarChart>,
}

/// The headline counts.
pub fn totals_table(figures: &Figures, names: &Names) -> Table {
    let mut table = Table::new(
        &names.t("dash_sheet_totals"),
        &names.t("dash_totals_title"),
        &[
            (&names.t("dash_col_measure"), 40.0),
            (&names.t("dash_col_count"), 10.0),
        ],
    );
    let t = &figures.totals;
    for (key, value) in [
        ("dash_received", t.received),
        ("dash_withdrawn", t.withdrawn),
        ("dash_routed", t.routed),
        ("dash_answered", t.answered),
        ("dash_resolved", t.resolved),
    ] {
        table.push(vec![Cell::Text(names.t(key)), Cell::Int(value)]);
    }
    table
}

/// Per body: received, answered, resolved, and in time / late × answered / open.
pub fn by_body_table(figures: &Figures, names: &Names) -> Table {
    let mut table = Table::new(
        &names.t("dash_sheet_bodies"),
        &names.t("dash_by_body_title"),
        &[
            (&names.t("dash_col_body"), 40.0),
            (&names.t("dash_col_received"), 10.0),
            (&names.t("dash_col_answered"), 10.0),
            (&names.t("dash_col_resolved"), 10.0),
            (&names.t("dash_answered_in_time"), 12.0),
            (&names.t("dash_answered_late"), 12.0),
            (&names.t("dash_open_in_time"), 12.0),
            (&names.t("dash_open_late"), 12.0),
        ],
    );
    for (body, line) in &figures.by_body {
        table.push(vec![
            Cell::Text(names.body(*body)),
            Cell::Int(line.received),
            Cell::Int(line.answered),
            Cell::Int(line.resolved),
            Cell::Int(line.answered_in_time),
            Cell::Int(line.answered_late),
            Cell::Int(line.open_in_time),
            Cell::Int(line.open_late),
        ]);
    }
    table
}

/// Received per field (fields in their order; inactive ones only with items).
pub fn by_field_table(figures: &Figures, names: &Names) -> Table {
    let mut table = Table::new(
        &names.t("dash_sheet_fields"),
        &names.t("dash_by_field_title"),
        &[
            (&names.t("dash_col_field"), 40.0),
            (&names.t("dash_col_received"), 10.0),
        ],
    );
    let mut fields: Vec<_> = names.fields.iter().collect();
    fields.sort_by_key(|f| (f.sort_order, f.id));
    for field in fields {
        let count = figures
            .received_by_field
            .get(&field.id)
            .copied()
            .unwrap_or(0);
        if field.active || count > 0 {
            table.push(vec![Cell::Text(names.field(field.id)), Cell::Int(count)]);
        }
    }
    table
}

/// Answers per outcome.
pub fn by_outcome_table(figures: &Figures, names: &Names) -> Table {
    let mut table = Table::new(
        &names.t("dash_sheet_outcomes"),
        &names.t("dash_by_outcome_title"),
        &[
            (&names.t("outcome_label"), 40.0),
            (&names.t("dash_col_answered"), 10.0),
        ],
    );
    for outcome in Outcome::ALL {
        let count = figures
            .by_outcome
            .get(&Some(outcome.as_str().to_owned()))
            .copied()
            .unwrap_or(0);
        table.push(vec![
            Cell::Text(names.outcome(Some(outcome.as_str()))),
            Cell::Int(count),
        ]);
    }
    if let Some(count) = figures.by_outcome.get(&None) {
        table.push(vec![Cell::Text(names.outcome(None)), Cell::Int(*count)]);
    }
    table
}

/// The levels of satisfaction, rated and not.
fn levels() -> Vec<Option<&'static str>> {
    Satisfaction::ALL
        .into_iter()
        .map(|s| Some(s.as_str()))
        .chain([None])
        .collect()
}

/// Satisfaction with the answers and with the results, per level.
pub fn satisfaction_table(figures: &Figures, names: &Names) -> Table {
    let mut table = Table::new(
        &names.t("dash_sheet_satisfaction"),
        &names.t("dash_satisfaction_title"),
        &[
            (&names.t("dash_col_level"), 30.0),
            (&names.t("dash_col_with_answer"), 14.0),
            (&names.t("dash_col_with_result"), 14.0),
        ],
    );
    for level in levels() {
        let key = level.map(str::to_owned);
        table.push(vec![
            Cell::Text(names.satisfaction(level)),
            Cell::Int(figures.answer_satisfaction.get(&key).copied().unwrap_or(0)),
            Cell::Int(figures.result_satisfaction.get(&key).copied().unwrap_or(0)),
        ]);
    }
    table
}

fn days_cell(days: Option<i64>) -> Cell {
    days.map(Cell::Int).unwrap_or(Cell::Empty)
}

/// Working days from submission to answer and to resolution.
pub fn stage_times_table(figures: &Figures, names: &Names) -> Table {
    let mut table = Table::new(
        &names.t("dash_sheet_times"),
        &names.t("dash_times_title"),
        &[
            (&names.t("dash_col_stage"), 30.0),
            (&names.t("dash_col_items"), 10.0),
            (&names.t("dash_col_median"), 14.0),
            (&names.t("dash_col_p90"), 14.0),
        ],
    );
    let row = |key: &str, time: &StageTime| {
        vec![
            Cell::Text(names.t(key)),
            Cell::Int(time.count),
            days_cell(time.median),
            days_cell(time.p90),
        ]
    };
    table.push(row("dash_to_answer", &figures.to_answer));
    table.push(row("dash_to_resolution", &figures.to_resolution));
    table
}

/// Commitments done, overdue, cannot be done.
pub fn commitments_table(figures: &Figures, names: &Names) -> Table {
    let mut table = Table::new(
        &names.t("dash_sheet_commitments"),
        &names.t("dash_commitments_title"),
        &[
            (&names.t("dash_col_measure"), 30.0),
            (&names.t("dash_col_count"), 10.0),
        ],
    );
    let c = &figures.commitments;
    for (key, value) in [
        ("progress_done", c.done),
        ("dash_commitments_overdue", c.overdue),
        ("progress_cannot_be_done", c.cannot_be_done),
    ] {
        table.push(vec![Cell::Text(names.t(key)), Cell::Int(value)]);
    }
    table
}

/// The items overdue longest.
pub fn overdue_table(figures: &Figures, names: &Names) -> Table {
    let mut table = Table::new(
        &names.t("dash_sheet_overdue"),
        &names.t("dash_overdue_title"),
        &[
            (&names.t("dash_col_reference"), 14.0),
            (&names.t("dash_col_title"), 50.0),
            (&names.t("dash_col_body"), 30.0),
            (&names.t("dash_col_due"), 12.0),
            (&names.t("dash_col_days_overdue"), 12.0),
        ],
    );
    for item in &figures.overdue_longest {
        table.push(vec![
            Cell::Text(item.reference.clone()),
            Cell::Text(item.title.clone()),
            Cell::Text(names.body(item.body)),
            Cell::Date(local_date(item.due)),
            Cell::Int(item.working_days_overdue),
        ]);
    }
    table
}

/// A one-series chart of a table's first two columns.
fn simple_chart(id: &str, table: &Table, names: &Names) -> BarChart {
    BarChart {
        id: format!("chart-{id}"),
        title: table.title.clone(),
        series: vec![table.columns[1].header.clone()],
        rows: table
            .rows
            .iter()
            .map(|row| {
                let label = match &row[0] {
                    Cell::Text(text) => text.clone(),
                    _ => String::new(),
                };
                let value = match row[1] {
                    Cell::Int(n) => n,
                    _ => 0,
                };
                (label, vec![value])
            })
            .collect(),
        empty_text: names.t("dash_chart_empty"),
    }
}

/// Every section of the dashboard, in order.
pub fn figure_sections(figures: &Figures, names: &Names) -> Vec<FigureSection> {
    let by_body = by_body_table(figures, names);
    let body_chart = BarChart {
        id: "chart-bodies".into(),
        title: by_body.title.clone(),
        series: [
            "dash_answered_in_time",
            "dash_answered_late",
            "dash_open_in_time",
            "dash_open_late",
        ]
        .iter()
        .map(|k| names.t(k))
        .collect(),
        rows: figures
            .by_body
            .iter()
            .map(|(body, l)| {
                (
                    names.body(*body),
                    vec![
                        l.answered_in_time,
                        l.answered_late,
                        l.open_in_time,
                        l.open_late,
                    ],
                )
            })
            .collect(),
        empty_text: names.t("dash_chart_empty"),
    };
    let by_field = by_field_table(figures, names);
    let by_outcome = by_outcome_table(figures, names);
    let satisfaction = satisfaction_table(figures, names);
    let satisfaction_chart = BarChart {
        id: "chart-satisfaction".into(),
        title: satisfaction.title.clone(),
        series: levels()
            .into_iter()
            .map(|l| names.satisfaction(l))
            .collect(),
        rows: [
            ("dash_col_with_answer", &figures.answer_satisfaction),
            ("dash_col_with_result", &figures.result_satisfaction),
        ]
        .into_iter()
        .map(|(key, counts)| {
            let values = levels()
                .into_iter()
                .map(|l| counts.get(&l.map(str::to_owned)).copied().unwrap_or(0))
                .collect();
            (names.t(key), values)
        })
        .collect(),
        empty_text: names.t("dash_chart_empty"),
    };
    vec![
        FigureSection {
            id: "totals",
            table: totals_table(figures, names),
            chart: None,
        },
        FigureSection {
            id: "bodies",
            table: by_body,
            chart: Some(body_chart),
        },
        FigureSection {
            id: "fields",
            chart: Some(simple_chart("fields", &by_field, names)),
            table: by_field,
        },
        FigureSection {
            id: "outcomes",
            chart: Some(simple_chart("outcomes", &by_outcome, names)),
            table: by_outcome,
        },
        FigureSection {
            id: "satisfaction",
            table: satisfaction,
            chart: Some(satisfaction_chart),
        },
        FigureSection {
            id: "times",
            table: stage_times_table(figures, names),
            chart: None,
        },
        FigureSection {
            id: "commitments",
            table: commitments_table(figures, names),
            chart: None,
        },
        FigureSection {
            id: "overdue",
            table: overdue_table(figures, names),
            chart: None,
        },
    ]
}
