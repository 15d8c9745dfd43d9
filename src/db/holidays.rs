//! The calendar's entries (public holidays, days off, working Saturdays) and their
//! queries; the counting itself is `domain::calendar`.

use chrono::NaiveDate;
use diesel::prelude::*;
use serde::Serialize;

use super::schema::holidays;
use super::DbConnection;
use crate::domain::calendar::{CalendarEntry, DayKind, WorkingCalendar};
use crate::domain::Lang;

/// One stored calendar entry.
#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = holidays)]
pub struct Holiday {
    /// Row id.
    pub id: i32,
    /// The day (one entry per day).
    pub day: NaiveDate,
    /// Vietnamese name.
    pub name_vi: String,
    /// English name.
    pub name_en: String,
    /// Holiday or working Saturday.
    pub kind: DayKind,
}

/// The editable part of an entry, for adding and updating.
#[derive(Debug, Clone, Insertable, AsChangeset)]
#[diesel(table_name = holidays)]
pub struct HolidayForm {
    /// The day.
    pub day: NaiveDate,
    /// Vietnamese name.
    pub name_vi: String,
    /// English name.
    pub name_en: String,
    /// Holiday or working Saturday.
    pub kind: DayKind,
}

impl Holiday {
    /// The entry's name in `lang`.
    pub fn name(&self, lang: Lang) -> &str {
        lang.pick(&self.name_vi, &self.name_en)
    }

    /// What the counting needs of it.
    pub fn entry(&self) -> CalendarEntry {
        CalendarEntry {
            date: self.day,
            kind: self.kind,
        }
    }

    /// The entries from `from` to `to`, both included, by day.
    pub fn between(
        conn: &mut DbConnection,
        from: NaiveDate,
        to: NaiveDate,
    ) -> QueryResult<Vec<Holiday>> {
        holidays::table
            .filter(holidays::day.ge(from))
            .filter(holidays::day.le(to))
            .order(holidays::day)
            .select(Holiday::as_select())
            .load(conn)
    }

    /// The entries of one year, by day.
    pub fn of_year(conn: &mut DbConnection, year: i32) -> QueryResult<Vec<Holiday>> {
        match (
            NaiveDate::from_ymd_opt(year, 1, 1),
            NaiveDate::from_ymd_opt(year, 12, 31),
        ) {
            (Some(from), Some(to)) => Holiday::between(conn, from, to),
            _ => Ok(Vec::new()),
        }
    }

    /// One entry by id.
    pub fn find(conn: &mut DbConnection, id: i32) -> QueryResult<Option<Holiday>> {
        holidays::table
            .find(id)
            .select(Holiday::as_select())
            .first(conn)
            .optional()
    }

    /// Removes an entry; the number of rows removed (0 when it did not exist).
    pub fn delete(conn: &mut DbConnection, id: i32) -> QueryResult<usize> {
        diesel::delete(holidays::table.find(id)).execute(conn)
    }
}

impl HolidayForm {
    /// Adds an entry and returns its id (a second entry for the same day is a
    /// unique violation).
    pub fn insert(&self, conn: &mut DbConnection) -> QueryResult<i32> {
        diesel::insert_into(holidays::table)
            .values(self)
            .returning(holidays::id)
            .get_result(conn)
    }

    /// Saves changes to an existing entry; the number of rows changed.
    pub fn update(&self, conn: &mut DbConnection, id: i32) -> QueryResult<usize> {
        diesel::update(holidays::table.find(id))
            .set(self)
            .execute(conn)
    }
}

/// The working calendar for counting between `from` and `to` (give a margin after
/// the last date a count may reach: a day without an entry follows the week).
pub fn working_calendar(
    conn: &mut DbConnection,
    from: NaiveDate,
    to: NaiveDate,
) -> QueryResult<WorkingCalendar> {
    let entries = Holiday::between(conn, from, to)?;
    Ok(WorkingCalendar::new(entries.iter().map(Holiday::entry)))
}
