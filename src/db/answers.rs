//! Answer revisions (each save kept with who and when), internal notes, and the
//! bodies asked to coordinate on an item.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

use super::events::EventKind;
use super::schema::{answer_revisions, item_coordinating_bodies, item_events, notes, users};
use super::DbConnection;
use crate::domain::follow_up::Outcome;
use crate::domain::{BodyId, ItemId, UserId};

/// One saved version of an answer, with its author's name.
#[derive(Debug, Clone, Queryable, Serialize)]
pub struct Revision {
    /// Row id.
    pub id: i32,
    /// The answer text.
    pub body_text: String,
    /// Author's id.
    pub author_id: i32,
    /// Author's name.
    pub author_name: String,
    /// When it was saved.
    pub created_at: NaiveDateTime,
    /// The outcome drafted with it (None: not chosen yet).
    pub outcome: Option<Outcome>,
    /// Why it is not accepted (or any explanation of the outcome).
    pub outcome_reason: String,
    /// The higher body it is forwarded to.
    pub forwarded_to: String,
    /// When it was forwarded.
    pub forwarded_on: Option<NaiveDate>,
    /// The forwarding document's number.
    pub forwarded_document: String,
}

/// The outcome written with a revision, as the drafter chose it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AnswerOutcome {
    /// The outcome, if chosen.
    pub outcome: Option<Outcome>,
    /// The reason (required when not accepted).
    pub reason: String,
    /// The higher body (when forwarded).
    pub forwarded_to: String,
    /// The forwarding date (when forwarded).
    pub forwarded_on: Option<NaiveDate>,
    /// The forwarding document number (when forwarded).
    pub forwarded_document: String,
}

/// An internal note, never shown to the delegate.
#[derive(Debug, Clone, Queryable, Serialize)]
pub struct Note {
    /// Row id.
    pub id: i32,
    /// The note.
    pub body_text: String,
    /// Author's name.
    pub author_name: String,
    /// When it was written.
    pub created_at: NaiveDateTime,
}

/// Saves a new revision of the item's answer and returns its id.
pub fn add_revision(
    conn: &mut DbConnection,
    item: ItemId,
    author: UserId,
    text: &str,
    outcome: &AnswerOutcome,
    at: NaiveDateTime,
) -> QueryResult<i32> {
    diesel::insert_into(answer_revisions::table)
        .values((
            answer_revisions::item_id.eq(item.0),
            answer_revisions::author_id.eq(author.0),
            answer_revisions::body_text.eq(text),
            answer_revisions::created_at.eq(at),
            answer_revisions::outcome.eq(outcome.outcome),
            answer_revisions::outcome_reason.eq(&outcome.reason),
            answer_revisions::forwarded_to.eq(&outcome.forwarded_to),
            answer_revisions::forwarded_on.eq(outcome.forwarded_on),
            answer_revisions::forwarded_document.eq(&outcome.forwarded_document),
        ))
        .returning(answer_revisions::id)
        .get_result(conn)
}

/// The columns of a [`Revision`], its author's name joined in.
const REVISION_COLUMNS: (
    answer_revisions::id,
    answer_revisions::body_text,
    answer_revisions::author_id,
    users::full_name,
    answer_revisions::created_at,
    answer_revisions::outcome,
    answer_revisions::outcome_reason,
    answer_revisions::forwarded_to,
    answer_revisions::forwarded_on,
    answer_revisions::forwarded_document,
) = (
    answer_revisions::id,
    answer_revisions::body_text,
    answer_revisions::author_id,
    users::full_name,
    answer_revisions::created_at,
    answer_revisions::outcome,
    answer_revisions::outcome_reason,
    answer_revisions::forwarded_to,
    answer_revisions::forwarded_on,
    answer_revisions::forwarded_document,
);

/// Every revision of the item's answer, newest first.
pub fn revisions(conn: &mut DbConnection, item: ItemId) -> QueryResult<Vec<Revision>> {
    answer_revisions::table
        .inner_join(users::table)
        .filter(answer_revisions::item_id.eq(item.0))
        .order(answer_revisions::id.desc())
        .select(REVISION_COLUMNS)
        .load(conn)
}

/// One revision by id.
pub fn revision(conn: &mut DbConnection, id: i32) -> QueryResult<Option<Revision>> {
    answer_revisions::table
        .inner_join(users::table)
        .filter(answer_revisions::id.eq(id))
        .select(REVISION_COLUMNS)
        .first(conn)
        .optional()
}

/// The newest revision of the item's answer.
pub fn latest_revision(conn: &mut DbConnection, item: ItemId) -> QueryResult<Option<Revision>> {
    answer_revisions::table
        .inner_join(users::table)
        .filter(answer_revisions::item_id.eq(item.0))
        .order(answer_revisions::id.desc())
        .select(REVISION_COLUMNS)
        .first(conn)
        .optional()
}

/// The steps that start a new draft cycle: the item reaches a body (routed,
/// re-routed) or goes back to drafting (returned by the approver, sent back by
/// the coordinator).
const CYCLE_STARTS: [EventKind; 4] = [
    EventKind::Routed,
    EventKind::Rerouted,
    EventKind::Returned,
    EventKind::SentBack,
];

/// Who wrote a revision of the current draft cycle (since the latest step of
/// [`CYCLE_STARTS`]; every revision if there was none). The four-eyes rule
/// holds for the whole cycle: none of them may approve it.
pub fn cycle_authors(conn: &mut DbConnection, item: ItemId) -> QueryResult<Vec<UserId>> {
    let started: Option<NaiveDateTime> = item_events::table
        .filter(item_events::item_id.eq(item.0))
        .filter(item_events::kind.eq_any(CYCLE_STARTS.map(EventKind::as_str)))
        .select(diesel::dsl::max(item_events::created_at))
        .first(conn)?;
    let mut query = answer_revisions::table
        .filter(answer_revisions::item_id.eq(item.0))
        .select(answer_revisions::author_id)
        .distinct()
        .into_boxed();
    // A revision saved at the very time of the step counts as the cycle's: when
    // in doubt, the stricter reading.
    if let Some(started) = started {
        query = query.filter(answer_revisions::created_at.ge(started));
    }
    Ok(query.load::<i32>(conn)?.into_iter().map(UserId).collect())
}

/// Adds an internal note.
pub fn add_note(
    conn: &mut DbConnection,
    item: ItemId,
    author: UserId,
    text: &str,
    at: NaiveDateTime,
) -> QueryResult<()> {
    diesel::insert_into(notes::table)
        .values((
            notes::item_id.eq(item.0),
            notes::author_id.eq(author.0),
            notes::body_text.eq(text),
            notes::created_at.eq(at),
        ))
        .execute(conn)
        .map(|_| ())
}

/// The item's internal notes, oldest first.
pub fn notes(conn: &mut DbConnection, item: ItemId) -> QueryResult<Vec<Note>> {
    notes::table
        .inner_join(users::table)
        .filter(notes::item_id.eq(item.0))
        .order(notes::id)
        .select((
            notes::id,
            notes::body_text,
            users::full_name,
            notes::created_at,
        ))
        .load(conn)
}

/// The bodies asked to coordinate on the item.
pub fn coordinating_bodies(conn: &mut DbConnection, item: ItemId) -> QueryResult<Vec<i32>> {
    item_coordinating_bodies::table
        .filter(item_coordinating_bodies::item_id.eq(item.0))
        .order(item_coordinating_bodies::body_id)
        .select(item_coordinating_bodies::body_id)
        .load(conn)
}

/// Asks a body to coordinate; false if it already does.
pub fn add_coordinating_body(
    conn: &mut DbConnection,
    item: ItemId,
    body: BodyId,
    by: UserId,
    at: NaiveDateTime,
) -> QueryResult<bool> {
    let already: i64 = item_coordinating_bodies::table
        .filter(item_coordinating_bodies::item_id.eq(item.0))
        .filter(item_coordinating_bodies::body_id.eq(body.0))
        .count()
        .get_result(conn)?;
    if already > 0 {
        return Ok(false);
    }
    diesel::insert_into(item_coordinating_bodies::table)
        .values((
            item_coordinating_bodies::item_id.eq(item.0),
            item_coordinating_bodies::body_id.eq(body.0),
            item_coordinating_bodies::added_by.eq(by.0),
            item_coordinating_bodies::added_at.eq(at),
        ))
        .execute(conn)?;
    Ok(true)
}
