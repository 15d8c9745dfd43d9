//! The first and the common step of every change: the item as the actor may see
//! it, how they stand to it, and a checked move of its state.

use chrono::NaiveDateTime;

use crate::db::answers;
use crate::db::contributions;
use crate::db::events::{EventKind, NewEvent};
use crate::db::items::{Item, Scope};
use crate::db::{write_transaction, DbConnection, StoreError};
use crate::domain::{Action, Actor, ItemId, ItemStatus, Operation, Relation};

/// Loads an item the actor may see and checks they may perform `operation` on it.
/// An item outside the actor's scope is `NotFound`; one they see but may not act
/// on is `Forbidden` (the web ring answers both alike).
pub fn load_for(
    conn: &mut DbConnection,
    actor: &Actor,
    id: ItemId,
    operation: Operation,
) -> Result<(Item, Relation), StoreError> {
    let item = match Item::find_visible(conn, id, Scope::for_actor(actor))? {
        Some(item) => item,
        // A body asked for a contribution sees the item it was asked about.
        None if asked_body(conn, actor, id)? => {
            Item::find(conn, id)?.ok_or(StoreError::NotFound)?
        }
        None => return Err(StoreError::NotFound),
    };
    let relation = relation(conn, actor, &item)?;
    if actor.may(operation, relation) {
        Ok((item, relation))
    } else {
        Err(StoreError::Forbidden)
    }
}

/// One change to an item in its own transaction: the item as [`load_for`] gives
/// it, then `work` on it (again, should SQLite make the transaction retry).
pub(super) fn change_item<T>(
    conn: &mut DbConnection,
    actor: &Actor,
    id: ItemId,
    operation: Operation,
    mut work: impl FnMut(&mut DbConnection, &Item) -> Result<T, StoreError>,
) -> Result<T, StoreError> {
    write_transaction(conn, |conn| {
        let (item, _) = load_for(conn, actor, id, operation)?;
        work(conn, &item)
    })
}

/// How `actor` stands to `item`.
pub fn relation(
    conn: &mut DbConnection,
    actor: &Actor,
    item: &Item,
) -> Result<Relation, StoreError> {
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
        contributing_body: asked_body(conn, actor, item.item_id())?,
    })
}

/// Whether the actor is staff of a body asked for a contribution to item `id`
/// (a request not withdrawn).
fn asked_body(conn: &mut DbConnection, actor: &Actor, id: ItemId) -> Result<bool, StoreError> {
    match actor.body {
        Some(body) if actor.role.drafts() => Ok(contributions::asked(conn, id, body)?),
        _ => Ok(false),
    }
}

/// Moves the item by `action`, records the step and returns the new state.
pub(super) fn step(
    conn: &mut DbConnection,
    actor: &Actor,
    item: &Item,
    action: Action,
    kind: EventKind,
    comment: &str,
    now: NaiveDateTime,
) -> Result<ItemStatus, StoreError> {
    let from = item.status;
    let to = Item::transition(conn, item.item_id(), from, action, now)?;
    NewEvent::new(item.item_id(), actor.user, kind, now)
        .moved(from, to)
        .comment(comment)
        .insert(conn)?;
    Ok(to)
}
