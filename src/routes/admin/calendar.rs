//! The calendar: one page per year listing its holidays, days off and working
//! Saturdays, with a form to add an entry; an entry's own page to edit or delete it.

use actix_web::{web, HttpResponse};
use chrono::{Datelike, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use validator::Validate;

use super::form::{commit, saved, updated};
use crate::auth::{CsrfForm, CurrentUser};
use crate::db::holidays::{working_calendar, Holiday, HolidayForm};
use crate::domain::calendar::{local_date, CalendarEntry, DayKind};
use crate::domain::text::normalize;
use crate::error::AppError;
use crate::routes::forms::FormErrors;
use crate::routes::pages::{see_other, typed_page, with_db};
use crate::routes::roles::Admin;
use crate::routes::AppState;

/// The years the calendar takes: wide enough for any conference, narrow enough
/// that a typing slip (20244) is refused rather than stored.
const YEARS: std::ops::RangeInclusive<i32> = 2000..=2100;

/// `?year=2026`; without it (or out of range), the current year in Vietnam.
#[derive(Debug, Deserialize)]
pub struct YearQuery {
    year: Option<String>,
}

/// The entry form as typed.
#[derive(Debug, Default, Deserialize, Serialize, Validate)]
pub struct HolidayInput {
    #[serde(default)]
    day: String,
    #[serde(default)]
    #[validate(length(min = 1, max = 200, code = "length"))]
    name_vi: String,
    #[serde(default)]
    #[validate(length(min = 1, max = 200, code = "length"))]
    name_en: String,
    #[serde(default)]
    kind: String,
}

impl From<&Holiday> for HolidayInput {
    fn from(entry: &Holiday) -> HolidayInput {
        HolidayInput {
            day: entry.day.format("%Y-%m-%d").to_string(),
            name_vi: entry.name_vi.clone(),
            name_en: entry.name_en.clone(),
            kind: entry.kind.as_str().to_owned(),
        }
    }
}

/// A form with only its CSRF token (deleting).
#[derive(Debug, Deserialize)]
pub struct EmptyForm {}

/// One row of the year's list.
#[derive(Debug, Serialize)]
struct Row {
    id: i32,
    /// `YYYY-MM-DD`, for `<time datetime>` and the `date` filter.
    day: String,
    /// 1 (Monday) to 7 (Sunday): the text key `weekday_N`.
    weekday: u32,
    name_vi: String,
    name_en: String,
    kind: &'static str,
}

/// The year's page: its entries, its count of working days, the add form.
#[derive(Serialize)]
struct YearPage<'a> {
    year: i32,
    /// The neighbouring years, when they are in range.
    previous_year: Option<i32>,
    next_year: Option<i32>,
    here: String,
    working_days: i64,
    entries: Vec<Row>,
    kinds: [&'static str; 2],
    form: &'a HolidayInput,
    errors: &'a FormErrors,
}

/// An entry's own page: the edit form and the delete button.
#[derive(Serialize)]
struct EntryPage<'a> {
    id: i32,
    year: i32,
    here: String,
    kinds: [&'static str; 2],
    form: &'a HolidayInput,
    errors: &'a FormErrors,
}

fn this_year() -> i32 {
    local_date(Utc::now().naive_utc()).year()
}

/// `GET /admin/calendar?year=YYYY`.
pub async fn calendar(
    state: web::Data<AppState>,
    current: Admin,
    query: web::Query<YearQuery>,
) -> Result<HttpResponse, AppError> {
    let year = query
        .year
        .as_deref()
        .and_then(|y| y.trim().parse::<i32>().ok())
        .filter(|y| YEARS.contains(y))
        .unwrap_or_else(this_year);
    let form = HolidayInput {
        kind: DayKind::Holiday.as_str().to_owned(),
        ..Default::default()
    };
    year_page(&state, &current, year, &form, &FormErrors::default()).await
}

async fn year_page(
    state: &AppState,
    current: &CurrentUser,
    year: i32,
    form: &HolidayInput,
    errors: &FormErrors,
) -> Result<HttpResponse, AppError> {
    let (first, last) = year_bounds(year);
    let (entries, calendar) = with_db(&state.pool, move |conn| {
        Ok((
            Holiday::of_year(conn, year)?,
            working_calendar(conn, first, last)?,
        ))
    })
    .await?;
    let day_before = first.pred_opt().expect("a year after 2000");
    let context = YearPage {
        year,
        previous_year: Some(year - 1).filter(|y| YEARS.contains(y)),
        next_year: Some(year + 1).filter(|y| YEARS.contains(y)),
        here: "/admin/calendar".to_owned(),
        working_days: calendar.working_days_between(day_before, last),
        entries: entries.iter().map(row).collect(),
        kinds: DayKind::ALL.map(DayKind::as_str),
        form,
        errors,
    };
    let status = errors.status();
    typed_page(
        state,
        &current.visit,
        "admin/calendar.html",
        &context,
        status,
    )
    .await
}

fn year_bounds(year: i32) -> (NaiveDate, NaiveDate) {
    let first = NaiveDate::from_ymd_opt(year, 1, 1).expect("a year in range");
    let last = NaiveDate::from_ymd_opt(year, 12, 31).expect("a year in range");
    (first, last)
}

fn row(entry: &Holiday) -> Row {
    Row {
        id: entry.id,
        day: entry.day.format("%Y-%m-%d").to_string(),
        weekday: entry.day.weekday().number_from_monday(),
        name_vi: entry.name_vi.clone(),
        name_en: entry.name_en.clone(),
        kind: entry.kind.as_str(),
    }
}

/// `POST /admin/calendar`: adds an entry.
pub async fn create_entry(
    state: web::Data<AppState>,
    current: Admin,
    CsrfForm(form): CsrfForm<HolidayInput>,
) -> Result<HttpResponse, AppError> {
    save(&state, &current, None, form).await
}

/// `GET /admin/calendar/{id}`: the edit form.
pub async fn edit_entry(
    state: web::Data<AppState>,
    current: Admin,
    path: web::Path<i32>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let entry = with_db(&state.pool, move |conn| {
        Holiday::find(conn, id)?.ok_or(AppError::NotFound)
    })
    .await?;
    let form = HolidayInput::from(&entry);
    entry_page(&state, &current, id, &form, &FormErrors::default()).await
}

async fn entry_page(
    state: &AppState,
    current: &CurrentUser,
    id: i32,
    form: &HolidayInput,
    errors: &FormErrors,
) -> Result<HttpResponse, AppError> {
    let year = NaiveDate::parse_from_str(&form.day, "%Y-%m-%d")
        .map(|d| d.year())
        .unwrap_or_else(|_| this_year());
    let context = EntryPage {
        id,
        year,
        here: "/admin/calendar".to_owned(),
        kinds: DayKind::ALL.map(DayKind::as_str),
        form,
        errors,
    };
    let status = errors.status();
    typed_page(
        state,
        &current.visit,
        "admin/calendar_entry.html",
        &context,
        status,
    )
    .await
}

/// `POST /admin/calendar/{id}`: saves changes to an entry.
pub async fn update_entry(
    state: web::Data<AppState>,
    current: Admin,
    path: web::Path<i32>,
    CsrfForm(form): CsrfForm<HolidayInput>,
) -> Result<HttpResponse, AppError> {
    save(&state, &current, Some(path.into_inner()), form).await
}

/// `POST /admin/calendar/{id}/delete`: removes an entry, back to its year.
pub async fn delete_entry(
    state: web::Data<AppState>,
    current: Admin,
    path: web::Path<i32>,
    CsrfForm(_): CsrfForm<EmptyForm>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let entry = with_db(&state.pool, move |conn| {
        Holiday::find(conn, id)?.ok_or(AppError::NotFound)
    })
    .await?;
    commit(
        &state,
        &current,
        "admin_flash_calendar_deleted",
        move |conn| updated(Holiday::delete(conn, id)?),
    )
    .await?;
    Ok(see_other(&year_url(entry.day.year())))
}

fn year_url(year: i32) -> String {
    format!("/admin/calendar?year={year}")
}

/// Checks the form: the date (in range), both names, the kind, a working
/// Saturday on a Saturday. The record to save, or the messages.
fn check(
    form: &HolidayInput,
    state: &AppState,
    current: &CurrentUser,
) -> Result<HolidayForm, FormErrors> {
    let (catalog, lang) = (state.renderer.catalog(), current.visit.lang);
    let mut errors = FormErrors::of(form, catalog, lang);
    let day = NaiveDate::parse_from_str(&form.day, "%Y-%m-%d")
        .ok()
        .filter(|d| YEARS.contains(&d.year()));
    if day.is_none() {
        errors.add("day", catalog, lang, "admin_error_calendar_date");
    }
    let kind = form.kind.parse::<DayKind>().ok();
    if kind.is_none() {
        errors.add("kind", catalog, lang, "admin_error_calendar_kind");
    }
    if let (Some(day), Some(kind)) = (day, kind) {
        if CalendarEntry::new(day, kind).is_err() {
            errors.add("day", catalog, lang, "admin_error_calendar_not_saturday");
        }
    }
    match (day, kind) {
        (Some(day), Some(kind)) if errors.is_empty() => Ok(HolidayForm {
            day,
            name_vi: form.name_vi.clone(),
            name_en: form.name_en.clone(),
            kind,
        }),
        _ => Err(errors),
    }
}

/// Checks and saves an entry; back to its year's page, or the form again (422).
async fn save(
    state: &AppState,
    current: &CurrentUser,
    id: Option<i32>,
    raw: HolidayInput,
) -> Result<HttpResponse, AppError> {
    let form = HolidayInput {
        day: raw.day.trim().to_owned(),
        name_vi: normalize(&raw.name_vi),
        name_en: normalize(&raw.name_en),
        kind: raw.kind.trim().to_owned(),
    };
    let mut errors = match check(&form, state, current) {
        Ok(record) => {
            let year = record.day.year();
            let outcome = match id {
                Some(id) => {
                    commit(state, current, "admin_flash_calendar_saved", move |conn| {
                        updated(record.update(conn, id)?)
                    })
                    .await
                }
                None => {
                    commit(
                        state,
                        current,
                        "admin_flash_calendar_created",
                        move |conn| Ok(record.insert(conn).map(drop)?),
                    )
                    .await
                }
            };
            if saved(outcome)? {
                return Ok(see_other(&year_url(year)));
            }
            FormErrors::default()
        }
        Err(errors) => errors,
    };
    if errors.is_empty() {
        let (catalog, lang) = (state.renderer.catalog(), current.visit.lang);
        errors.add("day", catalog, lang, "admin_error_calendar_day_taken");
    }
    match id {
        Some(id) => entry_page(state, current, id, &form, &errors).await,
        None => {
            let year = NaiveDate::parse_from_str(&form.day, "%Y-%m-%d")
                .map(|d| d.year())
                .ok()
                .filter(|y| YEARS.contains(y))
                .unwrap_or_else(this_year);
            year_page(state, current, year, &form, &errors).await
        }
    }
}
