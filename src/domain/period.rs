//! The periods a Party report covers (Regulation 11-QĐi/TW's cadence): a month,
//! the first quarter, six months, nine months, the year, or any dates. A period is
//! a range of local days, both ends included; the queries turn it into UTC instants.

use chrono::{Datelike, NaiveDate};

use super::calendar::to_utc;

/// Which period the reader chose.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PeriodKind {
    /// One calendar month.
    Month,
    /// January to March.
    FirstQuarter,
    /// January to June.
    SixMonths,
    /// January to September.
    NineMonths,
    /// January to December.
    Year,
    /// Any two dates.
    Custom,
}

impl PeriodKind {
    /// Every kind, in the order the form offers them.
    pub const ALL: [PeriodKind; 6] = [
        PeriodKind::Month,
        PeriodKind::FirstQuarter,
        PeriodKind::SixMonths,
        PeriodKind::NineMonths,
        PeriodKind::Year,
        PeriodKind::Custom,
    ];

    /// The name in the query string and the locale key suffix.
    pub fn as_str(self) -> &'static str {
        match self {
            PeriodKind::Month => "month",
            PeriodKind::FirstQuarter => "q1",
            PeriodKind::SixMonths => "h1",
            PeriodKind::NineMonths => "9m",
            PeriodKind::Year => "year",
            PeriodKind::Custom => "custom",
        }
    }

    /// The kind named `text`, if any.
    pub fn parse(text: &str) -> Option<PeriodKind> {
        PeriodKind::ALL.into_iter().find(|k| k.as_str() == text)
    }
}

/// A range of local days, `from` and `to` included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    /// The first day.
    pub from: NaiveDate,
    /// The last day.
    pub to: NaiveDate,
}

/// Why a period cannot be built; each names the form field at fault.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PeriodProblem {
    /// The year is missing or out of range.
    Year,
    /// The month is missing or not 1..=12.
    Month,
    /// The first date is missing or not a date.
    From,
    /// The last date is missing or not a date.
    To,
    /// The last date is before the first.
    ToBeforeFrom,
}

/// The years a report may cover (the desk's first conference is of 2023).
const YEARS: std::ops::RangeInclusive<i32> = 2000..=2100;

impl Period {
    /// The period of `kind` in `year` (and `month` for a month); for a custom
    /// period, the dates `from` and `to` as typed (yyyy-mm-dd).
    pub fn of(
        kind: PeriodKind,
        year: Option<i32>,
        month: Option<u32>,
        from: &str,
        to: &str,
    ) -> Result<Period, PeriodProblem> {
        if kind == PeriodKind::Custom {
            let from = parse_day(from).ok_or(PeriodProblem::From)?;
            let to = parse_day(to).ok_or(PeriodProblem::To)?;
            if to < from {
                return Err(PeriodProblem::ToBeforeFrom);
            }
            return Ok(Period { from, to });
        }
        let year = year
            .filter(|y| YEARS.contains(y))
            .ok_or(PeriodProblem::Year)?;
        let (first_month, last_month) = match kind {
            PeriodKind::Month => {
                let m = month
                    .filter(|m| (1..=12).contains(m))
                    .ok_or(PeriodProblem::Month)?;
                (m, m)
            }
            PeriodKind::FirstQuarter => (1, 3),
            PeriodKind::SixMonths => (1, 6),
            PeriodKind::NineMonths => (1, 9),
            PeriodKind::Year | PeriodKind::Custom => (1, 12),
        };
        let from = NaiveDate::from_ymd_opt(year, first_month, 1).ok_or(PeriodProblem::Year)?;
        let to = last_day_of(year, last_month).ok_or(PeriodProblem::Year)?;
        Ok(Period { from, to })
    }

    /// The first instant of the period, in UTC (local midnight of `from`).
    pub fn start_utc(&self) -> chrono::NaiveDateTime {
        to_utc(self.from.and_hms_opt(0, 0, 0).expect("midnight exists"))
    }

    /// The first instant after the period, in UTC (local midnight after `to`).
    pub fn end_utc(&self) -> chrono::NaiveDateTime {
        let next = self.to.succ_opt().unwrap_or(self.to);
        to_utc(next.and_hms_opt(0, 0, 0).expect("midnight exists"))
    }
}

/// The last day of `month` in `year`.
fn last_day_of(year: i32, month: u32) -> Option<NaiveDate> {
    let (next_year, next_month) = if month == 12 {
        (year + 1, 1)
    } else {
        (year, month + 1)
    };
    NaiveDate::from_ymd_opt(next_year, next_month, 1)?.pred_opt()
}

/// A date typed as yyyy-mm-dd (what `<input type="date">` sends), in range.
fn parse_day(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .ok()
        .filter(|d| YEARS.contains(&d.year()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn period(kind: PeriodKind, month: Option<u32>) -> Period {
        Period::of(kind, Some(2024), month, "", "").unwrap()
    }

    #[test]
    fn the_cadence_of_party_reports_starts_in_january() {
        let q1 = period(PeriodKind::FirstQuarter, None);
        assert_eq!((q1.from, q1.to), (day(2024, 1, 1), day(2024, 3, 31)));
        let h1 = period(PeriodKind::SixMonths, None);
        assert_eq!((h1.from, h1.to), (day(2024, 1, 1), day(2024, 6, 30)));
        let m9 = period(PeriodKind::NineMonths, None);
        assert_eq!((m9.from, m9.to), (day(2024, 1, 1), day(2024, 9, 30)));
        let year = period(PeriodKind::Year, None);
        assert_eq!((year.from, year.to), (day(2024, 1, 1), day(2024, 12, 31)));
    }

    #[test]
    fn a_month_ends_on_its_last_day_leap_years_included() {
        let feb = period(PeriodKind::Month, Some(2));
        assert_eq!((feb.from, feb.to), (day(2024, 2, 1), day(2024, 2, 29)));
        let dec = period(PeriodKind::Month, Some(12));
        assert_eq!((dec.from, dec.to), (day(2024, 12, 1), day(2024, 12, 31)));
        let feb23 = Period::of(PeriodKind::Month, Some(2023), Some(2), "", "").unwrap();
        assert_eq!(feb23.to, day(2023, 2, 28));
    }

    #[test]
    fn missing_or_wrong_parts_name_their_field() {
        let month = Period::of(PeriodKind::Month, Some(2024), Some(13), "", "");
        assert_eq!(month, Err(PeriodProblem::Month));
        let none = Period::of(PeriodKind::Month, Some(2024), None, "", "");
        assert_eq!(none, Err(PeriodProblem::Month));
        let year = Period::of(PeriodKind::Year, None, None, "", "");
        assert_eq!(year, Err(PeriodProblem::Year));
        let custom = Period::of(PeriodKind::Custom, None, None, "2024-02-30", "2024-03-01");
        assert_eq!(custom, Err(PeriodProblem::From));
        let custom = Period::of(PeriodKind::Custom, None, None, "2024-02-01", "");
        assert_eq!(custom, Err(PeriodProblem::To));
    }

    #[test]
    fn a_custom_period_ending_before_it_starts_is_refused() {
        let backwards = Period::of(PeriodKind::Custom, None, None, "2024-05-02", "2024-05-01");
        assert_eq!(backwards, Err(PeriodProblem::ToBeforeFrom));
        let one_day = Period::of(PeriodKind::Custom, None, None, "2024-05-02", "2024-05-02");
        assert_eq!(one_day.unwrap().to, day(2024, 5, 2));
    }

    #[test]
    fn a_period_runs_from_local_midnight_to_local_midnight() {
        let p = period(PeriodKind::Month, Some(3));
        // Vietnam is UTC+7: local midnight of 1 March is 17:00 UTC on 29 February.
        assert_eq!(
            p.start_utc(),
            day(2024, 2, 29).and_hms_opt(17, 0, 0).unwrap()
        );
        assert_eq!(p.end_utc(), day(2024, 3, 31).and_hms_opt(17, 0, 0).unwrap());
    }

    #[test]
    fn kinds_round_trip_through_their_names() {
        for kind in PeriodKind::ALL {
            assert_eq!(PeriodKind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(PeriodKind::parse("week"), None);
    }
}
