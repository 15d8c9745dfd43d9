//! A delegate files an item: its reference, its route and the first mails.

use chrono::NaiveDateTime;

use super::notices::{announce_to_body, notify};
use crate::db::conferences::Conference;
use crate::db::deadlines;
use crate::db::events::{EventKind, NewEvent};
use crate::db::fields::Field;
use crate::db::items::{Item, NewItem};
use crate::db::search::item_search_text;
use crate::db::users::User;
use crate::db::{is_unique_violation, write_transaction, ConflictKind, DbConnection, StoreError};
use crate::domain::item::format_reference;
use crate::domain::{Actor, ConferenceId, FieldId, ItemId, ItemStatus, MailEvent};

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
) -> Result<Submitted, StoreError> {
    if let Some(existing) = Item::find_by_submission_token(conn, actor.user, &submission.token)? {
        return Ok(Submitted {
            item: existing.item_id(),
            reference: existing.reference,
        });
    }
    let outcome = write_transaction(conn, |conn| file(conn, actor, submission, now));
    match outcome {
        // The same form arrived twice at once: the other request filed it.
        Err(ref error) if is_unique_violation(error) => {
            let existing = Item::find_by_submission_token(conn, actor.user, &submission.token)?
                .ok_or(StoreError::Conflict(ConflictKind::Transition))?;
            Ok(Submitted {
                item: existing.item_id(),
                reference: existing.reference,
            })
        }
        other => other,
    }
}

/// The body of [`submit`]'s transaction.
fn file(
    conn: &mut DbConnection,
    actor: &Actor,
    submission: &Submission,
    now: NaiveDateTime,
) -> Result<Submitted, StoreError> {
    let conference = Conference::find(conn, submission.conference)?.ok_or(StoreError::NotFound)?;
    if !conference.open_for_submissions {
        return Err(StoreError::Conflict(ConflictKind::ConferenceClosed));
    }
    let field = Field::find(conn, submission.field)?
        .filter(|f| f.active)
        .ok_or(StoreError::NotFound)?;
    let number = Conference::take_reference_number(conn, submission.conference)?;
    let reference = format_reference(&conference.reference_prefix, number);
    let status = if field.lead_body_id.is_some() {
        ItemStatus::Routed
    } else {
        ItemStatus::Submitted
    };
    let counting = deadlines::Counting::for_conference(conn, &conference, now)?;
    let deadline = counting.answer_deadline(now);
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
        status,
        lead_body_id: field.lead_body_id,
        submitted_at: now,
        deadline,
        original_deadline: deadline,
        updated_at: now,
        search_text: item_search_text(
            &reference,
            &submission.title,
            &submission.content,
            &submission.related_units,
            None,
        ),
    }
    .insert(conn)?;
    counting.start(conn, item, status, field.lead_body_id, deadline, now)?;
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
}
