//! The working calendar of the provincial offices: which days are working days
//! (Monday to Friday, minus public holidays, plus compensatory working Saturdays)
//! and "due within N working days" counted in Asia/Ho_Chi_Minh.
//!
//! Vietnam keeps one offset all year (UTC+7, no daylight saving time since 1975),
//! so a fixed offset is exact here and the desk needs no time-zone database.

use chrono::{Datelike, Duration, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, Weekday};
use serde::Serialize;
use std::collections::BTreeSet;
use std::str::FromStr;

use super::UnknownName;

/// Seconds east of UTC in Asia/Ho_Chi_Minh (UTC+7, the same all year).
pub const VIETNAM_OFFSET_SECONDS: i32 = 7 * 3600;

/// The offices' time zone as a fixed offset (see the module note).
pub fn vietnam() -> FixedOffset {
    FixedOffset::east_opt(VIETNAM_OFFSET_SECONDS).expect("UTC+7 is a valid offset")
}

/// The local date in Vietnam of an instant stored as UTC.
pub fn local_date(utc: NaiveDateTime) -> NaiveDate {
    (utc + Duration::seconds(i64::from(VIETNAM_OFFSET_SECONDS))).date()
}

/// The local time in Vietnam of an instant stored as UTC.
pub fn to_local(utc: NaiveDateTime) -> NaiveDateTime {
    utc + Duration::seconds(i64::from(VIETNAM_OFFSET_SECONDS))
}

/// The UTC instant of a local time in Vietnam.
pub fn to_utc(local: NaiveDateTime) -> NaiveDateTime {
    local - Duration::seconds(i64::from(VIETNAM_OFFSET_SECONDS))
}

/// When the office day ends unless configured otherwise: 17:00 local.
pub fn default_office_close() -> NaiveTime {
    NaiveTime::from_hms_opt(17, 0, 0).expect("17:00 is a valid time")
}

/// What a calendar entry says about its day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DayKind {
    /// A public holiday or a day off (including compensatory and swapped days off).
    Holiday,
    /// A Saturday worked to make up a swapped day off (ngày làm bù).
    WorkingSaturday,
}

impl DayKind {
    /// Both kinds, in the order forms offer them.
    pub const ALL: [DayKind; 2] = [DayKind::Holiday, DayKind::WorkingSaturday];

    /// The stable name stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            DayKind::Holiday => "holiday",
            DayKind::WorkingSaturday => "working_saturday",
        }
    }
}

impl FromStr for DayKind {
    type Err = UnknownName;

    fn from_str(text: &str) -> Result<DayKind, UnknownName> {
        DayKind::ALL
            .into_iter()
            .find(|k| k.as_str() == text)
            .ok_or_else(|| UnknownName::new("calendar day kind", text))
    }
}

/// Why a calendar entry cannot be kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum EntryProblem {
    /// A working Saturday must be a Saturday.
    #[error("a working Saturday must fall on a Saturday")]
    NotASaturday,
}

/// One day the calendar says something about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CalendarEntry {
    /// The day.
    pub date: NaiveDate,
    /// Holiday or working Saturday.
    pub kind: DayKind,
}

impl CalendarEntry {
    /// An entry, refused when a working Saturday is not a Saturday.
    pub fn new(date: NaiveDate, kind: DayKind) -> Result<CalendarEntry, EntryProblem> {
        if kind == DayKind::WorkingSaturday && date.weekday() != Weekday::Sat {
            return Err(EntryProblem::NotASaturday);
        }
        Ok(CalendarEntry { date, kind })
    }
}

/// The working days of the offices, built from the calendar entries that cover the
/// dates it will be asked about (a day without an entry follows the week).
#[derive(Debug, Clone)]
pub struct WorkingCalendar {
    holidays: BTreeSet<NaiveDate>,
    working_saturdays: BTreeSet<NaiveDate>,
    office_close: NaiveTime,
}

impl WorkingCalendar {
    /// A calendar of these entries, the office day closing at 17:00.
    pub fn new(entries: impl IntoIterator<Item = CalendarEntry>) -> WorkingCalendar {
        let mut calendar = WorkingCalendar {
            holidays: BTreeSet::new(),
            working_saturdays: BTreeSet::new(),
            office_close: default_office_close(),
        };
        for entry in entries {
            match entry.kind {
                DayKind::Holiday => calendar.holidays.insert(entry.date),
                DayKind::WorkingSaturday => calendar.working_saturdays.insert(entry.date),
            };
        }
        calendar
    }

    /// The same calendar with the office day closing at `close` (local time).
    pub fn with_office_close(self, close: NaiveTime) -> WorkingCalendar {
        WorkingCalendar {
            office_close: close,
            ..self
        }
    }

    /// When the office day ends (local time).
    pub fn office_close(&self) -> NaiveTime {
        self.office_close
    }

    /// Whether offices work on `date`: a holiday never is one, a listed working
    /// Saturday is one, other days follow the week (Monday to Friday).
    pub fn is_working_day(&self, date: NaiveDate) -> bool {
        if self.holidays.contains(&date) {
            return false;
        }
        match date.weekday() {
            Weekday::Sat => self.working_saturdays.contains(&date),
            Weekday::Sun => false,
            _ => true,
        }
    }

    /// The first working day strictly after `date`.
    pub fn next_working_day(&self, date: NaiveDate) -> NaiveDate {
        let mut day = date;
        loop {
            day = day.succ_opt().expect("a date before the end of time");
            if self.is_working_day(day) {
                return day;
            }
        }
    }

    /// The working day `n` working days before `date` (`date` itself, or the
    /// working day before it if it is not one, when `n` = 0).
    pub fn working_days_before(&self, date: NaiveDate, n: u32) -> NaiveDate {
        let mut day = date;
        while !self.is_working_day(day) {
            day = day.pred_opt().expect("a date after the start of time");
        }
        for _ in 0..n {
            day = day.pred_opt().expect("a date after the start of time");
            while !self.is_working_day(day) {
                day = day.pred_opt().expect("a date after the start of time");
            }
        }
        day
    }

    /// The working day on which something due "within `n` working days" of `event`
    /// (a UTC instant) falls due. Day 1 is the first working day after the
    /// event's local date, whatever the hour. With `n` = 0 it is the event's own
    /// office day: its date if that is a working day and the office is still open,
    /// else the next working day.
    pub fn due_date(&self, event: NaiveDateTime, n: u32) -> NaiveDate {
        let local = event + Duration::seconds(i64::from(VIETNAM_OFFSET_SECONDS));
        let date = local.date();
        if n == 0 {
            return if self.is_working_day(date) && local.time() < self.office_close {
                date
            } else {
                self.next_working_day(date)
            };
        }
        (0..n).fold(date, |day, _| self.next_working_day(day))
    }

    /// "Due within `n` working days" of `event`: the close of the office day of
    /// [`due_date`](Self::due_date), as a UTC instant (both stored as UTC).
    pub fn add_working_days(&self, event: NaiveDateTime, n: u32) -> NaiveDateTime {
        to_utc(self.due_date(event, n).and_time(self.office_close))
    }

    /// The working days after `from` up to and including `to`; negative when `to`
    /// is before `from`. `working_days_between(event's date, due date)` is the
    /// `n` the due date was counted with.
    pub fn working_days_between(&self, from: NaiveDate, to: NaiveDate) -> i64 {
        let (start, end, sign) = if from <= to {
            (from, to, 1)
        } else {
            (to, from, -1)
        };
        let count = start
            .iter_days()
            .skip(1)
            .take_while(|d| *d <= end)
            .filter(|d| self.is_working_day(*d))
            .count();
        sign * i64::try_from(count).expect("fewer days than i64 holds")
    }

    /// Working days between any two days of `from..=to` in constant time: a
    /// report counts them for tens of thousands of items, and walking each item's
    /// days one by one cost more than all its queries.
    pub fn counter(&self, from: NaiveDate, to: NaiveDate) -> WorkingDayCounter {
        let mut prefix = vec![0_i64];
        let mut total = 0;
        for day in from.iter_days().skip(1).take_while(|d| *d <= to) {
            total += i64::from(self.is_working_day(day));
            prefix.push(total);
        }
        WorkingDayCounter {
            start: from,
            prefix,
        }
    }
}

/// Working days counted ahead over a range of days ([`WorkingCalendar::counter`]).
#[derive(Debug, Clone)]
pub struct WorkingDayCounter {
    start: NaiveDate,
    /// `prefix[i]`: working days in `(start, start + i]`.
    prefix: Vec<i64>,
}

impl WorkingDayCounter {
    /// What [`WorkingCalendar::working_days_between`] gives, or `None` when a day
    /// lies outside the counted range.
    pub fn between(&self, from: NaiveDate, to: NaiveDate) -> Option<i64> {
        let at = |day: NaiveDate| {
            usize::try_from((day - self.start).num_days())
                .ok()
                .and_then(|i| self.prefix.get(i).copied())
        };
        Some(at(to)? - at(from)?)
    }
}

#[cfg(test)]
#[path = "calendar_tests.rs"]
mod tests;
