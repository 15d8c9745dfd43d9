//! One commitment or task of a conference's notice: its page, and the owning
//! body's check-ins (progress, note, evidence).

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use chrono::NaiveDate;
use serde::Deserialize;
use serde::Serialize;
use std::collections::HashMap;

use crate::auth::{CsrfForm, CurrentUser};
use crate::db::bodies::Body;
use crate::db::commitments::Commitment;
use crate::db::deadlines::calendar_around;
use crate::db::tasks::TaskDue;
use crate::db::workflow::{self, CheckedIn, CommitmentChanges, CommitmentView, EditMode, Report};
use crate::domain::follow_up::Progress;
use crate::domain::follow_up::{CommitmentDue, CommitmentPlan};
use crate::domain::item::COMMENT_MAX_CHARS;
use crate::domain::text::{char_len, normalize};
use crate::error::AppError;
use crate::routes::forms::{FormErrors, UNPROCESSABLE};
use crate::routes::monitoring::{choices, value, Choice};
use crate::routes::pages::{flash, now, see_other, typed_page, with_db};
use crate::routes::tasks::{check_task, TaskInput};
use crate::routes::AppState;
use chrono::NaiveDateTime;

/// The longest document number accepted as evidence.
const NUMBER_MAX_CHARS: usize = 100;
/// The longest evidence link accepted.
const LINK_MAX_CHARS: usize = 2000;

/// The commitment page's template variables.
#[derive(Serialize)]
struct CommitmentPage {
    view: CommitmentView,
    errors: FormErrors,
    input: HashMap<&'static str, String>,
    progresses: [&'static str; 4],
}

/// Renders the commitment page, optionally with the check-in form's errors.
async fn commitment_page(
    state: &AppState,
    current: &CurrentUser,
    id: i32,
    errors: FormErrors,
    input: HashMap<&'static str, String>,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let actor = current.actor();
    let lang = current.visit.lang;
    let view = with_db(&state.pool, move |conn| {
        Ok(workflow::commitment_view(conn, &actor, id, lang, now())?)
    })
    .await?;
    let context = CommitmentPage {
        view,
        errors,
        input,
        progresses: Progress::ALL.map(Progress::as_str),
    };
    typed_page(
        state,
        &current.visit,
        "commitments/show.html",
        &context,
        status,
    )
    .await
}

/// `GET /commitments/{id}`.
pub async fn show(
    state: web::Data<AppState>,
    current: CurrentUser,
    path: web::Path<i32>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    commitment_page(
        &state,
        &current,
        id,
        FormErrors::default(),
        HashMap::new(),
        StatusCode::OK,
    )
    .await
}

/// The check-in form, as typed.
#[derive(Debug, Deserialize)]
pub struct CheckInForm {
    #[serde(default)]
    progress: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    evidence_link: String,
    #[serde(default)]
    evidence_number: String,
    #[serde(default)]
    evidence_date: String,
}

/// Whether `link` is an absolute http or https address (nothing else is evidence
/// one may click safely).
fn is_web_link(link: &str) -> bool {
    let rest = link
        .strip_prefix("https://")
        .or_else(|| link.strip_prefix("http://"));
    rest.is_some_and(|rest| {
        let host = rest.split(['/', '?', '#']).next().unwrap_or("");
        !host.is_empty() && !link.chars().any(char::is_whitespace)
    })
}

/// A date as a date field sends it (yyyy-mm-dd), or as people write it (dd/mm/yyyy).
fn parse_date(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(text, "%d/%m/%Y"))
        .ok()
}

/// `POST /commitments/{id}/checkins`: the owning body reports progress. A form
/// that does not hold comes back (422) with the messages beside the fields.
pub async fn check_in(
    state: web::Data<AppState>,
    current: CurrentUser,
    path: web::Path<i32>,
    CsrfForm(form): CsrfForm<CheckInForm>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let actor = current.actor();
    // Only the owning body gets as far as the form's messages; others are refused
    // as for any page they may not use.
    let may = with_db(&state.pool, move |conn| {
        let commitment = crate::db::commitments::Commitment::find(conn, id)?;
        Ok(commitment.is_some_and(|c| workflow::reports_on(&actor, &c)))
    })
    .await?;
    if !may {
        return Err(AppError::NotFound);
    }
    let lang = current.visit.lang;
    let catalog = state.renderer.catalog();
    let mut errors = FormErrors::default();
    let note = normalize(&form.note);
    let link = form.evidence_link.trim().to_owned();
    let number = normalize(&form.evidence_number);
    let date_text = form.evidence_date.trim().to_owned();
    let progress = form.progress.parse::<Progress>().ok();
    match progress {
        None => errors.add("progress", catalog, lang, "error_choose_progress"),
        Some(Progress::CannotBeDone) if note.is_empty() => {
            errors.add("note", catalog, lang, "error_reason_required")
        }
        Some(_) => {}
    }
    if char_len(&note) > COMMENT_MAX_CHARS {
        errors.add("note", catalog, lang, "error_too_long_plain");
    }
    if !link.is_empty() && (char_len(&link) > LINK_MAX_CHARS || !is_web_link(&link)) {
        errors.add("evidence_link", catalog, lang, "error_evidence_link");
    }
    if char_len(&number) > NUMBER_MAX_CHARS {
        errors.add("evidence_number", catalog, lang, "error_too_long_plain");
    }
    let date = if date_text.is_empty() {
        None
    } else {
        let parsed = parse_date(&date_text);
        if parsed.is_none() {
            errors.add("evidence_date", catalog, lang, "error_evidence_date");
        }
        parsed
    };
    if date.is_some() && number.is_empty() {
        errors.add("evidence_number", catalog, lang, "error_evidence_number");
    }
    let (Some(progress), true) = (progress, errors.is_empty()) else {
        let input = HashMap::from([
            ("progress", form.progress.clone()),
            ("note", note),
            ("evidence_link", link),
            ("evidence_number", number),
            ("evidence_date", date_text),
        ]);
        return commitment_page(&state, &current, id, errors, input, UNPROCESSABLE).await;
    };
    let report = Report {
        progress,
        note,
        evidence_link: link,
        evidence_number: number,
        evidence_date: date,
    };
    let actor = current.actor();
    let session = current.session.clone();
    with_db(&state.pool, move |conn| {
        let outcome = workflow::check_in(conn, &actor, id, &report, now())?;
        let key = match outcome {
            CheckedIn::Resolved => "flash_item_resolved",
            CheckedIn::Recorded => "flash_checked_in",
        };
        flash(conn, &session, key)
    })
    .await?;
    Ok(see_other(&format!("/commitments/{id}")))
}

/// The version a form carries: the row's `updated_at`, to its full precision.
fn version_of(at: chrono::NaiveDateTime) -> String {
    at.format("%Y-%m-%dT%H:%M:%S%.f").to_string()
}

/// The commitment edit page's template variables.
#[derive(Serialize)]
struct EditPage<'a> {
    id: i32,
    item: Option<i32>,
    mode: EditMode,
    version: String,
    bodies: Vec<Choice>,
    form: &'a TaskInput,
    reason: String,
    errors: &'a FormErrors,
}

/// Renders the edit form of commitment `id` for `current`, refused (404) to
/// anyone who may not edit it now.
async fn edit_page(
    state: &AppState,
    current: &CurrentUser,
    id: i32,
    typed: Option<(&TaskInput, String, String)>,
    errors: &FormErrors,
) -> Result<HttpResponse, AppError> {
    let actor = current.actor();
    let (commitment, coordinating, mode, bodies) = with_db(&state.pool, move |conn| {
        let commitment = Commitment::find(conn, id)?.ok_or(AppError::NotFound)?;
        let mode = workflow::edit_mode(conn, &actor, &commitment)?.ok_or(AppError::NotFound)?;
        let coordinating: Vec<i32> = Commitment::coordinating_bodies(conn, id)?
            .into_iter()
            .map(|b| b.0)
            .collect();
        Ok((commitment, coordinating, mode, Body::all(conn)?))
    })
    .await?;
    let stored = TaskInput::of_task(&commitment, &coordinating);
    let (form, reason, version) = match typed {
        Some((form, reason, version)) => (form, reason, version),
        None => (&stored, String::new(), version_of(commitment.updated_at)),
    };
    let context = EditPage {
        id,
        item: commitment.item_id,
        mode,
        version,
        bodies: choices(&bodies, current.visit.lang),
        form,
        reason,
        errors,
    };
    typed_page(
        state,
        &current.visit,
        "commitments/edit.html",
        &context,
        errors.status(),
    )
    .await
}

/// `GET /commitments/{id}/edit`: before publication the lead body's drafters and
/// approvers, after it a coordinator (who must say why).
pub async fn edit_form(
    state: web::Data<AppState>,
    current: CurrentUser,
    path: web::Path<i32>,
) -> Result<HttpResponse, AppError> {
    edit_page(
        &state,
        &current,
        path.into_inner(),
        None,
        &FormErrors::default(),
    )
    .await
}

/// `POST /commitments/{id}/edit`: saves the new terms. A form that does not hold
/// comes back with its messages (422); a form opened before someone else's change
/// is refused (409), so nobody overwrites a change they have not seen.
pub async fn edit(
    state: web::Data<AppState>,
    current: CurrentUser,
    path: web::Path<i32>,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let actor = current.actor();
    let (mode, bodies, calendar) = with_db(&state.pool, move |conn| {
        let commitment = Commitment::find(conn, id)?.ok_or(AppError::NotFound)?;
        let mode = workflow::edit_mode(conn, &actor, &commitment)?.ok_or(AppError::NotFound)?;
        Ok((mode, Body::all(conn)?, calendar_around(conn, now())?))
    })
    .await?;
    let form = TaskInput::from_pairs(&pairs);
    let reason = normalize(&value(&pairs, "reason"));
    let version = value(&pairs, "version");
    let lang = current.visit.lang;
    let catalog = state.renderer.catalog();
    let checked = check_task(&form, &bodies, &calendar, &state, lang);
    let mut errors = match &checked {
        Ok(_) => FormErrors::default(),
        Err(errors) => errors.clone(),
    };
    if mode == EditMode::Correction && reason.is_empty() {
        errors.add("reason", catalog, lang, "commitment_edit_error_reason");
    }
    if char_len(&reason) > COMMENT_MAX_CHARS {
        errors.add("reason", catalog, lang, "error_too_long_plain");
    }
    let seen = NaiveDateTime::parse_from_str(&version, "%Y-%m-%dT%H:%M:%S%.f").ok();
    let (Ok(task), true, Some(seen)) = (checked, errors.is_empty(), seen) else {
        if seen.is_none() && errors.is_empty() {
            return Err(AppError::Conflict("error_stale_form"));
        }
        return edit_page(
            &state,
            &current,
            id,
            Some((&form, reason, version)),
            &errors,
        )
        .await;
    };
    let changes = CommitmentChanges {
        plan: CommitmentPlan {
            description: task.description,
            owner_body: task.owner_body_id,
            due: match task.due {
                TaskDue::WorkingDays(days) => CommitmentDue::WorkingDays(days),
                TaskDue::On(date) => CommitmentDue::On(date),
            },
            planned_document: task.planned_document,
        },
        coordinating: task.coordinating,
        reason,
        seen,
    };
    let actor = current.actor();
    let session = current.session.clone();
    with_db(&state.pool, move |conn| {
        workflow::edit_commitment(conn, &actor, id, &changes, now())?;
        flash(conn, &session, "commitment_edit_flash_saved")
    })
    .await?;
    Ok(see_other(&format!("/commitments/{id}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_web_links_are_evidence() {
        assert!(is_web_link("https://tinh.vn/van-ban/12"));
        assert!(is_web_link("http://tinh.vn"));
        assert!(!is_web_link("javascript:alert(1)"));
        assert!(!is_web_link("ftp://tinh.vn/x"));
        assert!(!is_web_link("https://"));
        assert!(!is_web_link("https://tinh.vn/a b"));
    }

    #[test]
    fn dates_are_read_in_both_shapes() {
        let day = NaiveDate::from_ymd_opt(2026, 12, 2);
        assert_eq!(parse_date("2026-12-02"), day);
        assert_eq!(parse_date("02/12/2026"), day);
        assert_eq!(parse_date("tomorrow"), None);
    }
}
