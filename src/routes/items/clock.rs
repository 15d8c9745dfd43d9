//! The paused clock and extensions on an item's page: staff ask the delegate for
//! more information or restart the clock, the delegate answers, the lead body
//! asks for more time and a coordinator decides.

use actix_web::{web, HttpResponse};
use chrono::NaiveDate;
use serde::Deserialize;
use std::collections::HashMap;

use super::actions::{act, act_on_comment, act_on_text, checked_text, TextForm};
use super::show::item_page;
use crate::auth::{CsrfForm, CurrentUser};
use crate::db::workflow::{self, DateProblem};
use crate::domain::item::COMMENT_MAX_CHARS;
use crate::domain::text::normalize;
use crate::domain::ItemId;
use crate::error::AppError;
use crate::routes::forms::UNPROCESSABLE;
use crate::routes::pages::{flash, now, see_other, with_db};
use crate::routes::AppState;

/// `POST /items/{id}/info-request`: staff ask the delegate a question; the clock
/// stops until the delegate answers or staff restart it.
pub async fn ask_info(
    state: web::Data<AppState>,
    current: CurrentUser,
    path: web::Path<i32>,
    CsrfForm(form): CsrfForm<TextForm>,
) -> Result<HttpResponse, AppError> {
    let id = ItemId(path.into_inner());
    let text = ("info_question", form.text.as_str());
    act_on_comment(
        &state,
        &current,
        id,
        text,
        "flash_info_requested",
        move |conn, actor, question| workflow::ask_info(conn, actor, id, &question, now()),
    )
    .await
}

/// `POST /items/{id}/info-reply`: the delegate answers the question; the clock
/// restarts with its due dates moved.
pub async fn provide_info(
    state: web::Data<AppState>,
    current: CurrentUser,
    path: web::Path<i32>,
    CsrfForm(form): CsrfForm<TextForm>,
) -> Result<HttpResponse, AppError> {
    let id = ItemId(path.into_inner());
    let text = ("info_reply", form.text.as_str());
    act_on_comment(
        &state,
        &current,
        id,
        text,
        "flash_info_provided",
        move |conn, actor, reply| {
            workflow::provide_info(conn, actor, id, &reply, now()).map(|_| ())
        },
    )
    .await
}

/// `POST /items/{id}/clock/resume`: staff restart the clock without an answer,
/// with an optional comment.
pub async fn resume_clock(
    state: web::Data<AppState>,
    current: CurrentUser,
    path: web::Path<i32>,
    CsrfForm(form): CsrfForm<TextForm>,
) -> Result<HttpResponse, AppError> {
    let id = ItemId(path.into_inner());
    let input = checked_text(
        &state.renderer,
        current.visit.lang,
        "resume_comment",
        &form.text,
        false,
        COMMENT_MAX_CHARS,
    );
    act_on_text(
        &state,
        &current,
        id,
        input,
        "flash_clock_resumed",
        move |conn, actor, comment| {
            workflow::resume_clock(conn, actor, id, &comment, now()).map(|_| ())
        },
    )
    .await
}

/// The request for more time: why, and the date asked for (`yyyy-mm-dd`, as a
/// date input sends it).
#[derive(Debug, Deserialize)]
pub struct ExtensionForm {
    #[serde(default)]
    reason: String,
    #[serde(default)]
    date: String,
}

/// `POST /items/{id}/extensions`: the lead body asks for a later due date. A
/// missing reason, an unreadable date, a date not after the present due date or
/// not a working day bring the page back (422) with the input kept.
pub async fn request_extension(
    state: web::Data<AppState>,
    current: CurrentUser,
    path: web::Path<i32>,
    CsrfForm(form): CsrfForm<ExtensionForm>,
) -> Result<HttpResponse, AppError> {
    let id = ItemId(path.into_inner());
    let lang = current.visit.lang;
    let catalog = state.renderer.catalog();
    let reason = checked_text(
        &state.renderer,
        lang,
        "extension_reason",
        &form.reason,
        true,
        COMMENT_MAX_CHARS,
    );
    let typed_date = normalize(&form.date);
    let mut errors = reason.errors;
    let date = NaiveDate::parse_from_str(&typed_date, "%Y-%m-%d").ok();
    if date.is_none() {
        let key = if typed_date.is_empty() {
            "error_required"
        } else {
            "error_extension_date_invalid"
        };
        errors.add("extension_date", catalog, lang, key);
    }
    let kept = HashMap::from([
        ("extension_reason", reason.text.clone()),
        ("extension_date", typed_date.clone()),
    ]);
    let (Some(date), true) = (date, errors.is_empty()) else {
        return item_page(&state, &current, id, errors, kept, UNPROCESSABLE).await;
    };
    let text = reason.text;
    let actor = current.actor();
    let session = current.session.clone();
    let outcome = with_db(&state.pool, move |conn| {
        let outcome = workflow::request_extension(conn, &actor, id, &text, date, now())?;
        if outcome.is_ok() {
            flash(conn, &session, "flash_extension_requested")?;
        }
        Ok(outcome)
    })
    .await?;
    match outcome {
        Ok(()) => Ok(see_other(&format!("/items/{}", id.0))),
        Err(problem) => {
            let key = match problem {
                DateProblem::NotLater => "error_extension_not_later",
                DateProblem::NotWorkingDay => "error_extension_not_working_day",
            };
            let mut errors = errors;
            errors.add("extension_date", catalog, lang, key);
            item_page(&state, &current, id, errors, kept, UNPROCESSABLE).await
        }
    }
}

/// A coordinator's decision on a request for more time.
#[derive(Debug, Deserialize)]
pub struct DecisionForm {
    #[serde(default)]
    extension: String,
    #[serde(default)]
    decision: String,
    #[serde(default)]
    text: String,
}

/// `POST /items/{id}/extensions/decide`: a coordinator grants or refuses the
/// pending request (a comment is required to refuse). Deciding a request that
/// was decided meanwhile is a conflict.
pub async fn decide_extension(
    state: web::Data<AppState>,
    current: CurrentUser,
    path: web::Path<i32>,
    CsrfForm(form): CsrfForm<DecisionForm>,
) -> Result<HttpResponse, AppError> {
    let id = ItemId(path.into_inner());
    let grant = form.decision != "refuse";
    let input = checked_text(
        &state.renderer,
        current.visit.lang,
        "decision_comment",
        &form.text,
        !grant,
        COMMENT_MAX_CHARS,
    );
    // An id that does not read is no pending request of this item: a conflict
    // once the actor is known to be allowed.
    let extension = form.extension.trim().parse::<i32>().unwrap_or(0);
    if !input.errors.is_empty() {
        let kept = HashMap::from([("decision_comment", input.text)]);
        return item_page(&state, &current, id, input.errors, kept, UNPROCESSABLE).await;
    }
    let comment = input.text;
    if grant {
        act(
            &state,
            &current,
            id,
            "flash_extension_granted",
            move |conn, actor| {
                workflow::grant_extension(conn, actor, id, extension, &comment, now())
            },
        )
        .await
    } else {
        act(
            &state,
            &current,
            id,
            "flash_extension_refused",
            move |conn, actor| {
                workflow::refuse_extension(conn, actor, id, extension, &comment, now())
            },
        )
        .await
    }
}
