//! User accounts and their queries.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

use super::schema::{sessions, users};
use super::DbConnection;
use crate::domain::{BodyId, Role, UserId};

/// A person who logs in to the desk.
#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = users)]
pub struct User {
    /// Row id.
    pub id: i32,
    /// Lower-cased login address.
    pub email: String,
    /// Name shown to others.
    pub full_name: String,
    /// The delegate's unit (đơn vị), free text.
    pub unit: String,
    /// Role name; see [`Role`].
    pub role: String,
    /// The body a staff member works in.
    pub body_id: Option<i32>,
    /// argon2id PHC string.
    #[serde(skip)]
    pub password_hash: String,
    /// Preferred language code.
    pub locale: String,
    /// Deactivated users cannot log in.
    pub active: bool,
    /// When the account was made.
    pub created_at: NaiveDateTime,
    /// When the password last changed.
    pub password_changed_at: NaiveDateTime,
    /// The staff notices (mail event names, comma-separated) the user turned off.
    /// The delegate's own mails and account mails are always sent.
    pub muted_notices: String,
}

/// A new account.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = users)]
pub struct NewUser {
    /// Lower-cased login address.
    pub email: String,
    /// Name shown to others.
    pub full_name: String,
    /// Unit, for delegates.
    pub unit: String,
    /// Role name.
    pub role: String,
    /// Body, for staff.
    pub body_id: Option<i32>,
    /// argon2id PHC string.
    pub password_hash: String,
    /// Preferred language code.
    pub locale: String,
    /// Whether the account can log in.
    pub active: bool,
    /// Creation time.
    pub created_at: NaiveDateTime,
    /// Same as creation time at first.
    pub password_changed_at: NaiveDateTime,
}

/// What an administrator may change on an account.
#[derive(Debug, Clone, AsChangeset)]
#[diesel(table_name = users, treat_none_as_null = true)]
pub struct UserChanges {
    /// Name shown to others.
    pub full_name: String,
    /// Unit, for delegates.
    pub unit: String,
    /// Role name.
    pub role: String,
    /// Body, for staff.
    pub body_id: Option<i32>,
    /// Whether the account can log in.
    pub active: bool,
}

impl User {
    /// The parsed role; an unknown stored value is treated as the least powerful.
    pub fn role(&self) -> Role {
        self.role.parse().unwrap_or(Role::Delegate)
    }

    /// The typed id.
    pub fn user_id(&self) -> UserId {
        UserId(self.id)
    }

    /// The typed body id, for staff.
    pub fn body(&self) -> Option<BodyId> {
        self.body_id.map(BodyId)
    }

    /// One account by id.
    pub fn find(conn: &mut DbConnection, id: UserId) -> QueryResult<Option<User>> {
        users::table
            .find(id.0)
            .select(User::as_select())
            .first(conn)
            .optional()
    }

    /// One account by its (already lower-cased) email.
    pub fn find_by_email(conn: &mut DbConnection, email: &str) -> QueryResult<Option<User>> {
        users::table
            .filter(users::email.eq(email))
            .select(User::as_select())
            .first(conn)
            .optional()
    }

    /// One page of accounts, by role then name, with the total count.
    pub fn page(conn: &mut DbConnection, offset: i64, limit: i64) -> QueryResult<(Vec<User>, i64)> {
        let total = users::table.count().get_result(conn)?;
        let rows = users::table
            .order((users::role, users::full_name, users::id))
            .offset(offset)
            .limit(limit)
            .select(User::as_select())
            .load(conn)?;
        Ok((rows, total))
    }

    /// Saves an administrator's changes. Deactivating ends the user's sessions.
    pub fn update(conn: &mut DbConnection, id: UserId, changes: &UserChanges) -> QueryResult<()> {
        diesel::update(users::table.find(id.0))
            .set(changes)
            .execute(conn)?;
        if !changes.active {
            diesel::delete(sessions::table.filter(sessions::user_id.eq(id.0))).execute(conn)?;
        }
        Ok(())
    }

    /// Stores a new password hash and ends every session of the user.
    pub fn set_password_hash(
        conn: &mut DbConnection,
        id: UserId,
        hash: &str,
        now: NaiveDateTime,
    ) -> QueryResult<()> {
        diesel::update(users::table.find(id.0))
            .set((
                users::password_hash.eq(hash),
                users::password_changed_at.eq(now),
            ))
            .execute(conn)?;
        diesel::delete(sessions::table.filter(sessions::user_id.eq(id.0))).execute(conn)?;
        Ok(())
    }

    /// Active staff of `body` with one of `roles`: who is told of the body's work.
    pub fn staff_of_body(
        conn: &mut DbConnection,
        body: i32,
        roles: &[Role],
    ) -> QueryResult<Vec<User>> {
        let names: Vec<&'static str> = roles.iter().map(|r| r.as_str()).collect();
        users::table
            .filter(users::body_id.eq(body))
            .filter(users::role.eq_any(names))
            .filter(users::active.eq(true))
            .order(users::id)
            .select(User::as_select())
            .load(conn)
    }

    /// Every active user with `role`.
    pub fn with_role(conn: &mut DbConnection, role: Role) -> QueryResult<Vec<User>> {
        users::table
            .filter(users::role.eq(role.as_str()))
            .filter(users::active.eq(true))
            .order(users::id)
            .select(User::as_select())
            .load(conn)
    }

    /// Whether the user turned off the notice named `event`.
    pub fn mutes(&self, event: &str) -> bool {
        self.muted_notices.split(',').any(|muted| muted == event)
    }

    /// Stores which staff notices the user turned off.
    pub fn set_muted_notices(
        conn: &mut DbConnection,
        id: UserId,
        muted: &[&str],
    ) -> QueryResult<usize> {
        diesel::update(users::table.find(id.0))
            .set(users::muted_notices.eq(muted.join(",")))
            .execute(conn)
    }

    /// Remembers the user's chosen language.
    pub fn set_locale(conn: &mut DbConnection, id: UserId, locale: &str) -> QueryResult<usize> {
        diesel::update(users::table.find(id.0))
            .set(users::locale.eq(locale))
            .execute(conn)
    }
}

impl NewUser {
    /// Adds the account and returns its id.
    pub fn insert(&self, conn: &mut DbConnection) -> QueryResult<UserId> {
        diesel::insert_into(users::table)
            .values(self)
            .returning(users::id)
            .get_result(conn)
            .map(UserId)
    }
}
