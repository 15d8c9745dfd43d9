//! The lead body's work on the answer: drafts, review, approval or return.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::access::{change_item, load_for, step};
use super::notices::{notify, staff_except};
use crate::db::answers::{self, AnswerOutcome};
use crate::db::commitments::Commitment;
use crate::db::events::{EventKind, NewEvent};
use crate::db::items::Item;
use crate::db::schema::items;
use crate::db::users::User;
use crate::db::{write_transaction, ConflictKind, DbConnection, StoreError};
use crate::domain::{Action, Actor, ItemId, MailEvent, Operation, Role, UserId};

/// Saves a revision of the answer; editing an approved answer voids the approval.
pub fn save_draft(
    conn: &mut DbConnection,
    actor: &Actor,
    id: ItemId,
    text: &str,
    outcome: &AnswerOutcome,
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    write_transaction(conn, |conn| {
        write_draft(conn, actor, id, text, outcome, now)
    })
}

/// Hands the latest draft to the body's approvers, who are told.
pub fn send_for_review(
    conn: &mut DbConnection,
    actor: &Actor,
    id: ItemId,
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    write_transaction(conn, |conn| hand_to_review(conn, actor, id, now))
}

/// Saves a revision and hands it to the approvers in one transaction: either the
/// draft is saved and waits for review, or nothing changed.
pub fn save_draft_and_send_for_review(
    conn: &mut DbConnection,
    actor: &Actor,
    id: ItemId,
    text: &str,
    outcome: &AnswerOutcome,
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    write_transaction(conn, |conn| {
        write_draft(conn, actor, id, text, outcome, now)?;
        hand_to_review(conn, actor, id, now)
    })
}

/// The body of [`save_draft`], inside the caller's transaction.
fn write_draft(
    conn: &mut DbConnection,
    actor: &Actor,
    id: ItemId,
    text: &str,
    outcome: &AnswerOutcome,
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    let (item, _) = load_for(conn, actor, id, Operation::Draft)?;
    let from = item.status;
    let to = Item::transition(conn, id, from, Action::SaveDraft, now)?;
    answers::add_revision(conn, id, actor.user, text, outcome, now)?;
    diesel::update(items::table.find(id.0))
        .set(items::approved_revision_id.eq(None::<i32>))
        .execute(conn)?;
    NewEvent::new(id, actor.user, EventKind::DraftSaved, now)
        .moved(from, to)
        .insert(conn)?;
    Ok(())
}

/// The body of [`send_for_review`], inside the caller's transaction.
fn hand_to_review(
    conn: &mut DbConnection,
    actor: &Actor,
    id: ItemId,
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    let (item, _) = load_for(conn, actor, id, Operation::Draft)?;
    let latest =
        answers::latest_revision(conn, id)?.ok_or(StoreError::Conflict(ConflictKind::NoDraft))?;
    // The approver approves the outcome and its commitments with the text, so
    // all three must be complete before review.
    let outcome = latest
        .outcome
        .ok_or(StoreError::Conflict(ConflictKind::NoOutcome))?;
    let committed = !Commitment::of_item(conn, id)?.is_empty();
    if outcome.takes_action() && !committed {
        return Err(StoreError::Conflict(ConflictKind::NoCommitment));
    }
    if !outcome.takes_action() && committed {
        return Err(StoreError::Conflict(ConflictKind::CommitmentsNotAllowed));
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
    let approvers = staff_except(conn, item.lead_body_id, &[Role::Approver], actor.user)?;
    notify(conn, MailEvent::ReviewWaiting, id, &approvers, now)
}

/// Approves the latest draft, freezing that exact revision. Nobody approves a
/// draft they wrote themselves, nor one whose draft cycle (since the last return
/// to drafting, or since it was routed) holds a revision of theirs.
pub fn approve(
    conn: &mut DbConnection,
    actor: &Actor,
    id: ItemId,
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    change_item(conn, actor, id, Operation::Review, |conn, item| {
        let latest = answers::latest_revision(conn, id)?
            .ok_or(StoreError::Conflict(ConflictKind::NoDraft))?;
        if latest.author_id == actor.user.0 {
            return Err(StoreError::Conflict(ConflictKind::OwnDraft));
        }
        if answers::cycle_authors(conn, id)?.contains(&actor.user) {
            return Err(StoreError::Conflict(ConflictKind::EditedThisCycle));
        }
        step(
            conn,
            actor,
            item,
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

/// The approver returns the draft to drafting with a comment. The body's drafters
/// are told, and the latest draft's author too if they are not a drafter.
pub fn return_to_drafting(
    conn: &mut DbConnection,
    actor: &Actor,
    id: ItemId,
    comment: &str,
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    change_item(conn, actor, id, Operation::Review, |conn, item| {
        step(
            conn,
            actor,
            item,
            Action::ReturnToDrafting,
            EventKind::Returned,
            comment,
            now,
        )?;
        let mut drafters = staff_except(conn, item.lead_body_id, &[Role::Drafter], actor.user)?;
        if let Some(latest) = answers::latest_revision(conn, id)? {
            let known = drafters.iter().any(|d| d.id == latest.author_id);
            if !known && latest.author_id != actor.user.0 {
                if let Some(author) = User::find(conn, UserId(latest.author_id))? {
                    drafters.push(author);
                }
            }
        }
        notify(conn, MailEvent::DraftReturned, id, &drafters, now)
    })
}
