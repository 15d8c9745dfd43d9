//! More time for an answer: the lead body asks for a later due date with a
//! reason, a coordinator grants it (the due dates move, the delegate is told) or
//! refuses it. The first due date stays on the item for the statistics.

use chrono::{NaiveDate, NaiveDateTime};

use super::access::change_item;
use super::clock::touch;
use super::notices::{delegate_of, notify_with, staff_except};
use crate::db::deadlines::{self, calendar_around};
use crate::db::events::{EventKind, NewEvent};
use crate::db::extensions::{Extension, NewExtension};
use crate::db::items::Item;
use crate::db::users::User;
use crate::db::{ConflictKind, DbConnection, StoreError};
use crate::domain::calendar::{local_date, to_utc, WorkingCalendar};
use crate::domain::deadlines::{ExtensionStatus, Stage};
use crate::domain::{Actor, ItemId, MailEvent, Operation, Role, UserId};

/// Why a date asked for cannot be the new due date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateProblem {
    /// It is not after the present due date.
    NotLater,
    /// It is a weekend day or a holiday.
    NotWorkingDay,
}

/// Whether `date` may become the answer's due date, now due at `current`.
pub fn check_date(
    calendar: &WorkingCalendar,
    current: NaiveDateTime,
    date: NaiveDate,
) -> Result<(), DateProblem> {
    if date <= local_date(current) {
        Err(DateProblem::NotLater)
    } else if !calendar.is_working_day(date) {
        Err(DateProblem::NotWorkingDay)
    } else {
        Ok(())
    }
}

/// The lead body asks for the answer to be due on `date`, for `reason`. The
/// coordinators are mailed. A date that cannot be the due date comes back as
/// `Ok(Err(problem))` with nothing written.
pub fn request_extension(
    conn: &mut DbConnection,
    actor: &Actor,
    id: ItemId,
    reason: &str,
    date: NaiveDate,
    now: NaiveDateTime,
) -> Result<Result<(), DateProblem>, StoreError> {
    change_item(
        conn,
        actor,
        id,
        Operation::RequestExtension,
        |conn, item| {
            if Stage::of(item.status()).is_none() {
                return Err(StoreError::Conflict(ConflictKind::Transition));
            }
            // Taking the item's row first makes two requests at once wait for each
            // other, so the second sees the first as pending.
            touch(conn, id, now)?;
            if Extension::pending_of(conn, id)?.is_some() {
                return Err(StoreError::Conflict(ConflictKind::ExtensionPending));
            }
            let calendar = calendar_around(conn, now)?;
            if let Err(problem) = check_date(&calendar, item.deadline, date) {
                return Ok(Err(problem));
            }
            let requested = to_utc(date.and_time(calendar.office_close()));
            NewExtension {
                item: id,
                by: actor.user,
                at: now,
                reason,
                previous_deadline: item.deadline,
                requested_deadline: requested,
            }
            .insert(conn)?;
            NewEvent::new(id, actor.user, EventKind::ExtensionRequested, now)
                .comment(reason)
                .insert(conn)?;
            let coordinators = User::with_role(conn, Role::Coordinator)?;
            let payload = serde_json::json!({
                "reason": reason,
                "previous": item.deadline,
                "requested": requested,
            });
            notify_with(
                conn,
                MailEvent::ExtensionRequested,
                id,
                &coordinators,
                payload,
                now,
            )?;
            Ok(Ok(()))
        },
    )
}

/// A coordinator grants request `extension`: the answer is due on the date asked
/// and the running stage moves as far. The delegate is told the new date, the
/// requester and the lead body's staff the decision.
pub fn grant_extension(
    conn: &mut DbConnection,
    actor: &Actor,
    id: ItemId,
    extension: i32,
    comment: &str,
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    change_item(conn, actor, id, Operation::DecideExtension, |conn, item| {
        let request = claim(
            conn,
            actor,
            item,
            extension,
            ExtensionStatus::Granted,
            comment,
            now,
        )?;
        let new_date = local_date(request.requested_deadline);
        let new_deadline = deadlines::extend(conn, id, new_date, now)?;
        touch(conn, id, now)?;
        // The timeline, which the delegate reads too, says old → new in dates every
        // language writes alike; the coordinator's words stay with the request,
        // which only staff see.
        let moved = format!(
            "{} → {}",
            local_date(item.deadline).format("%d/%m/%Y"),
            local_date(new_deadline).format("%d/%m/%Y")
        );
        NewEvent::new(id, actor.user, EventKind::ExtensionGranted, now)
            .comment(&moved)
            .insert(conn)?;
        let payload = serde_json::json!({
            "decision": "granted",
            "comment": comment,
            "previous": item.deadline,
            "requested": request.requested_deadline,
            "new_deadline": new_deadline,
        });
        let delegate = delegate_of(conn, item)?;
        notify_with(
            conn,
            MailEvent::DeadlineExtended,
            id,
            &delegate,
            payload.clone(),
            now,
        )?;
        tell_the_body(conn, actor, item, &request, payload, now)
    })
}

/// A coordinator refuses request `extension` with a `comment`: the due date
/// stands; the requester and the lead body's staff are told.
pub fn refuse_extension(
    conn: &mut DbConnection,
    actor: &Actor,
    id: ItemId,
    extension: i32,
    comment: &str,
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    change_item(conn, actor, id, Operation::DecideExtension, |conn, item| {
        let request = claim(
            conn,
            actor,
            item,
            extension,
            ExtensionStatus::Refused,
            comment,
            now,
        )?;
        touch(conn, id, now)?;
        NewEvent::new(id, actor.user, EventKind::ExtensionRefused, now)
            .comment(comment)
            .insert(conn)?;
        let payload = serde_json::json!({
            "decision": "refused",
            "comment": comment,
            "previous": item.deadline,
            "requested": request.requested_deadline,
        });
        tell_the_body(conn, actor, item, &request, payload, now)
    })
}

/// Decides the request if it is still pending (a conditional update: of two
/// decisions, the second is a conflict) and returns it.
fn claim(
    conn: &mut DbConnection,
    actor: &Actor,
    item: &Item,
    extension: i32,
    status: ExtensionStatus,
    comment: &str,
    now: NaiveDateTime,
) -> Result<Extension, StoreError> {
    let id = item.item_id();
    if Stage::of(item.status()).is_none() {
        return Err(StoreError::Conflict(ConflictKind::Transition));
    }
    if !Extension::decide(conn, extension, id, status, actor.user, now, comment)? {
        return Err(StoreError::Conflict(ConflictKind::ExtensionDecided));
    }
    Extension::of_item(conn, id)?
        .into_iter()
        .find(|e| e.id == extension)
        .ok_or(StoreError::NotFound)
}

/// Mails the decision to whoever asked and the lead body's drafters and
/// approvers, each once.
fn tell_the_body(
    conn: &mut DbConnection,
    actor: &Actor,
    item: &Item,
    request: &Extension,
    payload: serde_json::Value,
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    let mut people = staff_except(
        conn,
        item.lead_body_id,
        &[Role::Drafter, Role::Approver],
        actor.user,
    )?;
    if !people.iter().any(|p| p.id == request.requested_by) {
        if let Some(requester) = User::find(conn, UserId(request.requested_by))? {
            if requester.active {
                people.push(requester);
            }
        }
    }
    notify_with(
        conn,
        MailEvent::ExtensionDecided,
        item.item_id(),
        &people,
        payload,
        now,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::calendar::{CalendarEntry, DayKind};

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn a_new_due_date_is_a_later_working_day() {
        let calendar =
            WorkingCalendar::new([CalendarEntry::new(day(2027, 4, 30), DayKind::Holiday).unwrap()]);
        // Due at the close of Thursday 22/4/2027 (17:00 in Vietnam).
        let current = to_utc(day(2027, 4, 22).and_hms_opt(17, 0, 0).unwrap());
        assert_eq!(
            check_date(&calendar, current, day(2027, 4, 22)),
            Err(DateProblem::NotLater)
        );
        assert_eq!(
            check_date(&calendar, current, day(2027, 4, 20)),
            Err(DateProblem::NotLater)
        );
        assert_eq!(
            check_date(&calendar, current, day(2027, 4, 24)),
            Err(DateProblem::NotWorkingDay)
        );
        assert_eq!(
            check_date(&calendar, current, day(2027, 4, 30)),
            Err(DateProblem::NotWorkingDay)
        );
        assert_eq!(check_date(&calendar, current, day(2027, 4, 23)), Ok(()));
    }
}
