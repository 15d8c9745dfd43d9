//! The daily deadline digest in storage: at an instant, which items owed an answer
//! are due soon or overdue, who is told of each, and one mail per person per local
//! day, recorded in `deadline_digests` in the same transaction as its outbox row.
//!
//! Open commitments and tasks of a conference's notice (issue 10) that are due
//! soon or overdue join the same digest, with their own lines.
//!
//! The row's primary key (user, local day) is what keeps a digest single: a second
//! instance, or this one after a restart, fails to insert it, its transaction rolls
//! back and nothing is queued twice.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use std::collections::HashMap;

use super::commitments::{
    self, Commitment, CommitmentEvent, CommitmentEventKind, NewCommitmentEvent,
};
use super::conferences::Conference;
use super::contribution_digest::{self, ContributionDigestLine};
use super::deadlines::calendar_around;
use super::events::NewEvent;
use super::outbox::{self, NewMail};
use super::schema::{commitments as commitments_table, deadline_digests, item_events, items};
use super::users::User;
use super::{is_unique_violation, write_transaction, DbConnection, StoreError};
use crate::domain::calendar::{local_date, WorkingCalendar};
use crate::domain::deadlines::{
    overdue_days, Audience, DeadlinePolicy, Level, OfficeHours, Urgency,
};
use crate::domain::digest::{concern, group, DigestLine, Reason};
use crate::domain::{ConferenceId, EventKind, ItemId, ItemStatus, MailEvent, Role};

/// What one run of the digest did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DigestRun {
    /// False outside office hours, on a weekend or a holiday: nothing was looked at.
    pub office_open: bool,
    /// Digests queued by this run.
    pub queued: usize,
    /// People whose digest of the day was already queued (by an earlier run or
    /// another instance).
    pub already_sent: usize,
    /// Items that were due soon or overdue.
    pub items: usize,
    /// Open commitments and tasks that were due soon or overdue.
    pub commitments: usize,
}

/// One open commitment or task in one person's digest.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CommitmentDigestLine {
    /// The commitment (its page is `/commitments/{commitment_id}`).
    pub commitment_id: i32,
    /// The item's reference, for an item's commitment.
    pub reference: Option<String>,
    /// What is to be done.
    pub description: String,
    /// When it is due (UTC).
    pub due_at: NaiveDateTime,
    /// Due soon or overdue.
    pub urgency: Urgency,
    /// Working days overdue.
    pub overdue_days: u32,
    /// Why this person is told.
    pub reason: Reason,
}

impl CommitmentDigestLine {
    /// Overdue lines always go; a due-soon reminder can be turned off.
    fn mandatory(&self) -> bool {
        self.urgency == Urgency::Overdue
    }
}

/// An item owed an answer that may be due soon or overdue.
#[derive(Debug, Clone, Queryable)]
struct Candidate {
    id: i32,
    reference: String,
    title: String,
    status: ItemStatus,
    conference_id: i32,
    lead_body_id: Option<i32>,
    next_due_at: Option<NaiveDateTime>,
    due_soon_at: Option<NaiveDateTime>,
}

/// A timeline step to record with one person's digest: the first time an item is
/// escalated to a level. It rides with the digest of the level's first person (the
/// lowest id, the same on every instance), so only that person's transaction, of
/// which there is one a day, can write it.
#[derive(Debug, Clone)]
struct Escalation {
    item: i32,
    status: ItemStatus,
    kind: EventKind,
    body: Option<i32>,
}

/// Queues today's digests at `now`, if `now` is in office hours on a working day:
/// one mail per person listing every item they hold or were escalated to that is
/// due soon or overdue. A person who turned off the due-soon reminder gets only
/// the overdue lines. Safe to call often and from several instances.
pub fn send_due(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    hours: &OfficeHours,
) -> Result<DigestRun, StoreError> {
    let calendar = calendar_around(conn, now)?;
    if !hours.contains(&calendar, now) {
        return Ok(DigestRun::default());
    }
    let day = local_date(now);
    let Gathered {
        lines,
        mut escalations,
        mut audiences,
        items,
    } = gather(conn, &calendar, now)?;
    let commitment_lines = gather_commitments(conn, &calendar, &mut audiences, now)?;
    let mut run = DigestRun {
        office_open: true,
        items,
        commitments: commitment_lines.concerned,
        ..DigestRun::default()
    };
    let contributions = contribution_digest::gather(conn, &calendar, now)?;
    audiences.users.extend(contributions.users);
    let mut contribution_lines = contributions.lines;
    let mut item_lines = group(lines);
    let mut people: Vec<i32> = item_lines.keys().copied().collect();
    people.extend(commitment_lines.lines.keys().copied());
    people.extend(contribution_lines.keys().copied());
    people.sort_unstable();
    people.dedup();
    let mut commitment_lines = commitment_lines.lines;
    for user_id in people {
        let Some(user) = audiences.users.get(&user_id).cloned() else {
            continue;
        };
        let mut lines = item_lines.remove(&user_id).unwrap_or_default();
        let mut owed = commitment_lines.remove(&user_id).unwrap_or_default();
        // Overdue contributions only, so never muted with the due-soon reminder.
        let asked = contribution_lines.remove(&user_id).unwrap_or_default();
        if User::mutes(conn, user.user_id(), MailEvent::DueSoonReminder)? {
            lines.retain(DigestLine::mandatory);
            owed.retain(CommitmentDigestLine::mandatory);
        }
        if lines.is_empty() && owed.is_empty() && asked.is_empty() {
            continue;
        }
        if already_queued(conn, user.id, day)? {
            run.already_sent += 1;
            continue;
        }
        let escalated = escalations.remove(&user.id).unwrap_or_default();
        match write_transaction(conn, |conn| {
            queue_digest(conn, &user, day, (&lines, &owed, &asked), now)?;
            record_escalations(conn, &escalated, now)
        }) {
            Ok(()) => run.queued += 1,
            // Another instance queued this person's digest between our look and
            // our insert: theirs stands, ours rolled back.
            Err(error) if is_unique_violation(&error) => run.already_sent += 1,
            Err(error) => return Err(error.into()),
        }
    }
    Ok(run)
}

/// What the items due soon or overdue at an instant ask of the digest.
struct Gathered {
    /// Every (person, line), before grouping.
    lines: Vec<(i32, DigestLine)>,
    /// The escalations to record, by the person whose digest carries them.
    escalations: HashMap<i32, Vec<Escalation>>,
    /// The people met on the way.
    audiences: Audiences,
    /// How many items were due soon or overdue.
    items: usize,
}

/// Reads the items owed an answer, not paused, that are due soon or overdue at
/// `now`, and works out who is told of each and why.
fn gather(
    conn: &mut DbConnection,
    calendar: &WorkingCalendar,
    now: NaiveDateTime,
) -> Result<Gathered, StoreError> {
    let candidates: Vec<Candidate> = items::table
        .filter(items::next_due_at.is_not_null())
        .filter(items::paused_at.is_null())
        .filter(items::next_due_at.lt(now).or(items::due_soon_at.le(now)))
        .order((items::next_due_at, items::id))
        .select((
            items::id,
            items::reference,
            items::title,
            items::status,
            items::conference_id,
            items::lead_body_id,
            items::next_due_at,
            items::due_soon_at,
        ))
        .load(conn)?;
    let mut policies: HashMap<i32, DeadlinePolicy> = HashMap::new();
    let mut audiences = Audiences::default();
    let mut lines = Vec::new();
    let mut escalations: HashMap<i32, Vec<Escalation>> = HashMap::new();
    let mut concerned = 0;
    for item in candidates {
        let Some(due) = item.next_due_at else {
            continue;
        };
        let policy = match policies.get(&item.conference_id) {
            Some(policy) => *policy,
            None => {
                let policy = Conference::find(conn, ConferenceId(item.conference_id))?
                    .ok_or(StoreError::NotFound)?
                    .policy();
                policies.insert(item.conference_id, policy);
                policy
            }
        };
        let Some(concern) = concern(&policy, calendar, item.status, due, item.due_soon_at, now)
        else {
            continue;
        };
        concerned += 1;
        for (audience, reason) in concern.audiences {
            let people = audiences.people(conn, audience, item.lead_body_id)?;
            if let (Some(kind), Some(first)) = (reason.escalation(), people.first()) {
                escalations.entry(*first).or_default().push(Escalation {
                    item: item.id,
                    status: item.status,
                    kind,
                    body: audiences.users.get(first).and_then(|user| user.body_id),
                });
            }
            for user in people {
                lines.push((
                    user,
                    DigestLine {
                        item_id: item.id,
                        reference: item.reference.clone(),
                        title: item.title.clone(),
                        stage: concern.stage,
                        due_at: due,
                        urgency: concern.urgency,
                        overdue_days: concern.overdue_days,
                        reason,
                    },
                ));
            }
        }
    }
    Ok(Gathered {
        lines,
        escalations,
        audiences,
        items: concerned,
    })
}

/// Whether `user`'s digest of `day` is already recorded (a cheap look that spares
/// a transaction bound to fail).
fn already_queued(conn: &mut DbConnection, user: i32, day: chrono::NaiveDate) -> QueryResult<bool> {
    let rows: i64 = deadline_digests::table
        .filter(deadline_digests::user_id.eq(user))
        .filter(deadline_digests::local_day.eq(day))
        .count()
        .get_result(conn)?;
    Ok(rows > 0)
}

/// Records the day's digest of `user` and queues its mail, in one transaction: the
/// record goes first, so a duplicate fails before anything is queued.
fn queue_digest(
    conn: &mut DbConnection,
    user: &User,
    day: chrono::NaiveDate,
    (lines, owed, asked): (
        &[DigestLine],
        &[CommitmentDigestLine],
        &[ContributionDigestLine],
    ),
    now: NaiveDateTime,
) -> QueryResult<()> {
    let count = lines.len() + owed.len() + asked.len();
    diesel::insert_into(deadline_digests::table)
        .values((
            deadline_digests::user_id.eq(user.id),
            deadline_digests::local_day.eq(day),
            deadline_digests::item_count.eq(i32::try_from(count).unwrap_or(i32::MAX)),
            deadline_digests::created_at.eq(now),
        ))
        .execute(conn)?;
    let overdue = lines.iter().filter(|line| line.mandatory()).count()
        + owed.iter().filter(|line| line.mandatory()).count()
        + asked.len();
    outbox::enqueue(
        conn,
        NewMail {
            event: MailEvent::DeadlineDigest,
            item: None,
            recipient: user,
            payload: serde_json::json!({
                "day": day,
                "lines": lines,
                "commitments": owed,
                "contributions": asked,
                "overdue": overdue,
                "due_soon": count - overdue,
            }),
        },
        now,
    )
}

/// Records on each item's timeline that it was escalated, unless it already was to
/// that level while in the same status.
fn record_escalations(
    conn: &mut DbConnection,
    escalations: &[Escalation],
    now: NaiveDateTime,
) -> QueryResult<()> {
    for escalation in escalations {
        let recorded: i64 = item_events::table
            .filter(item_events::item_id.eq(escalation.item))
            .filter(item_events::kind.eq(escalation.kind))
            .filter(item_events::to_status.eq(escalation.status))
            .count()
            .get_result(conn)?;
        if recorded > 0 {
            continue;
        }
        // The status is kept (without a status before, so no move shows) to tell
        // a later stage's escalation from this one.
        let mut event = NewEvent::system(ItemId(escalation.item), escalation.kind, now)
            .bodies(None, escalation.body);
        event.to_status = Some(escalation.status);
        event.insert(conn)?;
    }
    Ok(())
}

/// Records, the first time an overdue commitment due at `due` is escalated for
/// `reason`, a step in its own history and, for a commitment of an item, on the
/// item's timeline. Once per level and due date: a corrected due date that runs
/// late again is escalated again. Written in its own small transaction (the
/// commitment's lines ride with several people's digests); the unique index on
/// the history settles two instances running the digest at once.
fn record_commitment_escalation(
    conn: &mut DbConnection,
    commitment: &Commitment,
    due: NaiveDateTime,
    reason: Reason,
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    let (kind, item_kind) = match reason {
        Reason::Holder => return Ok(()),
        Reason::Head => (
            CommitmentEventKind::EscalatedToHead,
            EventKind::CommitmentEscalatedToHead,
        ),
        Reason::Coordinators => (
            CommitmentEventKind::EscalatedToCoordinators,
            EventKind::CommitmentEscalatedToCoordinators,
        ),
    };
    if CommitmentEvent::escalated(conn, commitment.id, kind, due)? {
        return Ok(());
    }
    let written = write_transaction(conn, |conn| {
        NewCommitmentEvent {
            commitment_id: commitment.id,
            kind: kind.as_str(),
            actor_id: None,
            previous_due_at: None,
            due_at: Some(due),
            comment: String::new(),
            created_at: now,
        }
        .insert(conn)?;
        if let Some(item) = commitment.item_id {
            NewEvent::system(ItemId(item), item_kind, now)
                .bodies(None, Some(commitment.owner_body_id))
                .comment(&commitment.description)
                .insert(conn)?;
        }
        Ok::<(), diesel::result::Error>(())
    });
    match written {
        Ok(()) => Ok(()),
        Err(error) if is_unique_violation(&error) => Ok(()),
        Err(error) => Err(error.into()),
    }
}

/// The people each audience means, looked up once per run.
#[derive(Default)]
struct Audiences {
    by_audience: HashMap<(Audience, Option<i32>), Vec<i32>>,
    users: HashMap<i32, User>,
}

impl Audiences {
    /// The ids of the active people `audience` means for an item of `lead_body`.
    fn people(
        &mut self,
        conn: &mut DbConnection,
        audience: Audience,
        lead_body: Option<i32>,
    ) -> QueryResult<Vec<i32>> {
        let body = match audience {
            Audience::Coordinators => None,
            Audience::LeadDrafters | Audience::LeadApprovers => lead_body,
        };
        if let Some(ids) = self.by_audience.get(&(audience, body)) {
            return Ok(ids.clone());
        }
        let people = match (audience, body) {
            (Audience::Coordinators, _) => User::with_role(conn, Role::Coordinator)?,
            (Audience::LeadDrafters, Some(body)) => {
                User::staff_of_body(conn, body, &[Role::Drafter])?
            }
            (Audience::LeadApprovers, Some(body)) => {
                User::staff_of_body(conn, body, &[Role::Approver])?
            }
            // Drafting and approval always have a lead body; without one nobody
            // of a body can be chased.
            (_, None) => Vec::new(),
        };
        let ids: Vec<i32> = people.iter().map(|user| user.id).collect();
        for user in people {
            self.users.insert(user.id, user);
        }
        self.by_audience.insert((audience, body), ids.clone());
        Ok(ids)
    }
}

/// The open commitments and tasks due soon or overdue at an instant, by person.
struct OwedCommitments {
    /// Each person's lines, overdue first, then the oldest due first.
    lines: std::collections::BTreeMap<i32, Vec<CommitmentDigestLine>>,
    /// How many commitments were due soon or overdue.
    concerned: usize,
}

/// Who an open commitment of `owner` body is chased with at escalation `level`:
/// its drafters always, its approvers (the head) from the conference's first
/// escalation, the coordinators from the second. Due soon, only its drafters.
fn commitment_audiences(urgency: Urgency, level: Level) -> Vec<(Audience, Reason)> {
    let mut audiences = vec![(Audience::LeadDrafters, Reason::Holder)];
    if urgency == Urgency::Overdue {
        if matches!(level, Level::Head | Level::Coordinators) {
            audiences.push((Audience::LeadApprovers, Reason::Head));
        }
        if level == Level::Coordinators {
            audiences.push((Audience::Coordinators, Reason::Coordinators));
        }
    }
    audiences
}

/// Reads the open commitments and tasks whose clock runs and works out which are
/// due soon or overdue at `now`, and who is told of each. Closed ones never appear.
fn gather_commitments(
    conn: &mut DbConnection,
    calendar: &WorkingCalendar,
    audiences: &mut Audiences,
    now: NaiveDateTime,
) -> Result<OwedCommitments, StoreError> {
    let open: Vec<Commitment> = commitments_table::table
        .filter(commitments_table::closed_at.is_null())
        .filter(commitments_table::due_at.is_not_null())
        .order((commitments_table::due_at, commitments_table::id))
        .select(Commitment::as_select())
        .load(conn)?;
    let mut policies: HashMap<i32, DeadlinePolicy> = HashMap::new();
    let mut lines: Vec<(i32, CommitmentDigestLine)> = Vec::new();
    let mut concerned = 0;
    for commitment in open {
        let (Some(due), false) = (commitment.due_at, commitment.is_closed()) else {
            continue;
        };
        let policy = match policies.get(&commitment.conference_id) {
            Some(policy) => *policy,
            None => {
                let policy = Conference::find(conn, ConferenceId(commitment.conference_id))?
                    .ok_or(StoreError::NotFound)?
                    .policy();
                policies.insert(commitment.conference_id, policy);
                policy
            }
        };
        let urgency = match commitments::urgency(calendar, &policy, &commitment, now) {
            Some(urgency @ (Urgency::DueSoon | Urgency::Overdue)) => urgency,
            _ => continue,
        };
        concerned += 1;
        let days = if urgency == Urgency::Overdue {
            overdue_days(calendar, due, now)
        } else {
            0
        };
        let reference = match commitment.item_id {
            Some(item) => items::table
                .find(item)
                .select(items::reference)
                .first::<String>(conn)
                .optional()?,
            None => None,
        };
        for (audience, reason) in commitment_audiences(urgency, policy.level(days)) {
            let people = audiences.people(conn, audience, Some(commitment.owner_body_id))?;
            if !people.is_empty() {
                record_commitment_escalation(conn, &commitment, due, reason, now)?;
            }
            for user in people {
                lines.push((
                    user,
                    CommitmentDigestLine {
                        commitment_id: commitment.id,
                        reference: reference.clone(),
                        description: commitment.description.clone(),
                        due_at: due,
                        urgency,
                        overdue_days: days,
                        reason,
                    },
                ));
            }
        }
    }
    let mut by_person: std::collections::BTreeMap<i32, Vec<CommitmentDigestLine>> =
        std::collections::BTreeMap::new();
    for (person, line) in lines {
        by_person.entry(person).or_default().push(line);
    }
    for lines in by_person.values_mut() {
        lines.sort_by(|a, b| {
            (!a.mandatory(), a.due_at, a.commitment_id, a.reason).cmp(&(
                !b.mandatory(),
                b.due_at,
                b.commitment_id,
                b.reason,
            ))
        });
        // A person told for two reasons reads the line once, for the closest.
        lines.dedup_by_key(|line| line.commitment_id);
    }
    Ok(OwedCommitments {
        lines: by_person,
        concerned,
    })
}
