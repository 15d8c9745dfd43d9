//! The paused clock: staff ask the delegate for more information (the item's
//! clock stops), the delegate answers on the item or staff restart it, and the
//! due dates move by the working days it stood still. Also what the item page's
//! clock panel shows.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

use super::access::{change_item, relation};
use super::notices::{delegate_of, notify_with, staff_except};
use crate::db::deadlines::{self, calendar_around};
use crate::db::events::{self, EventKind, NewEvent};
use crate::db::extensions::Extension;
use crate::db::items::Item;
use crate::db::schema::items;
use crate::db::users::User;
use crate::db::{ConflictKind, DbConnection, StoreError};
use crate::domain::deadlines::{paused_days, ExtensionStatus, Stage};
use crate::domain::{Actor, ClockAbilities, ItemId, MailEvent, Operation, Role};

/// Staff ask the delegate `question`: the clock stops, the timeline says why and
/// the delegate is mailed the question.
pub fn ask_info(
    conn: &mut DbConnection,
    actor: &Actor,
    id: ItemId,
    question: &str,
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    change_item(conn, actor, id, Operation::AskInfo, |conn, item| {
        if Stage::of(item.status()).is_none() {
            return Err(StoreError::Conflict(ConflictKind::Transition));
        }
        // A conditional update: of two people asking at once, one pauses.
        if !deadlines::pause(conn, id, now)? {
            return Err(StoreError::Conflict(ConflictKind::ClockState));
        }
        touch(conn, id, now)?;
        NewEvent::new(id, actor.user, EventKind::InfoRequested, now)
            .comment(question)
            .insert(conn)?;
        let delegate = delegate_of(conn, item)?;
        let payload = serde_json::json!({ "question": question });
        notify_with(conn, MailEvent::InfoRequested, id, &delegate, payload, now)
    })
}

/// The delegate gives the information asked for: the clock restarts with its due
/// dates moved, and the lead body's staff (the coordinators, without a lead
/// body) are told. Returns the working days the clock stood still.
pub fn provide_info(
    conn: &mut DbConnection,
    actor: &Actor,
    id: ItemId,
    text: &str,
    now: NaiveDateTime,
) -> Result<u32, StoreError> {
    change_item(conn, actor, id, Operation::ProvideInfo, |conn, item| {
        let days = restart(conn, item, now)?;
        NewEvent::new(id, actor.user, EventKind::InfoProvided, now)
            .comment(text)
            .insert(conn)?;
        let staff = match item.lead_body_id {
            Some(body) => staff_except(
                conn,
                Some(body),
                &[Role::Drafter, Role::Approver],
                actor.user,
            )?,
            None => User::with_role(conn, Role::Coordinator)?,
        };
        let payload = serde_json::json!({ "reply": text, "days": days });
        notify_with(conn, MailEvent::InfoProvided, id, &staff, payload, now)?;
        Ok(days)
    })
}

/// Staff restart the clock without waiting for the delegate, with an optional
/// comment. Returns the working days the clock stood still.
pub fn resume_clock(
    conn: &mut DbConnection,
    actor: &Actor,
    id: ItemId,
    comment: &str,
    now: NaiveDateTime,
) -> Result<u32, StoreError> {
    change_item(conn, actor, id, Operation::AskInfo, |conn, item| {
        let days = restart(conn, item, now)?;
        NewEvent::new(id, actor.user, EventKind::ClockResumed, now)
            .comment(comment)
            .insert(conn)?;
        Ok(days)
    })
}

/// Claims the paused clock and restarts it. The claim is a conditional update, so
/// of two restarts at once the second finds it running and is a conflict (the
/// dates never move twice).
fn restart(conn: &mut DbConnection, item: &Item, now: NaiveDateTime) -> Result<u32, StoreError> {
    let id = item.item_id();
    let claimed = diesel::update(
        items::table
            .find(id.0)
            .filter(items::paused_at.is_not_null())
            .filter(items::next_due_at.is_not_null()),
    )
    .set(items::updated_at.eq(now))
    .execute(conn)?;
    if claimed != 1 {
        return Err(StoreError::Conflict(ConflictKind::ClockState));
    }
    deadlines::resume(conn, id, now)?.ok_or(StoreError::Conflict(ConflictKind::ClockState))
}

/// Marks the item changed (the conditional claims above and the lists' "last
/// changed" both read it).
pub(super) fn touch(conn: &mut DbConnection, id: ItemId, now: NaiveDateTime) -> QueryResult<()> {
    diesel::update(items::table.find(id.0))
        .set(items::updated_at.eq(now))
        .execute(conn)
        .map(|_| ())
}

/// One time the clock stood still: from the question to the answer (or restart).
#[derive(Debug, Clone, Serialize)]
pub struct PauseLine {
    /// When the delegate was asked.
    pub from: NaiveDateTime,
    /// When the clock restarted; None while it is still paused.
    pub until: Option<NaiveDateTime>,
    /// What was asked.
    pub question: String,
    /// The working days the due dates moved by (so far, while still paused).
    pub days: u32,
}

/// What the item page's clock panel shows.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ClockView {
    /// Since when the clock is paused, if it is.
    pub paused_at: Option<NaiveDateTime>,
    /// The question the delegate was asked, while paused.
    pub question: Option<String>,
    /// Every pause of the item's clock, oldest first.
    pub pauses: Vec<PauseLine>,
    /// Staff: the item's requests for more time, oldest first.
    pub extensions: Vec<Extension>,
    /// The pending request's id, if any.
    pub pending_extension: Option<i32>,
    /// The answer's due date as first set (kept for the statistics).
    pub original_deadline: Option<NaiveDateTime>,
    /// What the reader may do here.
    pub can: ClockAbilities,
}

/// The clock panel of `item` for `actor`, at `now`.
pub fn clock_view(
    conn: &mut DbConnection,
    actor: &Actor,
    item: &Item,
    now: NaiveDateTime,
) -> Result<ClockView, StoreError> {
    let id = item.item_id();
    let relation = relation(conn, actor, item)?;
    let staff_view = actor.role != Role::Delegate;
    let timeline = events::timeline(conn, id, false)?;
    let calendar = calendar_around(conn, now)?;
    let mut pauses: Vec<PauseLine> = Vec::new();
    for entry in timeline {
        match entry.kind {
            EventKind::InfoRequested => pauses.push(PauseLine {
                from: entry.created_at,
                until: None,
                question: entry.comment,
                days: 0,
            }),
            EventKind::InfoProvided | EventKind::ClockResumed => {
                if let Some(open) = pauses.last_mut().filter(|p| p.until.is_none()) {
                    open.until = Some(entry.created_at);
                    open.days = paused_days(&calendar, open.from, entry.created_at);
                }
            }
            _ => {}
        }
    }
    if let Some(open) = pauses.last_mut().filter(|p| p.until.is_none()) {
        open.days = paused_days(&calendar, open.from, now);
    }
    let paused_at = item.paused_at;
    let question = paused_at
        .and_then(|_| pauses.last().filter(|p| p.until.is_none()))
        .map(|p| p.question.clone());
    let all = Extension::of_item(conn, id)?;
    let pending_extension = all
        .iter()
        .find(|e| e.status == ExtensionStatus::Pending)
        .map(|e| e.id);
    let owed = Stage::of(item.status()).is_some() && item.next_due_at.is_some();
    let can = ClockAbilities::of(
        actor,
        relation,
        owed,
        paused_at.is_some(),
        pending_extension.is_some(),
    );
    Ok(ClockView {
        paused_at,
        question,
        pauses,
        extensions: if staff_view { all } else { Vec::new() },
        pending_extension,
        original_deadline: (item.original_deadline != item.deadline)
            .then_some(item.original_deadline),
        can,
    })
}
