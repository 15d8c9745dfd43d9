//! Responsible bodies (ban, đảng ủy, văn phòng) and their queries.

use diesel::prelude::*;
use serde::Serialize;

use super::schema::bodies;
use super::DbConnection;
use crate::domain::BodyId;
use crate::domain::Lang;

/// A body that answers or coordinates items.
#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = bodies)]
pub struct Body {
    /// Row id.
    pub id: i32,
    /// Short stable code, such as `TCTU`.
    pub code: String,
    /// Vietnamese name.
    pub name_vi: String,
    /// English name.
    pub name_en: String,
    /// Whether it is one of the coordinating bodies (Agencies Bloc, Office).
    pub is_coordinating: bool,
    /// Inactive bodies keep their history but get no new items.
    pub active: bool,
    /// The body this one is a unit of (a department of the People's Committee,
    /// say): its parent may ask it for contributions (issue 10).
    pub parent_id: Option<i32>,
}

/// The editable part of a body, for creating and updating. No parent is stored
/// as NULL, so an edit can make a unit a body of its own again.
#[derive(Debug, Clone, Insertable, AsChangeset)]
#[diesel(table_name = bodies, treat_none_as_null = true)]
pub struct BodyForm {
    /// Short stable code.
    pub code: String,
    /// Vietnamese name.
    pub name_vi: String,
    /// English name.
    pub name_en: String,
    /// Whether it coordinates.
    pub is_coordinating: bool,
    /// Whether it takes new items.
    pub active: bool,
    /// The body it is a unit of (issue 10), if any.
    pub parent_id: Option<i32>,
}

impl Body {
    /// The body's name in `lang`.
    pub fn name(&self, lang: Lang) -> &str {
        lang.pick(&self.name_vi, &self.name_en)
    }

    /// Every body, active first, by code.
    pub fn all(conn: &mut DbConnection) -> QueryResult<Vec<Body>> {
        bodies::table
            .order((bodies::active.desc(), bodies::code))
            .select(Body::as_select())
            .load(conn)
    }

    /// One body by id.
    pub fn find(conn: &mut DbConnection, id: BodyId) -> QueryResult<Option<Body>> {
        bodies::table
            .find(id.0)
            .select(Body::as_select())
            .first(conn)
            .optional()
    }

    /// One body by its code.
    pub fn find_by_code(conn: &mut DbConnection, code: &str) -> QueryResult<Option<Body>> {
        bodies::table
            .filter(bodies::code.eq(code))
            .select(Body::as_select())
            .first(conn)
            .optional()
    }
}

impl BodyForm {
    /// Adds a new body and returns its id.
    pub fn insert(&self, conn: &mut DbConnection) -> QueryResult<BodyId> {
        diesel::insert_into(bodies::table)
            .values(self)
            .returning(bodies::id)
            .get_result(conn)
            .map(BodyId)
    }

    /// Saves changes to an existing body.
    pub fn update(&self, conn: &mut DbConnection, id: BodyId) -> QueryResult<usize> {
        diesel::update(bodies::table.find(id.0))
            .set(self)
            .execute(conn)
    }
}
