//! What a delegate does to their own item after filing it: take it back, or say
//! how satisfied they are with the answer.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::access::{change_item, step};
use super::notices::{delegate_of, notify};
use crate::db::events::{EventKind, NewEvent};
use crate::db::schema::items;
use crate::db::{ConflictKind, DbConnection, StoreError};
use crate::domain::{Action, Actor, ItemId, MailEvent, Operation, Satisfaction};

/// The delegate takes their item back, with a reason, before drafting starts. The
/// delegate gets the confirmation the notice promises.
pub fn withdraw(
    conn: &mut DbConnection,
    actor: &Actor,
    id: ItemId,
    reason: &str,
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    change_item(conn, actor, id, Operation::Withdraw, |conn, item| {
        step(
            conn,
            actor,
            item,
            Action::Withdraw,
            EventKind::Withdrawn,
            reason,
            now,
        )?;
        let delegate = delegate_of(conn, item)?;
        notify(conn, MailEvent::ItemWithdrawn, id, &delegate, now)
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
) -> Result<(), StoreError> {
    change_item(conn, actor, id, Operation::Rate, |conn, item| {
        // A merged item's delegate rates the shared answer once it is out.
        if !super::follow_up::answering_item(conn, item)?
            .status
            .is_answered()
        {
            return Err(StoreError::Conflict(ConflictKind::Transition));
        }
        diesel::update(items::table.find(id.0))
            .set((
                items::satisfaction.eq(satisfaction),
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
