//! Deadlines in working days: the stages an answer goes through, how long a
//! conference allows each, when an item is due soon or overdue, how long a paused
//! clock stood still, and who is chased at each level of escalation.
//!
//! Every instant here is UTC, as stored; dates are local (Asia/Ho_Chi_Minh) and
//! counted with a [`WorkingCalendar`].

use chrono::{NaiveDateTime, NaiveTime};
use serde::Serialize;
use std::str::FromStr;

use super::calendar::{local_date, to_utc, WorkingCalendar};
use super::{Action, ItemStatus, UnknownName};

/// A stage of the answer, each with its own deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// The coordinator routes an item no field routed.
    Triage,
    /// The lead body writes the answer.
    Drafting,
    /// The lead body's approver approves it.
    Approval,
    /// The coordinator publishes it.
    Publication,
}

impl Stage {
    /// Every stage, in the order of an item's life.
    pub const ALL: [Stage; 4] = [
        Stage::Triage,
        Stage::Drafting,
        Stage::Approval,
        Stage::Publication,
    ];

    /// The stable name stored in the database and the locale key suffix.
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Triage => "triage",
            Stage::Drafting => "drafting",
            Stage::Approval => "approval",
            Stage::Publication => "publication",
        }
    }

    /// The stage an item in `status` is in; None once no answer is owed (or the
    /// item is closed).
    pub fn of(status: ItemStatus) -> Option<Stage> {
        match status {
            ItemStatus::Submitted => Some(Stage::Triage),
            ItemStatus::Routed | ItemStatus::Drafting => Some(Stage::Drafting),
            ItemStatus::InReview => Some(Stage::Approval),
            ItemStatus::Approved => Some(Stage::Publication),
            _ => None,
        }
    }

    /// Who holds an item in this stage, and is reminded first.
    pub fn holder(self) -> Audience {
        match self {
            Stage::Triage | Stage::Publication => Audience::Coordinators,
            Stage::Drafting => Audience::LeadDrafters,
            Stage::Approval => Audience::LeadApprovers,
        }
    }
}

impl FromStr for Stage {
    type Err = UnknownName;

    fn from_str(text: &str) -> Result<Stage, UnknownName> {
        Stage::ALL
            .into_iter()
            .find(|s| s.as_str() == text)
            .ok_or_else(|| UnknownName::new("stage", text))
    }
}

/// A group of people a reminder goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Audience {
    /// The drafters of the item's lead body.
    LeadDrafters,
    /// The approvers of the item's lead body (its head).
    LeadApprovers,
    /// The coordinators of the coordinating body.
    Coordinators,
}

/// Whether a move from `from` to `to` by `action` starts a fresh clock: entering
/// another stage does, and so does re-routing, since the new body starts afresh.
pub fn starts_new_clock(from: ItemStatus, to: ItemStatus, action: Action) -> bool {
    Stage::of(to).is_some() && (Stage::of(from) != Stage::of(to) || action == Action::Reroute)
}

/// How many working days a conference allows, and when it chases.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct DeadlinePolicy {
    /// Triage by the coordinator.
    pub triage_days: u32,
    /// Drafting by the lead body.
    pub drafting_days: u32,
    /// Approval by the lead body's approver.
    pub approval_days: u32,
    /// Publication by the coordinator.
    pub publication_days: u32,
    /// The whole answer, from submission to publication.
    pub answer_days: u32,
    /// An item is "due soon" on its last this-many working days.
    pub due_soon_days: u32,
    /// Working days overdue after which the head of the body is chased too.
    pub escalate_to_head_after: u32,
    /// Working days overdue after which the coordinating body is chased too.
    pub escalate_to_coordinators_after: u32,
}

impl Default for DeadlinePolicy {
    /// The defaults of a new conference (the columns' defaults).
    fn default() -> DeadlinePolicy {
        DeadlinePolicy {
            triage_days: 2,
            drafting_days: 10,
            approval_days: 3,
            publication_days: 2,
            answer_days: 20,
            due_soon_days: 2,
            escalate_to_head_after: 2,
            escalate_to_coordinators_after: 5,
        }
    }
}

impl DeadlinePolicy {
    /// The working days allowed for `stage`.
    pub fn stage_days(&self, stage: Stage) -> u32 {
        match stage {
            Stage::Triage => self.triage_days,
            Stage::Drafting => self.drafting_days,
            Stage::Approval => self.approval_days,
            Stage::Publication => self.publication_days,
        }
    }

    /// How far an item `overdue_days` working days past its due date has been
    /// escalated.
    pub fn level(&self, overdue_days: u32) -> Level {
        if overdue_days >= self.escalate_to_coordinators_after {
            Level::Coordinators
        } else if overdue_days >= self.escalate_to_head_after {
            Level::Head
        } else {
            Level::Holder
        }
    }
}

/// How far an overdue item has been escalated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// Only whoever holds it is chased.
    Holder,
    /// The head of the body (its approvers) too.
    Head,
    /// The coordinating body too.
    Coordinators,
}

impl Level {
    /// Who is chased at this level for an item in `stage`, whoever holds it first.
    pub fn audiences(self, stage: Stage) -> Vec<Audience> {
        let mut audiences = vec![stage.holder()];
        let has_lead_body = matches!(stage, Stage::Drafting | Stage::Approval);
        if self >= Level::Head && has_lead_body {
            audiences.push(Audience::LeadApprovers);
        }
        if self >= Level::Coordinators {
            audiences.push(Audience::Coordinators);
        }
        audiences.sort();
        audiences.dedup();
        audiences
    }
}

/// How an item owed an answer stands against its deadlines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Urgency {
    /// Its clock is paused (waiting for the delegate, say).
    Paused,
    /// Due later than the "due soon" window.
    InTime,
    /// In its last working days.
    DueSoon,
    /// Past its due instant.
    Overdue,
}

impl Urgency {
    /// Every urgency, in the order lists filter by.
    pub const ALL: [Urgency; 4] = [
        Urgency::Overdue,
        Urgency::DueSoon,
        Urgency::InTime,
        Urgency::Paused,
    ];

    /// The stable name used in URLs and locale keys.
    pub fn as_str(self) -> &'static str {
        match self {
            Urgency::Paused => "paused",
            Urgency::InTime => "in_time",
            Urgency::DueSoon => "due_soon",
            Urgency::Overdue => "overdue",
        }
    }

    /// Reads a name from a URL.
    pub fn parse(text: &str) -> Option<Urgency> {
        Urgency::ALL.into_iter().find(|u| u.as_str() == text)
    }

    /// Where an item stands at `now`, from its stored clock; None when no answer
    /// is owed (`next_due` is then None).
    pub fn at(
        now: NaiveDateTime,
        next_due: Option<NaiveDateTime>,
        due_soon_at: Option<NaiveDateTime>,
        paused: bool,
    ) -> Option<Urgency> {
        let due = next_due?;
        Some(if paused {
            Urgency::Paused
        } else if now > due {
            Urgency::Overdue
        } else if due_soon_at.is_some_and(|soon| now >= soon) {
            Urgency::DueSoon
        } else {
            Urgency::InTime
        })
    }
}

/// The instant an item is next due: its stage's or the whole answer's, whichever
/// comes first.
pub fn next_due(stage_due: Option<NaiveDateTime>, deadline: NaiveDateTime) -> NaiveDateTime {
    stage_due.map_or(deadline, |stage| stage.min(deadline))
}

/// The instant from which something due at `due` is "due soon": the start (local
/// midnight) of its last `days` working days, the due day counting as one. With
/// `days` = 0 there is no window: it is `due` itself.
pub fn due_soon_from(calendar: &WorkingCalendar, due: NaiveDateTime, days: u32) -> NaiveDateTime {
    if days == 0 {
        return due;
    }
    let first = calendar.working_days_before(local_date(due), days - 1);
    to_utc(first.and_time(NaiveTime::MIN))
}

/// Working days from `due`'s local date to `now`'s: 0 on the due day itself, and
/// never negative.
pub fn overdue_days(calendar: &WorkingCalendar, due: NaiveDateTime, now: NaiveDateTime) -> u32 {
    let days = calendar.working_days_between(local_date(due), local_date(now));
    u32::try_from(days.max(0)).unwrap_or(u32::MAX)
}

/// The working days a clock paused at `paused_at` and resumed at `resumed_at`
/// stood still: the working days after the pause's date up to the resumption's.
/// A pause within one day costs nothing.
pub fn paused_days(
    calendar: &WorkingCalendar,
    paused_at: NaiveDateTime,
    resumed_at: NaiveDateTime,
) -> u32 {
    overdue_days(calendar, paused_at, resumed_at)
}

/// `due` moved `days` working days later, still at the close of the office day.
pub fn shift(calendar: &WorkingCalendar, due: NaiveDateTime, days: u32) -> NaiveDateTime {
    if days == 0 {
        return due;
    }
    let date = (0..days).fold(local_date(due), |day, _| calendar.next_working_day(day));
    to_utc(date.and_time(calendar.office_close()))
}

/// Where a request for more time stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ExtensionStatus {
    /// Waiting for a coordinator.
    Pending,
    /// Granted: the answer's due date moved.
    Granted,
    /// Refused: the due date stands.
    Refused,
}

impl ExtensionStatus {
    /// Every status.
    pub const ALL: [ExtensionStatus; 3] = [
        ExtensionStatus::Pending,
        ExtensionStatus::Granted,
        ExtensionStatus::Refused,
    ];

    /// The stable name stored in the database and the locale key suffix.
    pub fn as_str(self) -> &'static str {
        match self {
            ExtensionStatus::Pending => "pending",
            ExtensionStatus::Granted => "granted",
            ExtensionStatus::Refused => "refused",
        }
    }
}

impl FromStr for ExtensionStatus {
    type Err = UnknownName;

    fn from_str(text: &str) -> Result<ExtensionStatus, UnknownName> {
        ExtensionStatus::ALL
            .into_iter()
            .find(|s| s.as_str() == text)
            .ok_or_else(|| UnknownName::new("extension status", text))
    }
}

/// When office hours begin and end on a working day (local time).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OfficeHours {
    /// Opening, 07:30 unless configured.
    pub opens: NaiveTime,
    /// Closing, 17:00 unless configured.
    pub closes: NaiveTime,
}

impl Default for OfficeHours {
    fn default() -> OfficeHours {
        OfficeHours {
            opens: NaiveTime::from_hms_opt(7, 30, 0).expect("07:30 is a valid time"),
            closes: NaiveTime::from_hms_opt(17, 0, 0).expect("17:00 is a valid time"),
        }
    }
}

impl OfficeHours {
    /// Whether `now` (UTC) falls in office hours on a working day in Vietnam.
    pub fn contains(&self, calendar: &WorkingCalendar, now: NaiveDateTime) -> bool {
        let local = super::calendar::to_local(now);
        calendar.is_working_day(local.date())
            && local.time() >= self.opens
            && local.time() < self.closes
    }
}

#[cfg(test)]
#[path = "deadlines_tests.rs"]
mod tests;
