//! Overdue contributions in the daily digest (issue 10): a body asked for a
//! contribution that has not delivered it by its due date is chased like overdue
//! work: its drafters, then its head (approvers) after the conference's
//! `escalate_to_head_after` working days, then the coordinators after
//! `escalate_to_coordinators_after`. `digests::send_due` adds these lines to the
//! same one mail per person per day.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use std::collections::{BTreeMap, HashMap};

use super::conferences::Conference;
use super::contributions::Contribution;
use super::schema::{bodies, items};
use super::users::User;
use super::workflow::accepts_contributions;
use super::{DbConnection, StoreError};
use crate::domain::calendar::WorkingCalendar;
use crate::domain::deadlines::{overdue_days, DeadlinePolicy, Level};
use crate::domain::digest::Reason;
use crate::domain::{ConferenceId, ItemStatus, Role};

/// One overdue contribution in one person's digest.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ContributionDigestLine {
    /// The item (its page is `/items/{item_id}`).
    pub item_id: i32,
    /// The item's reference.
    pub reference: String,
    /// The item's title.
    pub title: String,
    /// The asked body's names.
    pub body_vi: String,
    /// The asked body's name in English.
    pub body_en: String,
    /// When it was due (UTC).
    pub due_at: NaiveDateTime,
    /// Working days overdue.
    pub overdue_days: u32,
    /// Why this person is told.
    pub reason: Reason,
}

/// The overdue contributions at an instant: each person's lines (oldest due
/// first, one line per contribution) and the people themselves.
#[derive(Debug, Default)]
pub struct OverdueContributions {
    /// Each person's lines.
    pub lines: BTreeMap<i32, Vec<ContributionDigestLine>>,
    /// The people, by id.
    pub users: HashMap<i32, User>,
}

/// Who is chased for a contribution overdue at escalation `level`: the asked
/// body's drafters always, its approvers (the head) from the first escalation,
/// the coordinators from the second.
pub fn audiences(level: Level) -> Vec<(Option<Role>, Reason)> {
    let mut audiences = vec![(Some(Role::Drafter), Reason::Holder)];
    if matches!(level, Level::Head | Level::Coordinators) {
        audiences.push((Some(Role::Approver), Reason::Head));
    }
    if level == Level::Coordinators {
        audiences.push((None, Reason::Coordinators));
    }
    audiences
}

/// Reads the open contributions past their due instant at `now` and works out who
/// is told of each. A request on the due day itself is not yet overdue.
pub fn gather(
    conn: &mut DbConnection,
    calendar: &WorkingCalendar,
    now: NaiveDateTime,
) -> Result<OverdueContributions, StoreError> {
    let mut gathered = OverdueContributions::default();
    let mut policies: HashMap<i32, DeadlinePolicy> = HashMap::new();
    let mut staff: HashMap<(i32, Role), Vec<User>> = HashMap::new();
    let mut coordinators: Option<Vec<User>> = None;
    for contribution in Contribution::all_open(conn)? {
        if contribution.due_at >= now {
            continue;
        }
        let (reference, title, conference_id, status): (String, String, i32, ItemStatus) =
            items::table
                .find(contribution.item_id)
                .select((
                    items::reference,
                    items::title,
                    items::conference_id,
                    items::status,
                ))
                .first(conn)?;
        // Once the item is answered, withdrawn or merged, a late contribution is
        // of no more use: nobody is chased for it.
        if !accepts_contributions(status) {
            continue;
        }
        let (body_vi, body_en): (String, String) = bodies::table
            .find(contribution.body_id)
            .select((bodies::name_vi, bodies::name_en))
            .first(conn)?;
        let policy = match policies.get(&conference_id) {
            Some(policy) => *policy,
            None => {
                let policy = Conference::find(conn, ConferenceId(conference_id))?
                    .ok_or(StoreError::NotFound)?
                    .policy();
                policies.insert(conference_id, policy);
                policy
            }
        };
        let days = overdue_days(calendar, contribution.due_at, now);
        for (role, reason) in audiences(policy.level(days)) {
            let people = match role {
                Some(role) => match staff.get(&(contribution.body_id, role)) {
                    Some(people) => people.clone(),
                    None => {
                        let people = User::staff_of_body(conn, contribution.body_id, &[role])?;
                        staff.insert((contribution.body_id, role), people.clone());
                        people
                    }
                },
                None => match &coordinators {
                    Some(people) => people.clone(),
                    None => {
                        let people = User::with_role(conn, Role::Coordinator)?;
                        coordinators = Some(people.clone());
                        people
                    }
                },
            };
            for user in people {
                gathered
                    .lines
                    .entry(user.id)
                    .or_default()
                    .push(ContributionDigestLine {
                        item_id: contribution.item_id,
                        reference: reference.clone(),
                        title: title.clone(),
                        body_vi: body_vi.clone(),
                        body_en: body_en.clone(),
                        due_at: contribution.due_at,
                        overdue_days: days,
                        reason,
                    });
                gathered.users.insert(user.id, user);
            }
        }
    }
    for lines in gathered.lines.values_mut() {
        lines.sort_by(|a, b| {
            (a.due_at, a.item_id, &a.body_vi).cmp(&(b.due_at, b.item_id, &b.body_vi))
        });
        // A person told for two reasons reads the line once.
        lines.dedup_by(|a, b| a.item_id == b.item_id && a.body_vi == b.body_vi);
    }
    Ok(gathered)
}
