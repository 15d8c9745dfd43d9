//! Who a due-soon or overdue item reaches, and how one person's digest reads,
//! counted across Tết 2027 (Thursday 4 to Wednesday 10 February).

use chrono::NaiveDate;

use super::*;
use crate::domain::calendar::{to_utc, CalendarEntry, DayKind};

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// A local time in Vietnam, as the UTC instant the desk stores.
fn at(m: u32, d: u32, h: u32) -> NaiveDateTime {
    to_utc(day(2027, m, d).and_hms_opt(h, 0, 0).unwrap())
}

fn calendar() -> WorkingCalendar {
    WorkingCalendar::new(
        (4..=10).map(|d| CalendarEntry::new(day(2027, 2, d), DayKind::Holiday).unwrap()),
    )
}

/// Due at the close of Wednesday 3 February 2027, the last day before Tết.
fn due() -> NaiveDateTime {
    at(2, 3, 17)
}

/// What the digest makes of an item: how urgent, how late, and who is told.
type Reached = (Urgency, u32, Vec<(Audience, Reason)>);

fn reached(status: ItemStatus, now: NaiveDateTime) -> Option<Reached> {
    let policy = DeadlinePolicy::default();
    concern(&policy, &calendar(), status, due(), Some(at(2, 2, 0)), now)
        .map(|c| (c.urgency, c.overdue_days, c.audiences))
}

#[test]
fn an_item_in_time_or_owing_no_answer_is_not_in_any_digest() {
    assert_eq!(reached(ItemStatus::Drafting, at(2, 1, 9)), None);
    assert_eq!(reached(ItemStatus::Published, at(2, 20, 9)), None);
}

#[test]
fn a_due_soon_item_reminds_only_whoever_holds_it() {
    use Audience::*;
    assert_eq!(
        reached(ItemStatus::Drafting, at(2, 2, 9)),
        Some((Urgency::DueSoon, 0, vec![(LeadDrafters, Reason::Holder)]))
    );
    assert_eq!(
        reached(ItemStatus::InReview, at(2, 3, 16)),
        Some((Urgency::DueSoon, 0, vec![(LeadApprovers, Reason::Holder)]))
    );
    assert_eq!(
        reached(ItemStatus::Submitted, at(2, 3, 16)),
        Some((Urgency::DueSoon, 0, vec![(Coordinators, Reason::Holder)]))
    );
}

#[test]
fn an_overdue_item_climbs_to_the_head_then_the_coordinators_counted_in_working_days() {
    use Audience::*;
    // Tết and its weekend do not count: Thursday 11 is the first working day late.
    assert_eq!(
        reached(ItemStatus::Drafting, at(2, 11, 9)),
        Some((Urgency::Overdue, 1, vec![(LeadDrafters, Reason::Holder)]))
    );
    assert_eq!(
        reached(ItemStatus::Drafting, at(2, 12, 9)),
        Some((
            Urgency::Overdue,
            2,
            vec![
                (LeadDrafters, Reason::Holder),
                (LeadApprovers, Reason::Head)
            ]
        ))
    );
    assert_eq!(
        reached(ItemStatus::Drafting, at(2, 17, 9)),
        Some((
            Urgency::Overdue,
            5,
            vec![
                (LeadDrafters, Reason::Holder),
                (LeadApprovers, Reason::Head),
                (Coordinators, Reason::Coordinators)
            ]
        ))
    );
    // In publication the coordinators hold it: nobody above them to chase.
    assert_eq!(
        reached(ItemStatus::Approved, at(2, 17, 9)),
        Some((Urgency::Overdue, 5, vec![(Coordinators, Reason::Holder)]))
    );
}

fn line(item_id: i32, urgency: Urgency, due_day: u32, reason: Reason) -> DigestLine {
    DigestLine {
        item_id,
        reference: format!("KN-2027-{item_id:04}"),
        title: "Kiến nghị".into(),
        stage: Stage::Drafting,
        due_at: at(2, due_day, 17),
        urgency,
        overdue_days: 0,
        reason,
    }
}

#[test]
fn each_person_reads_every_item_once_overdue_first_and_oldest_first() {
    let lines = vec![
        (7, line(1, Urgency::DueSoon, 20, Reason::Holder)),
        (7, line(2, Urgency::Overdue, 3, Reason::Head)),
        (8, line(2, Urgency::Overdue, 3, Reason::Holder)),
        (7, line(3, Urgency::Overdue, 1, Reason::Coordinators)),
        (7, line(2, Urgency::Overdue, 3, Reason::Holder)),
        (7, line(4, Urgency::DueSoon, 19, Reason::Holder)),
    ];
    let people = group(lines);
    let of_seven: Vec<(i32, Reason)> = people[&7].iter().map(|l| (l.item_id, l.reason)).collect();
    assert_eq!(
        of_seven,
        vec![
            (3, Reason::Coordinators),
            (2, Reason::Holder),
            (4, Reason::Holder),
            (1, Reason::Holder)
        ]
    );
    assert_eq!(people[&8].len(), 1);
    assert!(people[&7][0].mandatory() && !people[&7][3].mandatory());
}
