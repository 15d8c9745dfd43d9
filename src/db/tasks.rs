//! The notice's own tasks (commitments with no item), the monitoring of every task
//! and commitment of a conference, and the inspection visits recorded against it.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;
use std::collections::HashMap;

use super::commitments::{Commitment, NewCommitment};
use super::conferences::Conference;
use super::deadlines::calendar_around;
use super::outbox::{enqueue, MailEvent, NewMail};
use super::schema::{commitment_bodies, commitment_checkins, commitments, inspections, items};
use super::users::User;
use super::{write_transaction, DbConnection, StoreError};
use crate::domain::calendar::{to_utc, WorkingCalendar};
use crate::domain::deadlines::{due_soon_from, Urgency};
use crate::domain::follow_up::Progress;
use crate::domain::{ConferenceId, Role, UserId};

/// When a task is due, as the coordinator gave it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TaskDue {
    /// Within this many working days of its recording.
    WorkingDays(u32),
    /// By the close of the office day of this date.
    On(NaiveDate),
}

impl TaskDue {
    /// The due instant, counted from `recorded_at`.
    pub fn due_at(self, calendar: &WorkingCalendar, recorded_at: NaiveDateTime) -> NaiveDateTime {
        match self {
            TaskDue::WorkingDays(n) => calendar.add_working_days(recorded_at, n),
            TaskDue::On(date) => to_utc(date.and_time(calendar.office_close())),
        }
    }
}

/// A task as checked by the form: the description and lead body are present, the
/// coordinating bodies exclude the lead.
#[derive(Debug, Clone)]
pub struct TaskForm {
    /// What is to be done.
    pub description: String,
    /// The body that leads it (chủ trì).
    pub owner_body_id: i32,
    /// The bodies that coordinate (phối hợp).
    pub coordinating: Vec<i32>,
    /// When it is due.
    pub due: TaskDue,
    /// The document it should produce, if one is planned.
    pub planned_document: String,
}

impl TaskForm {
    fn columns(&self) -> (Option<i32>, Option<NaiveDate>) {
        match self.due {
            TaskDue::WorkingDays(n) => (Some(i32::try_from(n).unwrap_or(i32::MAX)), None),
            TaskDue::On(date) => (None, Some(date)),
        }
    }

    /// Records the task for `conference` and tells the staff of every body named
    /// in it, in one transaction. Returns the task's id.
    pub fn record(
        &self,
        conn: &mut DbConnection,
        conference: ConferenceId,
        author: UserId,
        now: NaiveDateTime,
    ) -> Result<i32, StoreError> {
        write_transaction(conn, |conn| {
            Conference::find(conn, conference)?.ok_or(StoreError::NotFound)?;
            let calendar = calendar_around(conn, now)?;
            let due_at = self.due.due_at(&calendar, now);
            let (due_working_days, due_on) = self.columns();
            let id = NewCommitment {
                conference_id: conference.0,
                item_id: None,
                description: self.description.clone(),
                owner_body_id: self.owner_body_id,
                due_working_days,
                due_on,
                due_at: Some(due_at),
                planned_document: self.planned_document.clone(),
                created_by: author.0,
                created_at: now,
                updated_at: now,
            }
            .insert(conn)?;
            self.store_bodies(conn, id)?;
            let mut bodies = vec![self.owner_body_id];
            bodies.extend(&self.coordinating);
            self.tell(conn, id, &bodies, due_at, now)?;
            Ok(id)
        })
    }

    /// Saves changes to a task that is still open; only bodies newly named in it
    /// are told. Not found for a commitment of an answer; a conflict once closed.
    pub fn update(
        &self,
        conn: &mut DbConnection,
        id: i32,
        now: NaiveDateTime,
    ) -> Result<(), StoreError> {
        write_transaction(conn, |conn| {
            let task = find_task(conn, id)?;
            let calendar = calendar_around(conn, task.created_at)?;
            let due_at = self.due.due_at(&calendar, task.created_at);
            let (due_working_days, due_on) = self.columns();
            // Conditional on its still being open, so a check-in closing it at the
            // same moment wins cleanly instead of being overwritten.
            let rows = diesel::update(
                commitments::table
                    .filter(commitments::id.eq(id))
                    .filter(commitments::item_id.is_null())
                    .filter(commitments::closed_at.is_null()),
            )
            .set((
                commitments::description.eq(&self.description),
                commitments::owner_body_id.eq(self.owner_body_id),
                commitments::due_working_days.eq(due_working_days),
                commitments::due_on.eq(due_on),
                commitments::due_at.eq(Some(due_at)),
                commitments::planned_document.eq(&self.planned_document),
                commitments::updated_at.eq(now),
            ))
            .execute(conn)?;
            if rows == 0 {
                return Err(StoreError::Conflict(super::ConflictKind::Transition));
            }
            let mut before = Commitment::coordinating_bodies(conn, id)?
                .into_iter()
                .map(|b| b.0)
                .collect::<Vec<_>>();
            before.push(task.owner_body_id);
            diesel::delete(
                commitment_bodies::table.filter(commitment_bodies::commitment_id.eq(id)),
            )
            .execute(conn)?;
            self.store_bodies(conn, id)?;
            let mut named = vec![self.owner_body_id];
            named.extend(&self.coordinating);
            named.retain(|b| !before.contains(b));
            self.tell(conn, id, &named, due_at, now)
        })
    }

    fn store_bodies(&self, conn: &mut DbConnection, id: i32) -> Result<(), StoreError> {
        for body in &self.coordinating {
            diesel::insert_into(commitment_bodies::table)
                .values((
                    commitment_bodies::commitment_id.eq(id),
                    commitment_bodies::body_id.eq(body),
                ))
                .execute(conn)?;
        }
        Ok(())
    }

    fn tell(
        &self,
        conn: &mut DbConnection,
        id: i32,
        bodies: &[i32],
        due_at: NaiveDateTime,
        now: NaiveDateTime,
    ) -> Result<(), StoreError> {
        // The same shape as a commitment of an answer (workflow::answer_commitments),
        // so one template serves both.
        let payload = serde_json::json!({
            "commitment": {
                "id": id,
                "description": self.description,
                "planned_document": self.planned_document,
                "due_at": due_at,
            }
        });
        for body in bodies {
            for user in User::staff_of_body(conn, *body, &[Role::Drafter, Role::Approver])? {
                enqueue(
                    conn,
                    NewMail {
                        event: MailEvent::CommitmentAssigned,
                        item: None,
                        recipient: &user,
                        payload: payload.clone(),
                    },
                    now,
                )?;
            }
        }
        Ok(())
    }
}

/// A task of the notice by id: not found when there is none, or it belongs to an
/// answer (those are edited with the answer).
pub fn find_task(conn: &mut DbConnection, id: i32) -> Result<Commitment, StoreError> {
    Commitment::find(conn, id)?
        .filter(|c| c.item_id.is_none())
        .ok_or(StoreError::NotFound)
}

/// One row of the monitoring page: a task or commitment and how it stands.
#[derive(Debug, Clone, Serialize)]
pub struct MonitoringRow {
    /// The commitment.
    pub commitment: Commitment,
    /// The item's reference, for a commitment of an answer.
    pub item_reference: Option<String>,
    /// The coordinating bodies.
    pub coordinating: Vec<i32>,
    /// Where it stands against its due date; None once closed or before its
    /// clock runs.
    pub urgency: Option<Urgency>,
    /// The latest check-in's instant.
    pub last_check_in: Option<NaiveDateTime>,
}

impl MonitoringRow {
    /// Whether `body` leads or coordinates it.
    pub fn involves(&self, body: i32) -> bool {
        self.commitment.owner_body_id == body || self.coordinating.contains(&body)
    }

    /// Whether it is overdue.
    pub fn is_overdue(&self) -> bool {
        self.urgency == Some(Urgency::Overdue)
    }
}

/// How many tasks and commitments stand where.
#[derive(Debug, Clone, Copy, Default, Serialize, PartialEq, Eq)]
pub struct ProgressCounts {
    /// Done.
    pub done: usize,
    /// In progress.
    pub in_progress: usize,
    /// Not started.
    pub not_started: usize,
    /// Found impossible.
    pub cannot_be_done: usize,
    /// Open and past due.
    pub overdue: usize,
}

impl ProgressCounts {
    /// Counts `rows`.
    pub fn of(rows: &[MonitoringRow]) -> ProgressCounts {
        let mut counts = ProgressCounts::default();
        for row in rows {
            match row.commitment.progress {
                Progress::Done => counts.done += 1,
                Progress::InProgress => counts.in_progress += 1,
                Progress::NotStarted => counts.not_started += 1,
                Progress::CannotBeDone => counts.cannot_be_done += 1,
            }
            if row.is_overdue() {
                counts.overdue += 1;
            }
        }
        counts
    }
}

/// Every task and commitment of `conference` at `now`, overdue first, then by due
/// date (those without one last).
pub fn monitoring(
    conn: &mut DbConnection,
    conference: &Conference,
    now: NaiveDateTime,
) -> Result<Vec<MonitoringRow>, StoreError> {
    let calendar = calendar_around(conn, now)?;
    let soon_days = conference.policy().due_soon_days;
    let all = Commitment::of_conference(conn, ConferenceId(conference.id))?;
    let ids: Vec<i32> = all.iter().map(|c| c.id).collect();
    let mut coordinating: HashMap<i32, Vec<i32>> = HashMap::new();
    for (commitment, body) in commitment_bodies::table
        .filter(commitment_bodies::commitment_id.eq_any(&ids))
        .order((commitment_bodies::commitment_id, commitment_bodies::body_id))
        .select((commitment_bodies::commitment_id, commitment_bodies::body_id))
        .load::<(i32, i32)>(conn)?
    {
        coordinating.entry(commitment).or_default().push(body);
    }
    let mut last: HashMap<i32, NaiveDateTime> = HashMap::new();
    for (commitment, at) in commitment_checkins::table
        .filter(commitment_checkins::commitment_id.eq_any(&ids))
        .select((
            commitment_checkins::commitment_id,
            commitment_checkins::created_at,
        ))
        .load::<(i32, NaiveDateTime)>(conn)?
    {
        let entry = last.entry(commitment).or_insert(at);
        *entry = (*entry).max(at);
    }
    let item_ids: Vec<i32> = all.iter().filter_map(|c| c.item_id).collect();
    let references: HashMap<i32, String> = items::table
        .filter(items::id.eq_any(&item_ids))
        .select((items::id, items::reference))
        .load::<(i32, String)>(conn)?
        .into_iter()
        .collect();
    let mut rows: Vec<MonitoringRow> = all
        .into_iter()
        .map(|c| {
            let urgency = match c.due_at {
                Some(due) if !c.is_closed() => Urgency::at(
                    now,
                    Some(due),
                    Some(due_soon_from(&calendar, due, soon_days)),
                    false,
                ),
                _ => None,
            };
            MonitoringRow {
                item_reference: c.item_id.and_then(|i| references.get(&i).cloned()),
                coordinating: coordinating.remove(&c.id).unwrap_or_default(),
                last_check_in: last.get(&c.id).copied(),
                urgency,
                commitment: c,
            }
        })
        .collect();
    rows.sort_by_key(|r| {
        (
            !r.is_overdue(),
            r.commitment.due_at.is_none(),
            r.commitment.due_at,
            r.commitment.id,
        )
    });
    Ok(rows)
}

/// One inspection visit, as stored.
#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = inspections)]
pub struct Inspection {
    /// Row id.
    pub id: i32,
    /// The conference whose conclusions were inspected.
    pub conference_id: i32,
    /// The body visited.
    pub body_id: i32,
    /// The task or commitment looked at, if one.
    pub commitment_id: Option<i32>,
    /// The day of the visit.
    pub visited_on: NaiveDate,
    /// What was found.
    pub findings: String,
    /// What was recommended.
    pub recommendations: String,
    /// Who recorded it.
    pub created_by: i32,
    /// When.
    pub created_at: NaiveDateTime,
}

/// An inspection visit to record.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = inspections)]
pub struct NewInspection {
    /// Conference.
    pub conference_id: i32,
    /// Body visited.
    pub body_id: i32,
    /// Task or commitment, if one.
    pub commitment_id: Option<i32>,
    /// Day of the visit.
    pub visited_on: NaiveDate,
    /// Findings.
    pub findings: String,
    /// Recommendations.
    pub recommendations: String,
    /// Who records it.
    pub created_by: i32,
    /// When.
    pub created_at: NaiveDateTime,
}

impl NewInspection {
    /// Stores it; not found when the commitment named is not of its conference.
    pub fn insert(&self, conn: &mut DbConnection) -> Result<i32, StoreError> {
        write_transaction(conn, |conn| {
            if let Some(commitment) = self.commitment_id {
                Commitment::find(conn, commitment)?
                    .filter(|c| c.conference_id == self.conference_id)
                    .ok_or(StoreError::NotFound)?;
            }
            Ok(diesel::insert_into(inspections::table)
                .values(self)
                .returning(inspections::id)
                .get_result(conn)?)
        })
    }
}

impl Inspection {
    /// The visits of a conference, newest first.
    pub fn of_conference(
        conn: &mut DbConnection,
        conference: ConferenceId,
    ) -> QueryResult<Vec<Inspection>> {
        inspections::table
            .filter(inspections::conference_id.eq(conference.0))
            .order((inspections::visited_on.desc(), inspections::id.desc()))
            .select(Inspection::as_select())
            .load(conn)
    }
}
