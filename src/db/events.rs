//! The timeline: every change to an item, who made it, when, from what to what.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{item_events, users};
use super::DbConnection;
pub use crate::domain::EventKind;
use crate::domain::{ItemId, ItemStatus, UserId};

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
#[derive(Debug, Clone, Queryable)]
pub struct TimelineEntry {
    /// Row id.
    pub id: i32,
    /// What happened.
    pub kind: EventKind,
    /// State before.
    pub from_status: Option<ItemStatus>,
    /// State after.
    pub to_status: Option<ItemStatus>,
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
                item_events::kind.eq(self.kind),
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
        let shown: Vec<EventKind> = EventKind::ALL
            .into_iter()
            .filter(|kind| kind.visible_to_delegate())
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
