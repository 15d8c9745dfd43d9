//! The working calendar's counting, on the 2023–2025 entries as announced.

use super::*;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// A local time in Vietnam, as the UTC instant the desk stores.
fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
    to_utc(day(y, m, d).and_hms_opt(h, min, 0).unwrap())
}

/// The close of the office day of a local date, as UTC.
fn close_of(y: i32, m: u32, d: u32) -> NaiveDateTime {
    at(y, m, d, 17, 0)
}

fn holidays(dates: &[(i32, u32, u32)]) -> Vec<CalendarEntry> {
    dates
        .iter()
        .map(|&(y, m, d)| CalendarEntry::new(day(y, m, d), DayKind::Holiday).unwrap())
        .collect()
}

/// Days off and working Saturdays of 2023 to 2025 (as in the seed).
fn calendar() -> WorkingCalendar {
    let mut entries = holidays(&[
        // 2023: New Year (Sun) and its day off, Tết, 29/4–3/5, 1/9–4/9.
        (2023, 1, 1),
        (2023, 1, 2),
        (2023, 1, 20),
        (2023, 1, 21),
        (2023, 1, 22),
        (2023, 1, 23),
        (2023, 1, 24),
        (2023, 1, 25),
        (2023, 1, 26),
        (2023, 4, 29),
        (2023, 4, 30),
        (2023, 5, 1),
        (2023, 5, 2),
        (2023, 5, 3),
        (2023, 9, 1),
        (2023, 9, 2),
        (2023, 9, 4),
        // 2024: Tết 8/2–14/2, Hùng Kings 18/4, 29/4 swapped, 30/4, 1/5, 2/9–3/9.
        (2024, 1, 1),
        (2024, 2, 8),
        (2024, 2, 9),
        (2024, 2, 10),
        (2024, 2, 11),
        (2024, 2, 12),
        (2024, 2, 13),
        (2024, 2, 14),
        (2024, 4, 18),
        (2024, 4, 29),
        (2024, 4, 30),
        (2024, 5, 1),
        (2024, 9, 2),
        (2024, 9, 3),
        // 2025: New Year; 30/4, 1/5 and 2/5 swapped; 1/9–2/9.
        (2025, 1, 1),
        (2025, 4, 30),
        (2025, 5, 1),
        (2025, 5, 2),
        (2025, 9, 1),
        (2025, 9, 2),
    ]);
    for (y, m, d) in [(2024, 5, 4), (2025, 4, 26)] {
        entries.push(CalendarEntry::new(day(y, m, d), DayKind::WorkingSaturday).unwrap());
    }
    WorkingCalendar::new(entries)
}

#[test]
fn weekdays_work_weekends_and_holidays_do_not() {
    let cal = calendar();
    assert!(cal.is_working_day(day(2024, 3, 4)), "a Monday");
    assert!(!cal.is_working_day(day(2024, 3, 9)), "a Saturday");
    assert!(!cal.is_working_day(day(2024, 3, 10)), "a Sunday");
    assert!(
        !cal.is_working_day(day(2024, 2, 12)),
        "mùng 3 Tết, a Monday"
    );
    assert!(cal.is_working_day(day(2024, 5, 4)), "a working Saturday");
    assert!(!cal.is_working_day(day(2024, 5, 11)), "the next Saturday");
}

#[test]
fn an_event_on_the_friday_before_tet_2024_skips_the_tet_week() {
    // Friday 2/2/2024; offices close from Thursday 8/2 to Wednesday 14/2.
    let cal = calendar();
    let event = at(2024, 2, 2, 10, 0);
    assert_eq!(cal.add_working_days(event, 1), close_of(2024, 2, 5));
    assert_eq!(cal.add_working_days(event, 3), close_of(2024, 2, 7));
    assert_eq!(cal.add_working_days(event, 4), close_of(2024, 2, 15));
    assert_eq!(cal.add_working_days(event, 5), close_of(2024, 2, 16));
    assert_eq!(cal.add_working_days(event, 10), close_of(2024, 2, 23));
}

#[test]
fn an_event_during_tet_counts_from_the_first_day_back() {
    let cal = calendar();
    assert_eq!(
        cal.add_working_days(at(2024, 2, 10, 9, 0), 1),
        close_of(2024, 2, 15)
    );
    assert_eq!(
        cal.add_working_days(at(2023, 1, 22, 9, 0), 3),
        close_of(2023, 1, 31)
    );
}

#[test]
fn a_working_saturday_counts_and_the_swapped_day_off_does_not() {
    let cal = calendar();
    // Friday 26/4/2024: Mon 29/4, Tue 30/4 and Wed 1/5 are off, Sat 4/5 is worked.
    let event = at(2024, 4, 26, 15, 0);
    assert_eq!(cal.add_working_days(event, 1), close_of(2024, 5, 2));
    assert_eq!(cal.add_working_days(event, 3), close_of(2024, 5, 4));
    assert_eq!(cal.add_working_days(event, 4), close_of(2024, 5, 6));
    // 2025: Saturday 26/4 is worked; 30/4 to 4/5 are off.
    let event = at(2025, 4, 25, 9, 0);
    assert_eq!(cal.add_working_days(event, 1), close_of(2025, 4, 26));
    assert_eq!(cal.add_working_days(event, 4), close_of(2025, 5, 5));
}

#[test]
fn national_day_and_its_extra_day_are_skipped() {
    let cal = calendar();
    // Friday 30/8/2024: Mon 2/9 and Tue 3/9 are off.
    assert_eq!(
        cal.add_working_days(at(2024, 8, 30, 11, 0), 1),
        close_of(2024, 9, 4)
    );
    // Thursday 31/8/2023: Fri 1/9, Sat 2/9 and its day off Mon 4/9.
    assert_eq!(
        cal.add_working_days(at(2023, 8, 31, 11, 0), 1),
        close_of(2023, 9, 5)
    );
}

#[test]
fn the_local_date_decides_not_the_utc_one() {
    let cal = calendar();
    // 23:30 on Monday 4/3/2024 in Vietnam is still Monday: day 1 is Tuesday.
    let late = at(2024, 3, 4, 23, 30);
    assert_eq!(cal.add_working_days(late, 1), close_of(2024, 3, 5));
    // 01:00 on Tuesday in Vietnam is 18:00 on Monday in UTC: day 1 is Wednesday.
    let early = at(2024, 3, 5, 1, 0);
    assert_eq!(early.date(), day(2024, 3, 4));
    assert_eq!(cal.add_working_days(early, 1), close_of(2024, 3, 6));
    // The close of the office day is 10:00 UTC.
    assert_eq!(
        close_of(2024, 3, 5),
        day(2024, 3, 5).and_hms_opt(10, 0, 0).unwrap()
    );
}

#[test]
fn an_event_at_the_weekend_counts_from_monday() {
    let cal = calendar();
    assert_eq!(
        cal.add_working_days(at(2024, 3, 9, 14, 0), 1),
        close_of(2024, 3, 11)
    );
    assert_eq!(
        cal.add_working_days(at(2024, 3, 10, 22, 0), 2),
        close_of(2024, 3, 12)
    );
}

#[test]
fn zero_working_days_is_the_events_own_office_day() {
    let cal = calendar();
    assert_eq!(
        cal.add_working_days(at(2024, 3, 4, 9, 0), 0),
        close_of(2024, 3, 4)
    );
    // After the close, or on a day off: the next working day.
    assert_eq!(
        cal.add_working_days(at(2024, 3, 4, 17, 30), 0),
        close_of(2024, 3, 5)
    );
    assert_eq!(
        cal.add_working_days(at(2024, 2, 10, 9, 0), 0),
        close_of(2024, 2, 15)
    );
}

#[test]
fn a_large_n_counts_a_whole_year_of_holidays() {
    let cal = calendar();
    // 2024 has 366 days, 104 weekend days, 12 weekday days off and one working
    // Saturday: 251 working days after 31/12/2023.
    let event = at(2023, 12, 31, 12, 0);
    assert_eq!(
        cal.working_days_between(day(2023, 12, 31), day(2024, 12, 31)),
        251
    );
    assert_eq!(cal.add_working_days(event, 251), close_of(2024, 12, 31));
    assert_eq!(cal.add_working_days(event, 252), close_of(2025, 1, 2));
}

#[test]
fn working_days_between_undoes_add_working_days() {
    let cal = calendar();
    let event = at(2024, 2, 2, 10, 0);
    for n in [1, 5, 17, 60] {
        let due = local_date(cal.add_working_days(event, n));
        assert_eq!(
            cal.working_days_between(local_date(event), due),
            i64::from(n)
        );
    }
    assert_eq!(
        cal.working_days_between(day(2024, 2, 15), day(2024, 2, 2)),
        -4
    );
    assert_eq!(
        cal.working_days_between(day(2024, 2, 2), day(2024, 2, 2)),
        0
    );
}

#[test]
fn the_office_close_can_be_set() {
    let cal = calendar().with_office_close(NaiveTime::from_hms_opt(16, 30, 0).unwrap());
    assert_eq!(
        cal.add_working_days(at(2024, 3, 4, 9, 0), 1),
        at(2024, 3, 5, 16, 30)
    );
}

#[test]
fn a_working_saturday_must_be_a_saturday() {
    assert_eq!(
        CalendarEntry::new(day(2024, 5, 3), DayKind::WorkingSaturday),
        Err(EntryProblem::NotASaturday)
    );
    assert!(CalendarEntry::new(day(2024, 5, 4), DayKind::WorkingSaturday).is_ok());
}

#[test]
fn day_kinds_read_back_their_stored_names_and_refuse_others() {
    for kind in DayKind::ALL {
        assert_eq!(kind.as_str().parse::<DayKind>(), Ok(kind));
    }
    assert!("sunday".parse::<DayKind>().is_err());
}

#[test]
fn the_counter_agrees_with_counting_day_by_day_across_tet_and_weekends() {
    let calendar = calendar();
    let (from, to) = (day(2023, 1, 1), day(2025, 3, 31));
    let counter = calendar.counter(from, to);
    // Every pair of days a week apart and a few months apart, both directions.
    for start in from.iter_days().step_by(5).take_while(|d| *d <= to) {
        for span in [0, 1, 6, 45, 200] {
            let end = (start + chrono::Duration::days(span)).min(to);
            let expected = calendar.working_days_between(start, end);
            assert_eq!(
                counter.between(start, end),
                Some(expected),
                "{start} → {end}"
            );
            assert_eq!(
                counter.between(end, start),
                Some(-expected),
                "{end} → {start}"
            );
        }
    }
    // Tết 2024 (8–14 February) holds no working day.
    assert_eq!(counter.between(day(2024, 2, 7), day(2024, 2, 14)), Some(0));
    assert_eq!(counter.between(day(2022, 12, 31), day(2023, 1, 5)), None);
}
