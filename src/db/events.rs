//! The timeline: every change to an item, who made it, when, from what to what.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

use super::schema::{item_events, users};
use super::DbConnection;
use crate::domain::{ItemId, ItemStatus, UserId};

/// What happened to an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventKind {
    /// The delegate filed it.
    Submitted,
    /// It entered a body's queue.
    Routed,
    /// The coordinator moved it to another body.
    Rerouted,
    /// A body was asked to coordinate.
    CoordinatingBodyAdded,
    /// A revision of the answer was saved.
    DraftSaved,
    /// The draft went to the approver.
    SentForReview,
    /// The approver approved the draft.
    Approved,
    /// The approver returned the draft.
    Returned,
    /// The coordinator sent an approved answer back for more work.
    SentBack,
    /// The answer was published.
    Published,
    /// The delegate withdrew it.
    Withdrawn,
    /// It was merged into another item.
    Merged,
    /// Another item was merged into it.
    MergeReceived,
    /// Implementation started.
    ImplementationStarted,
    /// Implementation finished.
    ImplementationDone,
    /// The delegate rated the answer.
    SatisfactionGiven,
    /// The answer's mail reached the delegate's mail server.
    AnswerEmailed,
    /// Staff replied to the delegate's satisfaction comment.
    SatisfactionReplied,
}

impl EventKind {
    /// Every kind of step.
    pub const ALL: [EventKind; 18] = [
        EventKind::Submitted,
        EventKind::Routed,
        EventKind::Rerouted,
        EventKind::CoordinatingBodyAdded,
        EventKind::DraftSaved,
        EventKind::SentForReview,
        EventKind::Approved,
        EventKind::Returned,
        EventKind::SentBack,
        EventKind::Published,
        EventKind::Withdrawn,
        EventKind::Merged,
        EventKind::MergeReceived,
        EventKind::ImplementationStarted,
        EventKind::ImplementationDone,
        EventKind::SatisfactionGiven,
        EventKind::AnswerEmailed,
        EventKind::SatisfactionReplied,
    ];

    /// The stable name stored in the database and the locale key suffix.
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::Submitted => "submitted",
            EventKind::Routed => "routed",
            EventKind::Rerouted => "rerouted",
            EventKind::CoordinatingBodyAdded => "coordinating_body_added",
            EventKind::DraftSaved => "draft_saved",
            EventKind::SentForReview => "sent_for_review",
            EventKind::Approved => "approved",
            EventKind::Returned => "returned",
            EventKind::SentBack => "sent_back",
            EventKind::Published => "published",
            EventKind::Withdrawn => "withdrawn",
            EventKind::Merged => "merged",
            EventKind::MergeReceived => "merge_received",
            EventKind::ImplementationStarted => "implementation_started",
            EventKind::ImplementationDone => "implementation_done",
            EventKind::SatisfactionGiven => "satisfaction_given",
            EventKind::AnswerEmailed => "answer_emailed",
            EventKind::SatisfactionReplied => "satisfaction_replied",
        }
    }

    /// Whether the delegate sees this step on their item's timeline. Internal
    /// drafting steps stay inside the body.
    pub fn visible_to_delegate(self) -> bool {
        matches!(
            self,
            EventKind::Submitted
                | EventKind::Routed
                | EventKind::Rerouted
                | EventKind::Published
                | EventKind::Withdrawn
                | EventKind::Merged
                | EventKind::ImplementationStarted
                | EventKind::ImplementationDone
                | EventKind::SatisfactionGiven
                | EventKind::AnswerEmailed
                | EventKind::SatisfactionReplied
        )
    }
}

/// A step to record.
#[derive(Debug, Clone)]
pub struct NewEvent {
    /// The item.
    pub item: ItemId,
    /// Who did it (None for the system).
    pub actor: Option<UserId>,
    /// What happened.
    pub kind: EventKind,
    /// State before.
    pub from_status: Option<ItemStatus>,
    /// State after.
    pub to_status: Option<ItemStatus>,
    /// Body before (re-routing).
    pub from_body: Option<i32>,
    /// Body after (routing, coordinating body added).
    pub to_body: Option<i32>,
    /// Reason or comment given.
    pub comment: String,
    /// When.
    pub at: NaiveDateTime,
}

/// A timeline entry with the actor's name.
#[derive(Debug, Clone, Queryable, Serialize)]
pub struct TimelineEntry {
    /// Row id.
    pub id: i32,
    /// Kind name.
    pub kind: String,
    /// State before.
    pub from_status: Option<String>,
    /// State after.
    pub to_status: Option<String>,
    /// Body before.
    pub from_body_id: Option<i32>,
    /// Body after.
    pub to_body_id: Option<i32>,
    /// Reason or comment.
    pub comment: String,
    /// When.
    pub created_at: NaiveDateTime,
    /// The actor's id.
    pub actor_id: Option<i32>,
    /// The actor's name.
    pub actor_name: Option<String>,
}

impl NewEvent {
    /// A step by `actor` on `item` with no state or body change.
    pub fn new(item: ItemId, actor: UserId, kind: EventKind, at: NaiveDateTime) -> NewEvent {
        NewEvent {
            item,
            actor: Some(actor),
            kind,
            from_status: None,
            to_status: None,
            from_body: None,
            to_body: None,
            comment: String::new(),
            at,
        }
    }

    /// A step the app took by itself (routing by the table, a mail sent).
    pub fn system(item: ItemId, kind: EventKind, at: NaiveDateTime) -> NewEvent {
        NewEvent {
            actor: None,
            ..NewEvent::new(item, UserId(0), kind, at)
        }
    }

    /// Adds the state change.
    pub fn moved(mut self, from: ItemStatus, to: ItemStatus) -> NewEvent {
        self.from_status = Some(from);
        self.to_status = Some(to);
        self
    }

    /// Adds a comment or reason.
    pub fn comment(mut self, comment: &str) -> NewEvent {
        self.comment = comment.to_owned();
        self
    }

    /// Adds the body change.
    pub fn bodies(mut self, from: Option<i32>, to: Option<i32>) -> NewEvent {
        self.from_body = from;
        self.to_body = to;
        self
    }

    /// Records the step.
    pub fn insert(&self, conn: &mut DbConnection) -> QueryResult<()> {
        diesel::insert_into(item_events::table)
            .values((
                item_events::item_id.eq(self.item.0),
                item_events::actor_id.eq(self.actor.map(|a| a.0)),
                item_events::kind.eq(self.kind.as_str()),
                item_events::from_status.eq(self.from_status),
                item_events::to_status.eq(self.to_status),
                item_events::from_body_id.eq(self.from_body),
                item_events::to_body_id.eq(self.to_body),
                item_events::comment.eq(&self.comment),
                item_events::created_at.eq(self.at),
            ))
            .execute(conn)
            .map(|_| ())
    }
}

/// The item's timeline, oldest first; `delegate_view` keeps only what the delegate
/// may see.
pub fn timeline(
    conn: &mut DbConnection,
    item: ItemId,
    delegate_view: bool,
) -> QueryResult<Vec<TimelineEntry>> {
    let mut query = item_events::table
        .left_join(users::table)
        .filter(item_events::item_id.eq(item.0))
        .into_boxed();
    if delegate_view {
        let shown: Vec<&'static str> = EventKind::ALL
            .into_iter()
            .filter(|kind| kind.visible_to_delegate())
            .map(EventKind::as_str)
            .collect();
        query = query.filter(item_events::kind.eq_any(shown));
    }
    query
        .order(item_events::id)
        .select((
            item_events::id,
            item_events::kind,
            item_events::from_status,
            item_events::to_status,
            item_events::from_body_id,
            item_events::to_body_id,
            item_events::comment,
            item_events::created_at,
            item_events::actor_id,
            users::full_name.nullable(),
        ))
        .load(conn)
}
