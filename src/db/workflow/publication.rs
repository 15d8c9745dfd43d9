//! The coordinator's last word on an answer (publish it, or send it back), and
//! what follows publication: implementation and the reply to the delegate's rating.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::access::{change_item, load_for, step};
use super::answer_commitments::start_commitments;
use super::notices::{delegate_of, notify, notify_with, staff_except};
use crate::db::answers;
use crate::db::events::{EventKind, NewEvent};
use crate::db::items::Item;
use crate::db::schema::items;
use crate::db::search::item_search_text;
use crate::db::{write_transaction, ConflictKind, DbConnection, StoreError};
use crate::domain::{Action, Actor, ItemId, MailEvent, Operation, Role};

/// The coordinator sends an approved answer back to its body with comments; the
/// body's drafters and approvers are told.
pub fn send_back(
    conn: &mut DbConnection,
    actor: &Actor,
    id: ItemId,
    comment: &str,
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    change_item(conn, actor, id, Operation::Publish, |conn, item| {
        step(
            conn,
            actor,
            item,
            Action::SendBack,
            EventKind::SentBack,
            comment,
            now,
        )?;
        diesel::update(items::table.find(id.0))
            .set(items::approved_revision_id.eq(None::<i32>))
            .execute(conn)?;
        let staff = staff_except(
            conn,
            item.lead_body_id,
            &[Role::Drafter, Role::Approver],
            actor.user,
        )?;
        notify(conn, MailEvent::SentBack, id, &staff, now)
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
) -> Result<Vec<PublishedItem>, StoreError> {
    write_transaction(conn, |conn| {
        let mut published = Vec::with_capacity(ids.len());
        for &id in ids {
            published.push(publish_one(conn, actor, id, now)?);
        }
        Ok(published)
    })
}

/// One item of [`publish`], inside its transaction.
fn publish_one(
    conn: &mut DbConnection,
    actor: &Actor,
    id: ItemId,
    now: NaiveDateTime,
) -> Result<PublishedItem, StoreError> {
    let (item, _) = load_for(conn, actor, id, Operation::Publish)?;
    let revision = item
        .approved_revision_id
        .ok_or(StoreError::Conflict(ConflictKind::Transition))?;
    step(
        conn,
        actor,
        &item,
        Action::Publish,
        EventKind::Published,
        "",
        now,
    )?;
    // The approved revision's outcome becomes the item's (lists filter on it);
    // an outcome that asks nothing more resolves the item at once.
    let approved = answers::revision(conn, revision)?;
    let outcome = approved.as_ref().and_then(|r| r.outcome);
    let resolved_at = outcome.filter(|o| o.resolved_at_publication()).map(|_| now);
    // The answer's words join what the item is found by (issue 12); the search
    // index follows `search_text` by itself (trigger or expression index).
    let search_text = item_search_text(
        &item.reference,
        &item.title,
        &item.content,
        &item.related_units,
        approved.as_ref().map(|r| r.body_text.as_str()),
    );
    diesel::update(items::table.find(id.0))
        .set((
            items::search_text.eq(search_text),
            items::published_revision_id.eq(revision),
            items::published_at.eq(now),
            items::outcome.eq(outcome),
            items::resolved_at.eq(resolved_at),
        ))
        .execute(conn)?;
    start_commitments(conn, id, now)?;
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
    Ok(PublishedItem { item: id, merged })
}

/// Records implementation progress of a published answer.
pub fn follow_implementation(
    conn: &mut DbConnection,
    actor: &Actor,
    id: ItemId,
    done: bool,
    comment: &str,
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    change_item(
        conn,
        actor,
        id,
        Operation::FollowImplementation,
        |conn, item| {
            // An answer with commitments is followed through their check-ins, which
            // move the item themselves; a manual step would contradict them.
            if !crate::db::commitments::Commitment::of_item(conn, id)?.is_empty() {
                return Err(StoreError::Conflict(ConflictKind::Transition));
            }
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
            step(conn, actor, item, action, kind, comment, now)?;
            Ok(())
        },
    )
}

/// Staff (the coordinator, or the lead or a coordinating body) reply to the
/// delegate's satisfaction comment; the delegate sees the reply and is emailed it.
pub fn reply_to_satisfaction(
    conn: &mut DbConnection,
    actor: &Actor,
    id: ItemId,
    reply: &str,
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    change_item(conn, actor, id, Operation::AddNote, |conn, item| {
        if item.satisfaction.is_none() {
            return Err(StoreError::Conflict(ConflictKind::NoSatisfaction));
        }
        NewEvent::new(id, actor.user, EventKind::SatisfactionReplied, now)
            .comment(reply)
            .insert(conn)?;
        let delegate = delegate_of(conn, item)?;
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
