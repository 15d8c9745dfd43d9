//! One item's page, as each role may see it, and every action taken on it.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use tera::Context;

use super::forms::{FormErrors, UNPROCESSABLE};
use super::pages::{flash, now, page, see_other, with_db, NavCounts, Renderer};
use crate::auth::{CsrfForm, CurrentUser};
use crate::db::answers::{self, Note, Revision};
use crate::db::bodies::Body;
use crate::db::conferences::Conference;
use crate::db::events::{self, TimelineEntry};
use crate::db::fields::Field;
use crate::db::items::Item;
use crate::db::users::User;
use crate::db::workflow;
use crate::db::DbConnection;
use crate::domain::item::{ANSWER_MAX_CHARS, COMMENT_MAX_CHARS};
use crate::domain::text::{char_len, normalize};
use crate::domain::{
    Action, Actor, BodyId, ConferenceId, FieldId, ItemId, Operation, Role, Satisfaction, UserId,
};
use crate::error::AppError;
use crate::i18n::Lang;
use crate::routes::AppState;

/// A timeline entry with its names resolved for display.
#[derive(Debug, Serialize)]
struct TimelineLine {
    kind: String,
    from_status: Option<String>,
    to_status: Option<String>,
    from_body: Option<String>,
    to_body: Option<String>,
    comment: String,
    at: chrono::NaiveDateTime,
    actor: Option<String>,
}

/// What each button on the page may do, decided on the server.
#[derive(Debug, Default, Serialize)]
struct Abilities {
    withdraw: bool,
    rate: bool,
    note: bool,
    draft: bool,
    send_for_review: bool,
    review: bool,
    triage: bool,
    send_back: bool,
    publish: bool,
    follow: bool,
}

/// Everything the item page shows.
#[derive(Debug, Serialize)]
struct ItemView {
    item: Item,
    field: String,
    lead_body: Option<String>,
    delegate_name: String,
    delegate_unit: String,
    coordinating_bodies: Vec<String>,
    timeline: Vec<TimelineLine>,
    answer: Option<Revision>,
    answer_source: Option<String>,
    revisions: Vec<Revision>,
    latest_draft: Option<Revision>,
    approved: Option<Revision>,
    notes: Vec<Note>,
    merged_into: Option<String>,
    merged_from: Vec<String>,
    overdue: bool,
    staff_view: bool,
    can: Abilities,
    bodies: Vec<(i32, String)>,
}

fn load_view(
    conn: &mut DbConnection,
    actor: &Actor,
    id: ItemId,
    lang: Lang,
) -> Result<ItemView, AppError> {
    let (item, relation) = workflow::load_for(conn, actor, id, Operation::View)?;
    let status = item.status();
    let all_bodies = Body::all(conn)?;
    let body_name = |id: Option<i32>| -> Option<String> {
        id.and_then(|id| all_bodies.iter().find(|b| b.id == id))
            .map(|b| b.name(lang).to_owned())
    };
    let field = Field::find(conn, FieldId(item.field_id))?
        .map(|f| f.name(lang).to_owned())
        .unwrap_or_default();
    let delegate = User::find(conn, UserId(item.delegate_id))?.ok_or(AppError::NotFound)?;
    let staff_view = actor.role != Role::Delegate;
    let timeline = events::timeline(conn, id, !staff_view)?
        .into_iter()
        .map(|e: TimelineEntry| TimelineLine {
            from_body: body_name(e.from_body_id),
            to_body: body_name(e.to_body_id),
            // Delegates see which body acted, not which civil servant.
            actor: if staff_view || e.actor_id == Some(actor.user.0) {
                e.actor_name
            } else {
                None
            },
            kind: e.kind,
            from_status: e.from_status,
            to_status: e.to_status,
            comment: e.comment,
            at: e.created_at,
        })
        .collect();
    // A merged item is answered by the item it was merged into.
    let (merged_into, answer, answer_source) = match item.merged_into_id {
        Some(target) => {
            let target = Item::find(conn, ItemId(target))?.ok_or(AppError::NotFound)?;
            let answer = match target.published_revision_id {
                Some(revision) if target.status().is_answered() => {
                    answers::revision(conn, revision)?
                }
                _ => None,
            };
            (
                Some(target.reference.clone()),
                answer,
                Some(target.reference),
            )
        }
        None => {
            let answer = match item.published_revision_id {
                Some(revision) => answers::revision(conn, revision)?,
                None => None,
            };
            (None, answer, None)
        }
    };
    let merged_from = if staff_view {
        Item::merged_into(conn, id)?
            .into_iter()
            .map(|i| i.reference)
            .collect()
    } else {
        Vec::new()
    };
    let (revisions, notes, approved) = if staff_view {
        let approved = match item.approved_revision_id {
            Some(revision) => answers::revision(conn, revision)?,
            None => None,
        };
        (
            answers::revisions(conn, id)?,
            answers::notes(conn, id)?,
            approved,
        )
    } else {
        (Vec::new(), Vec::new(), None)
    };
    let latest_draft = revisions.first().cloned();
    let coordinating_bodies = answers::coordinating_bodies(conn, id)?
        .into_iter()
        .filter_map(|b| body_name(Some(b)))
        .collect();
    let may = |op| actor.may(op, relation);
    let can = Abilities {
        withdraw: may(Operation::Withdraw) && status.allows(Action::Withdraw),
        rate: may(Operation::Rate) && status.is_answered(),
        note: may(Operation::AddNote),
        draft: may(Operation::Draft) && status.allows(Action::SaveDraft),
        send_for_review: may(Operation::Draft)
            && status.allows(Action::SendForReview)
            && latest_draft.is_some(),
        review: may(Operation::Review)
            && status.allows(Action::Approve)
            && latest_draft
                .as_ref()
                .is_some_and(|d| d.author_id != actor.user.0),
        triage: may(Operation::Triage) && status.allows(Action::Reroute),
        send_back: may(Operation::Publish) && status.allows(Action::SendBack),
        publish: may(Operation::Publish) && status.allows(Action::Publish),
        follow: may(Operation::FollowImplementation)
            && (status.allows(Action::StartImplementation)
                || status.allows(Action::CompleteImplementation)),
    };
    let bodies = all_bodies
        .iter()
        .filter(|b| b.active)
        .map(|b| (b.id, b.name(lang).to_owned()))
        .collect();
    Ok(ItemView {
        field,
        lead_body: body_name(item.lead_body_id),
        delegate_name: delegate.full_name,
        delegate_unit: delegate.unit,
        coordinating_bodies,
        timeline,
        answer,
        answer_source,
        revisions,
        latest_draft,
        approved,
        notes,
        merged_into,
        merged_from,
        overdue: status.awaits_answer() && item.deadline < now(),
        staff_view,
        can,
        bodies,
        item,
    })
}

/// Renders the item page, optionally with a form's errors and input kept.
async fn item_page(
    state: &AppState,
    current: &CurrentUser,
    id: ItemId,
    errors: FormErrors,
    input: HashMap<&'static str, String>,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let actor = current.actor();
    let lang = current.visit.lang;
    let view = with_db(&state.pool, move |conn| load_view(conn, &actor, id, lang)).await?;
    let mut context = Context::new();
    context.insert("view", &view);
    context.insert("errors", &errors);
    context.insert("input", &input);
    context.insert(
        "satisfaction_levels",
        &Satisfaction::ALL.map(|s| s.as_str()),
    );
    page(state, &current.visit, "items/show.html", context, status).await
}

/// `GET /items/{id}`.
pub async fn show(
    state: web::Data<AppState>,
    current: CurrentUser,
    path: web::Path<i32>,
) -> Result<HttpResponse, AppError> {
    let id = ItemId(path.into_inner());
    item_page(
        &state,
        &current,
        id,
        FormErrors::default(),
        HashMap::new(),
        StatusCode::OK,
    )
    .await
}

/// `GET /items/{id}/print`: the item with its answer as a document to print or
/// file: no navigation or forms, the conference and notice in the heading.
pub async fn print(
    state: web::Data<AppState>,
    current: CurrentUser,
    path: web::Path<i32>,
) -> Result<HttpResponse, AppError> {
    let id = ItemId(path.into_inner());
    let actor = current.actor();
    let lang = current.visit.lang;
    let (view, conference) = with_db(&state.pool, move |conn| {
        let view = load_view(conn, &actor, id, lang)?;
        let conference = Conference::find(conn, ConferenceId(view.item.conference_id))?;
        Ok((view, conference))
    })
    .await?;
    let mut context = Context::new();
    context.insert("view", &view);
    context.insert("conference", &conference);
    context.insert("printed_at", &now());
    let html = state.renderer.render(
        &current.visit,
        &NavCounts::default(),
        "items/print.html",
        context,
    )?;
    Ok(HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(html))
}

/// A text typed into one of the item page's forms, normalised and checked.
struct Checked {
    /// The form field the text came from (where its message is shown).
    field: &'static str,
    /// The normalised text.
    text: String,
    /// The message for the field, if the text is not acceptable.
    errors: FormErrors,
}

/// Normalises `raw` and checks that it is present (if `required`) and at most
/// `max` characters.
fn checked_text(
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

/// Runs an action on the item; on success a one-time message and 303 back to it.
async fn act(
    state: &AppState,
    current: &CurrentUser,
    id: ItemId,
    flash_key: &'static str,
    work: impl FnOnce(&mut DbConnection, &Actor) -> Result<(), AppError> + Send + 'static,
) -> Result<HttpResponse, AppError> {
    let actor = current.actor();
    let session = current.session.clone();
    with_db(&state.pool, move |conn| {
        work(conn, &actor)?;
        flash(conn, &session, flash_key)
    })
    .await?;
    Ok(see_other(&format!("/items/{}", id.0)))
}

/// Runs an action that takes a typed text: when the text is not acceptable, the
/// item page comes back (422) with the message beside the field and the text kept.
async fn act_on_text(
    state: &AppState,
    current: &CurrentUser,
    id: ItemId,
    input: Checked,
    flash_key: &'static str,
    work: impl FnOnce(&mut DbConnection, &Actor, String) -> Result<(), AppError> + Send + 'static,
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

/// A form with one text.
#[derive(Debug, Deserialize)]
pub struct TextForm {
    #[serde(default)]
    text: String,
}

/// An empty form (the CSRF token only).
#[derive(Debug, Deserialize)]
pub struct EmptyForm {}

/// `POST /items/{id}/withdraw`: the delegate takes the item back, with a reason.
pub async fn withdraw(
    state: web::Data<AppState>,
    current: CurrentUser,
    path: web::Path<i32>,
    CsrfForm(form): CsrfForm<TextForm>,
) -> Result<HttpResponse, AppError> {
    let id = ItemId(path.into_inner());
    let input = checked_text(
        &state.renderer,
        current.visit.lang,
        "withdraw_reason",
        &form.text,
        true,
        COMMENT_MAX_CHARS,
    );
    act_on_text(
        &state,
        &current,
        id,
        input,
        "flash_withdrawn",
        move |conn, actor, reason| workflow::withdraw(conn, actor, id, &reason, now()),
    )
    .await
}

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
    let lang = current.visit.lang;
    let mut input = checked_text(
        &state.renderer,
        lang,
        "satisfaction_comment",
        &form.text,
        false,
        COMMENT_MAX_CHARS,
    );
    let level = form.level.parse::<Satisfaction>();
    if level.is_err() {
        input.errors.add(
            "satisfaction_level",
            state.renderer.catalog(),
            lang,
            "error_choose_satisfaction",
        );
    }
    act_on_text(
        &state,
        &current,
        id,
        input,
        "flash_rated",
        move |conn, actor, comment| {
            let level = level.map_err(|()| AppError::Conflict("error_choose_satisfaction"))?;
            workflow::rate(conn, actor, id, level, &comment, now())
        },
    )
    .await
}

/// `POST /items/{id}/notes`: an internal note.
pub async fn add_note(
    state: web::Data<AppState>,
    current: CurrentUser,
    path: web::Path<i32>,
    CsrfForm(form): CsrfForm<TextForm>,
) -> Result<HttpResponse, AppError> {
    let id = ItemId(path.into_inner());
    let input = checked_text(
        &state.renderer,
        current.visit.lang,
        "note",
        &form.text,
        true,
        COMMENT_MAX_CHARS,
    );
    act_on_text(
        &state,
        &current,
        id,
        input,
        "flash_note_added",
        move |conn, actor, note| workflow::add_note(conn, actor, id, &note, now()),
    )
    .await
}

/// `POST /items/{id}/satisfaction-reply`: staff answer the delegate's comment.
pub async fn reply_to_satisfaction(
    state: web::Data<AppState>,
    current: CurrentUser,
    path: web::Path<i32>,
    CsrfForm(form): CsrfForm<TextForm>,
) -> Result<HttpResponse, AppError> {
    let id = ItemId(path.into_inner());
    let input = checked_text(
        &state.renderer,
        current.visit.lang,
        "satisfaction_reply",
        &form.text,
        true,
        COMMENT_MAX_CHARS,
    );
    act_on_text(
        &state,
        &current,
        id,
        input,
        "flash_reply_sent",
        move |conn, actor, reply| workflow::reply_to_satisfaction(conn, actor, id, &reply, now()),
    )
    .await
}

/// The drafting form: the answer and whether to send it for review right away.
#[derive(Debug, Deserialize)]
pub struct DraftForm {
    #[serde(default)]
    text: String,
    #[serde(default)]
    intent: String,
}

/// `POST /items/{id}/draft`: saves a revision; with `intent=review` also sends it
/// to the approver.
pub async fn save_draft(
    state: web::Data<AppState>,
    current: CurrentUser,
    path: web::Path<i32>,
    CsrfForm(form): CsrfForm<DraftForm>,
) -> Result<HttpResponse, AppError> {
    let id = ItemId(path.into_inner());
    let input = checked_text(
        &state.renderer,
        current.visit.lang,
        "answer",
        &form.text,
        true,
        ANSWER_MAX_CHARS,
    );
    let and_review = form.intent == "review";
    let flash_key = if and_review {
        "flash_sent_for_review"
    } else {
        "flash_draft_saved"
    };
    act_on_text(
        &state,
        &current,
        id,
        input,
        flash_key,
        move |conn, actor, answer| {
            workflow::save_draft(conn, actor, id, &answer, now())?;
            if and_review {
                workflow::send_for_review(conn, actor, id, now())?;
            }
            Ok(())
        },
    )
    .await
}

/// `POST /items/{id}/send-for-review`.
pub async fn send_for_review(
    state: web::Data<AppState>,
    current: CurrentUser,
    path: web::Path<i32>,
    CsrfForm(_): CsrfForm<EmptyForm>,
) -> Result<HttpResponse, AppError> {
    let id = ItemId(path.into_inner());
    act(
        &state,
        &current,
        id,
        "flash_sent_for_review",
        move |conn, actor| workflow::send_for_review(conn, actor, id, now()),
    )
    .await
}

/// `POST /items/{id}/approve`.
pub async fn approve(
    state: web::Data<AppState>,
    current: CurrentUser,
    path: web::Path<i32>,
    CsrfForm(_): CsrfForm<EmptyForm>,
) -> Result<HttpResponse, AppError> {
    let id = ItemId(path.into_inner());
    act(
        &state,
        &current,
        id,
        "flash_approved",
        move |conn, actor| workflow::approve(conn, actor, id, now()),
    )
    .await
}

/// `POST /items/{id}/return`: the approver returns the draft with a comment.
pub async fn return_to_drafting(
    state: web::Data<AppState>,
    current: CurrentUser,
    path: web::Path<i32>,
    CsrfForm(form): CsrfForm<TextForm>,
) -> Result<HttpResponse, AppError> {
    let id = ItemId(path.into_inner());
    let input = checked_text(
        &state.renderer,
        current.visit.lang,
        "review_comment",
        &form.text,
        true,
        COMMENT_MAX_CHARS,
    );
    act_on_text(
        &state,
        &current,
        id,
        input,
        "flash_returned",
        move |conn, actor, comment| workflow::return_to_drafting(conn, actor, id, &comment, now()),
    )
    .await
}

/// The re-routing form.
#[derive(Debug, Deserialize)]
pub struct RouteForm {
    #[serde(default)]
    body_id: String,
    #[serde(default)]
    text: String,
}

/// An active body chosen in a form, or not found.
fn active_body(conn: &mut DbConnection, body: Option<BodyId>) -> Result<BodyId, AppError> {
    let body = body.ok_or(AppError::NotFound)?;
    Body::find(conn, body)?
        .filter(|b| b.active)
        .ok_or(AppError::NotFound)?;
    Ok(body)
}

/// `POST /items/{id}/route`: the coordinator routes or re-routes, with a reason.
pub async fn reroute(
    state: web::Data<AppState>,
    current: CurrentUser,
    path: web::Path<i32>,
    CsrfForm(form): CsrfForm<RouteForm>,
) -> Result<HttpResponse, AppError> {
    let id = ItemId(path.into_inner());
    let lang = current.visit.lang;
    let mut input = checked_text(
        &state.renderer,
        lang,
        "route_reason",
        &form.text,
        true,
        COMMENT_MAX_CHARS,
    );
    let body = form.body_id.parse::<i32>().ok().map(BodyId);
    if body.is_none() {
        input.errors.add(
            "route_body",
            state.renderer.catalog(),
            lang,
            "error_choose_body",
        );
    }
    act_on_text(
        &state,
        &current,
        id,
        input,
        "flash_rerouted",
        move |conn, actor, reason| {
            let body = active_body(conn, body)?;
            workflow::reroute(conn, actor, id, body, &reason, now())
        },
    )
    .await
}

/// The form naming a coordinating body.
#[derive(Debug, Deserialize)]
pub struct BodyForm {
    #[serde(default)]
    body_id: String,
}

/// `POST /items/{id}/coordinating-bodies`.
pub async fn add_coordinating_body(
    state: web::Data<AppState>,
    current: CurrentUser,
    path: web::Path<i32>,
    CsrfForm(form): CsrfForm<BodyForm>,
) -> Result<HttpResponse, AppError> {
    let id = ItemId(path.into_inner());
    let Some(body) = form.body_id.parse::<i32>().ok().map(BodyId) else {
        let mut errors = FormErrors::default();
        errors.add(
            "coordinating_body",
            state.renderer.catalog(),
            current.visit.lang,
            "error_choose_body",
        );
        return item_page(&state, &current, id, errors, HashMap::new(), UNPROCESSABLE).await;
    };
    act(
        &state,
        &current,
        id,
        "flash_coordinating_added",
        move |conn, actor| {
            let body = active_body(conn, Some(body))?;
            workflow::add_coordinating_body(conn, actor, id, body, now())
        },
    )
    .await
}

/// `POST /items/{id}/send-back`: the coordinator returns an approved answer to
/// its body with comments.
pub async fn send_back(
    state: web::Data<AppState>,
    current: CurrentUser,
    path: web::Path<i32>,
    CsrfForm(form): CsrfForm<TextForm>,
) -> Result<HttpResponse, AppError> {
    let id = ItemId(path.into_inner());
    let input = checked_text(
        &state.renderer,
        current.visit.lang,
        "send_back_comment",
        &form.text,
        true,
        COMMENT_MAX_CHARS,
    );
    act_on_text(
        &state,
        &current,
        id,
        input,
        "flash_sent_back",
        move |conn, actor, comment| workflow::send_back(conn, actor, id, &comment, now()),
    )
    .await
}

/// `POST /items/{id}/publish`.
pub async fn publish_one(
    state: web::Data<AppState>,
    current: CurrentUser,
    path: web::Path<i32>,
    CsrfForm(_): CsrfForm<EmptyForm>,
) -> Result<HttpResponse, AppError> {
    let id = ItemId(path.into_inner());
    act(
        &state,
        &current,
        id,
        "flash_published",
        move |conn, actor| workflow::publish(conn, actor, &[id], now()).map(drop),
    )
    .await
}

/// `POST /publish`: publishes the selected approved answers in one transaction.
/// The form repeats `item=ID` once per ticked box.
pub async fn publish_selection(
    state: web::Data<AppState>,
    current: CurrentUser,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let ids: Vec<ItemId> = pairs
        .iter()
        .filter(|(name, _)| name == "item")
        .filter_map(|(_, value)| value.parse().ok().map(ItemId))
        .collect();
    let actor = current.actor();
    let session = current.session.clone();
    with_db(&state.pool, move |conn| {
        if ids.is_empty() {
            return flash(conn, &session, "flash_nothing_selected");
        }
        workflow::publish(conn, &actor, &ids, now())?;
        flash(conn, &session, "flash_published_many")
    })
    .await?;
    Ok(see_other("/publish"))
}

/// The merge form.
#[derive(Debug, Deserialize)]
pub struct MergeForm {
    #[serde(default)]
    target: String,
    #[serde(default)]
    text: String,
}

/// `POST /items/{id}/merge`: merges this item into the item with the reference
/// typed by the coordinator.
pub async fn merge(
    state: web::Data<AppState>,
    current: CurrentUser,
    path: web::Path<i32>,
    CsrfForm(form): CsrfForm<MergeForm>,
) -> Result<HttpResponse, AppError> {
    let id = ItemId(path.into_inner());
    let lang = current.visit.lang;
    let input = checked_text(
        &state.renderer,
        lang,
        "merge_comment",
        &form.text,
        false,
        COMMENT_MAX_CHARS,
    );
    let reference = form.target.trim().to_uppercase();
    let lookup = reference.clone();
    let target = with_db(&state.pool, move |conn| {
        Ok(Item::find_by_reference(conn, &lookup)?)
    })
    .await?;
    let Some(target) = target else {
        let mut errors = input.errors;
        errors.add(
            "merge_target",
            state.renderer.catalog(),
            lang,
            "error_unknown_reference",
        );
        let kept = HashMap::from([("merge_target", reference), ("merge_comment", input.text)]);
        return item_page(&state, &current, id, errors, kept, UNPROCESSABLE).await;
    };
    act_on_text(
        &state,
        &current,
        id,
        input,
        "flash_merged",
        move |conn, actor, comment| workflow::merge(conn, actor, id, target, &comment, now()),
    )
    .await
}

/// The implementation form.
#[derive(Debug, Deserialize)]
pub struct ImplementationForm {
    #[serde(default)]
    state: String,
    #[serde(default)]
    text: String,
}

/// `POST /items/{id}/implementation`: records progress (`started` or `done`).
pub async fn follow_implementation(
    state: web::Data<AppState>,
    current: CurrentUser,
    path: web::Path<i32>,
    CsrfForm(form): CsrfForm<ImplementationForm>,
) -> Result<HttpResponse, AppError> {
    let id = ItemId(path.into_inner());
    let input = checked_text(
        &state.renderer,
        current.visit.lang,
        "implementation_comment",
        &form.text,
        false,
        COMMENT_MAX_CHARS,
    );
    let done = form.state == "done";
    act_on_text(
        &state,
        &current,
        id,
        input,
        "flash_implementation",
        move |conn, actor, comment| {
            workflow::follow_implementation(conn, actor, id, done, &comment, now())
        },
    )
    .await
}
