//! "Your sessions": where the user is signed in, and signing out everywhere else.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use chrono::NaiveDateTime;
use serde::Serialize;
use tera::Context;

use super::auth::EmptyForm;
use super::pages::{flash, now, page, see_other, with_db, Renderer};
use crate::auth::{CsrfForm, CurrentUser};
use crate::db::sessions::SessionRow;
use crate::domain::browser::describe;
use crate::error::AppError;
use crate::i18n::Lang;
use crate::routes::AppState;

/// One session as the page lists it.
#[derive(Debug, Serialize)]
struct SessionLine {
    /// Such as "Chrome trên Windows".
    browser: String,
    started: NaiveDateTime,
    last_active: NaiveDateTime,
    /// The session of this very request.
    current: bool,
}

/// The page's content.
#[derive(Debug, Serialize)]
struct SessionsPage {
    sessions: Vec<SessionLine>,
    /// Whether there is any other session to end.
    others: bool,
    /// The idle timeout, for the explanation.
    idle_minutes: String,
    /// The absolute lifetime, for the explanation.
    max_hours: String,
}

/// The browser of a session in words, from its stored user agent.
fn browser_in_words(renderer: &Renderer, lang: Lang, user_agent: Option<&str>) -> String {
    let named = describe(user_agent.unwrap_or(""));
    let browser = match named.browser {
        Some(name) => name.to_owned(),
        None => renderer.text(lang, "sessions_unknown_browser"),
    };
    match named.system {
        Some(system) => renderer
            .text(lang, "sessions_browser_on")
            .replace("{browser}", &browser)
            .replace("{system}", system),
        None => browser,
    }
}

/// `GET /account/sessions`: the user's live sessions, this one marked.
pub async fn list(
    state: web::Data<AppState>,
    current: CurrentUser,
) -> Result<HttpResponse, AppError> {
    let user = current.user.user_id();
    let lifetimes = state.config.sessions;
    let rows = with_db(&state.pool, move |conn| {
        let at = now();
        Ok(SessionRow::list_for_user(
            conn,
            user,
            at - lifetimes.idle,
            at - lifetimes.absolute,
        )?)
    })
    .await?;
    let lang = current.visit.lang;
    let sessions: Vec<SessionLine> = rows
        .iter()
        .map(|row| SessionLine {
            browser: browser_in_words(&state.renderer, lang, row.user_agent.as_deref()),
            started: row.created_at,
            last_active: row.last_seen_at,
            current: row.id_hash == current.session,
        })
        .collect();
    let content = SessionsPage {
        others: sessions.iter().any(|s| !s.current),
        sessions,
        idle_minutes: lifetimes.idle.num_minutes().to_string(),
        max_hours: lifetimes.absolute.num_hours().to_string(),
    };
    page(
        &state,
        &current.visit,
        "auth/sessions.html",
        Context::from_serialize(content)?,
        StatusCode::OK,
    )
    .await
}

/// `POST /account/sessions/others`: ends every other session of the user.
pub async fn end_others(
    state: web::Data<AppState>,
    current: CurrentUser,
    CsrfForm(_): CsrfForm<EmptyForm>,
) -> Result<HttpResponse, AppError> {
    let user = current.user.user_id();
    let keep = current.session.clone();
    let ended = with_db(&state.pool, move |conn| {
        let ended = SessionRow::delete_others(conn, user, &keep)?;
        flash(conn, &keep, "sessions_flash_others_ended")?;
        Ok(ended)
    })
    .await?;
    tracing::info!(user = user.0, ended, "signed out of other sessions");
    Ok(see_other("/account/sessions"))
}
