//! Following a commitment (or a task of the notice) to the end: who may see it,
//! the owning body's check-ins, the item's resolution when every commitment is
//! done, and the delegate's rating of the result.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

use super::access::{change_item, load_for, step};
use super::notices::{delegate_of, notify_with};
use crate::db::bodies::Body;
use crate::db::commitments::{self, CheckIn, Commitment, CommitmentEvent, NewCheckIn};
use crate::db::conferences::Conference;
use crate::db::deadlines::calendar_around;
use crate::db::events::{EventKind, NewEvent};
use crate::db::items::Item;
use crate::db::schema::{commitments as commitments_table, items};
use crate::db::users::User;
use crate::db::{write_transaction, ConflictKind, DbConnection, StoreError};
use crate::domain::deadlines::Urgency;
use crate::domain::follow_up::Progress;
use crate::domain::{
    Action, Actor, ConferenceId, ItemId, Lang, MailEvent, Operation, Role, Satisfaction,
};

/// What a check-in reports, already checked by the web ring.
#[derive(Debug, Clone)]
pub struct Report {
    /// The progress.
    pub progress: Progress,
    /// A short note; the reason when it cannot be done.
    pub note: String,
    /// Evidence: an http(s) link, or empty.
    pub evidence_link: String,
    /// Evidence: the issued document's number, or empty.
    pub evidence_number: String,
    /// Evidence: the issued document's date.
    pub evidence_date: Option<NaiveDate>,
}

/// The commitment page: the commitment or task, its check-ins and what the reader
/// may do.
#[derive(Debug, Serialize)]
pub struct CommitmentView {
    /// The row.
    pub commitment: Commitment,
    /// The conference's name.
    pub conference: String,
    /// The item (id, reference, title), for an item's commitment.
    pub item: Option<(i32, String, String)>,
    /// The owning body's name.
    pub owner_body: String,
    /// The coordinating bodies' names.
    pub coordinating_bodies: Vec<String>,
    /// Due soon or overdue (stored name), None otherwise.
    pub urgency: Option<&'static str>,
    /// Every check-in, oldest first.
    pub checkins: Vec<CheckIn>,
    /// Whether the reader may record a check-in (staff of the owning body, while open).
    pub can_check_in: bool,
    /// How the reader may change its terms, if at all.
    pub edit_mode: Option<super::EditMode>,
    /// Its corrections and escalations, oldest first.
    pub history: Vec<CommitmentEvent>,
}

/// How `actor` may see `commitment`: `None` when not at all (answered like a
/// missing page). Coordinators and the staff of the owning and coordinating bodies
/// see it; for an item's commitment so do whoever may see the item (its delegate,
/// its lead and coordinating bodies).
fn visible(
    conn: &mut DbConnection,
    actor: &Actor,
    commitment: &Commitment,
) -> Result<bool, StoreError> {
    match actor.role {
        Role::Coordinator | Role::Leadership => return Ok(true),
        Role::Admin => return Ok(false),
        Role::Drafter | Role::Approver => {
            if let Some(body) = actor.body {
                if body.0 == commitment.owner_body_id
                    || Commitment::coordinating_bodies(conn, commitment.id)?.contains(&body)
                {
                    return Ok(true);
                }
            }
        }
        Role::Delegate => {}
    }
    match commitment.item_id {
        Some(item) => match load_for(conn, actor, ItemId(item), Operation::View) {
            // The delegate learns of a commitment with the published answer.
            Ok((item, _)) if actor.role == Role::Delegate => Ok(item.status().is_answered()),
            Ok(_) => Ok(true),
            // The delegate of an item merged into this one shares its answer, so
            // follows its commitments too, once it is published.
            Err(StoreError::NotFound | StoreError::Forbidden) if actor.role == Role::Delegate => {
                let theirs: i64 = items::table
                    .filter(items::merged_into_id.eq(item))
                    .filter(items::delegate_id.eq(actor.user.0))
                    .count()
                    .get_result(conn)?;
                Ok(theirs > 0
                    && Item::find(conn, ItemId(item))?.is_some_and(|i| i.status().is_answered()))
            }
            Err(StoreError::NotFound | StoreError::Forbidden) => Ok(false),
            Err(other) => Err(other),
        },
        None => Ok(false),
    }
}

/// The item whose answer (and result) serves `item`: the one it was merged into,
/// or itself.
pub fn answering_item(conn: &mut DbConnection, item: &Item) -> Result<Item, StoreError> {
    match item.merged_into_id {
        Some(target) => Item::find(conn, ItemId(target))?.ok_or(StoreError::NotFound),
        None => Ok(item.clone()),
    }
}

/// Whether `actor` reports on `commitment`: the drafters and approvers of its
/// owning body. Coordinators follow and inspect but do not report for a body.
pub fn reports_on(actor: &Actor, commitment: &Commitment) -> bool {
    actor.role.drafts() && actor.body.is_some_and(|b| b.0 == commitment.owner_body_id)
}

/// Loads the commitment page for `actor`, names in `lang`, urgency at `now`.
pub fn commitment_view(
    conn: &mut DbConnection,
    actor: &Actor,
    id: i32,
    lang: Lang,
    now: NaiveDateTime,
) -> Result<CommitmentView, StoreError> {
    let commitment = Commitment::find(conn, id)?.ok_or(StoreError::NotFound)?;
    if !visible(conn, actor, &commitment)? {
        return Err(StoreError::NotFound);
    }
    let conference = Conference::find(conn, ConferenceId(commitment.conference_id))?
        .ok_or(StoreError::NotFound)?;
    let bodies = Body::all(conn)?;
    let name = |id: i32| {
        bodies
            .iter()
            .find(|b| b.id == id)
            .map(|b| b.name(lang).to_owned())
            .unwrap_or_default()
    };
    let coordinating_bodies = Commitment::coordinating_bodies(conn, id)?
        .into_iter()
        .map(|b| name(b.0))
        .collect();
    let item = match commitment.item_id {
        Some(item) => Item::find(conn, ItemId(item))?.map(|i| (i.id, i.reference, i.title)),
        None => None,
    };
    let calendar = calendar_around(conn, now)?;
    let urgency = commitments::urgency(&calendar, &conference.policy(), &commitment, now)
        .filter(|u| matches!(u, Urgency::DueSoon | Urgency::Overdue))
        .map(Urgency::as_str);
    let owner_body = name(commitment.owner_body_id);
    let mut checkins = CheckIn::of_commitment(conn, id)?;
    if actor.role == Role::Delegate {
        // Delegates see which body reported, not which civil servant.
        for checkin in &mut checkins {
            checkin.author_name.clone_from(&owner_body);
        }
    }
    let edit_mode = super::edit_mode(conn, actor, &commitment)?;
    let history = CommitmentEvent::of_commitment(conn, id)?
        .into_iter()
        // The delegate follows the dates, not who is chased inside the bodies.
        .filter(|event| actor.role != Role::Delegate || event.kind == "changed")
        .map(|mut event| {
            if actor.role == Role::Delegate {
                event.actor_name = None;
            }
            event
        })
        .collect();
    Ok(CommitmentView {
        edit_mode,
        history,
        conference: conference.name.clone(),
        item,
        owner_body,
        coordinating_bodies,
        urgency,
        checkins,
        can_check_in: reports_on(actor, &commitment) && !commitment.is_closed(),
        commitment,
    })
}

/// What a check-in led to, for the flash message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckedIn {
    /// Recorded.
    Recorded,
    /// Recorded, and it was the item's last commitment: the item is resolved.
    Resolved,
}

/// The owning body reports progress on commitment `id`, in one transaction: the
/// check-in, the commitment's progress (refused once it is closed, so of two
/// check-ins at once that close it only the first wins), and for an item's
/// commitment its timeline, its status (in progress, then done when resolved) and
/// the delegate's mail: done, cannot be done, or — for the last one done — resolved
/// (that single mail says it all, so no separate "done" mail goes with it).
pub fn check_in(
    conn: &mut DbConnection,
    actor: &Actor,
    id: i32,
    report: &Report,
    now: NaiveDateTime,
) -> Result<CheckedIn, StoreError> {
    write_transaction(conn, |conn| {
        let commitment = Commitment::find(conn, id)?.ok_or(StoreError::NotFound)?;
        if !visible(conn, actor, &commitment)? {
            return Err(StoreError::NotFound);
        }
        if !reports_on(actor, &commitment) {
            return Err(StoreError::Forbidden);
        }
        let item = match commitment.item_id {
            Some(item) => {
                // Claim the item's row first: two commitments of one item done at
                // once then take turns on PostgreSQL too, so the second sees the
                // first and resolves the item (SQLite's write lock already does).
                diesel::update(items::table.find(item))
                    .set(items::updated_at.eq(now))
                    .execute(conn)?;
                let item = Item::find(conn, ItemId(item))?.ok_or(StoreError::NotFound)?;
                // A commitment is followed once the answer that made it is out.
                if !item.status().is_answered() {
                    return Err(StoreError::Conflict(ConflictKind::Transition));
                }
                Some(item)
            }
            None => None,
        };
        let closed_at = report.progress.is_closed().then_some(now);
        let changed = diesel::update(
            commitments_table::table
                .filter(commitments_table::id.eq(id))
                .filter(commitments_table::closed_at.is_null()),
        )
        .set((
            commitments_table::progress.eq(report.progress),
            commitments_table::updated_at.eq(now),
            commitments_table::closed_at.eq(closed_at),
        ))
        .execute(conn)?;
        if changed != 1 {
            return Err(StoreError::Conflict(ConflictKind::CommitmentClosed));
        }
        NewCheckIn {
            commitment_id: id,
            author_id: actor.user.0,
            progress: report.progress,
            note: report.note.clone(),
            evidence_link: report.evidence_link.clone(),
            evidence_number: report.evidence_number.clone(),
            evidence_date: report.evidence_date,
            created_at: now,
        }
        .insert(conn)?;
        match item {
            Some(item) => follow_item(conn, actor, &item, &commitment, report, now),
            None => Ok(CheckedIn::Recorded),
        }
    })
}

/// What a check-in on an item's commitment does to the item.
fn follow_item(
    conn: &mut DbConnection,
    actor: &Actor,
    item: &Item,
    commitment: &Commitment,
    report: &Report,
    now: NaiveDateTime,
) -> Result<CheckedIn, StoreError> {
    let progress = report.progress;
    let comment = if report.note.is_empty() {
        commitment.description.clone()
    } else {
        format!("{}: {}", commitment.description, report.note)
    };
    NewEvent::new(
        item.item_id(),
        actor.user,
        EventKind::CommitmentCheckedIn,
        now,
    )
    .comment(&comment)
    .insert(conn)?;
    let all = Commitment::of_item(conn, item.item_id())?;
    let takes_action = item.outcome.is_none_or(|o| o.takes_action());
    let resolved = progress == Progress::Done
        && takes_action
        && item.resolved_at.is_none()
        && all.iter().all(|c| c.progress == Progress::Done);
    let status = item.status();
    if resolved {
        let marked = diesel::update(
            items::table
                .filter(items::id.eq(item.id))
                .filter(items::resolved_at.is_null()),
        )
        .set(items::resolved_at.eq(now))
        .execute(conn)?;
        if marked != 1 {
            return Err(StoreError::Conflict(ConflictKind::Transition));
        }
        if status.apply(Action::CompleteImplementation).is_ok() {
            step(
                conn,
                actor,
                item,
                Action::CompleteImplementation,
                EventKind::ImplementationDone,
                "",
                now,
            )?;
        }
    } else if matches!(progress, Progress::InProgress | Progress::Done)
        && status.apply(Action::StartImplementation).is_ok()
    {
        step(
            conn,
            actor,
            item,
            Action::StartImplementation,
            EventKind::ImplementationStarted,
            "",
            now,
        )?;
    }
    let event = match progress {
        _ if resolved => MailEvent::ItemResolved,
        Progress::Done => MailEvent::CommitmentDone,
        Progress::CannotBeDone => MailEvent::CommitmentBlocked,
        Progress::NotStarted | Progress::InProgress => {
            return Ok(CheckedIn::Recorded);
        }
    };
    let payload = serde_json::json!({
        "description": commitment.description,
        "note": report.note,
        "evidence_link": report.evidence_link,
        "evidence_number": report.evidence_number,
        "evidence_date": report.evidence_date,
        "commitment_id": commitment.id,
    });
    // The delegates of items merged into this one share its answer, so its result.
    let mut targets = vec![item.clone()];
    targets.extend(Item::merged_into(conn, item.item_id())?);
    for target in &targets {
        let delegate: Vec<User> = delegate_of(conn, target)?;
        notify_with(
            conn,
            event,
            target.item_id(),
            &delegate,
            payload.clone(),
            now,
        )?;
    }
    Ok(if resolved {
        CheckedIn::Resolved
    } else {
        CheckedIn::Recorded
    })
}

/// The delegate rates the result of their resolved item (apart from the answer).
/// They may change the rating later; each rating is kept on the timeline.
pub fn rate_result(
    conn: &mut DbConnection,
    actor: &Actor,
    id: ItemId,
    satisfaction: Satisfaction,
    comment: &str,
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    change_item(conn, actor, id, Operation::Rate, |conn, item| {
        // A merged item is resolved with the item whose answer serves it.
        if answering_item(conn, item)?.resolved_at.is_none() {
            return Err(StoreError::Conflict(ConflictKind::NotResolved));
        }
        diesel::update(items::table.find(id.0))
            .set((
                items::result_satisfaction.eq(satisfaction),
                items::result_comment.eq(comment),
                items::updated_at.eq(now),
            ))
            .execute(conn)?;
        // The level itself is on the item; the timeline keeps the delegate's words.
        NewEvent::new(id, actor.user, EventKind::ResultRated, now)
            .comment(comment)
            .insert(conn)?;
        Ok(())
    })
}
