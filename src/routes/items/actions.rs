//! What the delegate and the body do to an item: withdraw, rate, notes, drafting
//! and review; and the helpers every item action shares.

use actix_web::{web, HttpResponse};
use chrono::NaiveDate;
use serde::Deserialize;
use std::collections::HashMap;

use super::show::item_page;
use crate::auth::{CsrfForm, CurrentUser};
use crate::db::answers::AnswerOutcome;
use crate::db::workflow;
use crate::db::DbConnection;
use crate::db::{ConflictKind, StoreError};
use crate::domain::follow_up::Outcome;
use crate::domain::item::{ANSWER_MAX_CHARS, COMMENT_MAX_CHARS};
use crate::domain::text::{char_len, normalize};
use crate::domain::{Actor, ItemId, Satisfaction};
use crate::error::{conflict_key, AppError};
use crate::i18n::Lang;
use crate::routes::forms::{FormErrors, UNPROCESSABLE};
use crate::routes::pages::{flash, now, see_other, with_db, Renderer};
use crate::routes::AppState;

/// A text typed into one of the item page's forms, normalised and checked.
pub(super) struct Checked {
    /// The form field the text came from (where its message is shown).
    pub(super) field: &'static str,
    /// The normalised text.
    pub(super) text: String,
    /// The message for the field, if the text is not acceptable.
    pub(super) errors: FormErrors,
}

/// Normalises `raw` and checks that it is present (if `required`) and at most
/// `max` characters.
pub(super) fn checked_text(
    renderer: &Renderer,
    lang: Lang,
    field: &'static str,
    raw: &str,
    required: bool,
    max: usize,
) -> Checked {
    let text = normalize(raw);
    let mut errors = FormErrors::default();
    if required && text.is_empty() {
        errors.add(field, renderer.catalog(), lang, "error_required");
    } else if char_len(&text) > max {
        errors.add(field, renderer.catalog(), lang, "error_too_long_plain");
    }
    Checked {
        field,
        text,
        errors,
    }
}

/// A rating (of the answer, or of the result): the optional comment checked as
/// `comment_field`, and the chosen level, with an error beside `level_field` when
/// none of the levels was chosen.
pub(super) fn checked_rating(
    renderer: &Renderer,
    lang: Lang,
    (level_field, comment_field): (&'static str, &'static str),
    level: &str,
    comment: &str,
) -> (Checked, Option<Satisfaction>) {
    let mut input = checked_text(
        renderer,
        lang,
        comment_field,
        comment,
        false,
        COMMENT_MAX_CHARS,
    );
    let level = level.parse::<Satisfaction>().ok();
    if level.is_none() {
        input.errors.add(
            level_field,
            renderer.catalog(),
            lang,
            "error_choose_satisfaction",
        );
    }
    (input, level)
}

/// Runs an action on the item; on success a one-time message and 303 back to it.
pub(super) async fn act<E: Into<AppError> + Send + 'static>(
    state: &AppState,
    current: &CurrentUser,
    id: ItemId,
    flash_key: &'static str,
    work: impl FnOnce(&mut DbConnection, &Actor) -> Result<(), E> + Send + 'static,
) -> Result<HttpResponse, AppError> {
    let actor = current.actor();
    let session = current.session.clone();
    with_db(&state.pool, move |conn| {
        work(conn, &actor).map_err(Into::into)?;
        flash(conn, &session, flash_key)
    })
    .await?;
    Ok(see_other(&format!("/items/{}", id.0)))
}

/// Runs an action that takes a typed text: when the text is not acceptable, the
/// item page comes back (422) with the message beside the field and the text kept.
pub(super) async fn act_on_text<E: Into<AppError> + Send + 'static>(
    state: &AppState,
    current: &CurrentUser,
    id: ItemId,
    input: Checked,
    flash_key: &'static str,
    work: impl FnOnce(&mut DbConnection, &Actor, String) -> Result<(), E> + Send + 'static,
) -> Result<HttpResponse, AppError> {
    if !input.errors.is_empty() {
        let kept = HashMap::from([(input.field, input.text)]);
        return item_page(state, current, id, input.errors, kept, UNPROCESSABLE).await;
    }
    let text = input.text;
    act(state, current, id, flash_key, move |conn, actor| {
        work(conn, actor, text)
    })
    .await
}

/// Runs an action that takes a required comment of the usual length, typed into
/// `field` (the text as typed).
pub(super) async fn act_on_comment<E: Into<AppError> + Send + 'static>(
    state: &AppState,
    current: &CurrentUser,
    id: ItemId,
    (field, raw): (&'static str, &str),
    flash_key: &'static str,
    work: impl FnOnce(&mut DbConnection, &Actor, String) -> Result<(), E> + Send + 'static,
) -> Result<HttpResponse, AppError> {
    let lang = current.visit.lang;
    let input = checked_text(&state.renderer, lang, field, raw, true, COMMENT_MAX_CHARS);
    act_on_text(state, current, id, input, flash_key, work).await
}

/// Handlers that take one required comment and run one workflow step with it:
/// `name: "field", "flash key", step;` each.
macro_rules! comment_actions {
    ($($(#[$doc:meta])* $name:ident: $field:literal, $flash:literal, $step:path;)*) => {$(
        $(#[$doc])*
        pub async fn $name(
            state: web::Data<AppState>,
            current: CurrentUser,
            path: web::Path<i32>,
            CsrfForm(form): CsrfForm<TextForm>,
        ) -> Result<HttpResponse, AppError> {
            let id = ItemId(path.into_inner());
            let text = ($field, form.text.as_str());
            act_on_comment(&state, &current, id, text, $flash, move |conn, actor, text| {
                $step(conn, actor, id, &text, now())
            })
            .await
        }
    )*};
}
pub(super) use comment_actions;

comment_actions! {
    /// `POST /items/{id}/withdraw`: the delegate takes the item back, with a reason.
    withdraw: "withdraw_reason", "flash_withdrawn", workflow::withdraw;

    /// `POST /items/{id}/notes`: an internal note.
    add_note: "note", "flash_note_added", workflow::add_note;

    /// `POST /items/{id}/satisfaction-reply`: staff answer the delegate's comment.
    reply_to_satisfaction: "satisfaction_reply", "flash_reply_sent", workflow::reply_to_satisfaction;

    /// `POST /items/{id}/return`: the approver returns the draft with a comment.
    return_to_drafting: "review_comment", "flash_returned", workflow::return_to_drafting;
}

/// Handlers that take no input and run one workflow step: `name: "flash key",
/// step;` each.
macro_rules! step_actions {
    ($($(#[$doc:meta])* $name:ident: $flash:literal, $step:path;)*) => {$(
        $(#[$doc])*
        pub async fn $name(
            state: web::Data<AppState>,
            current: CurrentUser,
            path: web::Path<i32>,
            CsrfForm(_): CsrfForm<EmptyForm>,
        ) -> Result<HttpResponse, AppError> {
            let id = ItemId(path.into_inner());
            act(&state, &current, id, $flash, move |conn, actor| {
                $step(conn, actor, id, now())
            })
            .await
        }
    )*};
}
pub(super) use step_actions;

step_actions! {
    /// `POST /items/{id}/send-for-review`.
    send_for_review: "flash_sent_for_review", workflow::send_for_review;

    /// `POST /items/{id}/approve`.
    approve: "flash_approved", workflow::approve;
}

/// A form with one text.
#[derive(Debug, Deserialize)]
pub struct TextForm {
    #[serde(default)]
    pub(super) text: String,
}

/// An empty form (the CSRF token only).
#[derive(Debug, Deserialize)]
pub struct EmptyForm {}

/// The satisfaction form.
#[derive(Debug, Deserialize)]
pub struct SatisfactionForm {
    #[serde(default)]
    level: String,
    #[serde(default)]
    text: String,
}

/// `POST /items/{id}/satisfaction`: the delegate rates the published answer.
pub async fn rate(
    state: web::Data<AppState>,
    current: CurrentUser,
    path: web::Path<i32>,
    CsrfForm(form): CsrfForm<SatisfactionForm>,
) -> Result<HttpResponse, AppError> {
    let id = ItemId(path.into_inner());
    let (input, level) = checked_rating(
        &state.renderer,
        current.visit.lang,
        ("satisfaction_level", "satisfaction_comment"),
        &form.level,
        &form.text,
    );
    act_on_text(
        &state,
        &current,
        id,
        input,
        "flash_rated",
        move |conn, actor, comment| {
            // Only reached with no errors, so a level was chosen.
            let level = level.ok_or(AppError::Conflict("error_choose_satisfaction"))?;
            Ok::<_, AppError>(workflow::rate(conn, actor, id, level, &comment, now())?)
        },
    )
    .await
}

/// The drafting form: the answer, its outcome with the details the outcome
/// needs, and whether to send it for review right away.
#[derive(Debug, Deserialize)]
pub struct DraftForm {
    #[serde(default)]
    text: String,
    #[serde(default)]
    intent: String,
    #[serde(default)]
    outcome: String,
    #[serde(default)]
    outcome_reason: String,
    #[serde(default)]
    forwarded_to: String,
    #[serde(default)]
    forwarded_on: String,
    #[serde(default)]
    forwarded_document: String,
}

/// Reads the outcome part of the drafting form into `errors` and `kept`: the
/// outcome is needed to send for review (a draft may be saved without it); a
/// refusal needs its reason, a forwarding the body, date and document.
fn checked_outcome(
    renderer: &Renderer,
    lang: Lang,
    form: &DraftForm,
    for_review: bool,
    errors: &mut FormErrors,
    kept: &mut HashMap<&'static str, String>,
) -> AnswerOutcome {
    let catalog = renderer.catalog();
    let outcome = form.outcome.parse::<Outcome>().ok();
    kept.insert("outcome", form.outcome.clone());
    if outcome.is_none() && (for_review || !form.outcome.is_empty()) {
        errors.add("outcome", catalog, lang, "error_choose_outcome");
    }
    let mut text = |field: &'static str, raw: &str, required: bool| {
        let input = checked_text(renderer, lang, field, raw, required, COMMENT_MAX_CHARS);
        errors.merge(input.errors);
        kept.insert(field, input.text.clone());
        input.text
    };
    let refused = outcome == Some(Outcome::NotAccepted);
    let forwarded = outcome == Some(Outcome::Forwarded);
    let reason = text("outcome_reason", &form.outcome_reason, refused);
    let forwarded_to = text("forwarded_to", &form.forwarded_to, forwarded);
    let forwarded_document = text("forwarded_document", &form.forwarded_document, forwarded);
    let typed_date = normalize(&form.forwarded_on);
    let forwarded_on = NaiveDate::parse_from_str(&typed_date, "%Y-%m-%d").ok();
    if forwarded_on.is_none() && (forwarded || !typed_date.is_empty()) {
        let key = if typed_date.is_empty() {
            "error_required"
        } else {
            "error_outcome_date_invalid"
        };
        errors.add("forwarded_on", catalog, lang, key);
    }
    kept.insert("forwarded_on", typed_date);
    // Details of another outcome are dropped rather than stored beside it.
    AnswerOutcome {
        outcome,
        reason,
        forwarded_to: if forwarded {
            forwarded_to
        } else {
            String::new()
        },
        forwarded_on: forwarded_on.filter(|_| forwarded),
        forwarded_document: if forwarded {
            forwarded_document
        } else {
            String::new()
        },
    }
}

/// `POST /items/{id}/draft`: saves a revision with its outcome; with
/// `intent=review` also sends it to the approver.
pub async fn save_draft(
    state: web::Data<AppState>,
    current: CurrentUser,
    path: web::Path<i32>,
    CsrfForm(form): CsrfForm<DraftForm>,
) -> Result<HttpResponse, AppError> {
    let id = ItemId(path.into_inner());
    let lang = current.visit.lang;
    let input = checked_text(
        &state.renderer,
        lang,
        "answer",
        &form.text,
        true,
        ANSWER_MAX_CHARS,
    );
    let and_review = form.intent == "review";
    let mut errors = input.errors;
    let mut kept = HashMap::from([("answer", input.text.clone())]);
    let outcome = checked_outcome(
        &state.renderer,
        lang,
        &form,
        and_review,
        &mut errors,
        &mut kept,
    );
    if !errors.is_empty() {
        return item_page(&state, &current, id, errors, kept, UNPROCESSABLE).await;
    }
    let flash_key = if and_review {
        "flash_sent_for_review"
    } else {
        "flash_draft_saved"
    };
    let answer = input.text;
    let actor = current.actor();
    let session = current.session.clone();
    let refused = with_db(&state.pool, move |conn| {
        // One transaction: a draft meant for review is never saved without
        // being sent.
        let saved = if and_review {
            workflow::save_draft_and_send_for_review(conn, &actor, id, &answer, &outcome, now())
        } else {
            workflow::save_draft(conn, &actor, id, &answer, &outcome, now())
        };
        match saved {
            Ok(()) => flash(conn, &session, flash_key).map(|()| None),
            // The outcome does not fit the commitments: a matter of the form, said
            // beside the outcome with the text kept, not an error page.
            Err(StoreError::Conflict(
                kind @ (ConflictKind::NoCommitment | ConflictKind::CommitmentsNotAllowed),
            )) => Ok(Some(kind)),
            Err(other) => Err(other.into()),
        }
    })
    .await?;
    match refused {
        None => Ok(see_other(&format!("/items/{}", id.0))),
        Some(kind) => {
            errors.add(
                "outcome",
                state.renderer.catalog(),
                lang,
                conflict_key(kind),
            );
            item_page(&state, &current, id, errors, kept, UNPROCESSABLE).await
        }
    }
}
