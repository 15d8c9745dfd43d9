//! The coordinator's sorting of items: route or re-route to a body, ask other
//! bodies to coordinate, merge repeats, and internal notes.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::access::{change_item, load_for, step};
use super::notices::{announce_to_body, delegate_of, notify, staff_except};
use crate::db::answers;
use crate::db::events::{EventKind, NewEvent};
use crate::db::items::Item;
use crate::db::schema::items;
use crate::db::{ConflictKind, DbConnection, StoreError};
use crate::domain::{Action, Actor, BodyId, ItemId, ItemStatus, MailEvent, Operation, Role};

/// Routes an unrouted item, or re-routes one, to `body` with a reason. Drafting
/// starts over in the new body.
pub fn reroute(
    conn: &mut DbConnection,
    actor: &Actor,
    id: ItemId,
    body: BodyId,
    reason: &str,
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    change_item(conn, actor, id, Operation::Triage, |conn, item| {
        if item.lead_body_id == Some(body.0) {
            return Err(StoreError::Conflict(ConflictKind::SameBody));
        }
        let (action, kind) = if item.status == ItemStatus::Submitted {
            (Action::Route, EventKind::Routed)
        } else {
            (Action::Reroute, EventKind::Rerouted)
        };
        let from = item.status;
        // The body first, so the drafting stage the move starts is the new body's.
        diesel::update(items::table.find(id.0))
            .set((
                items::lead_body_id.eq(body.0),
                items::approved_revision_id.eq(None::<i32>),
            ))
            .execute(conn)?;
        let to = Item::transition(conn, id, from, action, now)?;
        NewEvent::new(id, actor.user, kind, now)
            .moved(from, to)
            .bodies(item.lead_body_id, Some(body.0))
            .comment(reason)
            .insert(conn)?;
        let delegate = delegate_of(conn, item)?;
        notify(conn, MailEvent::ItemRerouted, id, &delegate, now)?;
        announce_to_body(conn, id, Some(body.0), now)
    })
}

/// Asks another body to coordinate (phối hợp) on the item; its drafters and
/// approvers are told.
pub fn add_coordinating_body(
    conn: &mut DbConnection,
    actor: &Actor,
    id: ItemId,
    body: BodyId,
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    change_item(conn, actor, id, Operation::Triage, |conn, item| {
        if !item.status.is_open() || item.lead_body_id == Some(body.0) {
            return Err(StoreError::Conflict(ConflictKind::SameBody));
        }
        if answers::add_coordinating_body(conn, id, body, actor.user, now)? {
            NewEvent::new(id, actor.user, EventKind::CoordinatingBodyAdded, now)
                .bodies(None, Some(body.0))
                .insert(conn)?;
            let staff = staff_except(
                conn,
                Some(body.0),
                &[Role::Drafter, Role::Approver],
                actor.user,
            )?;
            notify(conn, MailEvent::CoordinationRequested, id, &staff, now)?;
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
) -> Result<(), StoreError> {
    change_item(conn, actor, id, Operation::AddNote, |conn, _| {
        answers::add_note(conn, id, actor.user, text, now)?;
        Ok(())
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
) -> Result<(), StoreError> {
    change_item(conn, actor, id, Operation::Triage, |conn, item| {
        if id == target {
            return Err(StoreError::Conflict(ConflictKind::MergeSelf));
        }
        let (into, _) = load_for(conn, actor, target, Operation::Triage)?;
        if !into.status.is_open() {
            return Err(StoreError::Conflict(ConflictKind::MergeTarget));
        }
        step(
            conn,
            actor,
            item,
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
        let delegate = delegate_of(conn, item)?;
        notify(conn, MailEvent::ItemMerged, id, &delegate, now)
    })
}
