//! The commitments an accepted answer promises, written by the lead body's
//! drafters with the draft and set running when the answer is published.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::access::load_for;
use super::notices::notify_with;
use crate::db::bodies::Body;
use crate::db::commitments::{Commitment, NewCommitment};
use crate::db::deadlines::calendar_around;
use crate::db::events::{EventKind, NewEvent};
use crate::db::items::Item;
use crate::db::schema::{commitments, items};
use crate::db::users::User;
use crate::db::{write_transaction, ConflictKind, DbConnection, StoreError};
use crate::domain::calendar::to_utc;
use crate::domain::follow_up::{CommitmentDue, CommitmentPlan};
use crate::domain::{Action, Actor, BodyId, ItemId, MailEvent, Operation, Role};

/// Adds a commitment to the item's draft answer. Like a new revision, it voids
/// an approval: the approver approves the commitments with the text.
pub fn add_commitment(
    conn: &mut DbConnection,
    actor: &Actor,
    id: ItemId,
    plan: &CommitmentPlan,
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    write_transaction(conn, |conn| {
        let item = reopen_draft(conn, actor, id, &plan.description, now)?;
        match Body::find(conn, BodyId(plan.owner_body))? {
            Some(body) if body.active => {}
            _ => return Err(StoreError::NotFound),
        }
        let (due_working_days, due_on) = match plan.due {
            CommitmentDue::WorkingDays(days) => (Some(days as i32), None),
            CommitmentDue::On(date) => (None, Some(date)),
        };
        NewCommitment {
            conference_id: item.conference_id,
            item_id: Some(id.0),
            description: plan.description.clone(),
            owner_body_id: plan.owner_body,
            due_working_days,
            due_on,
            due_at: None,
            planned_document: plan.planned_document.clone(),
            created_by: actor.user.0,
            created_at: now,
            updated_at: now,
        }
        .insert(conn)?;
        Ok(())
    })
}

/// Removes one commitment of the item's draft answer (voiding an approval too).
pub fn remove_commitment(
    conn: &mut DbConnection,
    actor: &Actor,
    id: ItemId,
    commitment: i32,
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    write_transaction(conn, |conn| {
        let found = Commitment::find(conn, commitment)?.filter(|c| c.item_id == Some(id.0));
        let description = found.as_ref().map(|c| c.description.as_str()).unwrap_or("");
        // Who may and in which state first; then a commitment already gone
        // (someone removed it a moment ago) is a conflict, not a missing page.
        reopen_draft(conn, actor, id, description, now)?;
        let removed = diesel::delete(
            commitments::table
                .filter(commitments::id.eq(commitment))
                .filter(commitments::item_id.eq(id.0)),
        )
        .execute(conn)?;
        if removed == 0 {
            return Err(StoreError::Conflict(ConflictKind::CommitmentGone));
        }
        Ok(())
    })
}

/// Checks the actor may draft the item now, and moves it back to drafting as a
/// saved draft does (an approved answer loses its approval), with a timeline entry.
fn reopen_draft(
    conn: &mut DbConnection,
    actor: &Actor,
    id: ItemId,
    what: &str,
    now: NaiveDateTime,
) -> Result<Item, StoreError> {
    let (item, _) = load_for(conn, actor, id, Operation::Draft)?;
    let from = item.status;
    let to = Item::transition(conn, id, from, Action::SaveDraft, now)?;
    diesel::update(items::table.find(id.0))
        .set(items::approved_revision_id.eq(None::<i32>))
        .execute(conn)?;
    NewEvent::new(id, actor.user, EventKind::DraftSaved, now)
        .moved(from, to)
        .comment(what)
        .insert(conn)?;
    Ok(item)
}

/// Starts the clocks of the item's commitments at publication (`now`) and tells
/// each owning body's drafters and approvers, inside the publish transaction.
pub(super) fn start_commitments(
    conn: &mut DbConnection,
    id: ItemId,
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    let promised = Commitment::of_item(conn, id)?;
    if promised.is_empty() {
        return Ok(());
    }
    let calendar = calendar_around(conn, now)?;
    for commitment in promised {
        let due_at = match (commitment.due_working_days, commitment.due_on) {
            (Some(days), _) => calendar.add_working_days(now, days.max(0) as u32),
            // A date is due at the close of that office day.
            (None, Some(date)) => to_utc(date.and_time(calendar.office_close())),
            (None, None) => continue,
        };
        diesel::update(commitments::table.find(commitment.id))
            .set((
                commitments::due_at.eq(due_at),
                commitments::updated_at.eq(now),
            ))
            .execute(conn)?;
        let staff = User::staff_of_body(
            conn,
            commitment.owner_body_id,
            &[Role::Drafter, Role::Approver],
        )?;
        let payload = serde_json::json!({
            "commitment": {
                "id": commitment.id,
                "description": commitment.description,
                "planned_document": commitment.planned_document,
                "due_at": due_at,
            }
        });
        notify_with(
            conn,
            MailEvent::CommitmentAssigned,
            id,
            &staff,
            payload,
            now,
        )?;
    }
    Ok(())
}
