//! Contributions (issue 10): the lead body asks a coordinating body or one of its
//! own units for a contribution while it drafts the answer; the asked body's
//! drafter writes it, its approver approves it (frozen from then on) or returns
//! it. Each step is one transaction with its timeline entry and mails.

use chrono::{NaiveDate, NaiveDateTime};
use serde::Serialize;

use super::access::change_item;
use super::clock::touch;
use super::notices::{notify_with, staff_except};
use crate::db::bodies::Body;
use crate::db::contributions::{askable_bodies, Change, Contribution, ContributionState};
use crate::db::contributions::{lines_of_item, ContributionLine, NewContribution};
use crate::db::deadlines::calendar_around;
use crate::db::events::{EventKind, NewEvent};
use crate::db::items::Item;
use crate::db::{ConflictKind, DbConnection, StoreError};
use crate::domain::calendar::{local_date, to_utc};
use crate::domain::deadlines::shift;
use crate::domain::{
    Action, Actor, BodyId, ConferenceId, ItemId, ItemStatus, Lang, MailEvent, Operation, Relation,
    Role,
};

/// When a contribution is due, as the lead body typed it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContributionDue {
    /// So many working days from now, counted with the conference's calendar.
    WorkingDays(u32),
    /// By the close of office on a date.
    On(NaiveDate),
}

/// Why a request cannot be recorded as typed; the form comes back with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestProblem {
    /// The body is neither a coordinating body of the item nor a unit of the
    /// lead body.
    NotAskable,
    /// The body already has an open request on this item.
    AlreadyAsked,
    /// The date is a weekend day or a holiday.
    NotWorkingDay,
    /// The date is in the past.
    Past,
}

/// Whether the lead body may still ask for contributions: while the answer is
/// being drafted (the states in which a draft may be saved).
pub fn accepts_requests(status: ItemStatus) -> bool {
    status.allows(Action::SaveDraft)
}

/// Whether the asked body may still work on its contribution: while the item is
/// owed an answer and not yet published.
pub fn accepts_contributions(status: ItemStatus) -> bool {
    matches!(
        status,
        ItemStatus::Routed | ItemStatus::Drafting | ItemStatus::InReview | ItemStatus::Approved
    )
}

/// The lead body asks `body` for a contribution to item `id`: `text` says what,
/// `due` by when. The asked body's drafters and approvers are mailed. A request
/// that does not fit comes back as `Ok(Err(problem))` with nothing written.
pub fn request_contribution(
    conn: &mut DbConnection,
    actor: &Actor,
    id: ItemId,
    body: BodyId,
    text: &str,
    due: ContributionDue,
    now: NaiveDateTime,
) -> Result<Result<(), RequestProblem>, StoreError> {
    change_item(
        conn,
        actor,
        id,
        Operation::RequestContribution,
        |conn, item| {
            if !accepts_requests(item.status()) {
                return Err(StoreError::Conflict(ConflictKind::Transition));
            }
            // Taking the item's row first makes two requests at once wait for each
            // other, so the second sees the first.
            touch(conn, id, now)?;
            let askable = askable_bodies(conn, id, item.lead_body_id)?;
            if !askable.iter().any(|b| b.id == body.0) {
                return Ok(Err(RequestProblem::NotAskable));
            }
            if Contribution::open_of(conn, id, body)?.is_some() {
                return Ok(Err(RequestProblem::AlreadyAsked));
            }
            let calendar = calendar_around(conn, now)?;
            let due_at = match due {
                ContributionDue::WorkingDays(days) => shift(&calendar, now, days),
                ContributionDue::On(date) if date < local_date(now) => {
                    return Ok(Err(RequestProblem::Past))
                }
                ContributionDue::On(date) if !calendar.is_working_day(date) => {
                    return Ok(Err(RequestProblem::NotWorkingDay))
                }
                ContributionDue::On(date) => to_utc(date.and_time(calendar.office_close())),
            };
            NewContribution {
                item: id,
                body,
                request_text: text,
                due_at,
                by: actor.user,
                at: now,
            }
            .insert(conn)?;
            NewEvent::new(id, actor.user, EventKind::ContributionRequested, now)
                .bodies(None, Some(body.0))
                .comment(text)
                .insert(conn)?;
            let staff = staff_except(
                conn,
                Some(body.0),
                &[Role::Drafter, Role::Approver],
                actor.user,
            )?;
            let payload = serde_json::json!({
                "request": text,
                "due_at": due_at,
                "lead_body": lead_body_names(conn, item)?,
            });
            notify_with(
                conn,
                MailEvent::ContributionRequested,
                id,
                &staff,
                payload,
                now,
            )?;
            Ok(Ok(()))
        },
    )
}

/// The lead body's names in both languages, for the mails.
fn lead_body_names(conn: &mut DbConnection, item: &Item) -> Result<serde_json::Value, StoreError> {
    let body = match item.lead_body_id {
        Some(id) => Body::find(conn, BodyId(id))?,
        None => None,
    };
    Ok(match body {
        Some(body) => serde_json::json!({ "vi": body.name_vi, "en": body.name_en }),
        None => serde_json::json!({ "vi": "", "en": "" }),
    })
}

/// The actor's body's open contribution to `item`, read at `version` (the form's).
fn own_open(
    conn: &mut DbConnection,
    actor: &Actor,
    item: &Item,
) -> Result<Contribution, StoreError> {
    if !accepts_contributions(item.status()) {
        return Err(StoreError::Conflict(ConflictKind::Transition));
    }
    let body = actor.body.ok_or(StoreError::Forbidden)?;
    Contribution::open_of(conn, item.item_id(), body)?
        .ok_or(StoreError::Conflict(ConflictKind::Transition))
}

/// Moves `contribution` or reports the stale form as a conflict.
fn moved(
    conn: &mut DbConnection,
    contribution: &Contribution,
    version: i32,
    from: &[ContributionState],
    to: ContributionState,
    change: Change<'_>,
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    if Contribution::change(conn, contribution.id, version, from, to, change, now)? {
        Ok(())
    } else {
        Err(StoreError::Conflict(ConflictKind::Transition))
    }
}

/// The asked body saves its contribution's text (read at `version`), and with
/// `send` hands it to its approvers. Only while drafting it: an approved one is
/// frozen.
pub fn write_contribution(
    conn: &mut DbConnection,
    actor: &Actor,
    id: ItemId,
    version: i32,
    text: &str,
    send: bool,
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    change_item(conn, actor, id, Operation::Contribute, |conn, item| {
        let contribution = own_open(conn, actor, item)?;
        let to = if send {
            ContributionState::InReview
        } else {
            ContributionState::Requested
        };
        let change = Change {
            text: Some(text),
            written_by: Some(Some(actor.user.0)),
            ..Change::default()
        };
        moved(
            conn,
            &contribution,
            version,
            &[ContributionState::Requested],
            to,
            change,
            now,
        )?;
        if send {
            NewEvent::new(id, actor.user, EventKind::ContributionSentForApproval, now)
                .bodies(None, Some(contribution.body_id))
                .insert(conn)?;
        }
        Ok(())
    })
}

/// The asked body's approver approves its contribution: frozen from now on, shown
/// beside the lead body's draft; the lead body's drafters and approvers are told.
pub fn approve_contribution(
    conn: &mut DbConnection,
    actor: &Actor,
    id: ItemId,
    version: i32,
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    change_item(
        conn,
        actor,
        id,
        Operation::ApproveContribution,
        |conn, item| {
            let contribution = own_open(conn, actor, item)?;
            let change = Change {
                approved_by: Some(Some(actor.user.0)),
                approved_at: Some(Some(now)),
                ..Change::default()
            };
            moved(
                conn,
                &contribution,
                version,
                &[ContributionState::InReview],
                ContributionState::Approved,
                change,
                now,
            )?;
            NewEvent::new(id, actor.user, EventKind::ContributionApproved, now)
                .bodies(None, Some(contribution.body_id))
                .insert(conn)?;
            let staff = staff_except(
                conn,
                item.lead_body_id,
                &[Role::Drafter, Role::Approver],
                actor.user,
            )?;
            let asked = Body::find(conn, BodyId(contribution.body_id))?;
            let payload = serde_json::json!({
                "text": contribution.text,
                "body": asked.map(|b| serde_json::json!({ "vi": b.name_vi, "en": b.name_en })),
            });
            notify_with(
                conn,
                MailEvent::ContributionApproved,
                id,
                &staff,
                payload,
                now,
            )?;
            Ok(())
        },
    )
}

/// The asked body's approver returns its contribution with `reason`: back to
/// drafting, the reason shown above the form.
pub fn return_contribution(
    conn: &mut DbConnection,
    actor: &Actor,
    id: ItemId,
    version: i32,
    reason: &str,
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    change_item(
        conn,
        actor,
        id,
        Operation::ApproveContribution,
        |conn, item| {
            let contribution = own_open(conn, actor, item)?;
            let change = Change {
                return_reason: Some(reason),
                ..Change::default()
            };
            moved(
                conn,
                &contribution,
                version,
                &[ContributionState::InReview],
                ContributionState::Requested,
                change,
                now,
            )?;
            NewEvent::new(id, actor.user, EventKind::ContributionReturned, now)
                .bodies(None, Some(contribution.body_id))
                .comment(reason)
                .insert(conn)?;
            Ok(())
        },
    )
}

/// The lead body withdraws its open request to `body`.
pub fn withdraw_contribution(
    conn: &mut DbConnection,
    actor: &Actor,
    id: ItemId,
    body: BodyId,
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    change_item(
        conn,
        actor,
        id,
        Operation::RequestContribution,
        |conn, _item| {
            let contribution = Contribution::open_of(conn, id, body)?
                .ok_or(StoreError::Conflict(ConflictKind::Transition))?;
            moved(
                conn,
                &contribution,
                contribution.version,
                &[ContributionState::Requested, ContributionState::InReview],
                ContributionState::Withdrawn,
                Change::default(),
                now,
            )?;
            NewEvent::new(id, actor.user, EventKind::ContributionWithdrawn, now)
                .bodies(None, Some(body.0))
                .insert(conn)?;
            Ok(())
        },
    )
}

/// The contributions panel of an item's page, as `actor` may see it.
#[derive(Debug, Default, Serialize)]
pub struct ContributionPanel {
    /// The lead body and coordinators: every request not withdrawn.
    pub lines: Vec<ContributionLine>,
    /// The asked body's staff: their own body's request.
    pub own: Option<ContributionLine>,
    /// The bodies the lead body may ask (id, name), when it may ask now.
    pub askable: Vec<(i32, String)>,
    /// Ask for a contribution (the form shows).
    pub can_request: bool,
    /// Withdraw an open request (the buttons show).
    pub can_withdraw: bool,
    /// Write and send the own body's contribution.
    pub can_write: bool,
    /// Approve or return the own body's contribution.
    pub can_approve: bool,
}

/// What the panel shows `actor`, standing to `item` as `relation`. The delegate
/// never sees contributions: they are the bodies' internal work.
pub fn contribution_panel(
    conn: &mut DbConnection,
    actor: &Actor,
    relation: Relation,
    item: &Item,
    lang: Lang,
    now: NaiveDateTime,
) -> Result<ContributionPanel, StoreError> {
    if actor.role == Role::Delegate || !actor.may(Operation::View, relation) {
        return Ok(ContributionPanel::default());
    }
    let id = item.item_id();
    let conference = ConferenceId(item.conference_id);
    let mut panel = ContributionPanel::default();
    let sees_all = relation.lead_body || actor.role == Role::Coordinator;
    if sees_all {
        panel.lines = lines_of_item(conn, id, conference, lang, now)?;
    }
    if relation.contributing_body {
        if let Some(body) = actor.body {
            panel.own = lines_of_item(conn, id, conference, lang, now)?
                .into_iter()
                .rfind(|line| line.contribution.body_id == body.0);
        }
    }
    if actor.may(Operation::RequestContribution, relation) && accepts_requests(item.status()) {
        panel.can_request = true;
        panel.askable = askable_bodies(conn, id, item.lead_body_id)?
            .into_iter()
            .map(|b| (b.id, b.name(lang).to_owned()))
            .collect();
    }
    panel.can_withdraw = actor.may(Operation::RequestContribution, relation)
        && panel.lines.iter().any(|l| l.contribution.state.is_open());
    let own_state = panel.own.as_ref().map(|l| l.contribution.state);
    let open = accepts_contributions(item.status());
    panel.can_write = open
        && actor.may(Operation::Contribute, relation)
        && own_state == Some(ContributionState::Requested);
    panel.can_approve = open
        && actor.may(Operation::ApproveContribution, relation)
        && own_state == Some(ContributionState::InReview);
    Ok(panel)
}
