//! Every change to an item, each one database transaction: load the item within
//! the actor's scope, check the permission and the state move, write the change
//! and its timeline entry together.

use chrono::NaiveDateTime;

use super::answers;
use super::conferences::Conference;
use super::events::{EventKind, NewEvent};
use super::fields::Field;
use super::items::{Item, NewItem, Scope};
use super::outbox::{self, MailEvent, NewMail};
use super::schema::items;
use super::users::User;
use super::{is_unique_violation, write_transaction, DbConnection};
use crate::domain::item::{deadline, format_reference};
use crate::domain::text::fold_for_search;
use crate::domain::{
    Action, Actor, BodyId, ConferenceId, FieldId, ItemId, ItemStatus, Operation, Relation, Role,
    Satisfaction, UserId,
};
use crate::error::AppError;
use diesel::prelude::*;

/// A delegate's new item, already validated.
#[derive(Debug, Clone)]
pub struct Submission {
    /// The open conference.
    pub conference: ConferenceId,
    /// The chosen field.
    pub field: FieldId,
    /// Title (NFC).
    pub title: String,
    /// Text (NFC, line breaks kept).
    pub content: String,
    /// Related units (NFC).
    pub related_units: String,
    /// The form's one-time token.
    pub token: String,
}

/// What a submission produced.
#[derive(Debug, Clone)]
pub struct Submitted {
    /// The item.
    pub item: ItemId,
    /// Its reference.
    pub reference: String,
}

/// Files a delegate's item: takes the next reference, routes it by the field's
/// entry in the routing table and records both steps. A repeated form token
/// (double click, resent form) returns the item already filed.
pub fn submit(
    conn: &mut DbConnection,
    actor: &Actor,
    submission: &Submission,
    now: NaiveDateTime,
) -> Result<Submitted, AppError> {
    if let Some(existing) = Item::find_by_submission_token(conn, actor.user, &submission.token)? {
        return Ok(Submitted {
            item: existing.item_id(),
            reference: existing.reference,
        });
    }
    let outcome = write_transaction(conn, |conn| {
        let conference =
            Conference::find(conn, submission.conference)?.ok_or(AppError::NotFound)?;
        if !conference.open_for_submissions {
            return Err(AppError::Conflict("error_conference_closed"));
        }
        let field = Field::find(conn, submission.field)?
            .filter(|f| f.active)
            .ok_or(AppError::NotFound)?;
        let number = Conference::take_reference_number(conn, submission.conference)?;
        let reference = format_reference(&conference.reference_prefix, conference.year(), number);
        let status = if field.lead_body_id.is_some() {
            ItemStatus::Routed
        } else {
            ItemStatus::Submitted
        };
        let item = NewItem {
            conference_id: conference.id,
            reference_number: number,
            reference: reference.clone(),
            delegate_id: actor.user.0,
            submission_token: submission.token.clone(),
            title: submission.title.clone(),
            content: submission.content.clone(),
            field_id: field.id,
            related_units: submission.related_units.clone(),
            status: status.as_str().to_owned(),
            lead_body_id: field.lead_body_id,
            submitted_at: now,
            deadline: deadline(now, conference.response_days),
            updated_at: now,
            search_text: fold_for_search(&format!(
                "{reference} {} {} {}",
                submission.title, submission.content, submission.related_units
            )),
        }
        .insert(conn)?;
        NewEvent::new(item, actor.user, EventKind::Submitted, now)
            .moved(ItemStatus::Submitted, ItemStatus::Submitted)
            .insert(conn)?;
        if status == ItemStatus::Routed {
            NewEvent::system(item, EventKind::Routed, now)
                .moved(ItemStatus::Submitted, ItemStatus::Routed)
                .bodies(None, field.lead_body_id)
                .insert(conn)?;
        }
        let delegate = User::find(conn, actor.user)?
            .into_iter()
            .collect::<Vec<_>>();
        notify(conn, MailEvent::ItemReceived, item, &delegate, now)?;
        announce_to_body(conn, item, field.lead_body_id, now)?;
        Ok(Submitted { item, reference })
    });
    match outcome {
        // The same form arrived twice at once: the other request filed it.
        Err(ref error) if is_unique_violation(error) => {
            let existing = Item::find_by_submission_token(conn, actor.user, &submission.token)?
                .ok_or(AppError::Conflict("error_transition"))?;
            Ok(Submitted {
                item: existing.item_id(),
                reference: existing.reference,
            })
        }
        other => other,
    }
}

/// Loads an item the actor may see and checks they may perform `operation` on it.
/// Forbidden and missing both come back as an error the user sees as "not found".
pub fn load_for(
    conn: &mut DbConnection,
    actor: &Actor,
    id: ItemId,
    operation: Operation,
) -> Result<(Item, Relation), AppError> {
    let item = Item::find_visible(conn, id, Scope::for_actor(actor))?.ok_or(AppError::NotFound)?;
    let relation = relation(conn, actor, &item)?;
    if actor.may(operation, relation) {
        Ok((item, relation))
    } else {
        Err(AppError::Forbidden)
    }
}

/// How `actor` stands to `item`.
pub fn relation(conn: &mut DbConnection, actor: &Actor, item: &Item) -> Result<Relation, AppError> {
    let coordinating_body = match actor.body {
        Some(body) if actor.role.drafts() => {
            answers::coordinating_bodies(conn, item.item_id())?.contains(&body.0)
        }
        _ => false,
    };
    Ok(Relation {
        owner: item.delegate_id == actor.user.0,
        lead_body: actor.body.is_some_and(|b| item.lead_body_id == Some(b.0)),
        coordinating_body,
    })
}

/// Queues `event` about `item` for each of `people`, in the caller's transaction.
fn notify(
    conn: &mut DbConnection,
    event: MailEvent,
    item: ItemId,
    people: &[User],
    now: NaiveDateTime,
) -> Result<(), AppError> {
    notify_with(conn, event, item, people, serde_json::json!({}), now)
}

/// Like [`notify`], with extra values for the mail's templates.
fn notify_with(
    conn: &mut DbConnection,
    event: MailEvent,
    item: ItemId,
    people: &[User],
    payload: serde_json::Value,
    now: NaiveDateTime,
) -> Result<(), AppError> {
    for person in people {
        outbox::enqueue(
            conn,
            NewMail {
                event,
                item: Some(item),
                recipient: person,
                payload: payload.clone(),
            },
            now,
        )?;
    }
    Ok(())
}

/// The delegate who filed `item`.
fn delegate_of(conn: &mut DbConnection, item: &Item) -> Result<Vec<User>, AppError> {
    Ok(User::find(conn, UserId(item.delegate_id))?
        .into_iter()
        .collect())
}

/// Tells the people who must act that `item` now sits with `body`: its staff, and
/// the coordinators when the body is a coordinating one (the item needs triage).
/// Without a body, only the coordinators.
fn announce_to_body(
    conn: &mut DbConnection,
    item: ItemId,
    body: Option<i32>,
    now: NaiveDateTime,
) -> Result<(), AppError> {
    let coordinating = match body {
        Some(body) => {
            let staff = User::staff_of_body(conn, body, &[Role::Drafter, Role::Approver])?;
            notify(conn, MailEvent::NewInQueue, item, &staff, now)?;
            super::bodies::Body::find(conn, BodyId(body))?.is_some_and(|b| b.is_coordinating)
        }
        None => true,
    };
    if coordinating {
        let coordinators = User::with_role(conn, Role::Coordinator)?;
        notify(conn, MailEvent::TriageNeeded, item, &coordinators, now)?;
    }
    Ok(())
}

/// Moves the item by `action`, records the step and returns the new state.
fn step(
    conn: &mut DbConnection,
    actor: &Actor,
    item: &Item,
    action: Action,
    kind: EventKind,
    comment: &str,
    now: NaiveDateTime,
) -> Result<ItemStatus, AppError> {
    let from = item.status();
    let to = Item::transition(conn, item.item_id(), from, action, now)?;
    NewEvent::new(item.item_id(), actor.user, kind, now)
        .moved(from, to)
        .comment(comment)
        .insert(conn)?;
    Ok(to)
}

/// The delegate takes their item back, with a reason, before drafting starts.
pub fn withdraw(
    conn: &mut DbConnection,
    actor: &Actor,
    id: ItemId,
    reason: &str,
    now: NaiveDateTime,
) -> Result<(), AppError> {
    write_transaction(conn, |conn| {
        let (item, _) = load_for(conn, actor, id, Operation::Withdraw)?;
        step(
            conn,
            actor,
            &item,
            Action::Withdraw,
            EventKind::Withdrawn,
            reason,
            now,
        )?;
        Ok(())
    })
}

/// The delegate says how satisfied they are with the published answer.
pub fn rate(
    conn: &mut DbConnection,
    actor: &Actor,
    id: ItemId,
    satisfaction: Satisfaction,
    comment: &str,
    now: NaiveDateTime,
) -> Result<(), AppError> {
    write_transaction(conn, |conn| {
        let (item, _) = load_for(conn, actor, id, Operation::Rate)?;
        if !item.status().is_answered() {
            return Err(AppError::Conflict("error_transition"));
        }
        diesel::update(items::table.find(id.0))
            .set((
                items::satisfaction.eq(satisfaction.as_str()),
                items::satisfaction_comment.eq(comment),
                items::updated_at.eq(now),
            ))
            .execute(conn)?;
        // The level itself is on the item; the timeline keeps the delegate's words.
        NewEvent::new(id, actor.user, EventKind::SatisfactionGiven, now)
            .comment(comment)
            .insert(conn)?;
        Ok(())
    })
}

/// Routes an unrouted item, or re-routes one, to `body` with a reason. Drafting
/// starts over in the new body.
pub fn reroute(
    conn: &mut DbConnection,
    actor: &Actor,
    id: ItemId,
    body: BodyId,
    reason: &str,
    now: NaiveDateTime,
) -> Result<(), AppError> {
    write_transaction(conn, |conn| {
        let (item, _) = load_for(conn, actor, id, Operation::Triage)?;
        if item.lead_body_id == Some(body.0) {
            return Err(AppError::Conflict("error_same_body"));
        }
        let (action, kind) = if item.status() == ItemStatus::Submitted {
            (Action::Route, EventKind::Routed)
        } else {
            (Action::Reroute, EventKind::Rerouted)
        };
        let from = item.status();
        let to = Item::transition(conn, id, from, action, now)?;
        diesel::update(items::table.find(id.0))
            .set((
                items::lead_body_id.eq(body.0),
                items::approved_revision_id.eq(None::<i32>),
            ))
            .execute(conn)?;
        NewEvent::new(id, actor.user, kind, now)
            .moved(from, to)
            .bodies(item.lead_body_id, Some(body.0))
            .comment(reason)
            .insert(conn)?;
        let delegate = delegate_of(conn, &item)?;
        notify(conn, MailEvent::ItemRerouted, id, &delegate, now)?;
        announce_to_body(conn, id, Some(body.0), now)
    })
}

/// Asks another body to coordinate (phối hợp) on the item.
pub fn add_coordinating_body(
    conn: &mut DbConnection,
    actor: &Actor,
    id: ItemId,
    body: BodyId,
    now: NaiveDateTime,
) -> Result<(), AppError> {
    write_transaction(conn, |conn| {
        let (item, _) = load_for(conn, actor, id, Operation::Triage)?;
        if !item.status().is_open() || item.lead_body_id == Some(body.0) {
            return Err(AppError::Conflict("error_same_body"));
        }
        if answers::add_coordinating_body(conn, id, body, actor.user, now)? {
            NewEvent::new(id, actor.user, EventKind::CoordinatingBodyAdded, now)
                .bodies(None, Some(body.0))
                .insert(conn)?;
        }
        Ok(())
    })
}

/// Adds an internal note.
pub fn add_note(
    conn: &mut DbConnection,
    actor: &Actor,
    id: ItemId,
    text: &str,
    now: NaiveDateTime,
) -> Result<(), AppError> {
    write_transaction(conn, |conn| {
        load_for(conn, actor, id, Operation::AddNote)?;
        answers::add_note(conn, id, actor.user, text, now)?;
        Ok(())
    })
}

/// Saves a revision of the answer; editing an approved answer voids the approval.
pub fn save_draft(
    conn: &mut DbConnection,
    actor: &Actor,
    id: ItemId,
    text: &str,
    now: NaiveDateTime,
) -> Result<(), AppError> {
    write_transaction(conn, |conn| {
        let (item, _) = load_for(conn, actor, id, Operation::Draft)?;
        let from = item.status();
        let to = Item::transition(conn, id, from, Action::SaveDraft, now)?;
        answers::add_revision(conn, id, actor.user, text, now)?;
        diesel::update(items::table.find(id.0))
            .set(items::approved_revision_id.eq(None::<i32>))
            .execute(conn)?;
        NewEvent::new(id, actor.user, EventKind::DraftSaved, now)
            .moved(from, to)
            .insert(conn)?;
        Ok(())
    })
}

/// Hands the latest draft to the body's approver.
pub fn send_for_review(
    conn: &mut DbConnection,
    actor: &Actor,
    id: ItemId,
    now: NaiveDateTime,
) -> Result<(), AppError> {
    write_transaction(conn, |conn| {
        let (item, _) = load_for(conn, actor, id, Operation::Draft)?;
        if answers::latest_revision(conn, id)?.is_none() {
            return Err(AppError::Conflict("error_no_draft"));
        }
        step(
            conn,
            actor,
            &item,
            Action::SendForReview,
            EventKind::SentForReview,
            "",
            now,
        )?;
        Ok(())
    })
}

/// Approves the latest draft, freezing that exact revision. Nobody approves a
/// draft they wrote themselves.
pub fn approve(
    conn: &mut DbConnection,
    actor: &Actor,
    id: ItemId,
    now: NaiveDateTime,
) -> Result<(), AppError> {
    write_transaction(conn, |conn| {
        let (item, _) = load_for(conn, actor, id, Operation::Review)?;
        let latest =
            answers::latest_revision(conn, id)?.ok_or(AppError::Conflict("error_no_draft"))?;
        if latest.author_id == actor.user.0 {
            return Err(AppError::Conflict("error_own_draft"));
        }
        step(
            conn,
            actor,
            &item,
            Action::Approve,
            EventKind::Approved,
            "",
            now,
        )?;
        diesel::update(items::table.find(id.0))
            .set(items::approved_revision_id.eq(latest.id))
            .execute(conn)?;
        Ok(())
    })
}

/// The approver returns the draft to drafting with a comment.
pub fn return_to_drafting(
    conn: &mut DbConnection,
    actor: &Actor,
    id: ItemId,
    comment: &str,
    now: NaiveDateTime,
) -> Result<(), AppError> {
    write_transaction(conn, |conn| {
        let (item, _) = load_for(conn, actor, id, Operation::Review)?;
        step(
            conn,
            actor,
            &item,
            Action::ReturnToDrafting,
            EventKind::Returned,
            comment,
            now,
        )?;
        Ok(())
    })
}

/// The coordinator sends an approved answer back to its body with comments.
pub fn send_back(
    conn: &mut DbConnection,
    actor: &Actor,
    id: ItemId,
    comment: &str,
    now: NaiveDateTime,
) -> Result<(), AppError> {
    write_transaction(conn, |conn| {
        let (item, _) = load_for(conn, actor, id, Operation::Publish)?;
        step(
            conn,
            actor,
            &item,
            Action::SendBack,
            EventKind::SentBack,
            comment,
            now,
        )?;
        diesel::update(items::table.find(id.0))
            .set(items::approved_revision_id.eq(None::<i32>))
            .execute(conn)?;
        Ok(())
    })
}

/// One item made public by [`publish`], with the items merged into it whose
/// delegates the answer also serves.
#[derive(Debug, Clone)]
pub struct PublishedItem {
    /// The published item.
    pub item: ItemId,
    /// Items merged into it.
    pub merged: Vec<ItemId>,
}

/// Publishes the approved answers of `ids` in one transaction: either all of them
/// are published or none. The email step adds its outbox rows inside this same
/// transaction, so an answer is never public without its emails queued.
pub fn publish(
    conn: &mut DbConnection,
    actor: &Actor,
    ids: &[ItemId],
    now: NaiveDateTime,
) -> Result<Vec<PublishedItem>, AppError> {
    write_transaction(conn, |conn| {
        let mut published = Vec::with_capacity(ids.len());
        for &id in ids {
            let (item, _) = load_for(conn, actor, id, Operation::Publish)?;
            let revision = item
                .approved_revision_id
                .ok_or(AppError::Conflict("error_transition"))?;
            step(
                conn,
                actor,
                &item,
                Action::Publish,
                EventKind::Published,
                "",
                now,
            )?;
            diesel::update(items::table.find(id.0))
                .set((
                    items::published_revision_id.eq(revision),
                    items::published_at.eq(now),
                ))
                .execute(conn)?;
            let delegate = delegate_of(conn, &item)?;
            notify(conn, MailEvent::AnswerPublished, id, &delegate, now)?;
            let merged_items = Item::merged_into(conn, id)?;
            for other in &merged_items {
                NewEvent::new(other.item_id(), actor.user, EventKind::Published, now)
                    .comment(&item.reference)
                    .insert(conn)?;
                // Each delegate of a merged item hears of the shared answer on their own item.
                let their_delegate = delegate_of(conn, other)?;
                notify(
                    conn,
                    MailEvent::AnswerPublished,
                    other.item_id(),
                    &their_delegate,
                    now,
                )?;
            }
            let merged: Vec<ItemId> = merged_items.iter().map(Item::item_id).collect();
            published.push(PublishedItem { item: id, merged });
        }
        Ok(published)
    })
}

/// Merges `id` into `target`: one answer will serve both delegates.
pub fn merge(
    conn: &mut DbConnection,
    actor: &Actor,
    id: ItemId,
    target: ItemId,
    comment: &str,
    now: NaiveDateTime,
) -> Result<(), AppError> {
    write_transaction(conn, |conn| {
        let (item, _) = load_for(conn, actor, id, Operation::Triage)?;
        if id == target {
            return Err(AppError::Conflict("error_merge_self"));
        }
        let (into, _) = load_for(conn, actor, target, Operation::Triage)?;
        if !into.status().is_open() {
            return Err(AppError::Conflict("error_merge_target"));
        }
        step(
            conn,
            actor,
            &item,
            Action::Merge,
            EventKind::Merged,
            &into.reference,
            now,
        )?;
        diesel::update(items::table.find(id.0))
            .set(items::merged_into_id.eq(target.0))
            .execute(conn)?;
        // Items already merged into the source follow it to the new target.
        diesel::update(items::table.filter(items::merged_into_id.eq(id.0)))
            .set(items::merged_into_id.eq(target.0))
            .execute(conn)?;
        let note = if comment.is_empty() {
            item.reference.clone()
        } else {
            format!("{}: {comment}", item.reference)
        };
        NewEvent::new(target, actor.user, EventKind::MergeReceived, now)
            .comment(&note)
            .insert(conn)?;
        let delegate = delegate_of(conn, &item)?;
        notify(conn, MailEvent::ItemMerged, id, &delegate, now)
    })
}

/// Records implementation progress of a published answer.
pub fn follow_implementation(
    conn: &mut DbConnection,
    actor: &Actor,
    id: ItemId,
    done: bool,
    comment: &str,
    now: NaiveDateTime,
) -> Result<(), AppError> {
    write_transaction(conn, |conn| {
        let (item, _) = load_for(conn, actor, id, Operation::FollowImplementation)?;
        let (action, kind) = if done {
            (
                Action::CompleteImplementation,
                EventKind::ImplementationDone,
            )
        } else {
            (
                Action::StartImplementation,
                EventKind::ImplementationStarted,
            )
        };
        step(conn, actor, &item, action, kind, comment, now)?;
        Ok(())
    })
}

/// Staff (the coordinator, or the lead or a coordinating body) reply to the
/// delegate's satisfaction comment; the delegate sees the reply and is emailed it.
pub fn reply_to_satisfaction(
    conn: &mut DbConnection,
    actor: &Actor,
    id: ItemId,
    reply: &str,
    now: NaiveDateTime,
) -> Result<(), AppError> {
    write_transaction(conn, |conn| {
        let (item, _) = load_for(conn, actor, id, Operation::AddNote)?;
        if item.satisfaction.is_none() {
            return Err(AppError::Conflict("error_no_satisfaction"));
        }
        NewEvent::new(id, actor.user, EventKind::SatisfactionReplied, now)
            .comment(reply)
            .insert(conn)?;
        let delegate = delegate_of(conn, &item)?;
        let payload = serde_json::json!({ "reply": reply });
        notify_with(
            conn,
            MailEvent::SatisfactionReply,
            id,
            &delegate,
            payload,
            now,
        )
    })
}
