//! The notice's own tasks: a coordinator records one for a conference (text, lead
//! and coordinating bodies, due date, planned document) and edits it while open.

use actix_web::{web, HttpResponse};

use super::monitoring::{choices, monitoring_url, parse_date, value, Choice, ConferenceInfo};
use crate::auth::{CsrfForm, CurrentUser};
use crate::db::bodies::Body;
use crate::db::commitments::Commitment;
use crate::db::conferences::Conference;
use crate::db::deadlines::calendar_around;
use crate::db::tasks::{find_task, TaskDue, TaskForm};
use crate::domain::calendar::{local_date, WorkingCalendar};
use crate::domain::text::normalize;
use crate::domain::ConferenceId;
use crate::error::AppError;
use crate::i18n::Lang;
use crate::routes::forms::FormErrors;
use crate::routes::pages::{flash, now, see_other, typed_page, with_db};
use crate::routes::roles::Coordinator;
use crate::routes::AppState;
use chrono::NaiveDate;
use serde::Serialize;

/// Longest task description.
const TEXT_MAX_CHARS: usize = 4000;
/// Longest planned document.
const DOCUMENT_MAX_CHARS: usize = 300;
/// The most working days a task may be given.
const MAX_WORKING_DAYS: u32 = 750;

/// The task form as typed.
#[derive(Debug, Default, Serialize)]
pub(crate) struct TaskInput {
    description: String,
    owner_body_id: String,
    coordinating: Vec<String>,
    /// `days` or `date`.
    due_kind: String,
    due_days: String,
    due_on: String,
    planned_document: String,
}

impl TaskInput {
    pub(crate) fn from_pairs(pairs: &[(String, String)]) -> TaskInput {
        TaskInput {
            description: normalize(&value(pairs, "description")),
            owner_body_id: value(pairs, "owner_body_id"),
            coordinating: pairs
                .iter()
                .filter(|(n, _)| n == "coordinating")
                .map(|(_, v)| v.trim().to_owned())
                .collect(),
            due_kind: value(pairs, "due_kind"),
            due_days: value(pairs, "due_days"),
            due_on: value(pairs, "due_on"),
            planned_document: normalize(&value(pairs, "planned_document")),
        }
    }

    pub(crate) fn of_task(task: &Commitment, coordinating: &[i32]) -> TaskInput {
        TaskInput {
            description: task.description.clone(),
            owner_body_id: task.owner_body_id.to_string(),
            coordinating: coordinating.iter().map(i32::to_string).collect(),
            due_kind: if task.due_on.is_some() {
                "date"
            } else {
                "days"
            }
            .to_owned(),
            due_days: task
                .due_working_days
                .map(|n| n.to_string())
                .unwrap_or_default(),
            due_on: task
                .due_on
                .map(|d| d.format("%Y-%m-%d").to_string())
                .unwrap_or_default(),
            planned_document: task.planned_document.clone(),
        }
    }
}

/// The template variables of the task form.
#[derive(Debug, Serialize)]
struct TaskPage<'a> {
    here: String,
    action: String,
    editing: bool,
    conference: ConferenceInfo,
    bodies: Vec<Choice>,
    form: &'a TaskInput,
    errors: &'a FormErrors,
}

async fn task_page(
    state: &AppState,
    current: &CurrentUser,
    conference: i32,
    task: Option<i32>,
    form: &TaskInput,
    errors: &FormErrors,
) -> Result<HttpResponse, AppError> {
    let (conference, bodies) = with_db(&state.pool, move |conn| {
        Ok((
            Conference::find(conn, ConferenceId(conference))?.ok_or(AppError::NotFound)?,
            Body::all(conn)?,
        ))
    })
    .await?;
    let lang = current.visit.lang;
    let context = TaskPage {
        here: "/monitoring".to_owned(),
        action: match task {
            Some(id) => format!("/tasks/{id}"),
            None => format!("/conferences/{}/tasks", conference.id),
        },
        editing: task.is_some(),
        conference: ConferenceInfo {
            id: conference.id,
            name: conference.name.clone(),
            notice_number: conference.notice_number.clone(),
        },
        bodies: choices(&bodies, lang),
        form,
        errors,
    };
    typed_page(
        state,
        &current.visit,
        "monitoring/task_form.html",
        &context,
        errors.status(),
    )
    .await
}

/// `GET /conferences/{id}/tasks/new`.
pub async fn new_task(
    state: web::Data<AppState>,
    current: Coordinator,
    path: web::Path<i32>,
) -> Result<HttpResponse, AppError> {
    let form = TaskInput {
        due_kind: "days".to_owned(),
        ..TaskInput::default()
    };
    task_page(
        &state,
        &current,
        path.into_inner(),
        None,
        &form,
        &FormErrors::default(),
    )
    .await
}

/// `GET /tasks/{id}/edit`: a task's edit form, while it is open.
pub async fn edit_task(
    state: web::Data<AppState>,
    current: Coordinator,
    path: web::Path<i32>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let (task, coordinating) = with_db(&state.pool, move |conn| {
        let task = find_task(conn, id)?;
        let coordinating: Vec<i32> = Commitment::coordinating_bodies(conn, id)?
            .into_iter()
            .map(|b| b.0)
            .collect();
        Ok((task, coordinating))
    })
    .await?;
    if task.is_closed() {
        return Err(AppError::Conflict("error_transition"));
    }
    let form = TaskInput::of_task(&task, &coordinating);
    task_page(
        &state,
        &current,
        task.conference_id,
        Some(id),
        &form,
        &FormErrors::default(),
    )
    .await
}

/// Why a due date given as a date cannot be used, as a locale key (`past_key`
/// when it is not after `today`, each form having its words for that): a date
/// must be after today and a working day of `calendar` (not a weekend, a holiday
/// or a Tết day), since nobody in the offices could meet a deadline on a closed
/// day. Shared by the notice's tasks and the commitments of an answer.
pub(crate) fn due_date_problem(
    calendar: &WorkingCalendar,
    today: NaiveDate,
    date: NaiveDate,
    past_key: &'static str,
) -> Option<&'static str> {
    if date <= today {
        Some(past_key)
    } else if !calendar.is_working_day(date) {
        Some("due_error_non_working_day")
    } else {
        None
    }
}

/// Checks the task form against the bodies and the working calendar; the task to
/// save, or the messages.
pub(crate) fn check_task(
    form: &TaskInput,
    bodies: &[Body],
    calendar: &WorkingCalendar,
    state: &AppState,
    lang: Lang,
) -> Result<TaskForm, FormErrors> {
    let catalog = state.renderer.catalog();
    let mut errors = FormErrors::default();
    if form.description.is_empty() || form.description.chars().count() > TEXT_MAX_CHARS {
        errors.add("description", catalog, lang, "tasks_error_description");
    }
    let owner = form
        .owner_body_id
        .parse::<i32>()
        .ok()
        .filter(|id| bodies.iter().any(|b| b.id == *id && b.active));
    if owner.is_none() {
        errors.add("owner_body_id", catalog, lang, "tasks_error_owner");
    }
    let mut coordinating = Vec::new();
    for value in &form.coordinating {
        match value
            .parse::<i32>()
            .ok()
            .filter(|id| bodies.iter().any(|b| b.id == *id))
        {
            Some(id) if Some(id) == owner => errors.add(
                "coordinating",
                catalog,
                lang,
                "tasks_error_coordinating_lead",
            ),
            Some(id) if !coordinating.contains(&id) => coordinating.push(id),
            Some(_) => {}
            None => errors.add("coordinating", catalog, lang, "tasks_error_body"),
        }
    }
    let due = if form.due_kind == "date" {
        let today = local_date(now());
        match parse_date(&form.due_on) {
            None => {
                errors.add("due_on", catalog, lang, "tasks_error_due_on");
                None
            }
            Some(date) => match due_date_problem(calendar, today, date, "tasks_error_due_on") {
                Some(key) => {
                    errors.add("due_on", catalog, lang, key);
                    None
                }
                None => Some(TaskDue::On(date)),
            },
        }
    } else {
        let days = form
            .due_days
            .parse::<u32>()
            .ok()
            .filter(|n| (1..=MAX_WORKING_DAYS).contains(n));
        if days.is_none() {
            errors.add("due_days", catalog, lang, "tasks_error_due_days");
        }
        days.map(TaskDue::WorkingDays)
    };
    if form.planned_document.chars().count() > DOCUMENT_MAX_CHARS {
        errors.add("planned_document", catalog, lang, "tasks_error_too_long");
    }
    match (owner, due) {
        (Some(owner_body_id), Some(due)) if errors.is_empty() => Ok(TaskForm {
            description: form.description.clone(),
            owner_body_id,
            coordinating,
            due,
            planned_document: form.planned_document.clone(),
        }),
        _ => Err(errors),
    }
}

/// `POST /conferences/{id}/tasks`: records a task and tells the bodies named.
pub async fn create_task(
    state: web::Data<AppState>,
    current: Coordinator,
    path: web::Path<i32>,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let conference = path.into_inner();
    let form = TaskInput::from_pairs(&pairs);
    let (bodies, calendar) = with_db(&state.pool, |conn| {
        Ok((Body::all(conn)?, calendar_around(conn, now())?))
    })
    .await?;
    match check_task(&form, &bodies, &calendar, &state, current.visit.lang) {
        Ok(task) => {
            let (session, author) = (current.session.clone(), current.user.user_id());
            with_db(&state.pool, move |conn| {
                task.record(conn, ConferenceId(conference), author, now())?;
                flash(conn, &session, "tasks_flash_recorded")
            })
            .await?;
            Ok(see_other(&monitoring_url(conference)))
        }
        Err(errors) => task_page(&state, &current, conference, None, &form, &errors).await,
    }
}

/// `POST /tasks/{id}`: saves changes to an open task.
pub async fn update_task(
    state: web::Data<AppState>,
    current: Coordinator,
    path: web::Path<i32>,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let form = TaskInput::from_pairs(&pairs);
    let (task, bodies, calendar) = with_db(&state.pool, move |conn| {
        Ok((
            find_task(conn, id)?,
            Body::all(conn)?,
            calendar_around(conn, now())?,
        ))
    })
    .await?;
    match check_task(&form, &bodies, &calendar, &state, current.visit.lang) {
        Ok(changes) => {
            let session = current.session.clone();
            with_db(&state.pool, move |conn| {
                changes.update(conn, id, now())?;
                flash(conn, &session, "tasks_flash_saved")
            })
            .await?;
            Ok(see_other(&monitoring_url(task.conference_id)))
        }
        Err(errors) => {
            task_page(
                &state,
                &current,
                task.conference_id,
                Some(id),
                &form,
                &errors,
            )
            .await
        }
    }
}
