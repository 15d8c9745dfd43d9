//! An item's clock in storage: one `stage_clocks` row per stage it went through,
//! and on the item itself the current stage's due instant, the earlier of that and
//! the whole answer's (`next_due_at`, what lists sort and filter by), when it turns
//! "due soon", and whether the clock is paused.
//!
//! Every status change passes through [`on_transition`] (called by
//! `Item::transition`), so no step can forget to start or stop a clock.

use chrono::{Duration, NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

use super::conferences::Conference;
use super::holidays::working_calendar;
use super::schema::{items, stage_clocks};
use super::{DbConnection, StoreError};
use crate::domain::calendar::{local_date, WorkingCalendar};
use crate::domain::deadlines::{
    due_soon_from, next_due, paused_days, shift, starts_new_clock, DeadlinePolicy, Stage,
};
use crate::domain::{Action, ConferenceId, ItemId, ItemStatus};

/// One stage an item went through.
#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = stage_clocks)]
pub struct StageClock {
    /// Row id.
    pub id: i32,
    /// The item.
    pub item_id: i32,
    /// The stage.
    pub stage: Stage,
    /// The body that held it (drafting and approval), or None (the coordinators).
    pub body_id: Option<i32>,
    /// When the stage began.
    pub started_at: NaiveDateTime,
    /// When it is (or was) due, after pauses and extensions.
    pub due_at: NaiveDateTime,
    /// When it ended; None while it runs.
    pub finished_at: Option<NaiveDateTime>,
}

impl StageClock {
    /// The stages an item went through, oldest first.
    pub fn of_item(conn: &mut DbConnection, item: ItemId) -> QueryResult<Vec<StageClock>> {
        stage_clocks::table
            .filter(stage_clocks::item_id.eq(item.0))
            .order(stage_clocks::id)
            .select(StageClock::as_select())
            .load(conn)
    }

    /// Whether the stage ended (or, still running, is) past its due instant.
    pub fn late_at(&self, now: NaiveDateTime) -> bool {
        self.finished_at.unwrap_or(now) > self.due_at
    }
}

/// The calendar around `now`: a year back (pauses and overdue counts) and three
/// ahead (deadlines and extensions). A date beyond it follows the week.
pub fn calendar_around(
    conn: &mut DbConnection,
    now: NaiveDateTime,
) -> QueryResult<WorkingCalendar> {
    let today = local_date(now);
    working_calendar(
        conn,
        today - Duration::days(366),
        today + Duration::days(3 * 366),
    )
}

/// The clock fields of an item.
#[derive(Debug, Clone, Queryable)]
struct ClockRow {
    conference_id: i32,
    status: ItemStatus,
    lead_body_id: Option<i32>,
    deadline: NaiveDateTime,
    stage_due_at: Option<NaiveDateTime>,
    paused_at: Option<NaiveDateTime>,
}

fn clock_row(conn: &mut DbConnection, id: ItemId) -> Result<ClockRow, StoreError> {
    items::table
        .find(id.0)
        .select((
            items::conference_id,
            items::status,
            items::lead_body_id,
            items::deadline,
            items::stage_due_at,
            items::paused_at,
        ))
        .first(conn)
        .optional()?
        .ok_or(StoreError::NotFound)
}

fn policy_of(conn: &mut DbConnection, conference: i32) -> Result<DeadlinePolicy, StoreError> {
    Ok(Conference::find(conn, ConferenceId(conference))?
        .ok_or(StoreError::NotFound)?
        .policy())
}

/// What a conference's clocks are counted with: its policy and the calendar
/// around an instant. A submission loads it once for both the answer's deadline
/// and the first stage.
pub struct Counting {
    policy: DeadlinePolicy,
    calendar: WorkingCalendar,
}

impl Counting {
    /// The counting of `conference` around `now`.
    pub fn for_conference(
        conn: &mut DbConnection,
        conference: &Conference,
        now: NaiveDateTime,
    ) -> QueryResult<Counting> {
        Ok(Counting {
            policy: conference.policy(),
            calendar: calendar_around(conn, now)?,
        })
    }

    /// The whole answer's due instant for an item filed at `now`.
    pub fn answer_deadline(&self, now: NaiveDateTime) -> NaiveDateTime {
        self.calendar.add_working_days(now, self.policy.answer_days)
    }

    /// Starts the clock of a just-filed item in `status` (in the submission's
    /// transaction), its answer due at `deadline`.
    pub fn start(
        &self,
        conn: &mut DbConnection,
        id: ItemId,
        status: ItemStatus,
        lead_body: Option<i32>,
        deadline: NaiveDateTime,
        now: NaiveDateTime,
    ) -> Result<(), StoreError> {
        match Stage::of(status) {
            Some(stage) => self.begin_stage(conn, id, lead_body, deadline, stage, now),
            None => Ok(()),
        }
    }

    fn begin_stage(
        &self,
        conn: &mut DbConnection,
        id: ItemId,
        lead_body: Option<i32>,
        deadline: NaiveDateTime,
        stage: Stage,
        now: NaiveDateTime,
    ) -> Result<(), StoreError> {
        let due = self
            .calendar
            .add_working_days(now, self.policy.stage_days(stage));
        let body = match stage {
            Stage::Drafting | Stage::Approval => lead_body,
            Stage::Triage | Stage::Publication => None,
        };
        diesel::insert_into(stage_clocks::table)
            .values((
                stage_clocks::item_id.eq(id.0),
                stage_clocks::stage.eq(stage),
                stage_clocks::body_id.eq(body),
                stage_clocks::started_at.eq(now),
                stage_clocks::due_at.eq(due),
            ))
            .execute(conn)?;
        set_dues(conn, id, Some(due), deadline, &self.calendar, &self.policy)
    }
}

/// Starts the clock of an item as it stands (its first stage, counted from `now`).
pub fn start(conn: &mut DbConnection, id: ItemId, now: NaiveDateTime) -> Result<(), StoreError> {
    let row = clock_row(conn, id)?;
    let counting = counting_of(conn, row.conference_id, now)?;
    counting.start(conn, id, row.status, row.lead_body_id, row.deadline, now)
}

/// The counting of the conference with this id, around `now`.
fn counting_of(
    conn: &mut DbConnection,
    conference: i32,
    now: NaiveDateTime,
) -> Result<Counting, StoreError> {
    let conference =
        Conference::find(conn, ConferenceId(conference))?.ok_or(StoreError::NotFound)?;
    Ok(Counting::for_conference(conn, &conference, now)?)
}

/// Keeps the clock in step with a status change from `from` to `to` by `action`:
/// the running stage ends and the next one starts with its own working days, or,
/// once no answer is owed, the item has nothing due.
pub fn on_transition(
    conn: &mut DbConnection,
    id: ItemId,
    from: ItemStatus,
    to: ItemStatus,
    action: Action,
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    let new_clock = starts_new_clock(from, to, action);
    let clock_ends = Stage::of(from).is_some() && Stage::of(to).is_none();
    if !new_clock && !clock_ends {
        return Ok(());
    }
    finish_running(conn, id, now)?;
    match Stage::of(to) {
        Some(stage) => {
            let row = clock_row(conn, id)?;
            counting_of(conn, row.conference_id, now)?.begin_stage(
                conn,
                id,
                row.lead_body_id,
                row.deadline,
                stage,
                now,
            )
        }
        None => {
            diesel::update(items::table.find(id.0))
                .set((
                    items::stage_due_at.eq(None::<NaiveDateTime>),
                    items::next_due_at.eq(None::<NaiveDateTime>),
                    items::due_soon_at.eq(None::<NaiveDateTime>),
                    items::paused_at.eq(None::<NaiveDateTime>),
                ))
                .execute(conn)?;
            Ok(())
        }
    }
}

fn finish_running(conn: &mut DbConnection, id: ItemId, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(
        stage_clocks::table
            .filter(stage_clocks::item_id.eq(id.0))
            .filter(stage_clocks::finished_at.is_null()),
    )
    .set(stage_clocks::finished_at.eq(now))
    .execute(conn)
}

/// Stores the stage's and the answer's due instants and what follows from them.
fn set_dues(
    conn: &mut DbConnection,
    id: ItemId,
    stage_due: Option<NaiveDateTime>,
    deadline: NaiveDateTime,
    calendar: &WorkingCalendar,
    policy: &DeadlinePolicy,
) -> Result<(), StoreError> {
    let next = next_due(stage_due, deadline);
    diesel::update(items::table.find(id.0))
        .set((
            items::stage_due_at.eq(stage_due),
            items::deadline.eq(deadline),
            items::next_due_at.eq(next),
            items::due_soon_at.eq(due_soon_from(calendar, next, policy.due_soon_days)),
        ))
        .execute(conn)?;
    Ok(())
}

/// Pauses an item's clock (in the caller's transaction). Returns false when there
/// is nothing to pause: no answer is owed, or the clock is already paused.
pub fn pause(conn: &mut DbConnection, id: ItemId, now: NaiveDateTime) -> QueryResult<bool> {
    let changed = diesel::update(
        items::table
            .find(id.0)
            .filter(items::paused_at.is_null())
            .filter(items::next_due_at.is_not_null()),
    )
    .set(items::paused_at.eq(now))
    .execute(conn)?;
    Ok(changed == 1)
}

/// Restarts a paused clock: the stage's and the answer's due dates move by the
/// working days it stood still. Returns those days (None if it was not paused).
pub fn resume(
    conn: &mut DbConnection,
    id: ItemId,
    now: NaiveDateTime,
) -> Result<Option<u32>, StoreError> {
    let row = clock_row(conn, id)?;
    let Some(paused_at) = row.paused_at else {
        return Ok(None);
    };
    let policy = policy_of(conn, row.conference_id)?;
    let calendar = calendar_around(conn, paused_at)?;
    let days = paused_days(&calendar, paused_at, now);
    // A stage that began while the clock was paused (the body moved the item on
    // meanwhile) was counted from its own start: only the pause since then stops it.
    let stage_started = running_clock_start(conn, id)?.unwrap_or(paused_at);
    let stage_days = paused_days(&calendar, paused_at.max(stage_started), now);
    let stage_due = row
        .stage_due_at
        .map(|due| shift(&calendar, due, stage_days));
    let deadline = shift(&calendar, row.deadline, days);
    set_running_due(conn, id, stage_due)?;
    set_dues(conn, id, stage_due, deadline, &calendar, &policy)?;
    diesel::update(items::table.find(id.0))
        .set(items::paused_at.eq(None::<NaiveDateTime>))
        .execute(conn)?;
    Ok(Some(days))
}

/// When the running stage began, if one runs.
fn running_clock_start(conn: &mut DbConnection, id: ItemId) -> QueryResult<Option<NaiveDateTime>> {
    stage_clocks::table
        .filter(stage_clocks::item_id.eq(id.0))
        .filter(stage_clocks::finished_at.is_null())
        .select(stage_clocks::started_at)
        .first(conn)
        .optional()
}

/// Moves the running stage's own row to `due`.
fn set_running_due(
    conn: &mut DbConnection,
    id: ItemId,
    due: Option<NaiveDateTime>,
) -> QueryResult<()> {
    if let Some(due) = due {
        diesel::update(
            stage_clocks::table
                .filter(stage_clocks::item_id.eq(id.0))
                .filter(stage_clocks::finished_at.is_null()),
        )
        .set(stage_clocks::due_at.eq(due))
        .execute(conn)?;
    }
    Ok(())
}

/// Grants more time: the whole answer is due at the close of `new_date`, and the
/// running stage moves by as many working days as the answer did (never earlier).
/// `original_deadline` keeps the first date for the statistics.
pub fn extend(
    conn: &mut DbConnection,
    id: ItemId,
    new_date: NaiveDate,
    now: NaiveDateTime,
) -> Result<NaiveDateTime, StoreError> {
    let row = clock_row(conn, id)?;
    let policy = policy_of(conn, row.conference_id)?;
    let calendar = calendar_around(conn, now)?;
    let new_deadline = crate::domain::calendar::to_utc(new_date.and_time(calendar.office_close()));
    let moved = calendar.working_days_between(local_date(row.deadline), new_date);
    let days = u32::try_from(moved.max(0)).unwrap_or(0);
    if Stage::of(row.status).is_some() {
        let stage_due = row.stage_due_at.map(|due| shift(&calendar, due, days));
        set_running_due(conn, id, stage_due)?;
        set_dues(conn, id, stage_due, new_deadline, &calendar, &policy)?;
    }
    Ok(new_deadline)
}
