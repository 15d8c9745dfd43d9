//! Commitments (what an accepted answer promises) and the tasks a conference's
//! notice assigns (a commitment with no item), with their check-ins.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

use super::bodies::Body;
use super::conferences::Conference;
use super::deadlines::calendar_around;
use super::schema::{
    commitment_bodies, commitment_checkins, commitment_events, commitments, users,
};
use super::DbConnection;
use crate::domain::calendar::WorkingCalendar;
use crate::domain::deadlines::{due_soon_from, DeadlinePolicy, Urgency};
use crate::domain::follow_up::Progress;
use crate::domain::{BodyId, ConferenceId, ItemId, Lang};

/// One commitment or task, as stored.
#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = commitments)]
pub struct Commitment {
    /// Row id.
    pub id: i32,
    /// The conference it belongs to.
    pub conference_id: i32,
    /// The item whose answer promised it; None for a task of the notice.
    pub item_id: Option<i32>,
    /// What will be done.
    pub description: String,
    /// The body that owns it (chủ trì).
    pub owner_body_id: i32,
    /// Due this many working days after its clock starts (publication, or recording).
    pub due_working_days: Option<i32>,
    /// Or due on this date.
    pub due_on: Option<NaiveDate>,
    /// When it is due, once its clock runs (None before the answer is published).
    pub due_at: Option<NaiveDateTime>,
    /// The document it will issue, if one is planned.
    pub planned_document: String,
    /// How far it got (the latest check-in's progress).
    pub progress: Progress,
    /// Who recorded it.
    pub created_by: i32,
    /// When.
    pub created_at: NaiveDateTime,
    /// Last change.
    pub updated_at: NaiveDateTime,
    /// When it was done or found impossible.
    pub closed_at: Option<NaiveDateTime>,
}

/// A commitment or task to store.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = commitments)]
pub struct NewCommitment {
    /// Conference.
    pub conference_id: i32,
    /// The item, or None for a task of the notice.
    pub item_id: Option<i32>,
    /// What will be done.
    pub description: String,
    /// Owning body.
    pub owner_body_id: i32,
    /// Working days allowed, or None when `due_on` is given.
    pub due_working_days: Option<i32>,
    /// The due date, or None when counted in working days.
    pub due_on: Option<NaiveDate>,
    /// When it is due, if its clock already runs.
    pub due_at: Option<NaiveDateTime>,
    /// Planned document.
    pub planned_document: String,
    /// Who records it.
    pub created_by: i32,
    /// When.
    pub created_at: NaiveDateTime,
    /// Same as `created_at`.
    pub updated_at: NaiveDateTime,
}

/// One check-in with its author's name.
#[derive(Debug, Clone, Queryable, Serialize)]
pub struct CheckIn {
    /// Row id.
    pub id: i32,
    /// The commitment.
    pub commitment_id: i32,
    /// The progress reported.
    pub progress: Progress,
    /// A short note (the reason, when it cannot be done).
    pub note: String,
    /// Evidence: a link.
    pub evidence_link: String,
    /// Evidence: the number of the document issued.
    pub evidence_number: String,
    /// Evidence: the date of that document.
    pub evidence_date: Option<NaiveDate>,
    /// When.
    pub created_at: NaiveDateTime,
    /// Who reported it.
    pub author_name: String,
}

/// A check-in to store (the commitment's own progress is updated beside it).
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = commitment_checkins)]
pub struct NewCheckIn {
    /// The commitment.
    pub commitment_id: i32,
    /// Who reports.
    pub author_id: i32,
    /// The progress.
    pub progress: Progress,
    /// Note.
    pub note: String,
    /// Evidence link.
    pub evidence_link: String,
    /// Evidence document number.
    pub evidence_number: String,
    /// Evidence document date.
    pub evidence_date: Option<NaiveDate>,
    /// When.
    pub created_at: NaiveDateTime,
}

impl Commitment {
    /// One commitment or task by id (the caller checks who may see it).
    pub fn find(conn: &mut DbConnection, id: i32) -> QueryResult<Option<Commitment>> {
        commitments::table
            .find(id)
            .select(Commitment::as_select())
            .first(conn)
            .optional()
    }

    /// The commitments of an item's answer, in the order they were written.
    pub fn of_item(conn: &mut DbConnection, item: ItemId) -> QueryResult<Vec<Commitment>> {
        commitments::table
            .filter(commitments::item_id.eq(item.0))
            .order(commitments::id)
            .select(Commitment::as_select())
            .load(conn)
    }

    /// Every commitment and task of a conference, oldest first.
    pub fn of_conference(
        conn: &mut DbConnection,
        conference: ConferenceId,
    ) -> QueryResult<Vec<Commitment>> {
        commitments::table
            .filter(commitments::conference_id.eq(conference.0))
            .order(commitments::id)
            .select(Commitment::as_select())
            .load(conn)
    }

    /// The bodies that coordinate on a commitment or task (besides its owner).
    pub fn coordinating_bodies(conn: &mut DbConnection, id: i32) -> QueryResult<Vec<BodyId>> {
        commitment_bodies::table
            .filter(commitment_bodies::commitment_id.eq(id))
            .order(commitment_bodies::body_id)
            .select(commitment_bodies::body_id)
            .load::<i32>(conn)
            .map(|ids| ids.into_iter().map(BodyId).collect())
    }

    /// Whether it is closed (done, or found impossible).
    pub fn is_closed(&self) -> bool {
        self.progress.is_closed()
    }
}

impl NewCommitment {
    /// Stores it and returns its id.
    pub fn insert(&self, conn: &mut DbConnection) -> QueryResult<i32> {
        diesel::insert_into(commitments::table)
            .values(self)
            .returning(commitments::id)
            .get_result(conn)
    }
}

impl CheckIn {
    /// The check-ins of a commitment, oldest first.
    pub fn of_commitment(conn: &mut DbConnection, id: i32) -> QueryResult<Vec<CheckIn>> {
        commitment_checkins::table
            .inner_join(users::table)
            .filter(commitment_checkins::commitment_id.eq(id))
            .order(commitment_checkins::id)
            .select((
                commitment_checkins::id,
                commitment_checkins::commitment_id,
                commitment_checkins::progress,
                commitment_checkins::note,
                commitment_checkins::evidence_link,
                commitment_checkins::evidence_number,
                commitment_checkins::evidence_date,
                commitment_checkins::created_at,
                users::full_name,
            ))
            .load(conn)
    }
}

impl NewCheckIn {
    /// Stores the check-in and returns its id.
    pub fn insert(&self, conn: &mut DbConnection) -> QueryResult<i32> {
        diesel::insert_into(commitment_checkins::table)
            .values(self)
            .returning(commitment_checkins::id)
            .get_result(conn)
    }
}

/// One commitment as lists and the item's panel show it: names resolved, its
/// urgency worked out at the reader's instant.
#[derive(Debug, Clone, Serialize)]
pub struct CommitmentLine {
    /// The commitment.
    pub commitment: Commitment,
    /// The owning body's name.
    pub owner_body: String,
    /// Due soon or overdue (stored name), None while in time, closed or not yet due.
    pub urgency: Option<&'static str>,
}

/// Where an open commitment due at `due_at` stands at `now`: the same rule as an
/// item's answer (due soon on its last `due_soon_days` working days, overdue after).
/// A closed commitment, or one whose clock has not started, owes nothing.
pub fn urgency(
    calendar: &WorkingCalendar,
    policy: &DeadlinePolicy,
    commitment: &Commitment,
    now: NaiveDateTime,
) -> Option<Urgency> {
    if commitment.is_closed() {
        return None;
    }
    let due = commitment.due_at?;
    let soon = due_soon_from(calendar, due, policy.due_soon_days);
    Urgency::at(now, Some(due), Some(soon), false)
}

impl CommitmentLine {
    /// The commitments of `item`, for its page, with names in `lang`.
    pub fn of_item(
        conn: &mut DbConnection,
        item: ItemId,
        conference: ConferenceId,
        lang: Lang,
        now: NaiveDateTime,
    ) -> QueryResult<Vec<CommitmentLine>> {
        let commitments = Commitment::of_item(conn, item)?;
        if commitments.is_empty() {
            return Ok(Vec::new());
        }
        let calendar = calendar_around(conn, now)?;
        let policy = Conference::find(conn, conference)?
            .map(|c| c.policy())
            .unwrap_or_default();
        let bodies = Body::all(conn)?;
        Ok(commitments
            .into_iter()
            .map(|commitment| {
                let owner_body = bodies
                    .iter()
                    .find(|b| b.id == commitment.owner_body_id)
                    .map(|b| b.name(lang).to_owned())
                    .unwrap_or_default();
                let urgency = urgency(&calendar, &policy, &commitment, now)
                    .filter(|u| matches!(u, Urgency::DueSoon | Urgency::Overdue))
                    .map(Urgency::as_str);
                CommitmentLine {
                    commitment,
                    owner_body,
                    urgency,
                }
            })
            .collect())
    }
}

/// What a row of a commitment's own history records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CommitmentEventKind {
    /// Its terms were corrected.
    Changed,
    /// Overdue, escalated to the owning body's head.
    EscalatedToHead,
    /// Overdue, escalated to the coordinators.
    EscalatedToCoordinators,
}

impl CommitmentEventKind {
    /// The stored name (the table's CHECK lists the same three).
    pub fn as_str(self) -> &'static str {
        match self {
            CommitmentEventKind::Changed => "changed",
            CommitmentEventKind::EscalatedToHead => "escalated_to_head",
            CommitmentEventKind::EscalatedToCoordinators => "escalated_to_coordinators",
        }
    }
}

/// One step of a commitment's history besides its check-ins: a correction or an
/// escalation, with who made it (None for the daily digest).
#[derive(Debug, Clone, Queryable, Serialize)]
pub struct CommitmentEvent {
    /// Row id.
    pub id: i32,
    /// Stored kind name (`changed`, `escalated_to_head`, `escalated_to_coordinators`).
    pub kind: String,
    /// The due instant before a correction.
    pub previous_due_at: Option<NaiveDateTime>,
    /// The due instant after a correction, or the one overdue at an escalation.
    pub due_at: Option<NaiveDateTime>,
    /// The reason given, or what changed.
    pub comment: String,
    /// When.
    pub created_at: NaiveDateTime,
    /// Who, if a person.
    pub actor_name: Option<String>,
}

/// A history step to store.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = commitment_events)]
pub struct NewCommitmentEvent {
    /// The commitment.
    pub commitment_id: i32,
    /// Stored kind name.
    pub kind: &'static str,
    /// Who, None for the digest.
    pub actor_id: Option<i32>,
    /// Due before.
    pub previous_due_at: Option<NaiveDateTime>,
    /// Due after (or the one overdue).
    pub due_at: Option<NaiveDateTime>,
    /// Reason or summary.
    pub comment: String,
    /// When.
    pub created_at: NaiveDateTime,
}

impl NewCommitmentEvent {
    /// Stores the step.
    pub fn insert(&self, conn: &mut DbConnection) -> QueryResult<usize> {
        diesel::insert_into(commitment_events::table)
            .values(self)
            .execute(conn)
    }
}

impl CommitmentEvent {
    /// The history of commitment `id`, oldest first.
    pub fn of_commitment(conn: &mut DbConnection, id: i32) -> QueryResult<Vec<CommitmentEvent>> {
        commitment_events::table
            .left_join(users::table)
            .filter(commitment_events::commitment_id.eq(id))
            .order(commitment_events::id)
            .select((
                commitment_events::id,
                commitment_events::kind,
                commitment_events::previous_due_at,
                commitment_events::due_at,
                commitment_events::comment,
                commitment_events::created_at,
                users::full_name.nullable(),
            ))
            .load(conn)
    }

    /// Whether commitment `id` was already escalated as `kind` while due at `due_at`.
    pub fn escalated(
        conn: &mut DbConnection,
        id: i32,
        kind: CommitmentEventKind,
        due_at: NaiveDateTime,
    ) -> QueryResult<bool> {
        let rows: i64 = commitment_events::table
            .filter(commitment_events::commitment_id.eq(id))
            .filter(commitment_events::kind.eq(kind.as_str()))
            .filter(commitment_events::due_at.eq(due_at))
            .count()
            .get_result(conn)?;
        Ok(rows > 0)
    }
}
