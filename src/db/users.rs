//! User accounts and their queries.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

use super::schema::{muted_notices, sessions, users};
use super::DbConnection;
use crate::domain::{BodyId, MailEvent, Role, UserId};

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
    /// What the user does on the desk.
    pub role: Role,
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
    /// Role.
    pub role: Role,
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
    /// Role.
    pub role: Role,
    /// Body, for staff.
    pub body_id: Option<i32>,
    /// Whether the account can log in.
    pub active: bool,
}

impl User {
    /// What the user does on the desk (an unknown stored value fails the row's read).
    pub fn role(&self) -> Role {
        self.role
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
        users::table
            .filter(users::body_id.eq(body))
            .filter(users::role.eq_any(roles))
            .filter(users::active.eq(true))
            .order(users::id)
            .select(User::as_select())
            .load(conn)
    }

    /// Every active user with `role`.
    pub fn with_role(conn: &mut DbConnection, role: Role) -> QueryResult<Vec<User>> {
        users::table
            .filter(users::role.eq(role))
            .filter(users::active.eq(true))
            .order(users::id)
            .select(User::as_select())
            .load(conn)
    }

    /// The staff notices the user turned off. The delegate's own mails and account
    /// mails are always sent.
    pub fn muted_notices(conn: &mut DbConnection, id: UserId) -> QueryResult<Vec<MailEvent>> {
        muted_notices::table
            .filter(muted_notices::user_id.eq(id.0))
            .order(muted_notices::event)
            .select(muted_notices::event)
            .load(conn)
    }

    /// Whether the user turned off `event`.
    pub fn mutes(conn: &mut DbConnection, id: UserId, event: MailEvent) -> QueryResult<bool> {
        let rows: i64 = muted_notices::table
            .filter(muted_notices::user_id.eq(id.0))
            .filter(muted_notices::event.eq(event))
            .count()
            .get_result(conn)?;
        Ok(rows > 0)
    }

    /// Stores which staff notices the user turned off (replacing the old choice).
    /// Only staff notices can be muted; other events in `muted` are ignored.
    pub fn set_muted_notices(
        conn: &mut DbConnection,
        id: UserId,
        muted: &[MailEvent],
    ) -> QueryResult<()> {
        conn.transaction(|conn| {
            diesel::delete(muted_notices::table.filter(muted_notices::user_id.eq(id.0)))
                .execute(conn)?;
            let mut events: Vec<MailEvent> = muted
                .iter()
                .copied()
                .filter(|event| event.is_staff_notice())
                .collect();
            events.sort_by_key(|event| event.as_str());
            events.dedup();
            for event in events {
                diesel::insert_into(muted_notices::table)
                    .values((
                        muted_notices::user_id.eq(id.0),
                        muted_notices::event.eq(event),
                    ))
                    .execute(conn)?;
            }
            Ok(())
        })
    }

    /// Which of `emails` (already lower-cased) belong to an account, in one query:
    /// what an import checks all its rows against.
    pub fn existing_emails(
        conn: &mut DbConnection,
        emails: &[String],
    ) -> QueryResult<std::collections::HashSet<String>> {
        let mut found = std::collections::HashSet::new();
        // Keep each statement's list of values well under SQLite's and
        // PostgreSQL's limits on bound parameters.
        for chunk in emails.chunks(500) {
            let rows: Vec<String> = users::table
                .filter(users::email.eq_any(chunk))
                .select(users::email)
                .load(conn)?;
            found.extend(rows);
        }
        Ok(found)
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
