//! Conferences: the list and the form to add or edit one.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use tera::Context;
use validator::Validate;

use super::form::{commit, edit_page, form_page, new_page, saved, tick, ticked, updated, Area};
use crate::auth::{CsrfForm, CurrentUser};
use crate::db::conferences::{Conference, ConferenceForm, DeadlineSettings};
use crate::db::write_transaction;
use crate::domain::deadlines::DeadlinePolicy;
use crate::domain::reference::ReferencePrefix;
use crate::domain::text::normalize;
use crate::domain::ConferenceId;
use crate::error::AppError;
use crate::routes::forms::FormErrors;
use crate::routes::pages::{now, page, see_other, with_db};
use crate::routes::roles::Admin;
use crate::routes::AppState;

/// Shortest and longest response period of a conference, and of each stage, in
/// working days (the migration's CHECKs say the same).
const RESPONSE_DAYS: std::ops::RangeInclusive<i32> = 1..=365;
/// The "due soon" window and the escalation delays, in working days.
const WINDOW_DAYS: std::ops::RangeInclusive<i32> = 0..=60;

/// The deadline fields of the form: (name, allowed range, message key).
const DEADLINE_FIELDS: [(&str, std::ops::RangeInclusive<i32>, &str); 7] = [
    ("triage_days", RESPONSE_DAYS, "admin_error_stage_days"),
    ("drafting_days", RESPONSE_DAYS, "admin_error_stage_days"),
    ("approval_days", RESPONSE_DAYS, "admin_error_stage_days"),
    ("publication_days", RESPONSE_DAYS, "admin_error_stage_days"),
    ("due_soon_days", WINDOW_DAYS, "admin_error_window_days"),
    (
        "escalate_to_head_after",
        WINDOW_DAYS,
        "admin_error_window_days",
    ),
    (
        "escalate_to_coordinators_after",
        WINDOW_DAYS,
        "admin_error_window_days",
    ),
];

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
    #[serde(default)]
    triage_days: String,
    #[serde(default)]
    drafting_days: String,
    #[serde(default)]
    approval_days: String,
    #[serde(default)]
    publication_days: String,
    #[serde(default)]
    due_soon_days: String,
    #[serde(default)]
    escalate_to_head_after: String,
    #[serde(default)]
    escalate_to_coordinators_after: String,
}

impl ConferenceInput {
    /// The typed text of a deadline field, by its name in [`DEADLINE_FIELDS`].
    fn deadline_field(&self, name: &str) -> &str {
        match name {
            "triage_days" => &self.triage_days,
            "drafting_days" => &self.drafting_days,
            "approval_days" => &self.approval_days,
            "publication_days" => &self.publication_days,
            "due_soon_days" => &self.due_soon_days,
            "escalate_to_head_after" => &self.escalate_to_head_after,
            _ => &self.escalate_to_coordinators_after,
        }
    }

    /// The deadline fields filled from a policy (a new conference's defaults).
    fn with_policy(self, policy: DeadlinePolicy) -> ConferenceInput {
        ConferenceInput {
            triage_days: policy.triage_days.to_string(),
            drafting_days: policy.drafting_days.to_string(),
            approval_days: policy.approval_days.to_string(),
            publication_days: policy.publication_days.to_string(),
            due_soon_days: policy.due_soon_days.to_string(),
            escalate_to_head_after: policy.escalate_to_head_after.to_string(),
            escalate_to_coordinators_after: policy.escalate_to_coordinators_after.to_string(),
            ..self
        }
    }
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
            ..Default::default()
        }
        .with_policy(conference.policy())
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
    let defaults = DeadlinePolicy::default();
    let form = ConferenceInput {
        response_days: defaults.answer_days.to_string(),
        reference_prefix: prefix.as_str().to_owned(),
        ..Default::default()
    }
    .with_policy(defaults);
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
        triage_days: raw.triage_days.trim().to_owned(),
        drafting_days: raw.drafting_days.trim().to_owned(),
        approval_days: raw.approval_days.trim().to_owned(),
        publication_days: raw.publication_days.trim().to_owned(),
        due_soon_days: raw.due_soon_days.trim().to_owned(),
        escalate_to_head_after: raw.escalate_to_head_after.trim().to_owned(),
        escalate_to_coordinators_after: raw.escalate_to_coordinators_after.trim().to_owned(),
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
    let settings = deadline_settings(&form, &mut errors, catalog, lang);
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
    if let (true, Some(held_on), Some(response_days), Ok(prefix), Some(settings)) =
        (errors.is_empty(), held_on, response_days, prefix, settings)
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
                    // The deadlines go with the rest of the form, or not at all.
                    move |conn| {
                        write_transaction(conn, |conn| {
                            updated(record.update(conn, id)?)?;
                            settings.save(conn, id)?;
                            Ok(())
                        })
                    },
                )
                .await
            }
            None => {
                commit(
                    state,
                    current,
                    "admin_flash_conference_created",
                    move |conn| {
                        write_transaction(conn, |conn| {
                            let id = record.insert(conn, now())?;
                            settings.save(conn, id)?;
                            Ok(())
                        })
                    },
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

/// Reads the deadline fields: each a whole number in its range, and the head of the
/// body chased no later than the coordinating body. Messages go beside the fields.
fn deadline_settings(
    form: &ConferenceInput,
    errors: &mut FormErrors,
    catalog: &crate::i18n::Catalog,
    lang: crate::i18n::Lang,
) -> Option<DeadlineSettings> {
    let mut values = [0_i32; 7];
    let mut complete = true;
    for (slot, (name, range, key)) in values.iter_mut().zip(DEADLINE_FIELDS) {
        match form
            .deadline_field(name)
            .parse::<i32>()
            .ok()
            .filter(|n| range.contains(n))
        {
            Some(n) => *slot = n,
            None => {
                errors.add(name, catalog, lang, key);
                complete = false;
            }
        }
    }
    let [triage, drafting, approval, publication, due_soon, head, coordinators] = values;
    if complete && head > coordinators {
        errors.add(
            "escalate_to_coordinators_after",
            catalog,
            lang,
            "admin_error_escalation_order",
        );
        complete = false;
    }
    complete.then_some(DeadlineSettings {
        triage_days: triage,
        drafting_days: drafting,
        approval_days: approval,
        publication_days: publication,
        due_soon_days: due_soon,
        escalate_to_head_after: head,
        escalate_to_coordinators_after: coordinators,
    })
}
