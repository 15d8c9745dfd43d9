//! Server-side sessions. The cookie holds only a random id;
//! this table holds a keyed hash of it, so a copy of the database opens no session.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{sessions, users};
use super::users::User;
use super::{DbConnection, StoreError};
use crate::domain::UserId;

/// A session row.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = sessions)]
pub struct SessionRow {
    /// Keyed hash of the cookie's id.
    pub id_hash: String,
    /// The logged-in user; None before login.
    pub user_id: Option<i32>,
    /// The token every form of this session carries.
    pub csrf_token: String,
    /// Language chosen in this session.
    pub locale: String,
    /// A one-time message for the next page.
    pub flash: Option<String>,
    /// Start (for the absolute expiry).
    pub created_at: NaiveDateTime,
    /// Last request (for the idle expiry).
    pub last_seen_at: NaiveDateTime,
    /// The browser's `User-Agent` (shortened), kept on the session's first request.
    pub user_agent: Option<String>,
}

impl SessionRow {
    /// Starts a session.
    pub fn insert(
        conn: &mut DbConnection,
        id_hash: &str,
        user: Option<UserId>,
        csrf_token: &str,
        locale: &str,
        now: NaiveDateTime,
    ) -> QueryResult<()> {
        diesel::insert_into(sessions::table)
            .values((
                sessions::id_hash.eq(id_hash),
                sessions::user_id.eq(user.map(|u| u.0)),
                sessions::csrf_token.eq(csrf_token),
                sessions::locale.eq(locale),
                sessions::created_at.eq(now),
                sessions::last_seen_at.eq(now),
            ))
            .execute(conn)
            .map(|_| ())
    }

    /// The session and its (active) user, if the session exists.
    pub fn find_with_user(
        conn: &mut DbConnection,
        id_hash: &str,
    ) -> QueryResult<Option<(SessionRow, Option<User>)>> {
        sessions::table
            .left_join(users::table)
            .filter(sessions::id_hash.eq(id_hash))
            .select((SessionRow::as_select(), Option::<User>::as_select()))
            .first(conn)
            .optional()
    }

    /// Records activity, for the idle expiry.
    pub fn touch(conn: &mut DbConnection, id_hash: &str, now: NaiveDateTime) -> QueryResult<()> {
        diesel::update(sessions::table.find(id_hash))
            .set(sessions::last_seen_at.eq(now))
            .execute(conn)
            .map(|_| ())
    }

    /// Keeps the browser's user agent with the session.
    pub fn set_user_agent(
        conn: &mut DbConnection,
        id_hash: &str,
        user_agent: &str,
    ) -> Result<(), StoreError> {
        diesel::update(sessions::table.find(id_hash))
            .set(sessions::user_agent.eq(Some(user_agent)))
            .execute(conn)?;
        Ok(())
    }

    /// The user's signed-in sessions still alive at `now`, most recently active
    /// first.
    pub fn list_for_user(
        conn: &mut DbConnection,
        user: UserId,
        idle_cutoff: NaiveDateTime,
        absolute_cutoff: NaiveDateTime,
    ) -> Result<Vec<SessionRow>, StoreError> {
        Ok(sessions::table
            .filter(sessions::user_id.eq(user.0))
            .filter(sessions::last_seen_at.ge(idle_cutoff))
            .filter(sessions::created_at.ge(absolute_cutoff))
            .order((sessions::last_seen_at.desc(), sessions::created_at.desc()))
            .select(SessionRow::as_select())
            .load(conn)?)
    }

    /// Ends every session of `user` (signed in, or waiting for their second-factor
    /// code) except `keep`; returns how many ended.
    pub fn delete_others(
        conn: &mut DbConnection,
        user: UserId,
        keep: &str,
    ) -> Result<usize, StoreError> {
        Ok(diesel::delete(
            sessions::table
                .filter(
                    sessions::user_id
                        .eq(user.0)
                        .or(sessions::pending_user_id.eq(user.0)),
                )
                .filter(sessions::id_hash.ne(keep)),
        )
        .execute(conn)?)
    }

    /// Ends one session.
    pub fn delete(conn: &mut DbConnection, id_hash: &str) -> QueryResult<()> {
        diesel::delete(sessions::table.find(id_hash))
            .execute(conn)
            .map(|_| ())
    }

    /// Removes sessions idle since before `idle_cutoff` or started before
    /// `absolute_cutoff`.
    pub fn delete_expired(
        conn: &mut DbConnection,
        idle_cutoff: NaiveDateTime,
        absolute_cutoff: NaiveDateTime,
    ) -> QueryResult<usize> {
        diesel::delete(
            sessions::table.filter(
                sessions::last_seen_at
                    .lt(idle_cutoff)
                    .or(sessions::created_at.lt(absolute_cutoff)),
            ),
        )
        .execute(conn)
    }

    /// Changes the session's language.
    pub fn set_locale(conn: &mut DbConnection, id_hash: &str, locale: &str) -> QueryResult<()> {
        diesel::update(sessions::table.find(id_hash))
            .set(sessions::locale.eq(locale))
            .execute(conn)
            .map(|_| ())
    }

    /// Leaves a one-time message for the next page.
    pub fn set_flash(conn: &mut DbConnection, id_hash: &str, key: &str) -> QueryResult<()> {
        diesel::update(sessions::table.find(id_hash))
            .set(sessions::flash.eq(Some(key)))
            .execute(conn)
            .map(|_| ())
    }

    /// Clears the one-time message once shown.
    pub fn clear_flash(conn: &mut DbConnection, id_hash: &str) -> QueryResult<()> {
        diesel::update(sessions::table.find(id_hash))
            .set(sessions::flash.eq(None::<String>))
            .execute(conn)
            .map(|_| ())
    }
}
