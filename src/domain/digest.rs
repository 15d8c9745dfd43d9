//! The daily deadline digest as plain values: which lines an item owed an answer
//! gives, to whom and why, and in what order one person reads them.

use chrono::NaiveDateTime;
use serde::Serialize;
use std::collections::BTreeMap;

use super::calendar::WorkingCalendar;
use super::deadlines::{overdue_days, Audience, DeadlinePolicy, Stage, Urgency};
use super::{EventKind, ItemStatus};

/// Why a person finds an item in their digest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// They hold the item in its current stage.
    Holder,
    /// It is overdue and was escalated to them as head of the lead body.
    Head,
    /// It is overdue and was escalated to the coordinating body.
    Coordinators,
}

impl Reason {
    /// Why `audience` is told of an item in `stage`: whoever holds it first.
    pub fn of(stage: Stage, audience: Audience) -> Reason {
        if audience == stage.holder() {
            Reason::Holder
        } else if audience == Audience::LeadApprovers {
            Reason::Head
        } else {
            Reason::Coordinators
        }
    }

    /// The timeline step that marks an item's first escalation for this reason.
    pub fn escalation(self) -> Option<EventKind> {
        match self {
            Reason::Holder => None,
            Reason::Head => Some(EventKind::EscalatedToHead),
            Reason::Coordinators => Some(EventKind::EscalatedToCoordinators),
        }
    }
}

/// What an item owed an answer asks of the digest at one instant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Concern {
    /// The stage it is in.
    pub stage: Stage,
    /// Due soon or overdue (never anything else).
    pub urgency: Urgency,
    /// Working days past its due date (0 while due soon or on the due day).
    pub overdue_days: u32,
    /// Who is told, and why.
    pub audiences: Vec<(Audience, Reason)>,
}

/// What the digest says about an item in `status`, due at `next_due` and due soon
/// from `due_soon_at`, at `now`: nothing while it is in time (or owes no answer);
/// while due soon, a reminder to whoever holds it; once overdue, whoever the
/// conference's escalation level reaches after so many working days.
pub fn concern(
    policy: &DeadlinePolicy,
    calendar: &WorkingCalendar,
    status: ItemStatus,
    next_due: NaiveDateTime,
    due_soon_at: Option<NaiveDateTime>,
    now: NaiveDateTime,
) -> Option<Concern> {
    let stage = Stage::of(status)?;
    let urgency = Urgency::at(now, Some(next_due), due_soon_at, false)?;
    let (overdue, audiences) = match urgency {
        Urgency::Overdue => {
            let days = overdue_days(calendar, next_due, now);
            (days, policy.level(days).audiences(stage))
        }
        Urgency::DueSoon => (0, vec![stage.holder()]),
        Urgency::InTime | Urgency::Paused => return None,
    };
    Some(Concern {
        stage,
        urgency,
        overdue_days: overdue,
        audiences: audiences
            .into_iter()
            .map(|audience| (audience, Reason::of(stage, audience)))
            .collect(),
    })
}

/// One item in one person's digest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DigestLine {
    /// The item (its link is `/items/{item_id}`).
    pub item_id: i32,
    /// Its reference.
    pub reference: String,
    /// Its title.
    pub title: String,
    /// The stage it is in.
    pub stage: Stage,
    /// When it is due (UTC).
    pub due_at: NaiveDateTime,
    /// Due soon or overdue.
    pub urgency: Urgency,
    /// Working days overdue.
    pub overdue_days: u32,
    /// Why this person is told.
    pub reason: Reason,
}

impl DigestLine {
    /// Overdue lines always go; a due-soon reminder can be turned off.
    pub fn mandatory(&self) -> bool {
        self.urgency == Urgency::Overdue
    }
}

/// Each person's lines, every item once (for the closest reason), overdue first,
/// then the oldest due first.
pub fn group<P: Ord>(
    lines: impl IntoIterator<Item = (P, DigestLine)>,
) -> BTreeMap<P, Vec<DigestLine>> {
    let mut people: BTreeMap<P, Vec<DigestLine>> = BTreeMap::new();
    for (person, line) in lines {
        people.entry(person).or_default().push(line);
    }
    for lines in people.values_mut() {
        lines.sort_by(|a, b| {
            (!a.mandatory(), a.due_at, a.item_id, a.reason).cmp(&(
                !b.mandatory(),
                b.due_at,
                b.item_id,
                b.reason,
            ))
        });
        lines.dedup_by_key(|line| line.item_id);
    }
    people
}

#[cfg(test)]
#[path = "digest_tests.rs"]
mod tests;
