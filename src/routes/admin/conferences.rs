//! Conferences: the list and the form to add or edit one.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use tera::Context;
use validator::Validate;

use super::form::{commit, edit_page, form_page, new_page, saved, tick, ticked, updated, Area};
use crate::auth::{CsrfForm, CurrentUser};
use crate::db::conferences::{Conference, ConferenceForm};
use crate::domain::reference::ReferencePrefix;
use crate::domain::text::normalize;
use crate::domain::ConferenceId;
use crate::error::AppError;
use crate::routes::forms::FormErrors;
use crate::routes::pages::{now, page, see_other, with_db};
use crate::routes::roles::Admin;
use crate::routes::AppState;

/// Shortest and longest response period of a conference, in days.
const RESPONSE_DAYS: std::ops::RangeInclusive<i32> = 1..=365;

/// The conference form as typed; the date comes from `<input type=date>`.
#[derive(Debug, Default, Deserialize, Serialize, Validate)]
pub struct ConferenceInput {
    #[serde(default)]
    #[validate(length(min = 1, max = 500, code = "length"))]
    name: String,
    #[serde(default)]
    #[validate(length(max = 300, code = "too_long"))]
    theme: String,
    #[serde(default)]
    held_on: String,
    #[serde(default)]
    #[validate(length(max = 50, code = "too_long"))]
    notice_number: String,
    #[serde(default)]
    reference_prefix: String,
    #[serde(default)]
    response_days: String,
    #[serde(default)]
    open_for_submissions: String,
}

impl From<&Conference> for ConferenceInput {
    fn from(conference: &Conference) -> ConferenceInput {
        ConferenceInput {
            name: conference.name.clone(),
            theme: conference.theme.clone(),
            held_on: conference.held_on.format("%Y-%m-%d").to_string(),
            notice_number: conference.notice_number.clone(),
            reference_prefix: conference.reference_prefix.clone(),
            response_days: conference.response_days.to_string(),
            open_for_submissions: tick(conference.open_for_submissions),
        }
    }
}

/// `GET /admin/conferences`.
pub async fn conferences(
    state: web::Data<AppState>,
    current: Admin,
) -> Result<HttpResponse, AppError> {
    let conferences = with_db(&state.pool, |conn| Ok(Conference::all(conn)?)).await?;
    let mut context = Context::new();
    context.insert("conferences", &conferences);
    page(
        &state,
        &current.visit,
        "admin/conferences.html",
        context,
        StatusCode::OK,
    )
    .await
}

/// `GET /admin/conferences/new`.
pub async fn new_conference(
    state: web::Data<AppState>,
    current: Admin,
) -> Result<HttpResponse, AppError> {
    // Offer the first free prefix of this year; the administrator may change it.
    let year = chrono::Utc::now().naive_utc().date().year();
    let prefix = with_db(&state.pool, move |conn| {
        Ok(crate::db::conferences::free_default_prefix(conn, year)?)
    })
    .await?;
    let form = ConferenceInput {
        response_days: "30".to_owned(),
        reference_prefix: prefix.as_str().to_owned(),
        ..Default::default()
    };
    new_page(&state, &current, Area::Conferences, &form).await
}

/// `POST /admin/conferences`.
pub async fn create_conference(
    state: web::Data<AppState>,
    current: Admin,
    CsrfForm(form): CsrfForm<ConferenceInput>,
) -> Result<HttpResponse, AppError> {
    save_conference(&state, &current, None, form).await
}

/// `GET /admin/conferences/{id}`.
pub async fn edit_conference(
    state: web::Data<AppState>,
    current: Admin,
    path: web::Path<i32>,
) -> Result<HttpResponse, AppError> {
    let id = ConferenceId(path.into_inner());
    edit_page::<_, ConferenceInput>(&state, &current, Area::Conferences, id.0, move |conn| {
        Conference::find(conn, id)
    })
    .await
}

/// `POST /admin/conferences/{id}`: a new response period applies to items
/// submitted from now on.
pub async fn update_conference(
    state: web::Data<AppState>,
    current: Admin,
    path: web::Path<i32>,
    CsrfForm(form): CsrfForm<ConferenceInput>,
) -> Result<HttpResponse, AppError> {
    let id = ConferenceId(path.into_inner());
    save_conference(&state, &current, Some(id), form).await
}

/// Checks and saves the conference form.
async fn save_conference(
    state: &AppState,
    current: &CurrentUser,
    id: Option<ConferenceId>,
    raw: ConferenceInput,
) -> Result<HttpResponse, AppError> {
    let (catalog, lang) = (state.renderer.catalog(), current.visit.lang);
    let form = ConferenceInput {
        name: normalize(&raw.name),
        theme: normalize(&raw.theme),
        held_on: raw.held_on.trim().to_owned(),
        notice_number: normalize(&raw.notice_number),
        reference_prefix: raw.reference_prefix.trim().to_owned(),
        response_days: raw.response_days.trim().to_owned(),
        open_for_submissions: raw.open_for_submissions,
    };
    let mut errors = FormErrors::of(&form, catalog, lang);
    let held_on = NaiveDate::parse_from_str(&form.held_on, "%Y-%m-%d").ok();
    if held_on.is_none() {
        errors.add("held_on", catalog, lang, "admin_error_date");
    }
    let response_days = form
        .response_days
        .parse::<i32>()
        .ok()
        .filter(|n| RESPONSE_DAYS.contains(n));
    if response_days.is_none() {
        errors.add("response_days", catalog, lang, "admin_error_response_days");
    }
    let prefix = ReferencePrefix::parse(&form.reference_prefix);
    match &prefix {
        Err(problem) => errors.add(
            "reference_prefix",
            catalog,
            lang,
            crate::error::prefix_problem_key(*problem),
        ),
        Ok(prefix) => {
            let wanted = prefix.clone();
            let taken = with_db(&state.pool, move |conn| {
                Ok(Conference::prefix_taken(conn, &wanted, id)?)
            })
            .await?;
            if taken {
                errors.add("reference_prefix", catalog, lang, "error_prefix_taken");
            }
        }
    }
    if let (true, Some(held_on), Some(response_days), Ok(prefix)) =
        (errors.is_empty(), held_on, response_days, prefix)
    {
        let record = ConferenceForm {
            name: form.name.clone(),
            theme: form.theme.clone(),
            held_on,
            notice_number: form.notice_number.clone(),
            response_days,
            open_for_submissions: ticked(&form.open_for_submissions),
            reference_prefix: prefix.as_str().to_owned(),
        };
        let outcome = match id {
            Some(id) => {
                commit(
                    state,
                    current,
                    "admin_flash_conference_saved",
                    move |conn| updated(record.update(conn, id)?),
                )
                .await
            }
            None => {
                commit(
                    state,
                    current,
                    "admin_flash_conference_created",
                    move |conn| Ok(record.insert(conn, now()).map(drop)?),
                )
                .await
            }
        };
        // Another conference took the prefix since the check above: the unique
        // index refused it.
        if saved(outcome)? {
            return Ok(see_other("/admin/conferences"));
        }
        errors.add("reference_prefix", catalog, lang, "error_prefix_taken");
    }
    form_page(
        state,
        current,
        Area::Conferences,
        id.map(|i| i.0),
        &form,
        &errors,
    )
    .await
}
