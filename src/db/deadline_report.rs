//! Deadlines at a glance: how many items owing an answer are overdue, due soon,
//! in time or paused — for a body's queue and, per holder, for the coordinator's
//! deadlines page — with that page's overdue items and pending extension requests.
//!
//! The per-holder counts read the owed items' clock columns and classify them
//! with [`Urgency::at`]; a body's queue counts the same rules in SQL. Either
//! way the numbers agree with the badges on the rows.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

use super::deadlines::calendar_around;
use super::schema::{deadline_extensions, items, users};
use super::{DbConnection, MultiBackend};
use crate::domain::deadlines::{overdue_days, Stage, Urgency};
use crate::domain::{BodyId, ItemStatus};

/// How many items stand at each urgency.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct UrgencyCounts {
    /// Past their due instant.
    pub overdue: i64,
    /// In their last working days.
    pub due_soon: i64,
    /// Due later.
    pub in_time: i64,
    /// With their clock paused.
    pub paused: i64,
}

impl UrgencyCounts {
    /// Counts one more item at `urgency`.
    pub fn add(&mut self, urgency: Urgency) {
        match urgency {
            Urgency::Overdue => self.overdue += 1,
            Urgency::DueSoon => self.due_soon += 1,
            Urgency::InTime => self.in_time += 1,
            Urgency::Paused => self.paused += 1,
        }
    }

    /// The count at `urgency`.
    pub fn of(&self, urgency: Urgency) -> i64 {
        match urgency {
            Urgency::Overdue => self.overdue,
            Urgency::DueSoon => self.due_soon,
            Urgency::InTime => self.in_time,
            Urgency::Paused => self.paused,
        }
    }

    /// Every item counted.
    pub fn total(&self) -> i64 {
        self.overdue + self.due_soon + self.in_time + self.paused
    }
}

/// Where an item stands at `now` from its clock columns (None: nothing is owed).
pub fn urgency_of(
    now: NaiveDateTime,
    next_due_at: Option<NaiveDateTime>,
    due_soon_at: Option<NaiveDateTime>,
    paused_at: Option<NaiveDateTime>,
) -> Option<Urgency> {
    Urgency::at(now, next_due_at, due_soon_at, paused_at.is_some())
}

/// The counts above a body's queue: the items it leads that owe an answer. The
/// same set as `/queue?urgency=…` lists, and the same rules as [`Urgency::at`],
/// counted in SQL: a body with tens of thousands of owed items must not load
/// every one's clock to count them (the `items_body_clock` index answers each
/// count without reading the table).
pub fn body_counts(
    conn: &mut DbConnection,
    body: BodyId,
    now: NaiveDateTime,
) -> QueryResult<UrgencyCounts> {
    let owed = || {
        items::table
            .filter(items::lead_body_id.eq(body.0))
            .filter(items::next_due_at.is_not_null())
            .into_boxed::<MultiBackend>()
    };
    let total: i64 = owed().count().get_result(conn)?;
    let paused: i64 = owed()
        .filter(items::paused_at.is_not_null())
        .count()
        .get_result(conn)?;
    let overdue: i64 = owed()
        .filter(items::paused_at.is_null())
        .filter(items::next_due_at.lt(now))
        .count()
        .get_result(conn)?;
    let due_soon: i64 = owed()
        .filter(items::paused_at.is_null())
        .filter(items::next_due_at.ge(now))
        .filter(items::due_soon_at.le(now))
        .count()
        .get_result(conn)?;
    Ok(UrgencyCounts {
        overdue,
        due_soon,
        in_time: total - paused - overdue - due_soon,
        paused,
    })
}

/// Who holds an item now: a body (drafting and approval) or the coordinating
/// body (triage and publication).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum Holder {
    /// A body drafts or approves it.
    Body(i32),
    /// The coordinators triage or publish it.
    Coordinators,
}

impl Holder {
    /// The holder of an item in `stage` led by `lead_body`.
    pub fn of(stage: Stage, lead_body: Option<i32>) -> Holder {
        match (stage, lead_body) {
            (Stage::Drafting | Stage::Approval, Some(body)) => Holder::Body(body),
            _ => Holder::Coordinators,
        }
    }

    /// The statuses in which an item is held this way (the list filter the
    /// deadlines page links to).
    pub fn statuses(self) -> Vec<ItemStatus> {
        ItemStatus::ALL
            .into_iter()
            .filter(|status| {
                matches!(
                    (self, Stage::of(*status)),
                    (Holder::Body(_), Some(Stage::Drafting | Stage::Approval))
                        | (
                            Holder::Coordinators,
                            Some(Stage::Triage | Stage::Publication)
                        )
                )
            })
            .collect()
    }
}

/// One overdue item on the deadlines page.
#[derive(Debug, Clone, Serialize)]
pub struct OverdueLine {
    /// Item id.
    pub id: i32,
    /// Human reference.
    pub reference: String,
    /// Title.
    pub title: String,
    /// Who holds it.
    pub holder: Holder,
    /// Its stage.
    pub stage: Stage,
    /// The instant it was due.
    pub due: NaiveDateTime,
    /// Working days past that.
    pub days_overdue: u32,
}

/// A request for more time waiting for a coordinator.
#[derive(Debug, Clone, Queryable, Serialize)]
pub struct PendingExtension {
    /// Request id.
    pub id: i32,
    /// The item.
    pub item_id: i32,
    /// Its reference.
    pub reference: String,
    /// Its title.
    pub title: String,
    /// Who asked.
    pub requested_by: String,
    /// When.
    pub requested_at: NaiveDateTime,
    /// The due date it would move.
    pub previous_deadline: NaiveDateTime,
    /// The due date asked for.
    pub requested_deadline: NaiveDateTime,
    /// Why.
    pub reason: String,
}

/// Everything the coordinator's deadlines page shows.
#[derive(Debug, Clone, Serialize)]
pub struct Overview {
    /// Counts per holder, in no particular order (the page orders by name).
    pub counts: Vec<(Holder, UrgencyCounts)>,
    /// Overdue items, longest overdue first.
    pub overdue: Vec<OverdueLine>,
    /// Extension requests waiting for a decision, oldest first.
    pub extensions: Vec<PendingExtension>,
}

/// The deadlines page at `now`: one read of every owed item's clock, one of the
/// pending extension requests.
pub fn overview(conn: &mut DbConnection, now: NaiveDateTime) -> QueryResult<Overview> {
    type Row = (
        i32,
        String,
        String,
        ItemStatus,
        Option<i32>,
        Option<NaiveDateTime>,
        Option<NaiveDateTime>,
        Option<NaiveDateTime>,
    );
    let rows: Vec<Row> = items::table
        .filter(items::next_due_at.is_not_null())
        .order((items::next_due_at, items::id))
        .select((
            items::id,
            items::reference,
            items::title,
            items::status,
            items::lead_body_id,
            items::next_due_at,
            items::due_soon_at,
            items::paused_at,
        ))
        .load(conn)?;
    let calendar = calendar_around(conn, now)?;
    let mut counts: Vec<(Holder, UrgencyCounts)> = Vec::new();
    let mut overdue = Vec::new();
    for (id, reference, title, status, lead_body, next, soon, paused) in rows {
        let (Some(stage), Some(urgency), Some(due)) =
            (Stage::of(status), urgency_of(now, next, soon, paused), next)
        else {
            continue;
        };
        let holder = Holder::of(stage, lead_body);
        match counts.iter_mut().find(|(h, _)| *h == holder) {
            Some((_, c)) => c.add(urgency),
            None => {
                let mut c = UrgencyCounts::default();
                c.add(urgency);
                counts.push((holder, c));
            }
        }
        if urgency == Urgency::Overdue {
            // Read in due order, so the longest overdue come first.
            overdue.push(OverdueLine {
                id,
                reference,
                title,
                holder,
                stage,
                due,
                days_overdue: overdue_days(&calendar, due, now),
            });
        }
    }
    let extensions = deadline_extensions::table
        .inner_join(items::table)
        .inner_join(users::table.on(users::id.eq(deadline_extensions::requested_by)))
        .filter(deadline_extensions::status.eq("pending"))
        .order((deadline_extensions::requested_at, deadline_extensions::id))
        .select((
            deadline_extensions::id,
            deadline_extensions::item_id,
            items::reference,
            items::title,
            users::full_name,
            deadline_extensions::requested_at,
            deadline_extensions::previous_deadline,
            deadline_extensions::requested_deadline,
            deadline_extensions::reason,
        ))
        .load(conn)?;
    Ok(Overview {
        counts,
        overdue,
        extensions,
    })
}

/// One stage an item went through, as its page shows it.
#[derive(Debug, Clone, Serialize)]
pub struct StageLine {
    /// The stage.
    pub stage: Stage,
    /// When it began.
    pub started_at: NaiveDateTime,
    /// When it is (or was) due.
    pub due_at: NaiveDateTime,
    /// When it ended; None while it runs.
    pub finished_at: Option<NaiveDateTime>,
    /// Whether it ended late, or runs past its due instant.
    pub late: bool,
}

/// The deadlines panel of an item's page. The delegate sees the whole answer's
/// date and whether it was extended; staff also see every stage.
#[derive(Debug, Clone, Default, Serialize)]
pub struct DeadlinePanel {
    /// `overdue`, `due_soon`, `in_time` or `paused`; None once nothing is owed.
    pub urgency: Option<&'static str>,
    /// The running stage (staff).
    pub stage: Option<Stage>,
    /// The running stage's due instant (staff).
    pub stage_due_at: Option<NaiveDateTime>,
    /// The whole answer's due instant.
    pub deadline: Option<NaiveDateTime>,
    /// The first due instant, shown when an extension moved it.
    pub original_deadline: Option<NaiveDateTime>,
    /// Since when the clock stands still.
    pub paused_at: Option<NaiveDateTime>,
    /// The stages gone through, oldest first (staff).
    pub stages: Vec<StageLine>,
    /// The stages still to come (staff).
    pub to_come: Vec<Stage>,
}

/// The panel of `item` at `now`, for staff or for its delegate.
pub fn panel(
    conn: &mut DbConnection,
    item: &super::items::Item,
    staff: bool,
    now: NaiveDateTime,
) -> QueryResult<DeadlinePanel> {
    let owed = item.next_due_at.is_some();
    let extended = (item.deadline != item.original_deadline).then_some(item.original_deadline);
    let paused_at = item.paused_at.filter(|_| owed);
    if !staff {
        // The delegate is owed the whole answer, not an internal stage.
        let deadline = owed.then_some(item.deadline);
        return Ok(DeadlinePanel {
            urgency: Urgency::at(now, deadline, None, paused_at.is_some()).map(Urgency::as_str),
            deadline: Some(item.deadline),
            original_deadline: extended,
            paused_at,
            ..DeadlinePanel::default()
        });
    }
    let stage = Stage::of(item.status).filter(|_| owed);
    let stages = super::deadlines::StageClock::of_item(conn, item.item_id())?
        .into_iter()
        .map(|clock| StageLine {
            late: clock.late_at(now) && !(clock.finished_at.is_none() && paused_at.is_some()),
            stage: clock.stage,
            started_at: clock.started_at,
            due_at: clock.due_at,
            finished_at: clock.finished_at,
        })
        .collect();
    let to_come = match stage {
        Some(current) => Stage::ALL.into_iter().filter(|s| *s > current).collect(),
        None => Vec::new(),
    };
    Ok(DeadlinePanel {
        urgency: urgency_of(now, item.next_due_at, item.due_soon_at, paused_at)
            .map(Urgency::as_str),
        stage,
        stage_due_at: item.stage_due_at.filter(|_| owed),
        deadline: Some(item.deadline),
        original_deadline: extended,
        paused_at,
        stages,
        to_come,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_body_holds_drafting_and_approval_and_the_coordinators_triage_and_publication() {
        assert_eq!(
            Holder::Body(7).statuses(),
            vec![
                ItemStatus::Routed,
                ItemStatus::Drafting,
                ItemStatus::InReview
            ]
        );
        assert_eq!(
            Holder::Coordinators.statuses(),
            vec![ItemStatus::Submitted, ItemStatus::Approved]
        );
        assert_eq!(Holder::of(Stage::Approval, Some(3)), Holder::Body(3));
        assert_eq!(
            Holder::of(Stage::Publication, Some(3)),
            Holder::Coordinators
        );
    }

    #[test]
    fn counts_add_up_per_urgency() {
        let mut counts = UrgencyCounts::default();
        for urgency in [Urgency::Overdue, Urgency::Overdue, Urgency::Paused] {
            counts.add(urgency);
        }
        assert_eq!(counts.of(Urgency::Overdue), 2);
        assert_eq!(counts.of(Urgency::Paused), 1);
        assert_eq!(counts.of(Urgency::DueSoon), 0);
        assert_eq!(counts.total(), 3);
    }
}
