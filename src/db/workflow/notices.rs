//! Who hears of a step: the mails a workflow step queues in its own transaction.
//! Muted staff notices and inactive accounts are left out by `outbox::enqueue`.

use chrono::NaiveDateTime;

use crate::db::bodies::Body;
use crate::db::items::Item;
use crate::db::outbox::{self, NewMail};
use crate::db::users::User;
use crate::db::{DbConnection, StoreError};
use crate::domain::{BodyId, ItemId, MailEvent, Role, UserId};

/// Queues `event` about `item` for each of `people`, in the caller's transaction.
pub(super) fn notify(
    conn: &mut DbConnection,
    event: MailEvent,
    item: ItemId,
    people: &[User],
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    notify_with(conn, event, item, people, serde_json::json!({}), now)
}

/// Like [`notify`], with extra values for the mail's templates.
pub(super) fn notify_with(
    conn: &mut DbConnection,
    event: MailEvent,
    item: ItemId,
    people: &[User],
    payload: serde_json::Value,
    now: NaiveDateTime,
) -> Result<(), StoreError> {
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
pub(super) fn delegate_of(conn: &mut DbConnection, item: &Item) -> Result<Vec<User>, StoreError> {
    Ok(User::find(conn, UserId(item.delegate_id))?
        .into_iter()
        .collect())
}

/// Active staff of `body` with one of `roles`, without the person who acted (they
/// know what they just did).
pub(super) fn staff_except(
    conn: &mut DbConnection,
    body: Option<i32>,
    roles: &[Role],
    actor: UserId,
) -> Result<Vec<User>, StoreError> {
    let Some(body) = body else {
        return Ok(Vec::new());
    };
    let mut staff = User::staff_of_body(conn, body, roles)?;
    staff.retain(|user| user.id != actor.0);
    Ok(staff)
}

/// Tells the people who must act that `item` now sits with `body`: its staff, and
/// the coordinators when the body is a coordinating one (the item needs triage).
/// Without a body, only the coordinators.
pub(super) fn announce_to_body(
    conn: &mut DbConnection,
    item: ItemId,
    body: Option<i32>,
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    let coordinating = match body {
        Some(body) => {
            let staff = User::staff_of_body(conn, body, &[Role::Drafter, Role::Approver])?;
            notify(conn, MailEvent::NewInQueue, item, &staff, now)?;
            Body::find(conn, BodyId(body))?.is_some_and(|b| b.is_coordinating)
        }
        None => true,
    };
    if coordinating {
        let coordinators = User::with_role(conn, Role::Coordinator)?;
        notify(conn, MailEvent::TriageNeeded, item, &coordinators, now)?;
    }
    Ok(())
}
