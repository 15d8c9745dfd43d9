//! The periodic report (`GET /reports/periodic?period=…`): without a period, the
//! form to choose one; with a valid one, the print-ready report in the layout of
//! a Party report; with a wrong one, the form again with a message per field and
//! what was typed. Who may see what is `dashboard::report_scope`.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::auth::CurrentUser;
use crate::db::conferences::Conference;
use crate::db::stats::StatsScope;
use crate::domain::calendar::local_date;
use crate::domain::period::{Period, PeriodKind, PeriodProblem};
use crate::domain::table::DisplayTable;
use crate::error::AppError;
use crate::export::http::download;
use crate::export::{csv, xlsx, Format};
use crate::reports::periodic::{self, periodic_sections, periodic_tables};
use crate::reports::{Directory, Names};
use crate::routes::dashboard::{
    chosen_conference, conference_choices, report_scope, ConferenceChoice,
};
use crate::routes::forms::FormErrors;
use crate::routes::pages::{now, typed_page, with_db};
use crate::routes::AppState;

/// The period form as typed (every field as text, so what was typed comes back).
#[derive(Debug, Default, Clone, Deserialize, Serialize)]
pub struct PeriodicQuery {
    #[serde(default)]
    period: String,
    #[serde(default)]
    year: String,
    #[serde(default)]
    month: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    conference: String,
    /// `xlsx` or `csv`: the report as a file instead of a page.
    #[serde(default, skip_serializing)]
    format: String,
    /// Set by the report's "back" link: show the form with these values.
    #[serde(default, skip_serializing)]
    edit: String,
}

/// The template variables of the period form.
#[derive(Debug, Serialize)]
struct FormPage {
    form: PeriodicQuery,
    errors: FormErrors,
    kinds: Vec<&'static str>,
    months: Vec<u32>,
    conferences: Vec<ConferenceChoice>,
}

/// One numbered section of the printed report.
#[derive(Debug, Serialize)]
struct SectionView {
    heading: String,
    tables: Vec<DisplayTable>,
}

/// The template variables of the report.
#[derive(Debug, Serialize)]
struct ReportPage {
    report_title: String,
    report_period: String,
    issued_on: NaiveDate,
    back_url: String,
    /// The query of this report, for its Excel and CSV links.
    export_query: String,
    /// A list was longer than a page shows ([`PAGE_LIST_MAX`]).
    lists_cut: bool,
    sections: Vec<SectionView>,
}

/// Items a list of the report page shows at most: a year at a busy desk has tens
/// of thousands, which no one prints; the workbook and the CSV have them all.
const PAGE_LIST_MAX: i64 = 500;

/// The period the form asks for, or the messages of its wrong fields.
fn period_of(form: &PeriodicQuery) -> Result<Period, (&'static str, &'static str)> {
    let kind = PeriodKind::parse(form.period.trim()).ok_or(("period", "periodic_error_period"))?;
    let year = form.year.trim().parse().ok();
    let month = form.month.trim().parse().ok();
    Period::of(kind, year, month, &form.from, &form.to).map_err(|problem| match problem {
        PeriodProblem::Year => ("year", "periodic_error_year"),
        PeriodProblem::Month => ("month", "periodic_error_month"),
        PeriodProblem::From => ("from", "periodic_error_date"),
        PeriodProblem::To => ("to", "periodic_error_date"),
        PeriodProblem::ToBeforeFrom => ("to", "periodic_error_order"),
    })
}

/// `GET /reports/periodic`.
pub async fn periodic(
    state: web::Data<AppState>,
    current: CurrentUser,
    query: web::Query<PeriodicQuery>,
) -> Result<HttpResponse, AppError> {
    let body = report_scope(&current)?.map(|b| b.0);
    let lang = current.visit.lang;
    let mut form = query.into_inner();
    let today = local_date(now());
    if form.period.is_empty() {
        return form_page(
            &state,
            &current,
            default_form(form, today),
            FormErrors::default(),
        )
        .await;
    }
    if !form.edit.is_empty() {
        return form_page(&state, &current, form, FormErrors::default()).await;
    }
    let period = match period_of(&form) {
        Ok(period) => period,
        Err((field, key)) => {
            let mut errors = FormErrors::default();
            errors.add(field, state.renderer.catalog(), lang, key);
            return form_page(&state, &current, form, errors).await;
        }
    };
    let conference = chosen_conference(&form.conference);
    form.conference = conference.map(|c| c.to_string()).unwrap_or_default();
    let scope = StatsScope {
        conference,
        period: Some(period),
        body,
    };
    let at = now();
    let format = Format::parse(&form.format);
    // A page lists the first items of each list; a file gets them all.
    let list_limit = format.is_none().then_some(PAGE_LIST_MAX + 1);
    let ((figures, mut lists), directory) = with_db(&state.pool, move |conn| {
        Ok((
            periodic::load(conn, &scope, at, list_limit)?,
            Directory::load(conn)?,
        ))
    })
    .await?;
    let Directory {
        bodies,
        fields,
        conferences,
    } = directory;
    let text = |key: &str| state.renderer.text(lang, key);
    let names = Names {
        bodies: &bodies,
        fields: &fields,
        lang,
        text: &text,
    };
    if let Some(format) = format {
        // The same tables as the page, so the file and the print say the same.
        let tables = periodic_tables(&figures, &lists, &names);
        let stem = format!(
            "{} {}-{}",
            text("periodic_file_name"),
            period.from.format("%Y-%m-%d"),
            period.to.format("%Y-%m-%d")
        );
        return Ok(match format {
            Format::Xlsx => {
                let bytes = xlsx::workbook(&tables).map_err(|error| {
                    AppError::Unexpected(format!("writing the workbook: {error}"))
                })?;
                download(Format::Xlsx, &stem).body(bytes)
            }
            Format::Csv => download(Format::Csv, &stem).body(csv::tables(&tables)),
        });
    }
    let limit = usize::try_from(PAGE_LIST_MAX).unwrap_or(usize::MAX);
    let mut lists_cut = false;
    for list in [&mut lists.answered, &mut lists.resolved, &mut lists.open] {
        lists_cut |= list.len() > limit;
        list.truncate(limit);
    }
    let sections = periodic_sections(&figures, &lists, &names)
        .into_iter()
        .map(|section| SectionView {
            heading: section.heading,
            tables: section.tables.iter().map(|t| t.display()).collect(),
        })
        .collect();
    let mut report_title = text("periodic_report_title");
    if let Some(c) = conferences.iter().find(|c| Some(c.id) == conference) {
        report_title = format!("{report_title} — {}", c.name);
    }
    if let Some(id) = body {
        report_title = format!("{report_title} — {}", names.body(Some(id)));
    }
    let report_period = text("periodic_period_line")
        .replace("{from}", &period.from.format("%d/%m/%Y").to_string())
        .replace("{to}", &period.to.format("%d/%m/%Y").to_string());
    let back = serde_urlencoded::to_string(&form).unwrap_or_default();
    let context = ReportPage {
        report_title,
        report_period,
        issued_on: today,
        back_url: format!("/reports/periodic?{back}&edit=1"),
        export_query: back,
        lists_cut,
        sections,
    };
    typed_page(
        &state,
        &current.visit,
        "reports/periodic.html",
        &context,
        StatusCode::OK,
    )
    .await
}

/// The form filled with this month when nothing was chosen yet.
fn default_form(mut form: PeriodicQuery, today: NaiveDate) -> PeriodicQuery {
    form.period = PeriodKind::Month.as_str().to_owned();
    if form.year.is_empty() {
        form.year = today.year().to_string();
    }
    if form.month.is_empty() {
        form.month = today.month().to_string();
    }
    form
}

async fn form_page(
    state: &AppState,
    current: &CurrentUser,
    form: PeriodicQuery,
    errors: FormErrors,
) -> Result<HttpResponse, AppError> {
    let conferences = with_db(&state.pool, |conn| Ok(Conference::all(conn)?)).await?;
    let status = errors.status();
    let context = FormPage {
        conferences: conference_choices(&conferences, chosen_conference(&form.conference)),
        form,
        errors,
        kinds: PeriodKind::ALL.map(PeriodKind::as_str).to_vec(),
        months: (1..=12).collect(),
    };
    typed_page(
        state,
        &current.visit,
        "reports/periodic_form.html",
        &context,
        status,
    )
    .await
}
