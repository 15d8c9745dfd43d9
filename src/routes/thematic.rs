//! The thematic report (issue 11): `GET /reports/thematic?field=…&q=…&conference=…`.
//! Without a field or a search it is a form; with one, the print-ready report in
//! the Party report's layout, numbered sections I–IV, built as [`Table`]s plus
//! the answers' text, and the same tables as `&format=xlsx` (one sheet each) or
//! `&format=csv` (the items table).

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use serde::{Deserialize, Serialize};
use tera::Context;

use super::dashboard::report_scope;
use super::forms::FormErrors;
use super::pages::{now, typed_page, with_db, NavCounts};
use super::AppState;
use crate::auth::CurrentUser;
use crate::db::conferences::Conference;
use crate::db::fields::Field;
use crate::db::item_lists::ItemFilter;
use crate::db::items::Scope;
use crate::db::thematic::{self, shared_themes, ThematicData};
use crate::domain::calendar::{local_date, to_local};
use crate::domain::table::{Cell, DisplayTable, Table};
use crate::domain::text::{char_len, fold_for_search, normalize};
use crate::domain::{ConferenceId, FieldId, Lang};
use crate::error::AppError;
use crate::export::http::download;
use crate::export::{csv, xlsx, Format};

/// The longest search accepted, in characters.
const SEARCH_MAX: usize = 200;
/// Recurring themes listed at most.
const THEMES_MAX: usize = 20;

/// The query string, as typed.
#[derive(Debug, Default, Clone, Deserialize, Serialize)]
pub struct ThematicQuery {
    field: Option<String>,
    q: Option<String>,
    #[serde(default)]
    conference: String,
    #[serde(default)]
    format: String,
    /// `1`: the form again, filled in (the report's "back" link).
    #[serde(default)]
    edit: String,
}

#[derive(Debug, Serialize)]
struct Choice {
    id: i32,
    name: String,
}

/// The form's variables.
#[derive(Debug, Serialize)]
struct FormPage {
    form: FormValues,
    fields: Vec<Choice>,
    conferences: Vec<Choice>,
    errors: FormErrors,
}

/// What the reader typed, shown again.
#[derive(Debug, Serialize)]
struct FormValues {
    field: String,
    q: String,
    conference: String,
}

/// The report's variables (see `reports/party_report.html` for the frame's).
#[derive(Debug, Serialize)]
struct ReportPage {
    report_title: String,
    report_period: String,
    issued_on: chrono::NaiveDate,
    back_url: String,
    export_query: String,
    overview: Vec<DisplayTable>,
    items: DisplayTable,
    answers: Vec<AnswerText>,
    listed_all: bool,
    commitments: DisplayTable,
    per_conference_field: DisplayTable,
    themes: DisplayTable,
}

#[derive(Debug, Serialize)]
struct AnswerText {
    reference: String,
    title: String,
    outcome: Option<String>,
    text: String,
}

/// `GET /reports/thematic`.
pub async fn page(
    state: web::Data<AppState>,
    current: CurrentUser,
    query: web::Query<ThematicQuery>,
) -> Result<HttpResponse, AppError> {
    let body = report_scope(&current)?;
    let lang = current.visit.lang;
    let query = query.into_inner();
    let submitted = query.field.is_some() || query.q.is_some();
    let field_text = query.field.clone().unwrap_or_default();
    let q = normalize(query.q.as_deref().unwrap_or_default());
    let (fields, conferences) = with_db(&state.pool, |conn| {
        Ok((Field::all(conn)?, Conference::all(conn)?))
    })
    .await?;
    let catalog = state.renderer.catalog();
    let mut errors = FormErrors::default();
    let field = match field_text.trim() {
        "" => None,
        text => match text
            .parse::<i32>()
            .ok()
            .and_then(|id| fields.iter().find(|f| f.id == id))
        {
            Some(field) => Some(field),
            None => {
                errors.add("field", catalog, lang, "thematic_error_field");
                None
            }
        },
    };
    let conference = match query.conference.trim() {
        "" => None,
        text => match text
            .parse::<i32>()
            .ok()
            .and_then(|id| conferences.iter().find(|c| c.id == id))
        {
            Some(conference) => Some(conference),
            None => {
                errors.add("conference", catalog, lang, "thematic_error_conference");
                None
            }
        },
    };
    if char_len(&q) > SEARCH_MAX {
        errors.add("q", catalog, lang, "thematic_error_search_long");
    }
    let editing = query.edit == "1";
    if submitted && !editing && errors.is_empty() && field.is_none() && q.is_empty() {
        errors.add("q", catalog, lang, "thematic_error_nothing");
    }
    if editing || !errors.is_empty() || field.is_none() && q.is_empty() {
        let context = FormPage {
            form: FormValues {
                field: field_text,
                q,
                conference: query.conference.clone(),
            },
            fields: fields
                .iter()
                .map(|f| Choice {
                    id: f.id,
                    name: f.name(lang).to_owned(),
                })
                .collect(),
            conferences: conferences
                .iter()
                .map(|c| Choice {
                    id: c.id,
                    name: c.name.clone(),
                })
                .collect(),
            errors,
        };
        let status = context.errors.status();
        return typed_page(
            &state,
            &current.visit,
            "reports/thematic_form.html",
            &context,
            status,
        )
        .await;
    }
    let filter = ItemFilter {
        field: field.map(|f| FieldId(f.id)),
        search: Some(fold_for_search(&q)).filter(|s| !s.trim().is_empty()),
        conference: conference.map(|c| ConferenceId(c.id)),
        ..Default::default()
    };
    let scope = match body {
        Some(body) => Scope::Body(body),
        None => Scope::Everything,
    };
    let data = with_db(&state.pool, move |conn| {
        Ok(thematic::load(conn, scope, &filter)?)
    })
    .await?;
    let text = |key: &str| state.renderer.text(lang, key);
    let mut title_parts = Vec::new();
    if let Some(field) = field {
        title_parts.push(field.name(lang).to_owned());
    }
    if !q.is_empty() {
        title_parts.push(format!("“{q}”"));
    }
    let report_title = format!(
        "{} {}",
        text("thematic_report_title"),
        title_parts.join(" · ")
    );
    let report_period = match conference {
        Some(conference) => conference.name.clone(),
        None => text("thematic_all_conferences"),
    };
    let tables = build_tables(&state, lang, &data);
    let format = Format::parse(&query.format);
    if let Some(format) = format {
        let stem = format!(
            "{} {}",
            text("thematic_file_name"),
            now().format("%Y-%m-%d")
        );
        return Ok(match format {
            Format::Xlsx => {
                let bytes = xlsx::workbook(&tables.all()).map_err(|error| {
                    AppError::Unexpected(format!("writing the workbook: {error}"))
                })?;
                download(Format::Xlsx, &stem).body(bytes)
            }
            Format::Csv => download(Format::Csv, &stem).body(csv::table(&tables.items)),
        });
    }
    let export_query = serde_urlencoded::to_string([
        ("field", field_text.as_str()),
        ("q", q.as_str()),
        ("conference", query.conference.as_str()),
    ])
    .unwrap_or_default();
    let context = ReportPage {
        report_title,
        report_period,
        issued_on: local_date(now()),
        back_url: format!("/reports/thematic?{export_query}&edit=1"),
        overview: tables.overview.iter().map(Table::display).collect(),
        items: tables.items_shown.display(),
        answers: data
            .items
            .iter()
            .filter_map(|item| {
                item.answer.as_ref().map(|answer| AnswerText {
                    reference: item.reference.clone(),
                    title: item.title.clone(),
                    outcome: item.outcome.as_ref().map(|o| text(&format!("outcome_{o}"))),
                    text: answer.clone(),
                })
            })
            .collect(),
        listed_all: data.overview.total as usize == data.items.len(),
        commitments: tables.commitments.display(),
        per_conference_field: tables.per_conference_field.display(),
        themes: tables.themes.display(),
        export_query,
    };
    let html = state.renderer.render(
        &current.visit,
        &NavCounts::default(),
        "reports/thematic.html",
        Context::from_serialize(&context)?,
    )?;
    Ok(HttpResponse::build(StatusCode::OK)
        .content_type("text/html; charset=utf-8")
        .body(html))
}

/// The report's tables.
struct Tables {
    overview: Vec<Table>,
    /// The items with their answers' text (the exports).
    items: Table,
    /// The items without it (the page, which prints the answers below).
    items_shown: Table,
    commitments: Table,
    per_conference_field: Table,
    themes: Table,
}

impl Tables {
    fn all(&self) -> Vec<Table> {
        let mut all = self.overview.clone();
        all.extend([
            self.items.clone(),
            self.commitments.clone(),
            self.per_conference_field.clone(),
            self.themes.clone(),
        ]);
        all
    }
}

fn build_tables(state: &AppState, lang: Lang, data: &ThematicData) -> Tables {
    let t = |key: &str| state.renderer.text(lang, key);
    let text = |value: &str| Cell::Text(value.to_owned());
    let day =
        |at: Option<chrono::NaiveDateTime>| at.map_or(Cell::Empty, |at| Cell::Date(local_date(at)));
    let outcome_name = |outcome: &Option<String>| match outcome {
        Some(outcome) => t(&format!("outcome_{outcome}")),
        None => t("thematic_no_outcome"),
    };

    let mut totals = Table::new(
        &t("thematic_sheet_overview"),
        &t("thematic_table_overview"),
        &[
            (&t("thematic_col_measure"), 40.0),
            (&t("thematic_col_items"), 12.0),
        ],
    );
    let answered: i64 = data.overview.per_conference.values().map(|c| c.1).sum();
    let resolved: i64 = data.overview.per_conference.values().map(|c| c.2).sum();
    totals.push(vec![
        text(&t("thematic_total")),
        Cell::Int(data.overview.total),
    ]);
    totals.push(vec![text(&t("thematic_answered")), Cell::Int(answered)]);
    totals.push(vec![text(&t("thematic_resolved")), Cell::Int(resolved)]);

    let mut per_conference = Table::new(
        &t("thematic_sheet_conferences"),
        &t("thematic_table_conferences"),
        &[
            (&t("thematic_col_conference"), 40.0),
            (&t("thematic_col_held_on"), 12.0),
            (&t("thematic_col_items"), 12.0),
            (&t("thematic_answered"), 12.0),
            (&t("thematic_resolved"), 12.0),
        ],
    );
    for (id, name, held_on) in &data.conferences {
        let (items, answered, resolved) = data
            .overview
            .per_conference
            .get(id)
            .copied()
            .unwrap_or_default();
        per_conference.push(vec![
            text(name),
            Cell::Date(*held_on),
            Cell::Int(items),
            Cell::Int(answered),
            Cell::Int(resolved),
        ]);
    }

    let mut per_outcome = Table::new(
        &t("thematic_sheet_outcomes"),
        &t("thematic_table_outcomes"),
        &[
            (&t("exports_col_outcome"), 36.0),
            (&t("thematic_col_items"), 12.0),
        ],
    );
    for (outcome, count) in &data.overview.per_outcome {
        per_outcome.push(vec![text(&outcome_name(outcome)), Cell::Int(*count)]);
    }

    let item_columns = |with_answer: bool| {
        let mut columns = vec![
            (t("col_reference"), 14.0),
            (t("col_title"), 44.0),
            (t("thematic_col_conference"), 30.0),
            (t("col_field"), 26.0),
            (t("col_body"), 28.0),
            (t("col_status"), 18.0),
            (t("exports_col_outcome"), 26.0),
            (t("exports_col_answered"), 12.0),
        ];
        if with_answer {
            columns.push((t("thematic_col_answer"), 80.0));
        }
        columns
    };
    let new_table = |sheet: &str, title: &str, columns: Vec<(String, f64)>| {
        let columns: Vec<(&str, f64)> = columns.iter().map(|(h, w)| (h.as_str(), *w)).collect();
        Table::new(sheet, title, &columns)
    };
    let mut items = new_table(
        &t("thematic_sheet_items"),
        &t("thematic_table_items"),
        item_columns(true),
    );
    let mut items_shown = new_table(
        &t("thematic_sheet_items"),
        &t("thematic_table_items"),
        item_columns(false),
    );
    for item in &data.items {
        let mut row = vec![
            text(&item.reference),
            text(&item.title),
            text(&item.conference),
            text(lang.pick(&item.field_vi, &item.field_en)),
            match (&item.body_vi, &item.body_en) {
                (Some(vi), Some(en)) => text(lang.pick(vi, en)),
                _ => Cell::Empty,
            },
            text(&t(&format!("status_{}", item.status))),
            item.outcome
                .as_ref()
                .map_or(Cell::Empty, |o| text(&t(&format!("outcome_{o}")))),
            day(item.published_at),
        ];
        items_shown.push(row.clone());
        row.push(item.answer.as_deref().map_or(Cell::Empty, text));
        items.push(row);
    }

    let mut commitments = Table::new(
        &t("thematic_sheet_commitments"),
        &t("thematic_table_commitments"),
        &[
            (&t("col_reference"), 14.0),
            (&t("thematic_col_commitment"), 50.0),
            (&t("thematic_col_owner"), 30.0),
            (&t("thematic_col_due"), 12.0),
            (&t("thematic_col_progress"), 18.0),
            (&t("thematic_col_closed"), 12.0),
        ],
    );
    for c in &data.commitments {
        commitments.push(vec![
            text(&c.reference),
            text(&c.description),
            text(lang.pick(&c.body_vi, &c.body_en)),
            match (c.due_on, c.due_at) {
                (Some(day), _) => Cell::Date(day),
                (None, Some(at)) => Cell::Date(local_date(at)),
                _ => Cell::Empty,
            },
            text(&t(&format!("progress_{}", c.progress))),
            c.closed_at
                .map_or(Cell::Empty, |at| Cell::DateTime(to_local(at))),
        ]);
    }

    let mut per_conference_field = Table::new(
        &t("thematic_sheet_recurring"),
        &t("thematic_table_recurring"),
        &[
            (&t("thematic_col_conference"), 40.0),
            (&t("col_field"), 30.0),
            (&t("thematic_col_items"), 12.0),
        ],
    );
    let mut counted: Vec<((chrono::NaiveDate, String, String), i64)> = Vec::new();
    for item in &data.items {
        let key = (
            item.held_on,
            item.conference.clone(),
            lang.pick(&item.field_vi, &item.field_en).to_owned(),
        );
        match counted.iter_mut().find(|(k, _)| *k == key) {
            Some((_, n)) => *n += 1,
            None => counted.push((key, 1)),
        }
    }
    counted.sort();
    for ((_, conference, field), n) in counted {
        per_conference_field.push(vec![
            Cell::Text(conference),
            Cell::Text(field),
            Cell::Int(n),
        ]);
    }

    let mut themes = Table::new(
        &t("thematic_sheet_themes"),
        &t("thematic_table_themes"),
        &[
            (&t("thematic_col_theme"), 24.0),
            (&t("thematic_col_conferences"), 12.0),
            (&t("thematic_col_items"), 12.0),
            (&t("thematic_col_references"), 60.0),
        ],
    );
    let titles: Vec<(i32, &str, &str)> = data
        .items
        .iter()
        .map(|i| (i.conference_id, i.reference.as_str(), i.title.as_str()))
        .collect();
    for theme in shared_themes(&titles, THEMES_MAX) {
        themes.push(vec![
            Cell::Text(theme.words),
            Cell::Int(theme.conferences as i64),
            Cell::Int(theme.references.len() as i64),
            Cell::Text(theme.references.join(", ")),
        ]);
    }

    Tables {
        overview: vec![totals, per_conference, per_outcome],
        items,
        items_shown,
        commitments,
        per_conference_field,
        themes,
    }
}
