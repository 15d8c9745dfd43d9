//! The commitments an accepted answer promises, written by the lead body's
//! drafters with the draft and set running when the answer is published.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::access::load_for;
use super::notices::{delegate_of, notify_with};
use crate::db::bodies::Body;
use crate::db::commitments::{Commitment, CommitmentEventKind, NewCommitment, NewCommitmentEvent};
use crate::db::deadlines::calendar_around;
use crate::db::events::{EventKind, NewEvent};
use crate::db::items::Item;
use crate::db::schema::{commitment_bodies, commitments, items};
use crate::db::users::User;
use crate::db::{write_transaction, ConflictKind, DbConnection, StoreError};
use crate::domain::calendar::{local_date, to_utc};
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

/// How a person may change one commitment of an item's answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EditMode {
    /// Before publication the draft is the lead body's: its drafters and approvers
    /// change it as they change the text (an approval is voided).
    Draft,
    /// After publication only a coordinator corrects it, with a reason, while it
    /// is open; the delegate sees the change on the timeline.
    Correction,
}

/// How `actor` may edit `commitment`, if at all. Tasks of the notice have their
/// own form (`/tasks/{id}/edit`); a closed commitment is history.
pub fn edit_mode(
    conn: &mut DbConnection,
    actor: &Actor,
    commitment: &Commitment,
) -> Result<Option<EditMode>, StoreError> {
    let Some(item) = commitment.item_id else {
        return Ok(None);
    };
    if commitment.is_closed() {
        return Ok(None);
    }
    let item = ItemId(item);
    let draft = matches!(actor.role, Role::Drafter | Role::Approver);
    let operation = if draft {
        Operation::Draft
    } else {
        Operation::Triage
    };
    let (item, _) = match load_for(conn, actor, item, operation) {
        Ok(found) => found,
        Err(StoreError::NotFound | StoreError::Forbidden) => return Ok(None),
        Err(other) => return Err(other),
    };
    let status = item.status();
    Ok(if draft && status.allows(Action::SaveDraft) {
        Some(EditMode::Draft)
    } else if actor.role == Role::Coordinator && status.is_answered() {
        Some(EditMode::Correction)
    } else {
        None
    })
}

/// A commitment's new terms, checked by the web ring.
#[derive(Debug, Clone)]
pub struct CommitmentChanges {
    /// The terms (description, owner, due, planned document).
    pub plan: CommitmentPlan,
    /// The coordinating bodies.
    pub coordinating: Vec<i32>,
    /// Why (required for a correction after publication).
    pub reason: String,
    /// The `updated_at` the form was filled from (optimistic locking).
    pub seen: NaiveDateTime,
}

/// Changes commitment `id` in one transaction, if `actor` may (see [`edit_mode`])
/// and nobody changed it since the form was opened (a stale form is a conflict).
/// Before publication it reopens the draft like a saved revision; after, the due
/// instant is counted again from the publication and the change (old and new due
/// date, reason) is kept in the commitment's history and on the item's timeline.
pub fn edit_commitment(
    conn: &mut DbConnection,
    actor: &Actor,
    id: i32,
    changes: &CommitmentChanges,
    now: NaiveDateTime,
) -> Result<EditMode, StoreError> {
    write_transaction(conn, |conn| {
        let commitment = Commitment::find(conn, id)?.ok_or(StoreError::NotFound)?;
        let Some(item_id) = commitment.item_id.map(ItemId) else {
            return Err(StoreError::NotFound);
        };
        let mode = match edit_mode(conn, actor, &commitment)? {
            Some(mode) => mode,
            None if commitment.is_closed() => {
                return Err(StoreError::Conflict(ConflictKind::CommitmentClosed))
            }
            None => return Err(StoreError::Forbidden),
        };
        if mode == EditMode::Correction && changes.reason.trim().is_empty() {
            return Err(StoreError::Conflict(ConflictKind::Transition));
        }
        match Body::find(conn, BodyId(changes.plan.owner_body))? {
            Some(body) if body.active => {}
            _ => return Err(StoreError::NotFound),
        }
        let (due_working_days, due_on) = match changes.plan.due {
            CommitmentDue::WorkingDays(days) => (Some(days as i32), None),
            CommitmentDue::On(date) => (None, Some(date)),
        };
        let due_at = match mode {
            EditMode::Draft => None,
            EditMode::Correction => {
                let item = Item::find(conn, item_id)?.ok_or(StoreError::NotFound)?;
                let started = item.published_at.unwrap_or(commitment.created_at);
                let calendar = calendar_around(conn, started)?;
                Some(match changes.plan.due {
                    CommitmentDue::WorkingDays(days) => calendar.add_working_days(started, days),
                    CommitmentDue::On(date) => to_utc(date.and_time(calendar.office_close())),
                })
            }
        };
        let changed = diesel::update(
            commitments::table
                .filter(commitments::id.eq(id))
                .filter(commitments::updated_at.eq(changes.seen))
                .filter(commitments::closed_at.is_null()),
        )
        .set((
            commitments::description.eq(&changes.plan.description),
            commitments::owner_body_id.eq(changes.plan.owner_body),
            commitments::due_working_days.eq(due_working_days),
            commitments::due_on.eq(due_on),
            commitments::due_at.eq(due_at),
            commitments::planned_document.eq(&changes.plan.planned_document),
            commitments::updated_at.eq(now),
        ))
        .execute(conn)?;
        if changed != 1 {
            return Err(StoreError::Conflict(ConflictKind::StaleForm));
        }
        diesel::delete(commitment_bodies::table.filter(commitment_bodies::commitment_id.eq(id)))
            .execute(conn)?;
        for body in &changes.coordinating {
            diesel::insert_into(commitment_bodies::table)
                .values((
                    commitment_bodies::commitment_id.eq(id),
                    commitment_bodies::body_id.eq(body),
                ))
                .execute(conn)?;
        }
        let summary = match mode {
            EditMode::Draft => changes.plan.description.clone(),
            EditMode::Correction => correction_summary(
                &changes.plan.description,
                commitment.due_at,
                due_at,
                &changes.reason,
            ),
        };
        NewCommitmentEvent {
            commitment_id: id,
            kind: CommitmentEventKind::Changed.as_str(),
            actor_id: Some(actor.user.0),
            previous_due_at: commitment.due_at,
            due_at,
            comment: changes.reason.clone(),
            created_at: now,
        }
        .insert(conn)?;
        match mode {
            EditMode::Draft => {
                reopen_draft(conn, actor, item_id, &summary, now)?;
            }
            EditMode::Correction => {
                NewEvent::new(item_id, actor.user, EventKind::CommitmentChanged, now)
                    .comment(&summary)
                    .insert(conn)?;
                if due_at != commitment.due_at {
                    tell_delegates_of_new_date(
                        conn,
                        item_id,
                        &changes.plan.description,
                        commitment.due_at,
                        due_at,
                        &changes.reason,
                        id,
                        now,
                    )?;
                }
            }
        }
        Ok(mode)
    })
}

/// Mails the delegates the answer serves (its own and those of items merged into
/// it) that a commitment's due date moved, with the reason.
#[allow(clippy::too_many_arguments)]
fn tell_delegates_of_new_date(
    conn: &mut DbConnection,
    item: ItemId,
    description: &str,
    previous: Option<NaiveDateTime>,
    due_at: Option<NaiveDateTime>,
    reason: &str,
    commitment: i32,
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    let payload = serde_json::json!({
        "description": description,
        "previous": previous,
        "due_at": due_at,
        "note": reason,
        "commitment_id": commitment,
    });
    let answered = Item::find(conn, item)?.ok_or(StoreError::NotFound)?;
    let mut targets = vec![answered];
    targets.extend(Item::merged_into(conn, item)?);
    for target in &targets {
        let delegate = delegate_of(conn, target)?;
        notify_with(
            conn,
            MailEvent::CommitmentChanged,
            target.item_id(),
            &delegate,
            payload.clone(),
            now,
        )?;
    }
    Ok(())
}

/// The timeline's words for a correction: what, the due date before and after
/// (local dates, as the offices read them), and why.
fn correction_summary(
    description: &str,
    before: Option<NaiveDateTime>,
    after: Option<NaiveDateTime>,
    reason: &str,
) -> String {
    let day = |at: Option<NaiveDateTime>| {
        at.map(|at| local_date(at).format("%d/%m/%Y").to_string())
            .unwrap_or_else(|| "—".to_owned())
    };
    if before == after {
        format!("{description}: {reason}")
    } else {
        format!("{description} ({} → {}): {reason}", day(before), day(after))
    }
}
