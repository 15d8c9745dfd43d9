//! The item page's read model: one item with everything its page shows, loaded
//! in one go for a given actor, names resolved in the reader's language.

use chrono::NaiveDateTime;
use serde::Serialize;

use crate::db::answers::{self, Note, Revision};
use crate::db::bodies::Body;
use crate::db::commitments::CommitmentLine;
use crate::db::deadline_report::{self, DeadlinePanel};
use crate::db::events::{self, TimelineEntry};
use crate::db::fields::Field;
use crate::db::items::Item;
use crate::db::users::User;
use crate::db::workflow;
use crate::db::DbConnection;
use crate::db::StoreError;
use crate::domain::Lang;
use crate::domain::{Abilities, Actor, FieldId, ItemId, ItemStatus, Operation, Role, UserId};

/// A timeline entry with its names resolved for display.
#[derive(Debug, Serialize)]
pub struct TimelineLine {
    /// What happened (an event kind's stored name, the template's locale key).
    pub kind: &'static str,
    /// The status before, if it changed (its stored name).
    pub from_status: Option<&'static str>,
    /// The status after, if it changed (its stored name).
    pub to_status: Option<&'static str>,
    /// The body before a re-routing.
    pub from_body: Option<String>,
    /// The body after a re-routing.
    pub to_body: Option<String>,
    /// The comment given with the step.
    pub comment: String,
    /// When.
    pub at: chrono::NaiveDateTime,
    /// Who acted, when the reader may know.
    pub actor: Option<String>,
}

/// Everything the item page shows.
#[derive(Debug, Serialize)]
pub struct ItemView {
    /// The item row.
    pub item: Item,
    /// The field's name.
    pub field: String,
    /// The lead body's name.
    pub lead_body: Option<String>,
    /// The delegate's name.
    pub delegate_name: String,
    /// The delegate's unit.
    pub delegate_unit: String,
    /// Names of the coordinating bodies.
    pub coordinating_bodies: Vec<String>,
    /// The steps the reader may see.
    pub timeline: Vec<TimelineLine>,
    /// The published answer (of the item merged into, for a merged item).
    pub answer: Option<Revision>,
    /// The reference of the item whose answer this is, for a merged item.
    pub answer_source: Option<String>,
    /// Staff: every draft, newest first.
    pub revisions: Vec<Revision>,
    /// Staff: the newest draft.
    pub latest_draft: Option<Revision>,
    /// Staff: the approved revision.
    pub approved: Option<Revision>,
    /// Staff: internal notes.
    pub notes: Vec<Note>,
    /// The reference of the item this was merged into.
    pub merged_into: Option<String>,
    /// Staff: references of items merged into this one.
    pub merged_from: Vec<String>,
    /// Its deadlines: stages, due dates and the urgency badge.
    pub deadlines: DeadlinePanel,
    /// Whether the reader is staff (not the delegate).
    pub staff_view: bool,
    /// What the reader's buttons may do.
    pub can: Abilities,
    /// Active bodies (id, name), for the routing forms.
    pub bodies: Vec<(i32, String)>,
    /// The paused clock and the requests for more time (issue 9).
    pub clock: workflow::ClockView,
    /// The answer's commitments with their progress (issue 10).
    pub commitments: Vec<CommitmentLine>,
    /// The contributions asked for, and what the reader may do with them (issue 10).
    pub contributions: workflow::ContributionPanel,
}

/// Loads item `id` as `actor` may see it, with names in `lang`: a delegate sees
/// their own item, its public timeline and the published answer; staff also see
/// drafts, notes and merged items. Missing and forbidden are both `NotFound`.
pub fn load_view(
    conn: &mut DbConnection,
    actor: &Actor,
    id: ItemId,
    lang: Lang,
    now: NaiveDateTime,
) -> Result<ItemView, StoreError> {
    let (item, relation) = workflow::load_for(conn, actor, id, Operation::View)?;
    let status = item.status();
    let all_bodies = Body::all(conn)?;
    let body_name = |id: Option<i32>| -> Option<String> {
        id.and_then(|id| all_bodies.iter().find(|b| b.id == id))
            .map(|b| b.name(lang).to_owned())
    };
    let field = Field::find(conn, FieldId(item.field_id))?
        .map(|f| f.name(lang).to_owned())
        .unwrap_or_default();
    let delegate = User::find(conn, UserId(item.delegate_id))?.ok_or(StoreError::NotFound)?;
    let staff_view = actor.role != Role::Delegate;
    let timeline = events::timeline(conn, id, !staff_view)?
        .into_iter()
        .map(|e: TimelineEntry| TimelineLine {
            from_body: body_name(e.from_body_id),
            to_body: body_name(e.to_body_id),
            // Delegates see which body acted, not which civil servant.
            actor: if staff_view || e.actor_id == Some(actor.user.0) {
                e.actor_name
            } else {
                None
            },
            kind: e.kind.as_str(),
            from_status: e.from_status.map(ItemStatus::as_str),
            to_status: e.to_status.map(ItemStatus::as_str),
            comment: e.comment,
            at: e.created_at,
        })
        .collect();
    // A merged item is answered by the item it was merged into.
    let (merged_into, answer, answer_source) = match item.merged_into_id {
        Some(target) => {
            let target = Item::find(conn, ItemId(target))?.ok_or(StoreError::NotFound)?;
            let answer = match target.published_revision_id {
                Some(revision) if target.status().is_answered() => {
                    answers::revision(conn, revision)?
                }
                _ => None,
            };
            (
                Some(target.reference.clone()),
                answer,
                Some(target.reference),
            )
        }
        None => {
            let answer = match item.published_revision_id {
                Some(revision) => answers::revision(conn, revision)?,
                None => None,
            };
            (None, answer, None)
        }
    };
    let merged_from = if staff_view {
        Item::merged_into(conn, id)?
            .into_iter()
            .map(|i| i.reference)
            .collect()
    } else {
        Vec::new()
    };
    let (revisions, notes, approved) = if staff_view {
        let approved = match item.approved_revision_id {
            Some(revision) => answers::revision(conn, revision)?,
            None => None,
        };
        (
            answers::revisions(conn, id)?,
            answers::notes(conn, id)?,
            approved,
        )
    } else {
        (Vec::new(), Vec::new(), None)
    };
    let latest_draft = revisions.first().cloned();
    let coordinating_bodies = answers::coordinating_bodies(conn, id)?
        .into_iter()
        .filter_map(|b| body_name(Some(b)))
        .collect();
    let cycle_authors = if staff_view {
        answers::cycle_authors(conn, id)?
    } else {
        Vec::new()
    };
    let mut can = Abilities::of(
        actor,
        relation,
        status,
        latest_draft.as_ref().map(|d| UserId(d.author_id)),
        &cycle_authors,
    );
    let bodies = all_bodies
        .iter()
        .filter(|b| b.active)
        .map(|b| (b.id, b.name(lang).to_owned()))
        .collect();
    let clock = workflow::clock_view(conn, actor, &item, now)?;
    // A merged item is followed and resolved with the item whose answer serves it
    // (issue 10): its delegate sees that item's commitments and rates its result.
    let answering = workflow::answering_item(conn, &item)?;
    let mut item = item;
    if item.merged_into_id.is_some() {
        item.published_at = answering.published_at;
        item.resolved_at = answering.resolved_at;
        can.rate = relation.owner
            && actor.may(Operation::Rate, relation)
            && answering.status().is_answered();
    }
    // The delegate learns of the commitments with the answer, not while drafted.
    let commitments = if !staff_view && !answering.status().is_answered() {
        Vec::new()
    } else {
        CommitmentLine::of_item(
            conn,
            answering.item_id(),
            crate::domain::ConferenceId(answering.conference_id),
            lang,
            now,
        )?
    };
    // With commitments, their check-ins move the item; a manual step would contradict them.
    can.follow &= commitments.is_empty();
    let contributions = workflow::contribution_panel(conn, actor, relation, &item, lang, now)?;
    Ok(ItemView {
        contributions,
        commitments,
        clock,
        field,
        lead_body: body_name(item.lead_body_id),
        delegate_name: delegate.full_name,
        delegate_unit: delegate.unit,
        coordinating_bodies,
        timeline,
        answer,
        answer_source,
        revisions,
        latest_draft,
        approved,
        notes,
        merged_into,
        merged_from,
        deadlines: deadline_report::panel(conn, &item, staff_view, now)?,
        staff_view,
        can,
        bodies,
        item,
    })
}
