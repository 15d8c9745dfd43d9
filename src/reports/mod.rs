//! Reports built from the figures of `db::stats`: every section is a
//! [`Table`], so the dashboard, the print page and the exports (Excel, CSV) show
//! the same numbers. Texts come through a lookup function so the tables are in
//! the reader's language whoever renders them.

pub mod figures;
pub mod periodic;

use crate::db::bodies::Body;
use crate::db::conferences::Conference;
use crate::db::fields::Field;
use crate::db::DbConnection;
use crate::i18n::Lang;

/// What every report names: the bodies, fields and conferences, read together with
/// its figures.
pub struct Directory {
    /// Every body.
    pub bodies: Vec<Body>,
    /// Every field.
    pub fields: Vec<Field>,
    /// Every conference.
    pub conferences: Vec<Conference>,
}

impl Directory {
    /// Reads the three lists.
    pub fn load(conn: &mut DbConnection) -> diesel::QueryResult<Directory> {
        Ok(Directory {
            bodies: Body::all(conn)?,
            fields: Field::all(conn)?,
            conferences: Conference::all(conn)?,
        })
    }
}

/// Names of bodies and fields in the reader's language, and the texts.
pub struct Names<'a> {
    /// Every body.
    pub bodies: &'a [Body],
    /// Every field.
    pub fields: &'a [Field],
    /// The reader's language.
    pub lang: Lang,
    /// A text by locale key.
    pub text: &'a dyn Fn(&str) -> String,
}

impl Names<'_> {
    /// The text of `key`.
    pub fn t(&self, key: &str) -> String {
        (self.text)(key)
    }

    /// A lead body's name; "not yet routed" for none.
    pub fn body(&self, id: Option<i32>) -> String {
        match id {
            None => self.t("dash_unrouted"),
            Some(id) => self
                .bodies
                .iter()
                .find(|b| b.id == id)
                .map(|b| b.name(self.lang).to_owned())
                .unwrap_or_default(),
        }
    }

    /// A field's name.
    pub fn field(&self, id: i32) -> String {
        self.fields
            .iter()
            .find(|f| f.id == id)
            .map(|f| f.name(self.lang).to_owned())
            .unwrap_or_default()
    }

    /// An outcome's name; "no outcome recorded" for none.
    pub fn outcome(&self, name: Option<&str>) -> String {
        match name {
            Some(name) => self.t(&format!("outcome_{name}")),
            None => self.t("dash_no_outcome"),
        }
    }

    /// A satisfaction level's name; "not rated" for none.
    pub fn satisfaction(&self, name: Option<&str>) -> String {
        match name {
            Some(name) => self.t(&format!("satisfaction_{name}")),
            None => self.t("dash_not_rated"),
        }
    }
}
