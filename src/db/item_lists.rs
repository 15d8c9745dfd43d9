//! Lists of items: the filters and order a queue page asks for, and the page
//! itself, read so that its cost does not grow with the list.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

use super::items::{scoped, BoxedItems, Item, Scope};
use super::schema::{bodies, fields, item_coordinating_bodies, items, users};
use super::search::{Engine, SearchWords};
use super::DbConnection;
use crate::domain::deadlines::Urgency;
use crate::domain::follow_up::{Outcome, Resolution};
use crate::domain::{BodyId, ConferenceId, FieldId, ItemStatus};

/// Order of a list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    /// Whatever is due next first, stage or whole answer (the working order of a
    /// queue); items owing nothing come last.
    #[default]
    NextDueFirst,
    /// Earliest overall due date (the whole answer's) first.
    DeadlineFirst,
    /// Newest first.
    NewestFirst,
    /// Most relevant to the search first (issue 12); without a search, the
    /// working order ([`Sort::NextDueFirst`]).
    Relevance,
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
    /// Only items that stand so against their deadlines at that instant (the same
    /// rule as [`Urgency::at`], on the stored clock columns).
    pub urgency: Option<(Urgency, NaiveDateTime)>,
    /// Diacritic-free words that must each begin a word of the reference, title,
    /// content, related units or published answer (searched through the index of
    /// [`super::search`]).
    pub search: Option<String>,
    /// Only items waiting for triage: unrouted, or held by a coordinating body.
    pub triage: bool,
    /// Only items whose published answer has this outcome (issue 10).
    pub outcome: Option<Outcome>,
    /// Only items answered, resolved, or answered and not resolved (issue 10).
    pub resolution: Option<Resolution>,
    /// Only items of this conference (the thematic report, issue 11).
    pub conference: Option<ConferenceId>,
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
    /// Due date of the whole answer.
    pub deadline: NaiveDateTime,
    /// What is due next (stage or whole answer); None once nothing is owed.
    pub next_due_at: Option<NaiveDateTime>,
    /// From when it is due soon.
    pub due_soon_at: Option<NaiveDateTime>,
    /// When its clock was paused, if it is.
    pub paused_at: Option<NaiveDateTime>,
    /// The whole answer's first due date, before any extension.
    pub original_deadline: NaiveDateTime,
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
    /// When the answer was published.
    pub published_at: Option<NaiveDateTime>,
    /// When the item was resolved.
    pub resolved_at: Option<NaiveDateTime>,
}

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
        let engine = Engine::of(conn);
        let words = filter.search.as_deref().and_then(SearchWords::parse);
        let sort = match (filter.sort, &words) {
            (Sort::Relevance, Some(words)) => {
                let ordered = filtered(engine, scope, filter)
                    .order(words.relevance(engine))
                    .then_order_by(items::id);
                return Item::page_in_order(conn, ordered, total, offset, limit);
            }
            (Sort::Relevance, None) => Sort::NextDueFirst,
            (sort, _) => sort,
        };
        let ordered = match sort {
            // PostgreSQL already puts NULLs (items owing nothing) last, and can
            // read the order from the `items_next_due` index; SQLite puts them
            // first, so there an explicit first key sends them to the end.
            Sort::NextDueFirst => match conn {
                DbConnection::Postgresql(_) => {
                    filtered(engine, scope, filter).order((items::next_due_at, items::id))
                }
                DbConnection::Sqlite(_) => filtered(engine, scope, filter).order((
                    items::next_due_at.is_null(),
                    items::next_due_at,
                    items::id,
                )),
            },
            Sort::DeadlineFirst => {
                filtered(engine, scope, filter).order((items::deadline, items::id))
            }
            Sort::NewestFirst | Sort::Relevance => {
                filtered(engine, scope, filter).order(items::id.desc())
            }
        };
        Item::page_in_order(conn, ordered, total, offset, limit)
    }

    /// The page at `offset` of an ordered list query, its rows read by id.
    fn page_in_order(
        conn: &mut DbConnection,
        ordered: BoxedItems<'static>,
        total: Count,
        offset: i64,
        limit: i64,
    ) -> QueryResult<ItemPage> {
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
                items::next_due_at,
                items::due_soon_at,
                items::paused_at,
                items::original_deadline,
                fields::name_vi,
                fields::name_en,
                bodies::name_vi.nullable(),
                bodies::name_en.nullable(),
                users::full_name,
                items::published_at,
                items::resolved_at,
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
        let ids: Vec<i32> = filtered(Engine::of(conn), scope, filter)
            .select(items::id)
            .limit(COUNT_CAP + 1)
            .load(conn)?;
        let n = ids.len() as i64;
        Ok(Count {
            n: n.min(COUNT_CAP),
            more: n > COUNT_CAP,
        })
    }
}

fn filtered(engine: Engine, scope: Scope, filter: &ItemFilter) -> BoxedItems<'static> {
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
    if let Some(conference) = filter.conference {
        query = query.filter(items::conference_id.eq(conference.0));
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
    if let Some((urgency, now)) = filter.urgency {
        // Only items owing an answer have a next due instant.
        query = query.filter(items::next_due_at.is_not_null());
        query = match urgency {
            Urgency::Paused => query.filter(items::paused_at.is_not_null()),
            Urgency::Overdue => query
                .filter(items::paused_at.is_null())
                .filter(items::next_due_at.lt(now)),
            Urgency::DueSoon => query
                .filter(items::paused_at.is_null())
                .filter(items::next_due_at.ge(now))
                .filter(items::due_soon_at.le(now)),
            Urgency::InTime => query
                .filter(items::paused_at.is_null())
                .filter(items::next_due_at.ge(now))
                .filter(items::due_soon_at.is_null().or(items::due_soon_at.gt(now))),
        };
    }
    if let Some(outcome) = filter.outcome {
        query = query.filter(items::outcome.eq(outcome));
    }
    query = match filter.resolution {
        None => query,
        Some(Resolution::Answered) => query.filter(items::published_at.is_not_null()),
        Some(Resolution::Resolved) => query.filter(items::resolved_at.is_not_null()),
        Some(Resolution::AnsweredNotResolved) => query
            .filter(items::published_at.is_not_null())
            .filter(items::resolved_at.is_null()),
    };
    // Through the index; text with nothing searchable in it (only punctuation)
    // filters nothing.
    if let Some(words) = filter.search.as_deref().and_then(SearchWords::parse) {
        query = query.filter(words.matches(engine));
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

/// One row of an exported list (issue 11): the columns a reader of the
/// spreadsheet expects, names in both languages.
#[derive(Debug, Clone, Queryable)]
pub struct ExportLine {
    /// Row id: the key the next batch starts after.
    pub id: i32,
    /// Human reference.
    pub reference: String,
    /// Title.
    pub title: String,
    /// Status name.
    pub status: String,
    /// The published answer's outcome name, if any.
    pub outcome: Option<String>,
    /// Filing time.
    pub submitted_at: NaiveDateTime,
    /// Due date of the whole answer.
    pub deadline: NaiveDateTime,
    /// When the answer was published.
    pub published_at: Option<NaiveDateTime>,
    /// When the item was resolved.
    pub resolved_at: Option<NaiveDateTime>,
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

impl Item {
    /// The ids of the first `limit` items `scope` may see that match `filter`,
    /// in filing order: what a report over a filter reads its rows by.
    pub fn matching_ids(
        conn: &mut DbConnection,
        scope: Scope,
        filter: &ItemFilter,
        limit: i64,
    ) -> QueryResult<Vec<i32>> {
        filtered(Engine::of(conn), scope, filter)
            .order(items::id)
            .select(items::id)
            .limit(limit)
            .load(conn)
    }

    /// The next `limit` items of a list after item `after`, in filing order (by
    /// id): an export reads the whole filtered list in such batches, so neither
    /// the database nor the server holds it at once, and each batch starts on
    /// the primary key's index however far into the list it is (no OFFSET).
    pub fn export_batch(
        conn: &mut DbConnection,
        scope: Scope,
        filter: &ItemFilter,
        after: i32,
        limit: i64,
    ) -> QueryResult<Vec<ExportLine>> {
        let ids: Vec<i32> = filtered(Engine::of(conn), scope, filter)
            .filter(items::id.gt(after))
            .order(items::id)
            .select(items::id)
            .limit(limit)
            .load(conn)?;
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        items::table
            .inner_join(fields::table)
            .left_join(bodies::table)
            .inner_join(users::table)
            .filter(items::id.eq_any(&ids))
            .order(items::id)
            .select((
                items::id,
                items::reference,
                items::title,
                items::status,
                items::outcome,
                items::submitted_at,
                items::deadline,
                items::published_at,
                items::resolved_at,
                fields::name_vi,
                fields::name_en,
                bodies::name_vi.nullable(),
                bodies::name_en.nullable(),
                users::full_name,
            ))
            .load(conn)
    }
}
