//! Items (proposals and recommendations): rows, the queue queries and the
//! conditional status update that every state change uses.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

use super::schema::{bodies, fields, item_coordinating_bodies, items, users};
use super::{ConflictKind, StoreError};
use super::{DbConnection, MultiBackend};
use crate::domain::{Action, BodyId, FieldId, ItemId, ItemStatus, Satisfaction, UserId};

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

/// Order of a list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    /// Earliest deadline first (the working order of a queue).
    #[default]
    DeadlineFirst,
    /// Newest first.
    NewestFirst,
}

/// What a list page asks for.
#[derive(Debug, Clone, Default)]
pub struct ItemFilter {
    /// Only items in this state.
    pub status: Option<ItemStatus>,
    /// Only items in any of these states (used by the review queue and triage).
    pub statuses: Vec<ItemStatus>,
    /// Only items of this field.
    pub field: Option<FieldId>,
    /// Only items led by this body.
    pub lead_body: Option<BodyId>,
    /// Only items this body was asked to coordinate on.
    pub coordinating_body: Option<BodyId>,
    /// Only items still owed an answer whose deadline has passed.
    pub overdue_at: Option<NaiveDateTime>,
    /// Diacritic-free words that must appear in reference, title or content.
    pub search: Option<String>,
    /// Only items waiting for triage: unrouted, or held by a coordinating body.
    pub triage: bool,
    /// Order.
    pub sort: Sort,
}

/// One line of a list: an item with the names it is shown with.
#[derive(Debug, Clone, Queryable, Serialize)]
pub struct ItemLine {
    /// Row id.
    pub id: i32,
    /// Human reference.
    pub reference: String,
    /// Title.
    pub title: String,
    /// Status name.
    pub status: String,
    /// Filing time.
    pub submitted_at: NaiveDateTime,
    /// Due date.
    pub deadline: NaiveDateTime,
    /// Field, Vietnamese.
    pub field_vi: String,
    /// Field, English.
    pub field_en: String,
    /// Lead body, Vietnamese.
    pub body_vi: Option<String>,
    /// Lead body, English.
    pub body_en: Option<String>,
    /// Delegate's name.
    pub delegate_name: String,
}

type BoxedItems<'a> = items::BoxedQuery<'a, MultiBackend>;

/// Counts stop here: past it a list says "1000+", so that counting costs the same
/// for a queue of 100,000 items as for one of 1,000.
pub const COUNT_CAP: i64 = 1000;

/// How many items a list holds, counted up to [`COUNT_CAP`]. Shown as `25`, or
/// as `1000+` when there are more.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Count {
    /// The number counted.
    pub n: i64,
    /// Whether there are more than `n`.
    pub more: bool,
}

impl Serialize for Count {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if self.more {
            serializer.collect_str(&format_args!("{}+", self.n))
        } else {
            serializer.collect_str(&self.n)
        }
    }
}

/// One page of a list.
#[derive(Debug, Clone, Serialize)]
pub struct ItemPage {
    /// The lines of this page, in order.
    pub lines: Vec<ItemLine>,
    /// How many items the whole list holds.
    pub total: Count,
    /// Whether a next page exists.
    pub has_next: bool,
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

    /// One page of the items `scope` may see that match `filter`. Its cost does not
    /// grow with the list: the count stops at [`COUNT_CAP`], the page's ids come
    /// from an index in list order, and the page's rows are read by id.
    pub fn page(
        conn: &mut DbConnection,
        scope: Scope,
        filter: &ItemFilter,
        offset: i64,
        limit: i64,
    ) -> QueryResult<ItemPage> {
        let total = Item::count(conn, scope, filter)?;
        let ordered = match filter.sort {
            Sort::DeadlineFirst => filtered(scope, filter).order((items::deadline, items::id)),
            Sort::NewestFirst => filtered(scope, filter).order(items::id.desc()),
        };
        // One more than the page, to know whether a next page exists.
        let mut ids: Vec<i32> = ordered
            .select(items::id)
            .offset(offset)
            .limit(limit + 1)
            .load(conn)?;
        let has_next = ids.len() as i64 > limit;
        ids.truncate(limit as usize);
        let mut lines: Vec<ItemLine> = items::table
            .inner_join(fields::table)
            .left_join(bodies::table)
            .inner_join(users::table)
            .filter(items::id.eq_any(&ids))
            .select((
                items::id,
                items::reference,
                items::title,
                items::status,
                items::submitted_at,
                items::deadline,
                fields::name_vi,
                fields::name_en,
                bodies::name_vi.nullable(),
                bodies::name_en.nullable(),
                users::full_name,
            ))
            .load(conn)?;
        // Keep the order of the id query, which did the sorting on the index.
        lines.sort_by_key(|line| ids.iter().position(|id| *id == line.id));
        Ok(ItemPage {
            lines,
            total,
            has_next,
        })
    }

    /// How many items `scope` may see that match `filter`, up to [`COUNT_CAP`]:
    /// reading at most that many ids stays cheap however long the list is.
    pub fn count(conn: &mut DbConnection, scope: Scope, filter: &ItemFilter) -> QueryResult<Count> {
        let ids: Vec<i32> = filtered(scope, filter)
            .select(items::id)
            .limit(COUNT_CAP + 1)
            .load(conn)?;
        let n = ids.len() as i64;
        Ok(Count {
            n: n.min(COUNT_CAP),
            more: n > COUNT_CAP,
        })
    }

    /// Moves the item from `from` by `action`, but only if nobody changed its state
    /// in the meantime: the `WHERE status = from` makes concurrent moves safe on both
    /// engines. Returns the new state, or a conflict if the item moved on.
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

/// Narrows a query to what `scope` may see: the owner or body is in the query
/// itself, never checked after loading.
fn scoped(query: BoxedItems<'static>, scope: Scope) -> BoxedItems<'static> {
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

fn filtered(scope: Scope, filter: &ItemFilter) -> BoxedItems<'static> {
    // A filter on the viewer's own body already keeps the query inside their scope;
    // leaving the scope's OR out lets the engine use the body's index.
    let implied = match scope {
        Scope::Body(body) => {
            filter.lead_body == Some(body) || filter.coordinating_body == Some(body)
        }
        _ => false,
    };
    let mut query = if implied {
        items::table.into_boxed()
    } else {
        scoped(items::table.into_boxed(), scope)
    };
    if let Some(status) = filter.status {
        query = query.filter(items::status.eq(status));
    }
    if !filter.statuses.is_empty() {
        query = query.filter(items::status.eq_any(filter.statuses.clone()));
    }
    if let Some(field) = filter.field {
        query = query.filter(items::field_id.eq(field.0));
    }
    if let Some(body) = filter.lead_body {
        query = query.filter(items::lead_body_id.eq(body.0));
    }
    if let Some(body) = filter.coordinating_body {
        query = query.filter(
            items::id.eq_any(
                item_coordinating_bodies::table
                    .filter(item_coordinating_bodies::body_id.eq(body.0))
                    .select(item_coordinating_bodies::item_id),
            ),
        );
    }
    if let Some(now) = filter.overdue_at {
        let waiting: Vec<ItemStatus> = ItemStatus::ALL
            .into_iter()
            .filter(|s| s.awaits_answer())
            .collect();
        query = query
            .filter(items::deadline.lt(now))
            .filter(items::status.eq_any(waiting));
    }
    if let Some(search) = &filter.search {
        for word in search.split_whitespace() {
            let escaped = word
                .replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_");
            query = query.filter(items::search_text.like(format!("%{escaped}%")).escape('\\'));
        }
    }
    if filter.triage {
        query = query.filter(
            items::status
                .eq(ItemStatus::Submitted)
                .or(items::status.eq(ItemStatus::Routed).and(
                    items::lead_body_id.eq_any(
                        bodies::table
                            .filter(bodies::is_coordinating.eq(true))
                            .select(bodies::id.nullable()),
                    ),
                )),
        );
    }
    query
}

impl Scope {
    /// The items `actor` may see at all.
    pub fn for_actor(actor: &crate::domain::Actor) -> Scope {
        use crate::domain::Role;
        match (actor.role, actor.body) {
            (Role::Delegate, _) => Scope::Delegate(actor.user),
            (Role::Drafter | Role::Approver, Some(body)) => Scope::Body(body),
            (Role::Coordinator, _) => Scope::Everything,
            _ => Scope::Nothing,
        }
    }
}
