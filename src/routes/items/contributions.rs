//! Contributions on an item's page (issue 10): the lead body asks a body and may
//! withdraw the request; the asked body writes, sends, approves or returns its
//! contribution. The asked body's actions name no contribution: each body has at
//! most one open request per item, found from the actor's body.

use actix_web::{web, HttpResponse};
use chrono::NaiveDate;
use serde::Deserialize;
use std::collections::HashMap;

use super::actions::{act, checked_text};
use super::show::item_page;
use crate::auth::{CsrfForm, CurrentUser};
use crate::db::workflow::{self, ContributionDue, RequestProblem};
use crate::domain::item::{ANSWER_MAX_CHARS, COMMENT_MAX_CHARS};
use crate::domain::text::normalize;
use crate::domain::{BodyId, ItemId};
use crate::error::AppError;
use crate::routes::forms::{FormErrors, UNPROCESSABLE};
use crate::routes::pages::{flash, now, see_other, with_db};
use crate::routes::AppState;

/// The most working days a contribution may be given.
const MAX_CONTRIBUTION_WORKING_DAYS: u32 = 60;

/// The request form: which body, what is asked, by when (days or a date).
#[derive(Debug, Deserialize)]
pub struct RequestForm {
    #[serde(default)]
    body_id: String,
    #[serde(default)]
    text: String,
    #[serde(default)]
    due_working_days: String,
    #[serde(default)]
    due_on: String,
}

/// The key of the message for a request that does not fit, and its field.
fn problem_message(problem: RequestProblem) -> (&'static str, &'static str) {
    match problem {
        RequestProblem::NotAskable => ("contribution_body", "error_contribution_body"),
        RequestProblem::AlreadyAsked => ("contribution_body", "error_contribution_already_asked"),
        RequestProblem::NotWorkingDay => ("contribution_due", "error_contribution_not_working_day"),
        RequestProblem::Past => ("contribution_due", "error_contribution_past"),
    }
}

/// `POST /items/{id}/contributions`: the lead body asks a body for a contribution.
pub async fn request_contribution(
    state: web::Data<AppState>,
    current: CurrentUser,
    path: web::Path<i32>,
    CsrfForm(form): CsrfForm<RequestForm>,
) -> Result<HttpResponse, AppError> {
    let id = ItemId(path.into_inner());
    let lang = current.visit.lang;
    let renderer = &state.renderer;
    let catalog = renderer.catalog();
    let text = checked_text(
        renderer,
        lang,
        "contribution_request",
        &form.text,
        true,
        COMMENT_MAX_CHARS,
    );
    let mut errors = text.errors;
    let body = normalize(&form.body_id).parse::<i32>().ok();
    if body.is_none() {
        errors.add(
            "contribution_body",
            catalog,
            lang,
            "error_contribution_body",
        );
    }
    let days_typed = normalize(&form.due_working_days);
    let date_typed = normalize(&form.due_on);
    let due = match (days_typed.is_empty(), date_typed.is_empty()) {
        (true, true) | (false, false) => {
            errors.add(
                "contribution_due",
                catalog,
                lang,
                "error_contribution_due_one",
            );
            None
        }
        (false, true) => match days_typed.parse::<u32>() {
            Ok(days) if (1..=MAX_CONTRIBUTION_WORKING_DAYS).contains(&days) => {
                Some(ContributionDue::WorkingDays(days))
            }
            _ => {
                errors.add("contribution_due", catalog, lang, "error_contribution_days");
                None
            }
        },
        (true, false) => match NaiveDate::parse_from_str(&date_typed, "%Y-%m-%d") {
            Ok(date) => Some(ContributionDue::On(date)),
            Err(_) => {
                errors.add("contribution_due", catalog, lang, "error_contribution_date");
                None
            }
        },
    };
    let kept = HashMap::from([
        ("contribution_body", normalize(&form.body_id)),
        ("contribution_request", text.text.clone()),
        ("contribution_days", days_typed),
        ("contribution_due_on", date_typed),
    ]);
    let (Some(body), Some(due), true) = (body, due, errors.is_empty()) else {
        return item_page(&state, &current, id, errors, kept, UNPROCESSABLE).await;
    };
    let request = text.text;
    let actor = current.actor();
    let session = current.session.clone();
    let outcome = with_db(&state.pool, move |conn| {
        let outcome =
            workflow::request_contribution(conn, &actor, id, BodyId(body), &request, due, now())?;
        if outcome.is_ok() {
            flash(conn, &session, "flash_contribution_requested")?;
        }
        Ok(outcome)
    })
    .await?;
    match outcome {
        Ok(()) => Ok(see_other(&format!("/items/{}", id.0))),
        Err(problem) => {
            let (field, key) = problem_message(problem);
            let mut errors = FormErrors::default();
            errors.add(field, catalog, lang, key);
            item_page(&state, &current, id, errors, kept, UNPROCESSABLE).await
        }
    }
}

/// The form that names the asked body.
#[derive(Debug, Deserialize)]
pub struct BodyForm {
    #[serde(default)]
    body_id: String,
}

/// `POST /items/{id}/contributions/withdraw`: the lead body withdraws its open
/// request to a body.
pub async fn withdraw_contribution(
    state: web::Data<AppState>,
    current: CurrentUser,
    path: web::Path<i32>,
    CsrfForm(form): CsrfForm<BodyForm>,
) -> Result<HttpResponse, AppError> {
    let id = ItemId(path.into_inner());
    // An unreadable id names no body: the same answer as a request already gone.
    let body = BodyId(form.body_id.trim().parse::<i32>().unwrap_or(0));
    act(
        &state,
        &current,
        id,
        "flash_contribution_withdrawn",
        move |conn, actor| workflow::withdraw_contribution(conn, actor, id, body, now()),
    )
    .await
}

/// The asked body's form: its text, the version it was read at, and whether to
/// send it for approval.
#[derive(Debug, Deserialize)]
pub struct ContributionForm {
    #[serde(default)]
    text: String,
    #[serde(default)]
    version: String,
    #[serde(default)]
    intent: String,
}

/// The version a form carries; an unreadable one matches no row (a conflict).
fn version_of(raw: &str) -> i32 {
    raw.trim().parse::<i32>().unwrap_or(-1)
}

/// `POST /items/{id}/contribution`: the asked body saves its contribution, and
/// with `intent=send` sends it to its approver.
pub async fn write_contribution(
    state: web::Data<AppState>,
    current: CurrentUser,
    path: web::Path<i32>,
    CsrfForm(form): CsrfForm<ContributionForm>,
) -> Result<HttpResponse, AppError> {
    let id = ItemId(path.into_inner());
    let lang = current.visit.lang;
    let input = checked_text(
        &state.renderer,
        lang,
        "contribution_text",
        &form.text,
        true,
        ANSWER_MAX_CHARS,
    );
    if !input.errors.is_empty() {
        let kept = HashMap::from([(input.field, input.text)]);
        return item_page(&state, &current, id, input.errors, kept, UNPROCESSABLE).await;
    }
    let send = form.intent == "send";
    let version = version_of(&form.version);
    let text = input.text;
    let flash = if send {
        "flash_contribution_sent"
    } else {
        "flash_contribution_saved"
    };
    act(&state, &current, id, flash, move |conn, actor| {
        workflow::write_contribution(conn, actor, id, version, &text, send, now())
    })
    .await
}

/// The approver's form: the version read.
#[derive(Debug, Deserialize)]
pub struct VersionForm {
    #[serde(default)]
    version: String,
}

/// `POST /items/{id}/contribution/approve`: the asked body's approver approves.
pub async fn approve_contribution(
    state: web::Data<AppState>,
    current: CurrentUser,
    path: web::Path<i32>,
    CsrfForm(form): CsrfForm<VersionForm>,
) -> Result<HttpResponse, AppError> {
    let id = ItemId(path.into_inner());
    let version = version_of(&form.version);
    act(
        &state,
        &current,
        id,
        "flash_contribution_approved",
        move |conn, actor| workflow::approve_contribution(conn, actor, id, version, now()),
    )
    .await
}

/// `POST /items/{id}/contribution/return`: the asked body's approver returns the
/// contribution with a reason.
pub async fn return_contribution(
    state: web::Data<AppState>,
    current: CurrentUser,
    path: web::Path<i32>,
    CsrfForm(form): CsrfForm<ContributionForm>,
) -> Result<HttpResponse, AppError> {
    let id = ItemId(path.into_inner());
    let lang = current.visit.lang;
    let input = checked_text(
        &state.renderer,
        lang,
        "contribution_return_reason",
        &form.text,
        true,
        COMMENT_MAX_CHARS,
    );
    if !input.errors.is_empty() {
        let kept = HashMap::from([(input.field, input.text)]);
        return item_page(&state, &current, id, input.errors, kept, UNPROCESSABLE).await;
    }
    let version = version_of(&form.version);
    let reason = input.text;
    act(
        &state,
        &current,
        id,
        "flash_contribution_returned",
        move |conn, actor| workflow::return_contribution(conn, actor, id, version, &reason, now()),
    )
    .await
}
