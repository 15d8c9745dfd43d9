//! The commitments written with a draft answer: the lead body's drafters add and
//! remove them; the approver approves them with the text.

use actix_web::{web, HttpResponse};
use chrono::NaiveDate;
use serde::Deserialize;
use std::collections::HashMap;

use super::actions::{act, checked_text};
use super::show::item_page;
use crate::auth::{CsrfForm, CurrentUser};
use crate::db::deadlines::calendar_around;
use crate::db::workflow;
use crate::domain::calendar::local_date;
use crate::domain::follow_up::{CommitmentDue, CommitmentPlan, MAX_COMMITMENT_WORKING_DAYS};
use crate::domain::item::COMMENT_MAX_CHARS;
use crate::domain::text::normalize;
use crate::domain::ItemId;
use crate::error::AppError;
use crate::routes::forms::UNPROCESSABLE;
use crate::routes::pages::{now, with_db};
use crate::routes::tasks::due_date_problem;
use crate::routes::AppState;

/// The commitment form: what, which body, and when (days or a date).
#[derive(Debug, Deserialize)]
pub struct CommitmentForm {
    #[serde(default)]
    description: String,
    #[serde(default)]
    owner_body_id: String,
    #[serde(default)]
    due_working_days: String,
    #[serde(default)]
    due_on: String,
    #[serde(default)]
    planned_document: String,
}

/// `POST /items/{id}/commitments`: adds a commitment to the draft answer.
pub async fn add_commitment(
    state: web::Data<AppState>,
    current: CurrentUser,
    path: web::Path<i32>,
    CsrfForm(form): CsrfForm<CommitmentForm>,
) -> Result<HttpResponse, AppError> {
    let id = ItemId(path.into_inner());
    let lang = current.visit.lang;
    let renderer = &state.renderer;
    let catalog = renderer.catalog();
    let description = checked_text(
        renderer,
        lang,
        "commitment_description",
        &form.description,
        true,
        COMMENT_MAX_CHARS,
    );
    let document = checked_text(
        renderer,
        lang,
        "commitment_document",
        &form.planned_document,
        false,
        COMMENT_MAX_CHARS,
    );
    let mut errors = description.errors;
    errors.merge(document.errors);
    let owner = normalize(&form.owner_body_id).parse::<i32>().ok();
    if owner.is_none() {
        errors.add("commitment_owner", catalog, lang, "error_commitment_owner");
    }
    let days_typed = normalize(&form.due_working_days);
    let date_typed = normalize(&form.due_on);
    let due = match (days_typed.is_empty(), date_typed.is_empty()) {
        (true, true) | (false, false) => {
            errors.add("commitment_due", catalog, lang, "error_commitment_due_one");
            None
        }
        (false, true) => match days_typed.parse::<u32>() {
            Ok(days) if (1..=MAX_COMMITMENT_WORKING_DAYS).contains(&days) => {
                Some(CommitmentDue::WorkingDays(days))
            }
            _ => {
                errors.add("commitment_due", catalog, lang, "error_commitment_days");
                None
            }
        },
        (true, false) => match NaiveDate::parse_from_str(&date_typed, "%Y-%m-%d") {
            // Due by a working day still to come in the offices' calendar.
            Ok(date) => {
                let calendar =
                    with_db(&state.pool, |conn| Ok(calendar_around(conn, now())?)).await?;
                match due_date_problem(&calendar, local_date(now()), date, "error_commitment_past")
                {
                    None => Some(CommitmentDue::On(date)),
                    Some(key) => {
                        errors.add("commitment_due", catalog, lang, key);
                        None
                    }
                }
            }
            Err(_) => {
                errors.add(
                    "commitment_due",
                    catalog,
                    lang,
                    "error_outcome_date_invalid",
                );
                None
            }
        },
    };
    let kept = HashMap::from([
        ("commitment_description", description.text.clone()),
        ("commitment_owner", normalize(&form.owner_body_id)),
        ("commitment_days", days_typed),
        ("commitment_due_on", date_typed),
        ("commitment_document", document.text.clone()),
    ]);
    let (Some(owner_body), Some(due), true) = (owner, due, errors.is_empty()) else {
        return item_page(&state, &current, id, errors, kept, UNPROCESSABLE).await;
    };
    let plan = CommitmentPlan {
        description: description.text,
        owner_body,
        due,
        planned_document: document.text,
    };
    act(
        &state,
        &current,
        id,
        "flash_commitment_added",
        move |conn, actor| workflow::add_commitment(conn, actor, id, &plan, now()),
    )
    .await
}

/// The form that names one commitment.
#[derive(Debug, Deserialize)]
pub struct RemoveForm {
    #[serde(default)]
    commitment: String,
}

/// `POST /items/{id}/commitments/remove`: removes one commitment of the draft
/// answer.
pub async fn remove_commitment(
    state: web::Data<AppState>,
    current: CurrentUser,
    path: web::Path<i32>,
    CsrfForm(form): CsrfForm<RemoveForm>,
) -> Result<HttpResponse, AppError> {
    let id = ItemId(path.into_inner());
    // An unreadable id names no commitment: the same answer as one already gone.
    let commitment = form.commitment.trim().parse::<i32>().unwrap_or(0);
    act(
        &state,
        &current,
        id,
        "flash_commitment_removed",
        move |conn, actor| workflow::remove_commitment(conn, actor, id, commitment, now()),
    )
    .await
}
