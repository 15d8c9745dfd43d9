//! Server-side sessions: the cookie carries a random id, the database a keyed hash
//! of it with the user, the CSRF token, the language and a one-time message.

use actix_web::cookie::{Cookie, SameSite};
use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpMessage, HttpRequest};
use chrono::{Duration, NaiveDateTime};
use std::future::{ready, Ready};

use crate::config::{Config, SecretKey, SessionSettings};
use crate::db::{sessions::SessionRow, users::User, DbConnection};
use crate::domain::{Actor, UserId};
use crate::error::AppError;
use crate::i18n::Lang;

/// Longest user agent kept with a session, in characters.
const USER_AGENT_LIMIT: usize = 300;
/// Activity is written back at most this often, to spare the database a write per
/// request.
const TOUCH_EVERY: Duration = Duration::minutes(1);

pub use crate::secrets::random_token;

/// The keyed hash under which a session id is stored.
pub fn hash_session_id(secret: &SecretKey, id: &str) -> String {
    crate::secrets::keyed_hash(secret, id)
}

/// The session cookie's name: `__Host-` prefixed when served over https, which
/// browsers only accept with Secure, Path=/ and no Domain.
pub fn cookie_name(config: &Config) -> &'static str {
    if config.uses_https() {
        "__Host-session"
    } else {
        "session"
    }
}

/// The cookie that carries a session id.
pub fn session_cookie(config: &Config, id: String) -> Cookie<'static> {
    Cookie::build(cookie_name(config), id)
        .path("/")
        .http_only(true)
        .secure(config.uses_https())
        .same_site(SameSite::Lax)
        .finish()
}

/// A cookie that removes the session cookie.
pub fn removal_cookie(config: &Config) -> Cookie<'static> {
    let mut cookie = session_cookie(config, String::new());
    cookie.make_removal();
    cookie
}

/// A session just started: the id for the cookie, and the stored hash and CSRF
/// token, so the page that started it can use them without reading them back.
#[derive(Debug, Clone)]
pub struct Started {
    /// The id the cookie carries.
    pub id: String,
    /// The stored keyed hash of the id.
    pub id_hash: String,
    /// The session's CSRF token.
    pub csrf_token: String,
}

/// Starts a new session (anonymous or for `user`).
pub fn start(
    conn: &mut DbConnection,
    secret: &SecretKey,
    user: Option<UserId>,
    lang: Lang,
    now: NaiveDateTime,
) -> Result<Started, AppError> {
    let id = random_token();
    let started = Started {
        id_hash: hash_session_id(secret, &id),
        csrf_token: random_token(),
        id,
    };
    SessionRow::insert(
        conn,
        &started.id_hash,
        user,
        &started.csrf_token,
        lang.code(),
        now,
    )?;
    Ok(started)
}

/// What the request knows about its visitor, put in the request's extensions by
/// the session middleware.
#[derive(Debug, Clone, Default)]
pub struct Visit {
    /// The stored hash of the session id, when there is a live session.
    pub id_hash: Option<String>,
    /// The session's CSRF token.
    pub csrf_token: Option<String>,
    /// The language to answer in.
    pub lang: Lang,
    /// The logged-in, active user.
    pub user: Option<User>,
    /// A one-time message to show on this page.
    pub flash: Option<String>,
    /// The cookie named a signed-in session that has just expired.
    pub expired: bool,
}

impl Visit {
    /// Loads the visit for a session id from the cookie, ending it if it has
    /// expired or its user was deactivated. Activity is written back at most once
    /// a minute; the browser's user agent is kept on the session's first request.
    pub fn load(
        conn: &mut DbConnection,
        secret: &SecretKey,
        lifetimes: &SessionSettings,
        request: &RequestFacts,
        now: NaiveDateTime,
    ) -> Result<Visit, AppError> {
        let cookie_id = request.cookie_id.as_deref();
        let Some(id) = cookie_id.filter(|id| !id.is_empty()) else {
            return Ok(Visit::default());
        };
        let id_hash = hash_session_id(secret, id);
        let Some((row, user)) = SessionRow::find_with_user(conn, &id_hash)? else {
            return Ok(Visit::default());
        };
        let expired =
            row.last_seen_at + lifetimes.idle < now || row.created_at + lifetimes.absolute < now;
        let user_gone = row.user_id.is_some() && !user.as_ref().is_some_and(|u| u.active);
        if expired || user_gone {
            SessionRow::delete(conn, &id_hash)?;
            return Ok(Visit {
                expired: expired && row.user_id.is_some(),
                ..Visit::default()
            });
        }
        if now - row.last_seen_at > TOUCH_EVERY {
            SessionRow::touch(conn, &id_hash, now)?;
        }
        if row.user_agent.is_none() {
            let agent: String = request
                .user_agent
                .as_deref()
                .unwrap_or("")
                .chars()
                .filter(|c| !c.is_control())
                .take(USER_AGENT_LIMIT)
                .collect();
            SessionRow::set_user_agent(conn, &id_hash, &agent)?;
        }
        let flash = if request.take_flash && row.flash.is_some() {
            SessionRow::clear_flash(conn, &id_hash)?;
            row.flash
        } else {
            None
        };
        Ok(Visit {
            id_hash: Some(id_hash),
            csrf_token: Some(row.csrf_token),
            lang: Lang::from_code(&row.locale),
            user,
            flash,
            expired: false,
        })
    }
}

/// What [`Visit::load`] needs from the request.
#[derive(Debug, Clone, Default)]
pub struct RequestFacts {
    /// The session cookie's value.
    pub cookie_id: Option<String>,
    /// The `User-Agent` header.
    pub user_agent: Option<String>,
    /// Whether this request shows (and so uses up) the one-time message.
    pub take_flash: bool,
}

impl FromRequest for Visit {
    type Error = AppError;
    type Future = Ready<Result<Visit, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(Ok(req
            .extensions()
            .get::<Visit>()
            .cloned()
            .unwrap_or_default()))
    }
}

/// The logged-in user of a request; handlers that take it need a login.
#[derive(Debug, Clone)]
pub struct CurrentUser {
    /// The user.
    pub user: User,
    /// The session's stored id hash.
    pub session: String,
    /// The visit it came from.
    pub visit: Visit,
}

impl CurrentUser {
    /// The user as an actor for permission checks.
    pub fn actor(&self) -> Actor {
        Actor {
            user: self.user.user_id(),
            role: self.user.role(),
            body: self.user.body(),
        }
    }
}

impl FromRequest for CurrentUser {
    type Error = AppError;
    type Future = Ready<Result<CurrentUser, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let visit = req.extensions().get::<Visit>().cloned().unwrap_or_default();
        ready(match (visit.user.clone(), visit.id_hash.clone()) {
            (Some(user), Some(session)) => Ok(CurrentUser {
                user,
                session,
                visit,
            }),
            _ => Err(AppError::LoginRequired),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn session_ids_are_stored_only_as_keyed_hashes() {
        let key = SecretKey::new(vec![7; 32]);
        let other_key = SecretKey::new(vec![8; 32]);
        let id = random_token();
        assert_eq!(id.len(), 64);
        assert_ne!(hash_session_id(&key, &id), id);
        assert_eq!(hash_session_id(&key, &id), hash_session_id(&key, &id));
        assert_ne!(hash_session_id(&key, &id), hash_session_id(&other_key, &id));
    }
}
