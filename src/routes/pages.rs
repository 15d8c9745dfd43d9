//! What every page handler shares: the navigation counts, rendering a full page,
//! redirects and one-time messages, and database work off the async executor.

use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpResponse};
use chrono::{NaiveDateTime, Utc};
use serde::Serialize;
use tera::Context;

use crate::auth::Visit;
use crate::db::items::{Count, Item, ItemFilter, Scope};
use crate::db::{DbConnection, DbPool};
use crate::domain::{Actor, ItemStatus, Role};
use crate::error::AppError;
use crate::i18n::Lang;
use crate::routes::AppState;
// Handlers name the renderer with the page helpers they use it with.
pub use crate::render::Renderer;

/// The counts shown beside each navigation link.
#[derive(Debug, Default, Serialize)]
pub struct NavCounts {
    /// Delegate: their items still waiting for an answer.
    pub my_open: Count,
    /// Staff: their body's items waiting for an answer.
    pub queue: Count,
    /// Staff: items their body coordinates on that still wait for an answer.
    pub coordinating: Count,
    /// Approver: drafts waiting for approval.
    pub review: Count,
    /// Coordinator: items waiting for triage.
    pub triage: Count,
    /// Coordinator: approved answers waiting for publication.
    pub to_publish: Count,
}

/// Counts for the navigation of the visit's user (a few indexed COUNT queries).
pub fn nav_counts(conn: &mut DbConnection, visit: &Visit) -> Result<NavCounts, AppError> {
    let Some(user) = &visit.user else {
        return Ok(NavCounts::default());
    };
    let actor = Actor {
        user: user.user_id(),
        role: user.role(),
        body: user.body(),
    };
    let scope = Scope::for_actor(&actor);
    let waiting: Vec<ItemStatus> = ItemStatus::ALL
        .into_iter()
        .filter(|s| s.awaits_answer())
        .collect();
    let mut counts = NavCounts::default();
    match actor.role {
        Role::Delegate => {
            counts.my_open = Item::count(
                conn,
                scope,
                &ItemFilter {
                    statuses: waiting,
                    ..Default::default()
                },
            )?;
        }
        Role::Drafter | Role::Approver => {
            let own = ItemFilter {
                statuses: waiting.clone(),
                lead_body: actor.body,
                ..Default::default()
            };
            counts.queue = Item::count(conn, scope, &own)?;
            let helping = ItemFilter {
                statuses: waiting,
                coordinating_body: actor.body,
                ..Default::default()
            };
            counts.coordinating = Item::count(conn, scope, &helping)?;
            if actor.role == Role::Approver {
                let review = ItemFilter {
                    status: Some(ItemStatus::InReview),
                    lead_body: actor.body,
                    ..Default::default()
                };
                counts.review = Item::count(conn, scope, &review)?;
            }
        }
        Role::Coordinator => {
            counts.triage = Item::count(
                conn,
                scope,
                &ItemFilter {
                    triage: true,
                    ..Default::default()
                },
            )?;
            let approved = ItemFilter {
                status: Some(ItemStatus::Approved),
                ..Default::default()
            };
            counts.to_publish = Item::count(conn, scope, &approved)?;
        }
        Role::Admin | Role::Leadership => {}
    }
    Ok(counts)
}

/// Renders a full page for `visit`, loading the navigation counts.
pub async fn page(
    state: &AppState,
    visit: &Visit,
    template: &'static str,
    context: Context,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let pool = state.pool.clone();
    let for_counts = visit.clone();
    let nav = web::block(move || -> Result<NavCounts, AppError> {
        let mut conn = pool.get()?;
        nav_counts(&mut conn, &for_counts)
    })
    .await??;
    let html = state.renderer.render(visit, &nav, template, context)?;
    Ok(HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .body(html))
}

/// Renders a full page from a typed context: each field of `context` is a
/// variable of the template, under the field's name.
pub async fn typed_page(
    state: &AppState,
    visit: &Visit,
    template: &'static str,
    context: &impl Serialize,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    page(
        state,
        visit,
        template,
        Context::from_serialize(context)?,
        status,
    )
    .await
}

/// A 303 "see other" to `location`, the answer to every successful POST.
pub fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, location))
        .finish()
}

/// Leaves a one-time message for the next page of this session.
pub fn flash(conn: &mut DbConnection, session: &str, key: &str) -> Result<(), AppError> {
    crate::db::sessions::SessionRow::set_flash(conn, session, key)?;
    Ok(())
}

/// Runs database work on the blocking pool with a pooled connection.
pub async fn with_db<T: Send + 'static>(
    pool: &DbPool,
    work: impl FnOnce(&mut DbConnection) -> Result<T, AppError> + Send + 'static,
) -> Result<T, AppError> {
    let pool = pool.clone();
    web::block(move || {
        let mut conn = pool.get()?;
        work(&mut conn)
    })
    .await?
}

/// The current time, as stored (UTC without offset).
pub fn now() -> NaiveDateTime {
    Utc::now().naive_utc()
}

/// A path to return to after a form, accepted only if it stays on this site.
pub fn local_path(candidate: &str) -> &str {
    if candidate.starts_with('/') && !candidate.starts_with("//") && !candidate.contains('\\') {
        candidate
    } else {
        "/"
    }
}

/// How long to wait, in words: seconds below two minutes, else whole minutes
/// (rounded up).
pub fn wait_in_words(state: &AppState, lang: Lang, seconds: i64) -> String {
    let (key, n) = if seconds < 120 {
        ("wait_seconds", seconds)
    } else {
        ("wait_minutes", (seconds + 59) / 60)
    };
    state
        .renderer
        .text(lang, key)
        .replace("{n}", &n.to_string())
}
