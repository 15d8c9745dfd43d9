//! Fields (lĩnh vực) and the routing table: each field's default lead body.

use diesel::prelude::*;
use serde::Serialize;

use super::schema::fields;
use super::DbConnection;
use crate::domain::FieldId;
use crate::domain::Lang;

/// A field of proposals, with the body that answers it by default.
#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = fields)]
pub struct Field {
    /// Row id.
    pub id: i32,
    /// Short stable code, such as `to-chuc-can-bo`.
    pub code: String,
    /// Vietnamese name.
    pub name_vi: String,
    /// English name.
    pub name_en: String,
    /// The routing table: where new items of this field go. None means triage.
    pub lead_body_id: Option<i32>,
    /// Position in lists.
    pub sort_order: i32,
    /// Inactive fields are not offered to delegates.
    pub active: bool,
}

/// The editable part of a field, for creating and updating.
#[derive(Debug, Clone, Insertable, AsChangeset)]
#[diesel(table_name = fields, treat_none_as_null = true)]
pub struct FieldForm {
    /// Short stable code.
    pub code: String,
    /// Vietnamese name.
    pub name_vi: String,
    /// English name.
    pub name_en: String,
    /// Default lead body.
    pub lead_body_id: Option<i32>,
    /// Position in lists.
    pub sort_order: i32,
    /// Whether delegates can choose it.
    pub active: bool,
}

impl Field {
    /// The field's name in `lang`.
    pub fn name(&self, lang: Lang) -> &str {
        lang.pick(&self.name_vi, &self.name_en)
    }

    /// Every field in list order.
    pub fn all(conn: &mut DbConnection) -> QueryResult<Vec<Field>> {
        fields::table
            .order((fields::sort_order, fields::id))
            .select(Field::as_select())
            .load(conn)
    }

    /// The fields a delegate may choose.
    pub fn active(conn: &mut DbConnection) -> QueryResult<Vec<Field>> {
        fields::table
            .filter(fields::active.eq(true))
            .order((fields::sort_order, fields::id))
            .select(Field::as_select())
            .load(conn)
    }

    /// One field by id.
    pub fn find(conn: &mut DbConnection, id: FieldId) -> QueryResult<Option<Field>> {
        fields::table
            .find(id.0)
            .select(Field::as_select())
            .first(conn)
            .optional()
    }
}

impl FieldForm {
    /// Adds a new field and returns its id.
    pub fn insert(&self, conn: &mut DbConnection) -> QueryResult<FieldId> {
        diesel::insert_into(fields::table)
            .values(self)
            .returning(fields::id)
            .get_result(conn)
            .map(FieldId)
    }

    /// Saves changes to an existing field.
    pub fn update(&self, conn: &mut DbConnection, id: FieldId) -> QueryResult<usize> {
        diesel::update(fields::table.find(id.0))
            .set(self)
            .execute(conn)
    }
}
