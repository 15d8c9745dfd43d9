//! Items (proposals and recommendations): rows, the scope every item query is
//! narrowed by, and the conditional status update that every state change uses.
//! Lists of items are in `item_lists`.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

pub use super::item_lists::{Count, ItemFilter, ItemLine, ItemPage, Sort, COUNT_CAP};
use super::schema::{item_coordinating_bodies, items};
use super::{ConflictKind, StoreError};
use super::{DbConnection, MultiBackend};
use crate::domain::follow_up::Outcome;
use crate::domain::{Action, BodyId, ItemId, ItemStatus, Satisfaction, UserId};

/// One item, as stored.
#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = items)]
pub struct Item {
    /// Row id.
    pub id: i32,
    /// The conference it was filed to.
    pub conference_id: i32,
    /// Gap-free number within the conference.
    pub reference_number: i32,
    /// Human reference, such as `KN-2023-0042`.
    pub reference: String,
    /// The delegate who filed it.
    pub delegate_id: i32,
    /// The form's one-time token, so a double-clicked submit files once.
    #[serde(skip)]
    pub submission_token: String,
    /// Title.
    pub title: String,
    /// The proposal's text, line breaks kept.
    pub content: String,
    /// Field chosen by the delegate.
    pub field_id: i32,
    /// Units the delegate names as concerned (free text).
    pub related_units: String,
    /// Where the item stands.
    pub status: ItemStatus,
    /// The body that answers (chủ trì).
    pub lead_body_id: Option<i32>,
    /// The item this one was merged into.
    pub merged_into_id: Option<i32>,
    /// The answer revision the approver approved.
    pub approved_revision_id: Option<i32>,
    /// The answer revision the delegate sees.
    pub published_revision_id: Option<i32>,
    /// When it was filed.
    pub submitted_at: NaiveDateTime,
    /// When the answer is due.
    pub deadline: NaiveDateTime,
    /// When the answer was published.
    pub published_at: Option<NaiveDateTime>,
    /// Last change.
    pub updated_at: NaiveDateTime,
    /// The delegate's verdict on the answer.
    pub satisfaction: Option<Satisfaction>,
    /// The delegate's comment on the answer.
    pub satisfaction_comment: Option<String>,
    /// Reference, title and content folded for diacritic-free search.
    #[serde(skip)]
    pub search_text: String,
    /// When the running stage is due; None once no answer is owed.
    pub stage_due_at: Option<NaiveDateTime>,
    /// The earlier of the stage's and the answer's due instants; None once no
    /// answer is owed.
    pub next_due_at: Option<NaiveDateTime>,
    /// From when the item counts as due soon.
    pub due_soon_at: Option<NaiveDateTime>,
    /// When its clock was paused; None while it runs.
    pub paused_at: Option<NaiveDateTime>,
    /// The answer's due date as first set, before any extension.
    pub original_deadline: NaiveDateTime,
    /// The published answer's outcome.
    pub outcome: Option<Outcome>,
    /// When every commitment of the answer was done (the item is resolved).
    pub resolved_at: Option<NaiveDateTime>,
    /// The delegate's verdict on the result (apart from the answer).
    pub result_satisfaction: Option<Satisfaction>,
    /// The delegate's comment on the result.
    pub result_comment: Option<String>,
}

/// A new item, as the submission stores it.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = items)]
pub struct NewItem {
    /// Conference.
    pub conference_id: i32,
    /// Gap-free number.
    pub reference_number: i32,
    /// Human reference.
    pub reference: String,
    /// Filing delegate.
    pub delegate_id: i32,
    /// One-time form token.
    pub submission_token: String,
    /// Title.
    pub title: String,
    /// Text.
    pub content: String,
    /// Field.
    pub field_id: i32,
    /// Related units.
    pub related_units: String,
    /// Initial status.
    pub status: ItemStatus,
    /// Lead body from the routing table.
    pub lead_body_id: Option<i32>,
    /// Filing time.
    pub submitted_at: NaiveDateTime,
    /// Due date.
    pub deadline: NaiveDateTime,
    /// The same due date, kept when an extension moves `deadline`.
    pub original_deadline: NaiveDateTime,
    /// Same as filing time.
    pub updated_at: NaiveDateTime,
    /// Folded search text.
    pub search_text: String,
}

/// Whose items a person may see; every item query is narrowed by one of these.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// A delegate: only their own items.
    Delegate(UserId),
    /// Staff of a body: items it leads or coordinates on.
    Body(BodyId),
    /// Coordinators: every item.
    Everything,
    /// Administrators and anyone else: no items.
    Nothing,
}

impl Item {
    /// Where the item stands (an unknown stored value fails the row's read).
    pub fn status(&self) -> ItemStatus {
        self.status
    }

    /// The typed id.
    pub fn item_id(&self) -> ItemId {
        ItemId(self.id)
    }

    /// One item, if `scope` may see it. Forbidden and missing are the same `None`.
    pub fn find_visible(
        conn: &mut DbConnection,
        id: ItemId,
        scope: Scope,
    ) -> QueryResult<Option<Item>> {
        scoped(items::table.into_boxed(), scope)
            .filter(items::id.eq(id.0))
            .select(Item::as_select())
            .first(conn)
            .optional()
    }

    /// One item regardless of who asks; for internal steps only.
    pub fn find(conn: &mut DbConnection, id: ItemId) -> QueryResult<Option<Item>> {
        items::table
            .find(id.0)
            .select(Item::as_select())
            .first(conn)
            .optional()
    }

    /// The item a delegate already filed with this form token, if any.
    pub fn find_by_submission_token(
        conn: &mut DbConnection,
        delegate: UserId,
        token: &str,
    ) -> QueryResult<Option<Item>> {
        items::table
            .filter(items::delegate_id.eq(delegate.0))
            .filter(items::submission_token.eq(token))
            .select(Item::as_select())
            .first(conn)
            .optional()
    }

    /// The item with this human reference, whoever may see it (the caller checks).
    pub fn find_by_reference(
        conn: &mut DbConnection,
        reference: &str,
    ) -> QueryResult<Option<ItemId>> {
        items::table
            .filter(items::reference.eq(reference))
            .select(items::id)
            .first(conn)
            .optional()
            .map(|id| id.map(ItemId))
    }

    /// Items merged into this one.
    pub fn merged_into(conn: &mut DbConnection, id: ItemId) -> QueryResult<Vec<Item>> {
        items::table
            .filter(items::merged_into_id.eq(id.0))
            .order(items::id)
            .select(Item::as_select())
            .load(conn)
    }

    /// Moves the item from `from` by `action`, but only if nobody changed its state
    /// in the meantime: the `WHERE status = from` makes concurrent moves safe on both
    /// engines. Returns the new state, or a conflict if the item moved on. The
    /// item's clock follows (see `db::deadlines`); a step that changes the lead body
    /// does so before it moves the state, so the new stage belongs to the new body.
    pub fn transition(
        conn: &mut DbConnection,
        id: ItemId,
        from: ItemStatus,
        action: Action,
        now: NaiveDateTime,
    ) -> Result<ItemStatus, StoreError> {
        let to = from
            .apply(action)
            .map_err(|_| StoreError::Conflict(ConflictKind::Transition))?;
        let changed = diesel::update(
            items::table
                .filter(items::id.eq(id.0))
                .filter(items::status.eq(from)),
        )
        .set((items::status.eq(to), items::updated_at.eq(now)))
        .execute(conn)?;
        if changed == 1 {
            super::deadlines::on_transition(conn, id, from, to, action, now)?;
            Ok(to)
        } else {
            Err(StoreError::Conflict(ConflictKind::Transition))
        }
    }
}

impl NewItem {
    /// Stores the item and returns its id.
    pub fn insert(&self, conn: &mut DbConnection) -> QueryResult<ItemId> {
        diesel::insert_into(items::table)
            .values(self)
            .returning(items::id)
            .get_result(conn)
            .map(ItemId)
    }
}

/// A boxed query on items, for queries built up step by step.
pub(super) type BoxedItems<'a> = items::BoxedQuery<'a, MultiBackend>;

/// Narrows a query to what `scope` may see: the owner or body is in the query
/// itself, never checked after loading.
pub(super) fn scoped(query: BoxedItems<'static>, scope: Scope) -> BoxedItems<'static> {
    match scope {
        Scope::Delegate(user) => query.filter(items::delegate_id.eq(user.0)),
        Scope::Body(body) => query.filter(
            items::lead_body_id.eq(body.0).or(items::id.eq_any(
                item_coordinating_bodies::table
                    .filter(item_coordinating_bodies::body_id.eq(body.0))
                    .select(item_coordinating_bodies::item_id),
            )),
        ),
        Scope::Everything => query,
        Scope::Nothing => query.filter(items::id.eq(-1)),
    }
}

impl Scope {
    /// The items `actor` may see at all.
    pub fn for_actor(actor: &crate::domain::Actor) -> Scope {
        use crate::domain::Role;
        match (actor.role, actor.body) {
            (Role::Delegate, _) => Scope::Delegate(actor.user),
            (Role::Drafter | Role::Approver, Some(body)) => Scope::Body(body),
            (Role::Coordinator | Role::Leadership, _) => Scope::Everything,
            _ => Scope::Nothing,
        }
    }
}
