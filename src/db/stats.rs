//! The figures of the dashboard and the periodic report, for a scope (a
//! conference or all, a period of local days or all time, one body or all),
//! computed with aggregate queries (`COUNT … GROUP BY`) on either engine. The
//! only rows read into Rust are the pairs of instants the working-day medians
//! need (two columns), the ten items overdue longest, and the item lists of the
//! periodic report.
//!
//! Choices, also stated in the user guide:
//! - **Received** counts the items submitted in the period, withdrawn ones
//!   included; every other figure leaves withdrawn items out.
//! - An item **merged** into another is not counted at all: the item it was
//!   merged into stands for both (one answer served them).
//! - **Routed**: received, not withdrawn, and in a body's hands (a lead body and
//!   past triage). **Answered**: answer published in the period. **Resolved**:
//!   resolved in the period. An item counts under its lead body *now* (a re-routed
//!   item counts for the body it was moved to).
//! - **In time / late × answered / open**, per body: answered in the period, late
//!   when published after its answer due date; open at the end of the period (or
//!   now, if earlier), late when that due date has passed. The due date is the one
//!   on the item, so an extension or a paused clock that moved it counts; an item
//!   whose clock is paused now is not counted late (it waits for the delegate).
//! - **Satisfaction** with the answers published in the period, and with the
//!   results of the items resolved in it; unrated ones are counted apart.
//! - **Commitments**: done or "cannot be done" when closed in the period; overdue
//!   when still open past their due instant at the end of the period (or now).
//! - **Stage times**: working days (the working calendar) from the local day of
//!   submission to the local day of publication or resolution; the median and
//!   the 90th percentile by the nearest-rank method (the value at rank ⌈p·n⌉).

use std::collections::BTreeMap;

use chrono::{Duration, NaiveDate, NaiveDateTime};
use diesel::dsl::count_star;
use diesel::prelude::*;
use diesel::sql_types::Bool;

use super::holidays::working_calendar;
use super::schema::{commitments, items};
use super::{DbConnection, MultiBackend};
use crate::domain::calendar::local_date;
use crate::domain::follow_up::Progress;
use crate::domain::period::Period;
use crate::domain::ItemStatus;

/// Which items the figures cover.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StatsScope {
    /// One conference, or all.
    pub conference: Option<i32>,
    /// A period of local days, or all time.
    pub period: Option<Period>,
    /// One lead body (a body's staff see only their own), or all.
    pub body: Option<i32>,
}

impl StatsScope {
    /// The instant "open" and "overdue" are judged at: the end of the period, or
    /// `now` if that is earlier.
    pub fn as_of(&self, now: NaiveDateTime) -> NaiveDateTime {
        match self.period {
            Some(p) => p.end_utc().min(now),
            None => now,
        }
    }
}

/// The four headline counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Totals {
    /// Submitted in the period (withdrawn included).
    pub received: i64,
    /// Of those, withdrawn by the delegate.
    pub withdrawn: i64,
    /// Of those, in a body's hands.
    pub routed: i64,
    /// Answers published in the period.
    pub answered: i64,
    /// Items resolved in the period.
    pub resolved: i64,
}

/// One body's line: what it received, answered and resolved, and its answered
/// and open items in time or late.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct BodyLine {
    /// Received in the period (not withdrawn).
    pub received: i64,
    /// Answered in the period.
    pub answered: i64,
    /// Resolved in the period.
    pub resolved: i64,
    /// Answered in the period, on or before the due date.
    pub answered_in_time: i64,
    /// Answered in the period, after the due date.
    pub answered_late: i64,
    /// Open at the end of the period, not past the due date.
    pub open_in_time: i64,
    /// Open at the end of the period, past the due date.
    pub open_late: i64,
}

/// Working days from submission to a later step.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct StageTime {
    /// How many items the figure is taken over.
    pub count: i64,
    /// The median (None without items).
    pub median: Option<i64>,
    /// The 90th percentile (None without items).
    pub p90: Option<i64>,
}

/// Commitments by where they stand.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct CommitmentCounts {
    /// Done in the period.
    pub done: i64,
    /// Open past their due instant.
    pub overdue: i64,
    /// Closed as "cannot be done" in the period.
    pub cannot_be_done: i64,
}

/// One of the items overdue longest.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct OverdueItem {
    /// Item id.
    pub id: i32,
    /// Human reference.
    pub reference: String,
    /// Title.
    pub title: String,
    /// Lead body, if routed.
    pub body: Option<i32>,
    /// The answer's due instant.
    pub due: NaiveDateTime,
    /// Working days past it.
    pub working_days_overdue: i64,
}

/// Every figure of the dashboard.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Figures {
    /// The headline counts.
    pub totals: Totals,
    /// Per lead body (None: not yet routed), ordered by body id.
    pub by_body: BTreeMap<Option<i32>, BodyLine>,
    /// Received per field id.
    pub received_by_field: BTreeMap<i32, i64>,
    /// Answers published in the period per outcome name (None: no outcome recorded).
    pub by_outcome: BTreeMap<Option<String>, i64>,
    /// The answers' ratings per level name (None: not rated).
    pub answer_satisfaction: BTreeMap<Option<String>, i64>,
    /// The results' ratings per level name (None: not rated).
    pub result_satisfaction: BTreeMap<Option<String>, i64>,
    /// Submission to answer.
    pub to_answer: StageTime,
    /// Submission to resolution.
    pub to_resolution: StageTime,
    /// Commitments.
    pub commitments: CommitmentCounts,
    /// The ten items overdue longest, longest first.
    pub overdue_longest: Vec<OverdueItem>,
}

/// A condition on items, built piece by piece for the scope. Boxed conditions
/// (rather than boxed queries) leave `GROUP BY` available on the statement.
type Pred = Box<dyn BoxableExpression<items::table, MultiBackend, SqlType = Bool>>;

/// `a AND b`, boxed again.
macro_rules! and {
    ($a:expr, $b:expr $(,)?) => {
        Box::new($a.and($b)) as Pred
    };
}

/// Items in the scope's conference and body, merged-in items left out.
fn scoped(scope: &StatsScope) -> Pred {
    let mut pred: Pred = Box::new(items::status.ne(ItemStatus::Merged));
    if let Some(conference) = scope.conference {
        pred = and!(pred, items::conference_id.eq(conference));
    }
    if let Some(body) = scope.body {
        pred = and!(pred, items::lead_body_id.assume_not_null().eq(body));
    }
    pred
}

/// Scoped and not withdrawn.
fn kept(scope: &StatsScope) -> Pred {
    and!(scoped(scope), items::status.ne(ItemStatus::Withdrawn))
}

/// Narrows `pred` to rows whose `column` (not null) falls in the scope's period.
macro_rules! in_period {
    ($pred:expr, $column:expr, $scope:expr) => {{
        let mut pred = $pred;
        if let Some(period) = $scope.period {
            pred = and!(pred, $column.ge(period.start_utc()));
            pred = and!(pred, $column.lt(period.end_utc()));
        }
        pred
    }};
}

/// Received in the period.
fn received(scope: &StatsScope) -> Pred {
    in_period!(scoped(scope), items::submitted_at, scope)
}

/// Received in the period and not withdrawn.
fn received_kept(scope: &StatsScope) -> Pred {
    and!(received(scope), items::status.ne(ItemStatus::Withdrawn))
}

/// Answered in the period.
fn answered(scope: &StatsScope) -> Pred {
    in_period!(
        and!(kept(scope), items::published_at.is_not_null()),
        items::published_at.assume_not_null(),
        scope
    )
}

/// Answered in the period, after the due date.
fn answered_late(scope: &StatsScope) -> Pred {
    and!(
        answered(scope),
        items::published_at.assume_not_null().gt(items::deadline),
    )
}

/// Resolved in the period.
fn resolved(scope: &StatsScope) -> Pred {
    in_period!(
        and!(kept(scope), items::resolved_at.is_not_null()),
        items::resolved_at.assume_not_null(),
        scope
    )
}

/// Open at `as_of`: submitted before it, not answered by then.
fn open_at(scope: &StatsScope, as_of: NaiveDateTime) -> Pred {
    let pred = and!(kept(scope), items::submitted_at.lt(as_of));
    and!(
        pred,
        items::published_at
            .is_null()
            .or(items::published_at.assume_not_null().ge(as_of)),
    )
}

/// Open and late at `as_of` (a paused clock is not late).
fn open_late(scope: &StatsScope, as_of: NaiveDateTime) -> Pred {
    let pred = and!(open_at(scope, as_of), items::deadline.lt(as_of));
    and!(pred, items::paused_at.is_null())
}

/// How many items meet `pred`.
fn count(conn: &mut DbConnection, pred: Pred) -> QueryResult<i64> {
    items::table.filter(pred).count().get_result(conn)
}

/// Counts per lead body.
fn per_body(conn: &mut DbConnection, pred: Pred) -> QueryResult<Vec<(Option<i32>, i64)>> {
    items::table
        .filter(pred)
        .group_by(items::lead_body_id)
        .select((items::lead_body_id, count_star()))
        .load(conn)
}

/// Counts per value of a text column.
macro_rules! per_text {
    ($conn:expr, $pred:expr, $column:expr) => {
        items::table
            .filter($pred)
            .group_by($column)
            .select(($column, count_star()))
            .load::<(Option<String>, i64)>($conn)?
            .into_iter()
            .collect()
    };
}

/// Every figure for `scope`, open and overdue judged at [`StatsScope::as_of`].
pub fn figures(
    conn: &mut DbConnection,
    scope: &StatsScope,
    now: NaiveDateTime,
) -> QueryResult<Figures> {
    let as_of = scope.as_of(now);
    let totals = Totals {
        received: count(conn, received(scope))?,
        withdrawn: count(
            conn,
            and!(received(scope), items::status.eq(ItemStatus::Withdrawn)),
        )?,
        routed: count(
            conn,
            and!(
                and!(
                    received_kept(scope),
                    items::status.ne(ItemStatus::Submitted)
                ),
                items::lead_body_id.is_not_null(),
            ),
        )?,
        answered: count(conn, answered(scope))?,
        resolved: count(conn, resolved(scope))?,
    };

    let mut by_body: BTreeMap<Option<i32>, BodyLine> = BTreeMap::new();
    for (body, n) in per_body(conn, received_kept(scope))? {
        by_body.entry(body).or_default().received = n;
    }
    for (body, n) in per_body(conn, answered(scope))? {
        by_body.entry(body).or_default().answered = n;
    }
    for (body, n) in per_body(conn, resolved(scope))? {
        by_body.entry(body).or_default().resolved = n;
    }
    for (body, n) in per_body(conn, answered_late(scope))? {
        by_body.entry(body).or_default().answered_late = n;
    }
    for (body, n) in per_body(conn, open_at(scope, as_of))? {
        by_body.entry(body).or_default().open_in_time = n;
    }
    for (body, n) in per_body(conn, open_late(scope, as_of))? {
        by_body.entry(body).or_default().open_late = n;
    }
    for line in by_body.values_mut() {
        line.answered_in_time = line.answered - line.answered_late;
        line.open_in_time -= line.open_late;
    }

    let received_by_field = items::table
        .filter(received_kept(scope))
        .group_by(items::field_id)
        .select((items::field_id, count_star()))
        .load::<(i32, i64)>(conn)?
        .into_iter()
        .collect();
    let by_outcome = per_text!(conn, answered(scope), items::outcome);
    let answer_satisfaction = per_text!(conn, answered(scope), items::satisfaction);
    let result_satisfaction = per_text!(conn, resolved(scope), items::result_satisfaction);

    let answer_pairs: Vec<(NaiveDateTime, Option<NaiveDateTime>)> = items::table
        .filter(answered(scope))
        .select((items::submitted_at, items::published_at))
        .load(conn)?;
    let resolution_pairs: Vec<(NaiveDateTime, Option<NaiveDateTime>)> = items::table
        .filter(resolved(scope))
        .select((items::submitted_at, items::resolved_at))
        .load(conn)?;
    let overdue_rows: Vec<(i32, String, String, Option<i32>, NaiveDateTime)> = items::table
        .filter(open_late(scope, as_of))
        .order((items::deadline.asc(), items::id.asc()))
        .limit(10)
        .select((
            items::id,
            items::reference,
            items::title,
            items::lead_body_id,
            items::deadline,
        ))
        .load(conn)?;
    let instants = answer_pairs
        .iter()
        .chain(&resolution_pairs)
        .flat_map(|(a, b)| [Some(*a), *b])
        .flatten()
        .chain(overdue_rows.iter().map(|row| row.4))
        .chain([as_of]);
    let (earliest, latest) = instants.fold((as_of, as_of), |(lo, hi), at| (lo.min(at), hi.max(at)));
    let calendar = working_calendar(
        conn,
        local_date(earliest) - Duration::days(7),
        local_date(latest) + Duration::days(7),
    )?;
    let counter = calendar.counter(
        local_date(earliest) - Duration::days(7),
        local_date(latest) + Duration::days(7),
    );
    let working_days = |from: NaiveDate, to: NaiveDate| {
        counter
            .between(from, to)
            .unwrap_or_else(|| calendar.working_days_between(from, to))
    };
    let days = |pairs: &[(NaiveDateTime, Option<NaiveDateTime>)]| -> Vec<i64> {
        pairs
            .iter()
            .filter_map(|(from, to)| to.map(|to| working_days(local_date(*from), local_date(to))))
            .collect()
    };
    let overdue_longest = overdue_rows
        .into_iter()
        .map(|(id, reference, title, body, due)| OverdueItem {
            id,
            reference,
            title,
            body,
            due,
            working_days_overdue: working_days(local_date(due), local_date(as_of)).max(0),
        })
        .collect();

    Ok(Figures {
        totals,
        by_body,
        received_by_field,
        by_outcome,
        answer_satisfaction,
        result_satisfaction,
        to_answer: stage_time(days(&answer_pairs)),
        to_resolution: stage_time(days(&resolution_pairs)),
        commitments: commitment_counts(conn, scope, as_of)?,
        overdue_longest,
    })
}

/// Commitments of the scope's conference and owning body.
fn commitment_counts(
    conn: &mut DbConnection,
    scope: &StatsScope,
    as_of: NaiveDateTime,
) -> QueryResult<CommitmentCounts> {
    let base = || {
        let mut query = commitments::table.into_boxed::<MultiBackend>();
        if let Some(conference) = scope.conference {
            query = query.filter(commitments::conference_id.eq(conference));
        }
        if let Some(body) = scope.body {
            query = query.filter(commitments::owner_body_id.eq(body));
        }
        query
    };
    let closed_as = |progress: Progress| {
        let mut query = base()
            .filter(commitments::progress.eq(progress))
            .filter(commitments::closed_at.is_not_null());
        if let Some(period) = scope.period {
            query = query
                .filter(commitments::closed_at.ge(period.start_utc()))
                .filter(commitments::closed_at.lt(period.end_utc()));
        }
        query
    };
    Ok(CommitmentCounts {
        done: closed_as(Progress::Done).count().get_result(conn)?,
        cannot_be_done: closed_as(Progress::CannotBeDone).count().get_result(conn)?,
        overdue: base()
            .filter(commitments::created_at.lt(as_of))
            .filter(
                commitments::closed_at
                    .is_null()
                    .or(commitments::closed_at.ge(as_of)),
            )
            .filter(commitments::due_at.lt(as_of))
            .count()
            .get_result(conn)?,
    })
}

/// The median and 90th percentile of `days` (nearest rank).
pub fn stage_time(mut days: Vec<i64>) -> StageTime {
    days.sort_unstable();
    StageTime {
        count: days.len() as i64,
        median: nearest_rank(&days, 50),
        p90: nearest_rank(&days, 90),
    }
}

/// The value at rank ⌈p·n/100⌉ of sorted `values` (None when empty).
pub fn nearest_rank(values: &[i64], percent: usize) -> Option<i64> {
    if values.is_empty() {
        return None;
    }
    let rank = (percent * values.len()).div_ceil(100).max(1);
    values.get(rank - 1).copied()
}

/// One line of a periodic report's item lists.
#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct ListedItem {
    /// Item id.
    pub id: i32,
    /// Human reference.
    pub reference: String,
    /// Title.
    pub title: String,
    /// Lead body.
    pub body: Option<i32>,
    /// Submitted.
    pub submitted_at: NaiveDateTime,
    /// The answer's due instant.
    pub deadline: NaiveDateTime,
    /// Published, if so.
    pub published_at: Option<NaiveDateTime>,
    /// Resolved, if so.
    pub resolved_at: Option<NaiveDateTime>,
    /// The outcome's name, if answered.
    pub outcome: Option<String>,
}

/// The three lists of a periodic report.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ItemLists {
    /// Answered in the period, in order of publication.
    pub answered: Vec<ListedItem>,
    /// Resolved in the period, in order of resolution.
    pub resolved: Vec<ListedItem>,
    /// Open at the end of the period, earliest due first.
    pub open: Vec<ListedItem>,
}

macro_rules! listed_columns {
    () => {
        (
            items::id,
            items::reference,
            items::title,
            items::lead_body_id,
            items::submitted_at,
            items::deadline,
            items::published_at,
            items::resolved_at,
            items::outcome,
        )
    };
}

/// The items answered, resolved and still open for `scope`, each list cut at
/// `limit` rows when one is given (a page shows the first ones; a file gets all).
pub fn item_lists(
    conn: &mut DbConnection,
    scope: &StatsScope,
    now: NaiveDateTime,
    limit: Option<i64>,
) -> QueryResult<ItemLists> {
    let as_of = scope.as_of(now);
    let limit = limit.unwrap_or(i64::MAX);
    Ok(ItemLists {
        answered: items::table
            .filter(answered(scope))
            .order((items::published_at.asc(), items::id.asc()))
            .limit(limit)
            .select(listed_columns!())
            .load(conn)?,
        resolved: items::table
            .filter(resolved(scope))
            .order((items::resolved_at.asc(), items::id.asc()))
            .limit(limit)
            .select(listed_columns!())
            .load(conn)?,
        open: items::table
            .filter(open_at(scope, as_of))
            .order((items::deadline.asc(), items::id.asc()))
            .limit(limit)
            .select(listed_columns!())
            .load(conn)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_take_the_nearest_rank() {
        assert_eq!(nearest_rank(&[], 50), None);
        assert_eq!(nearest_rank(&[7], 90), Some(7));
        // Four values: the median is the 2nd, the 90th percentile the 4th.
        assert_eq!(nearest_rank(&[1, 2, 3, 10], 50), Some(2));
        assert_eq!(nearest_rank(&[1, 2, 3, 10], 90), Some(10));
        let time = stage_time(vec![5, 1, 3]);
        assert_eq!((time.count, time.median, time.p90), (3, Some(3), Some(5)));
    }
}
