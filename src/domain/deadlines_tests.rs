//! Stages, due-soon windows, escalation and pauses, counted across Tết 2025
//! (Saturday 25 January to Sunday 2 February) and a compensatory working Saturday.

use chrono::NaiveDate;

use super::*;
use crate::domain::calendar::{CalendarEntry, DayKind};

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// A local time in Vietnam, as the UTC instant the desk stores.
fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
    to_utc(day(y, m, d).and_hms_opt(h, min, 0).unwrap())
}

fn calendar() -> WorkingCalendar {
    let mut entries: Vec<CalendarEntry> = (25..=31)
        .map(|d| CalendarEntry::new(day(2025, 1, d), DayKind::Holiday).unwrap())
        .collect();
    entries.push(CalendarEntry::new(day(2025, 2, 1), DayKind::Holiday).unwrap());
    entries.push(CalendarEntry::new(day(2025, 2, 2), DayKind::Holiday).unwrap());
    // A made-up compensatory Saturday, to see it counted.
    entries.push(CalendarEntry::new(day(2025, 2, 8), DayKind::WorkingSaturday).unwrap());
    WorkingCalendar::new(entries)
}

#[test]
fn each_status_owed_an_answer_has_one_stage_and_its_holder() {
    assert_eq!(Stage::of(ItemStatus::Submitted), Some(Stage::Triage));
    assert_eq!(Stage::of(ItemStatus::Routed), Some(Stage::Drafting));
    assert_eq!(Stage::of(ItemStatus::Drafting), Some(Stage::Drafting));
    assert_eq!(Stage::of(ItemStatus::InReview), Some(Stage::Approval));
    assert_eq!(Stage::of(ItemStatus::Approved), Some(Stage::Publication));
    assert_eq!(Stage::of(ItemStatus::Published), None);
    assert_eq!(Stage::of(ItemStatus::Withdrawn), None);
    assert_eq!(Stage::Drafting.holder(), Audience::LeadDrafters);
    assert_eq!(Stage::Approval.holder(), Audience::LeadApprovers);
    assert_eq!(Stage::Publication.holder(), Audience::Coordinators);
    for stage in Stage::ALL {
        assert_eq!(stage.as_str().parse::<Stage>(), Ok(stage));
    }
}

#[test]
fn a_new_clock_starts_on_a_new_stage_or_a_new_body_only() {
    use ItemStatus as S;
    assert!(starts_new_clock(S::Submitted, S::Routed, Action::Route));
    assert!(!starts_new_clock(S::Routed, S::Drafting, Action::SaveDraft));
    assert!(starts_new_clock(S::Drafting, S::Routed, Action::Reroute));
    assert!(starts_new_clock(
        S::Drafting,
        S::InReview,
        Action::SendForReview
    ));
    assert!(starts_new_clock(
        S::InReview,
        S::Drafting,
        Action::ReturnToDrafting
    ));
    assert!(starts_new_clock(S::InReview, S::Approved, Action::Approve));
    assert!(!starts_new_clock(
        S::Approved,
        S::Published,
        Action::Publish
    ));
    assert!(!starts_new_clock(S::Routed, S::Withdrawn, Action::Withdraw));
}

#[test]
fn the_next_due_is_the_earlier_of_stage_and_answer() {
    let stage = at(2025, 2, 5, 17, 0);
    let answer = at(2025, 2, 20, 17, 0);
    assert_eq!(next_due(Some(stage), answer), stage);
    assert_eq!(next_due(Some(answer), stage), stage);
    assert_eq!(next_due(None, answer), answer);
}

#[test]
fn due_soon_opens_at_the_start_of_the_last_working_days_skipping_tet() {
    let cal = calendar();
    // Due Tuesday 4 February: its last two working days are Monday 3 February and
    // the Friday before Tết (24 January), since 25 January to 2 February are off.
    let due = at(2025, 2, 4, 17, 0);
    assert_eq!(due_soon_from(&cal, due, 2), at(2025, 2, 3, 0, 0));
    assert_eq!(due_soon_from(&cal, due, 3), at(2025, 1, 24, 0, 0));
    assert_eq!(due_soon_from(&cal, due, 1), at(2025, 2, 4, 0, 0));
    assert_eq!(due_soon_from(&cal, due, 0), due);
}

#[test]
fn urgency_moves_from_in_time_to_due_soon_to_overdue_and_a_pause_hides_it() {
    let due = at(2025, 2, 4, 17, 0);
    let soon = at(2025, 2, 3, 0, 0);
    let seen = |now| Urgency::at(now, Some(due), Some(soon), false);
    assert_eq!(seen(at(2025, 1, 24, 9, 0)), Some(Urgency::InTime));
    assert_eq!(seen(at(2025, 2, 3, 8, 0)), Some(Urgency::DueSoon));
    assert_eq!(seen(at(2025, 2, 4, 17, 0)), Some(Urgency::DueSoon));
    assert_eq!(seen(at(2025, 2, 4, 17, 1)), Some(Urgency::Overdue));
    assert_eq!(
        Urgency::at(at(2025, 2, 10, 9, 0), Some(due), Some(soon), true),
        Some(Urgency::Paused)
    );
    assert_eq!(Urgency::at(at(2025, 2, 10, 9, 0), None, None, false), None);
}

#[test]
fn escalation_climbs_a_level_at_the_configured_working_day_overdue() {
    let cal = calendar();
    let policy = DeadlinePolicy::default(); // head after 2, coordinators after 5
    let due = at(2025, 2, 4, 17, 0); // Tuesday
    let level_on = |now| policy.level(overdue_days(&cal, due, now));
    assert_eq!(level_on(at(2025, 2, 5, 8, 0)), Level::Holder); // 1 working day
    assert_eq!(level_on(at(2025, 2, 6, 8, 0)), Level::Head); // 2
    assert_eq!(level_on(at(2025, 2, 7, 8, 0)), Level::Head); // 3
                                                             // The working Saturday counts: Wed 5, Thu 6, Fri 7, Sat 8, Mon 10 makes 5.
    assert_eq!(level_on(at(2025, 2, 8, 8, 0)), Level::Head); // 4
    assert_eq!(level_on(at(2025, 2, 10, 8, 0)), Level::Coordinators);
}

#[test]
fn each_level_adds_its_audience_to_whoever_holds_the_item() {
    use Audience::*;
    assert_eq!(Level::Holder.audiences(Stage::Drafting), vec![LeadDrafters]);
    assert_eq!(
        Level::Head.audiences(Stage::Drafting),
        vec![LeadDrafters, LeadApprovers]
    );
    assert_eq!(
        Level::Coordinators.audiences(Stage::Drafting),
        vec![LeadDrafters, LeadApprovers, Coordinators]
    );
    assert_eq!(Level::Head.audiences(Stage::Approval), vec![LeadApprovers]);
    assert_eq!(
        Level::Coordinators.audiences(Stage::Publication),
        vec![Coordinators]
    );
}

#[test]
fn a_paused_clock_moves_the_due_date_by_the_working_days_it_stood_still() {
    let cal = calendar();
    // Paused on Friday 24 January, resumed on Tuesday 4 February: Tết in between
    // costs nothing, only Monday 3 and Tuesday 4 February count.
    let stood = paused_days(&cal, at(2025, 1, 24, 10, 0), at(2025, 2, 4, 9, 0));
    assert_eq!(stood, 2);
    let due = at(2025, 2, 5, 17, 0); // Wednesday
    assert_eq!(shift(&cal, due, stood), at(2025, 2, 7, 17, 0));
    // Across the working Saturday: Friday 7 plus one working day is Saturday 8.
    assert_eq!(shift(&cal, at(2025, 2, 7, 17, 0), 1), at(2025, 2, 8, 17, 0));
    assert_eq!(
        paused_days(&cal, at(2025, 2, 4, 8, 0), at(2025, 2, 4, 16, 0)),
        0
    );
}

#[test]
fn office_hours_are_working_days_from_half_past_seven_to_five() {
    let cal = calendar();
    let hours = OfficeHours::default();
    assert!(hours.contains(&cal, at(2025, 2, 4, 7, 30)));
    assert!(hours.contains(&cal, at(2025, 2, 4, 16, 59)));
    assert!(!hours.contains(&cal, at(2025, 2, 4, 17, 0)));
    assert!(!hours.contains(&cal, at(2025, 2, 4, 6, 0)));
    // Tết, an ordinary Sunday, and the working Saturday.
    assert!(!hours.contains(&cal, at(2025, 1, 29, 9, 0)));
    assert!(!hours.contains(&cal, at(2025, 2, 9, 9, 0)));
    assert!(hours.contains(&cal, at(2025, 2, 8, 9, 0)));
}
