//! Requests for more time (`deadline_extensions`): the lead body asks for a later
//! due date with a reason, a coordinator grants or refuses it. Deciding is a
//! conditional update on a pending row, so two decisions cannot both win.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

use super::schema::{deadline_extensions, users};
use super::DbConnection;
use crate::domain::deadlines::ExtensionStatus;
use crate::domain::{ItemId, UserId};

/// One request for more time, with the names of who asked and who decided.
#[derive(Debug, Clone, Serialize)]
pub struct Extension {
    /// Row id.
    pub id: i32,
    /// The item.
    pub item_id: i32,
    /// Who asked.
    pub requested_by: i32,
    /// Their name.
    pub requested_by_name: String,
    /// When they asked.
    pub requested_at: NaiveDateTime,
    /// Why more time is needed.
    pub reason: String,
    /// The answer's due instant when they asked.
    pub previous_deadline: NaiveDateTime,
    /// The due instant asked for (close of office on the date asked).
    pub requested_deadline: NaiveDateTime,
    /// Pending, granted or refused.
    pub status: ExtensionStatus,
    /// The coordinator's name, once decided.
    pub decided_by_name: Option<String>,
    /// When it was decided.
    pub decided_at: Option<NaiveDateTime>,
    /// The coordinator's comment.
    pub decision_comment: String,
}

/// A request about to be recorded.
#[derive(Debug, Clone)]
pub struct NewExtension<'a> {
    /// The item.
    pub item: ItemId,
    /// Who asks.
    pub by: UserId,
    /// When.
    pub at: NaiveDateTime,
    /// Why.
    pub reason: &'a str,
    /// The answer's due instant now.
    pub previous_deadline: NaiveDateTime,
    /// The due instant asked for.
    pub requested_deadline: NaiveDateTime,
}

impl NewExtension<'_> {
    /// Records the request as pending; returns its id.
    pub fn insert(&self, conn: &mut DbConnection) -> QueryResult<i32> {
        diesel::insert_into(deadline_extensions::table)
            .values((
                deadline_extensions::item_id.eq(self.item.0),
                deadline_extensions::requested_by.eq(self.by.0),
                deadline_extensions::requested_at.eq(self.at),
                deadline_extensions::reason.eq(self.reason),
                deadline_extensions::previous_deadline.eq(self.previous_deadline),
                deadline_extensions::requested_deadline.eq(self.requested_deadline),
                deadline_extensions::status.eq(ExtensionStatus::Pending),
                deadline_extensions::decision_comment.eq(""),
            ))
            .returning(deadline_extensions::id)
            .get_result(conn)
    }
}

type ExtensionRow = (
    i32,
    i32,
    i32,
    String,
    NaiveDateTime,
    String,
    NaiveDateTime,
    NaiveDateTime,
    ExtensionStatus,
    Option<i32>,
    Option<NaiveDateTime>,
    String,
);

impl Extension {
    /// The item's requests, oldest first.
    pub fn of_item(conn: &mut DbConnection, item: ItemId) -> QueryResult<Vec<Extension>> {
        let rows: Vec<ExtensionRow> = deadline_extensions::table
            .inner_join(users::table.on(users::id.eq(deadline_extensions::requested_by)))
            .filter(deadline_extensions::item_id.eq(item.0))
            .order(deadline_extensions::id)
            .select((
                deadline_extensions::id,
                deadline_extensions::item_id,
                deadline_extensions::requested_by,
                users::full_name,
                deadline_extensions::requested_at,
                deadline_extensions::reason,
                deadline_extensions::previous_deadline,
                deadline_extensions::requested_deadline,
                deadline_extensions::status,
                deadline_extensions::decided_by,
                deadline_extensions::decided_at,
                deadline_extensions::decision_comment,
            ))
            .load(conn)?;
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            let decided_by_name = match row.9 {
                Some(id) => users::table
                    .find(id)
                    .select(users::full_name)
                    .first::<String>(conn)
                    .optional()?,
                None => None,
            };
            out.push(Extension {
                id: row.0,
                item_id: row.1,
                requested_by: row.2,
                requested_by_name: row.3,
                requested_at: row.4,
                reason: row.5,
                previous_deadline: row.6,
                requested_deadline: row.7,
                status: row.8,
                decided_by_name,
                decided_at: row.10,
                decision_comment: row.11,
            });
        }
        Ok(out)
    }

    /// The item's pending request, if any (there is at most one).
    pub fn pending_of(conn: &mut DbConnection, item: ItemId) -> QueryResult<Option<Extension>> {
        Ok(Extension::of_item(conn, item)?
            .into_iter()
            .find(|e| e.status == ExtensionStatus::Pending))
    }

    /// Decides request `id` of `item` if it is still pending; false when someone
    /// decided it first (or it is not this item's).
    pub fn decide(
        conn: &mut DbConnection,
        id: i32,
        item: ItemId,
        status: ExtensionStatus,
        by: UserId,
        at: NaiveDateTime,
        comment: &str,
    ) -> QueryResult<bool> {
        let changed = diesel::update(
            deadline_extensions::table
                .find(id)
                .filter(deadline_extensions::item_id.eq(item.0))
                .filter(deadline_extensions::status.eq(ExtensionStatus::Pending)),
        )
        .set((
            deadline_extensions::status.eq(status),
            deadline_extensions::decided_by.eq(by.0),
            deadline_extensions::decided_at.eq(at),
            deadline_extensions::decision_comment.eq(comment),
        ))
        .execute(conn)?;
        Ok(changed == 1)
    }
}
