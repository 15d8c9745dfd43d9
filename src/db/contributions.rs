//! Contributions (issue 10): the lead body of an item asks a coordinating body,
//! or one of its own units, for a contribution to the answer. Rows of
//! `contributions` and their queries; every change is a conditional update on the
//! row's `version` and state, so a stale form loses instead of overwriting.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

use super::bodies::Body;
use super::conferences::Conference;
use super::deadlines::calendar_around;
use super::schema::{bodies, contributions, item_coordinating_bodies, items, users};
use super::DbConnection;
use crate::domain::calendar::WorkingCalendar;
pub use crate::domain::contribution::ContributionState;
use crate::domain::deadlines::{due_soon_from, DeadlinePolicy, Urgency};
use crate::domain::{BodyId, ConferenceId, ItemId, Lang, UserId};

/// One request for a contribution.
#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = contributions)]
pub struct Contribution {
    /// Row id.
    pub id: i32,
    /// The item.
    pub item_id: i32,
    /// The body asked.
    pub body_id: i32,
    /// What the lead body asks for.
    pub request_text: String,
    /// When it is due.
    pub due_at: NaiveDateTime,
    /// Where it stands.
    pub state: ContributionState,
    /// The asked body's text (frozen once approved).
    pub text: String,
    /// Why the approver returned it last.
    pub return_reason: String,
    /// Who asked.
    pub requested_by: i32,
    /// When.
    pub requested_at: NaiveDateTime,
    /// Who last wrote the text.
    pub written_by: Option<i32>,
    /// Who approved it.
    pub approved_by: Option<i32>,
    /// When it was approved.
    pub approved_at: Option<NaiveDateTime>,
    /// The last change.
    pub updated_at: NaiveDateTime,
    /// Bumped by every change; forms carry it back.
    pub version: i32,
}

/// Whether `body` was asked for a contribution to `item` (a request not
/// withdrawn): its staff may then see the item.
pub fn asked(conn: &mut DbConnection, item: ItemId, body: BodyId) -> QueryResult<bool> {
    let count: i64 = contributions::table
        .filter(contributions::item_id.eq(item.0))
        .filter(contributions::body_id.eq(body.0))
        .filter(contributions::state.ne(ContributionState::Withdrawn))
        .count()
        .get_result(conn)?;
    Ok(count > 0)
}

/// A request about to be recorded.
#[derive(Debug, Clone)]
pub struct NewContribution<'a> {
    /// The item.
    pub item: ItemId,
    /// The body asked.
    pub body: BodyId,
    /// What is asked.
    pub request_text: &'a str,
    /// By when.
    pub due_at: NaiveDateTime,
    /// Who asks.
    pub by: UserId,
    /// When.
    pub at: NaiveDateTime,
}

impl NewContribution<'_> {
    /// Inserts the request; returns its id.
    pub fn insert(&self, conn: &mut DbConnection) -> QueryResult<i32> {
        diesel::insert_into(contributions::table)
            .values((
                contributions::item_id.eq(self.item.0),
                contributions::body_id.eq(self.body.0),
                contributions::request_text.eq(self.request_text),
                contributions::due_at.eq(self.due_at),
                contributions::state.eq(ContributionState::Requested),
                contributions::requested_by.eq(self.by.0),
                contributions::requested_at.eq(self.at),
                contributions::updated_at.eq(self.at),
            ))
            .returning(contributions::id)
            .get_result(conn)
    }
}

impl Contribution {
    /// The open request of `item` to `body`, if any.
    pub fn open_of(
        conn: &mut DbConnection,
        item: ItemId,
        body: BodyId,
    ) -> QueryResult<Option<Contribution>> {
        contributions::table
            .filter(contributions::item_id.eq(item.0))
            .filter(contributions::body_id.eq(body.0))
            .filter(contributions::state.eq_any(ContributionState::OPEN))
            .select(Contribution::as_select())
            .first(conn)
            .optional()
    }

    /// Every request of `item`, oldest first.
    pub fn of_item(conn: &mut DbConnection, item: ItemId) -> QueryResult<Vec<Contribution>> {
        contributions::table
            .filter(contributions::item_id.eq(item.0))
            .order(contributions::id)
            .select(Contribution::as_select())
            .load(conn)
    }

    /// Every open request, for the daily digest.
    pub fn all_open(conn: &mut DbConnection) -> QueryResult<Vec<Contribution>> {
        contributions::table
            .filter(contributions::state.eq_any(ContributionState::OPEN))
            .order(contributions::due_at)
            .select(Contribution::as_select())
            .load(conn)
    }

    /// Moves the contribution from `from` to `to` if nobody changed it since
    /// `version` was read; `text` and `reason` replace the stored ones when given.
    /// Returns whether the row changed (false: a stale form or another state).
    pub fn change(
        conn: &mut DbConnection,
        id: i32,
        version: i32,
        from: &[ContributionState],
        to: ContributionState,
        change: Change<'_>,
        now: NaiveDateTime,
    ) -> QueryResult<bool> {
        let target = contributions::table
            .filter(contributions::id.eq(id))
            .filter(contributions::version.eq(version))
            .filter(contributions::state.eq_any(from.to_vec()));
        let changed = diesel::update(target)
            .set((
                contributions::state.eq(to),
                contributions::version.eq(version + 1),
                contributions::updated_at.eq(now),
                change,
            ))
            .execute(conn)?;
        Ok(changed == 1)
    }

    /// The urgency of an open contribution at `now`, counted as an answer's.
    pub fn urgency(
        &self,
        calendar: &WorkingCalendar,
        policy: &DeadlinePolicy,
        now: NaiveDateTime,
    ) -> Option<Urgency> {
        if !self.state.is_open() {
            return None;
        }
        let soon = due_soon_from(calendar, self.due_at, policy.due_soon_days);
        Urgency::at(now, Some(self.due_at), Some(soon), false)
    }
}

/// The columns a step changes beside the state.
#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = contributions)]
pub struct Change<'a> {
    /// The asked body's text.
    pub text: Option<&'a str>,
    /// Who wrote it.
    pub written_by: Option<Option<i32>>,
    /// Why it was returned.
    pub return_reason: Option<&'a str>,
    /// Who approved it.
    pub approved_by: Option<Option<i32>>,
    /// When.
    pub approved_at: Option<Option<NaiveDateTime>>,
}

/// The bodies the lead body of `item` may ask: its coordinating bodies and the
/// lead body's own units (bodies whose parent it is), active, but never itself.
pub fn askable_bodies(
    conn: &mut DbConnection,
    item: ItemId,
    lead_body: Option<i32>,
) -> QueryResult<Vec<Body>> {
    let Some(lead) = lead_body else {
        return Ok(Vec::new());
    };
    let coordinating = item_coordinating_bodies::table
        .filter(item_coordinating_bodies::item_id.eq(item.0))
        .select(item_coordinating_bodies::body_id);
    bodies::table
        .filter(bodies::active.eq(true))
        .filter(bodies::id.ne(lead))
        .filter(
            bodies::id
                .eq_any(coordinating)
                .or(bodies::parent_id.eq(lead)),
        )
        .order(bodies::code)
        .select(Body::as_select())
        .load(conn)
}

/// One contribution as a page shows it: the body's and people's names, and its
/// urgency while open.
#[derive(Debug, Clone, Serialize)]
pub struct ContributionLine {
    /// The row.
    pub contribution: Contribution,
    /// The asked body's name.
    pub body: String,
    /// Who asked.
    pub requested_by_name: String,
    /// Who approved it.
    pub approved_by_name: Option<String>,
    /// `due_soon` or `overdue` while open and near or past its due date.
    pub urgency: Option<&'static str>,
}

/// Names of users by id, for a handful of rows.
fn user_names(conn: &mut DbConnection, ids: &[i32]) -> QueryResult<Vec<(i32, String)>> {
    users::table
        .filter(users::id.eq_any(ids))
        .select((users::id, users::full_name))
        .load(conn)
}

/// The lines of some contributions, names in `lang`.
fn lines(
    conn: &mut DbConnection,
    rows: Vec<Contribution>,
    conference: Option<ConferenceId>,
    lang: Lang,
    now: NaiveDateTime,
) -> QueryResult<Vec<ContributionLine>> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let calendar = calendar_around(conn, now)?;
    let policy = match conference {
        Some(conference) => Conference::find(conn, conference)?
            .map(|c| c.policy())
            .unwrap_or_default(),
        None => DeadlinePolicy::default(),
    };
    let all_bodies = Body::all(conn)?;
    let ids: Vec<i32> = rows
        .iter()
        .flat_map(|c| [Some(c.requested_by), c.approved_by])
        .flatten()
        .collect();
    let names = user_names(conn, &ids)?;
    let name = |id: i32| {
        names
            .iter()
            .find(|(user, _)| *user == id)
            .map(|(_, name)| name.clone())
            .unwrap_or_default()
    };
    Ok(rows
        .into_iter()
        .map(|contribution| ContributionLine {
            body: all_bodies
                .iter()
                .find(|b| b.id == contribution.body_id)
                .map(|b| b.name(lang).to_owned())
                .unwrap_or_default(),
            requested_by_name: name(contribution.requested_by),
            approved_by_name: contribution.approved_by.map(name),
            urgency: contribution
                .urgency(&calendar, &policy, now)
                .filter(|u| matches!(u, Urgency::DueSoon | Urgency::Overdue))
                .map(Urgency::as_str),
            contribution,
        })
        .collect())
}

/// The contributions of `item` (withdrawn ones left out), for its page.
pub fn lines_of_item(
    conn: &mut DbConnection,
    item: ItemId,
    conference: ConferenceId,
    lang: Lang,
    now: NaiveDateTime,
) -> QueryResult<Vec<ContributionLine>> {
    let rows = Contribution::of_item(conn, item)?
        .into_iter()
        .filter(|c| c.state != ContributionState::Withdrawn)
        .collect();
    lines(conn, rows, Some(conference), lang, now)
}

/// One line of a body's list of requests: the item's reference and title too.
#[derive(Debug, Clone, Serialize)]
pub struct AskedLine {
    /// The contribution and its names.
    pub line: ContributionLine,
    /// The item's reference.
    pub reference: String,
    /// The item's title.
    pub title: String,
}

/// The requests made to `body` (withdrawn ones left out): open first, by due
/// date; then the approved, newest first.
pub fn asked_of_body(
    conn: &mut DbConnection,
    body: BodyId,
    lang: Lang,
    now: NaiveDateTime,
) -> QueryResult<Vec<AskedLine>> {
    let mut rows: Vec<(Contribution, String, String)> = contributions::table
        .inner_join(items::table)
        .filter(contributions::body_id.eq(body.0))
        .filter(contributions::state.ne(ContributionState::Withdrawn))
        .select((Contribution::as_select(), items::reference, items::title))
        .load(conn)?;
    rows.sort_by_key(|(c, _, _)| {
        (
            !c.state.is_open(),
            if c.state.is_open() {
                c.due_at.and_utc().timestamp()
            } else {
                -c.updated_at.and_utc().timestamp()
            },
        )
    });
    let (contributions, labels): (Vec<Contribution>, Vec<(String, String)>) = rows
        .into_iter()
        .map(|(c, reference, title)| (c, (reference, title)))
        .unzip();
    let lines = lines(conn, contributions, None, lang, now)?;
    Ok(lines
        .into_iter()
        .zip(labels)
        .map(|(line, (reference, title))| AskedLine {
            line,
            reference,
            title,
        })
        .collect())
}
