//! Conferences: the event items belong to, its response period and its counter of
//! item references.

use chrono::{Datelike, NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

use super::schema::conferences;
use super::{is_unique_violation, ConflictKind, DbConnection, StoreError};
use crate::domain::deadlines::DeadlinePolicy;
use crate::domain::{ConferenceId, ReferencePrefix};

/// A dialogue conference.
#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = conferences)]
pub struct Conference {
    /// Row id.
    pub id: i32,
    /// Name, as printed on the notice.
    pub name: String,
    /// Theme, such as "Khát vọng - Trách nhiệm - Đổi mới - Phát triển".
    pub theme: String,
    /// The day it was held.
    pub held_on: NaiveDate,
    /// The notice that assigned the answers, such as `920-TB/TU`.
    pub notice_number: String,
    /// Working days a body has to answer, counted from submission.
    pub response_days: i32,
    /// Whether delegates may file items now.
    pub open_for_submissions: bool,
    /// Prefix of item references, such as `KN-2023`; unique across conferences.
    pub reference_prefix: String,
    /// The last reference number given out (gap-free counter).
    pub last_reference_number: i32,
    /// When the conference was set up.
    pub created_at: NaiveDateTime,
    /// Working days for triage by the coordinator.
    pub triage_days: i32,
    /// Working days for drafting by the lead body.
    pub drafting_days: i32,
    /// Working days for approval.
    pub approval_days: i32,
    /// Working days for publication by the coordinator.
    pub publication_days: i32,
    /// An item is due soon on its last this-many working days.
    pub due_soon_days: i32,
    /// Working days overdue before the head of the body is chased too.
    pub escalate_to_head_after: i32,
    /// Working days overdue before the coordinating body is chased too.
    pub escalate_to_coordinators_after: i32,
}

/// A conference's deadlines, saved apart from the rest of its form (new
/// conferences start with the columns' defaults, [`DeadlinePolicy::default`]).
#[derive(Debug, Clone, AsChangeset)]
#[diesel(table_name = conferences)]
pub struct DeadlineSettings {
    /// Working days for triage.
    pub triage_days: i32,
    /// Working days for drafting.
    pub drafting_days: i32,
    /// Working days for approval.
    pub approval_days: i32,
    /// Working days for publication.
    pub publication_days: i32,
    /// The due-soon window in working days.
    pub due_soon_days: i32,
    /// Escalation to the head of the body after this many working days overdue.
    pub escalate_to_head_after: i32,
    /// Escalation to the coordinating body after this many working days overdue.
    pub escalate_to_coordinators_after: i32,
}

impl DeadlineSettings {
    /// Saves a conference's deadlines.
    pub fn save(&self, conn: &mut DbConnection, id: ConferenceId) -> QueryResult<usize> {
        diesel::update(conferences::table.find(id.0))
            .set(self)
            .execute(conn)
    }
}

/// The editable part of a conference.
#[derive(Debug, Clone, Insertable, AsChangeset)]
#[diesel(table_name = conferences)]
pub struct ConferenceForm {
    /// Name.
    pub name: String,
    /// Theme.
    pub theme: String,
    /// Date held.
    pub held_on: NaiveDate,
    /// Notice number.
    pub notice_number: String,
    /// Response period in days.
    pub response_days: i32,
    /// Open for submissions.
    pub open_for_submissions: bool,
    /// The prefix of its items' references.
    pub reference_prefix: String,
}

impl Conference {
    /// The working days this conference allows, and when it chases.
    pub fn policy(&self) -> DeadlinePolicy {
        let days = |n: i32| u32::try_from(n).unwrap_or(0);
        DeadlinePolicy {
            triage_days: days(self.triage_days),
            drafting_days: days(self.drafting_days),
            approval_days: days(self.approval_days),
            publication_days: days(self.publication_days),
            answer_days: days(self.response_days),
            due_soon_days: days(self.due_soon_days),
            escalate_to_head_after: days(self.escalate_to_head_after),
            escalate_to_coordinators_after: days(self.escalate_to_coordinators_after),
        }
    }

    /// The year used in references.
    pub fn year(&self) -> i32 {
        self.held_on.year()
    }

    /// Every conference, newest first.
    pub fn all(conn: &mut DbConnection) -> QueryResult<Vec<Conference>> {
        conferences::table
            .order(conferences::held_on.desc())
            .select(Conference::as_select())
            .load(conn)
    }

    /// One conference by id.
    pub fn find(conn: &mut DbConnection, id: ConferenceId) -> QueryResult<Option<Conference>> {
        conferences::table
            .find(id.0)
            .select(Conference::as_select())
            .first(conn)
            .optional()
    }

    /// The newest conference open for submissions, if any.
    pub fn open(conn: &mut DbConnection) -> QueryResult<Option<Conference>> {
        conferences::table
            .filter(conferences::open_for_submissions.eq(true))
            .order((conferences::held_on.desc(), conferences::id.desc()))
            .select(Conference::as_select())
            .first(conn)
            .optional()
    }

    /// Whether a conference other than `except` already uses `prefix`.
    pub fn prefix_taken(
        conn: &mut DbConnection,
        prefix: &ReferencePrefix,
        except: Option<ConferenceId>,
    ) -> QueryResult<bool> {
        let mut query = conferences::table
            .filter(conferences::reference_prefix.eq(prefix.as_str()))
            .into_boxed();
        if let Some(except) = except {
            query = query.filter(conferences::id.ne(except.0));
        }
        let count: i64 = query.count().get_result(conn)?;
        Ok(count > 0)
    }

    /// Gives a conference a new reference prefix. Items already filed keep their
    /// references; new ones take the new prefix. A prefix another conference uses is
    /// a conflict ([`ConflictKind::PrefixTaken`]), whether seen first or reported by
    /// the unique constraint in a race.
    pub fn set_reference_prefix(
        conn: &mut DbConnection,
        id: ConferenceId,
        prefix: &ReferencePrefix,
    ) -> Result<(), StoreError> {
        if Conference::prefix_taken(conn, prefix, Some(id))? {
            return Err(StoreError::Conflict(ConflictKind::PrefixTaken));
        }
        let outcome = diesel::update(conferences::table.find(id.0))
            .set(conferences::reference_prefix.eq(prefix.as_str()))
            .execute(conn)
            .map_err(StoreError::from);
        match outcome {
            Ok(0) => Err(StoreError::NotFound),
            Ok(_) => Ok(()),
            Err(ref error) if is_unique_violation(error) => {
                Err(StoreError::Conflict(ConflictKind::PrefixTaken))
            }
            Err(error) => Err(error),
        }
    }

    /// Takes the next reference number. Called inside the submission's transaction:
    /// the row lock (PostgreSQL) or the write lock (SQLite) makes concurrent
    /// submissions queue, and a rolled-back submission gives its number back, so
    /// numbers are unique and without gaps.
    pub fn take_reference_number(conn: &mut DbConnection, id: ConferenceId) -> QueryResult<i32> {
        diesel::update(conferences::table.find(id.0))
            .set(conferences::last_reference_number.eq(conferences::last_reference_number + 1))
            .execute(conn)?;
        conferences::table
            .find(id.0)
            .select(conferences::last_reference_number)
            .first(conn)
    }
}

impl ConferenceForm {
    /// Adds a conference with the prefix it carries and returns its id. A prefix
    /// another conference uses is refused by the database's unique constraint; the
    /// caller may check first with [`Conference::prefix_taken`].
    pub fn insert(&self, conn: &mut DbConnection, now: NaiveDateTime) -> QueryResult<ConferenceId> {
        diesel::insert_into(conferences::table)
            .values((self, conferences::created_at.eq(now)))
            .returning(conferences::id)
            .get_result(conn)
            .map(ConferenceId)
    }

    /// Saves changes to a conference.
    pub fn update(&self, conn: &mut DbConnection, id: ConferenceId) -> QueryResult<usize> {
        diesel::update(conferences::table.find(id.0))
            .set(self)
            .execute(conn)
    }
}

/// The first default prefix for a conference of `year` that no conference uses:
/// `KN-<year>`, then `KN-<year>-B`, `-C`, … (the new-conference form offers it).
pub fn free_default_prefix(conn: &mut DbConnection, year: i32) -> QueryResult<ReferencePrefix> {
    let base = ReferencePrefix::for_year(year);
    let variants =
        ('B'..='Z').filter_map(|letter| ReferencePrefix::parse(&format!("{base}-{letter}")).ok());
    for candidate in std::iter::once(base.clone()).chain(variants) {
        if !Conference::prefix_taken(conn, &candidate, None)? {
            return Ok(candidate);
        }
    }
    // After 25 conferences of one year, the unique constraint speaks.
    Ok(base)
}
