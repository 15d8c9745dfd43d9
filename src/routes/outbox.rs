//! The outbox page: every email with its fate, for administrators and coordinators,
//! and resending what failed.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use serde::{Deserialize, Serialize};

use super::pages::{flash, now, see_other, typed_page, with_db};
use crate::auth::CsrfForm;
use crate::db::outbox::{self, MailEvent, MailStatus};
use crate::domain::credentials::mask_email;
use crate::error::AppError;
use crate::routes::roles::Overseer;
use crate::routes::AppState;

/// Messages per page.
const PER_PAGE: i64 = 50;

/// Filters as they arrive; anything unreadable is ignored.
#[derive(Debug, Default, Deserialize, Serialize)]
pub struct OutboxQuery {
    #[serde(default)]
    status: String,
    #[serde(default)]
    event: String,
    #[serde(default)]
    page: String,
}

/// A line of the outbox page.
#[derive(Debug, Serialize)]
struct Line {
    id: i32,
    recipient: String,
    event: String,
    item: Option<(i32, String)>,
    status: String,
    attempts: i32,
    last_error: Option<String>,
    created_at: chrono::NaiveDateTime,
    next_attempt_at: chrono::NaiveDateTime,
    sent_at: Option<chrono::NaiveDateTime>,
}

/// The outbox page's template variables.
#[derive(Debug, Serialize)]
struct OutboxPage {
    lines: Vec<Line>,
    total: i64,
    page: i64,
    pages: i64,
    query: OutboxQuery,
    statuses: Vec<&'static str>,
    events: Vec<&'static str>,
}

/// `GET /outbox`.
pub async fn list(
    state: web::Data<AppState>,
    current: Overseer,
    query: web::Query<OutboxQuery>,
) -> Result<HttpResponse, AppError> {
    let query = query.into_inner();
    let status = MailStatus::parse(&query.status);
    let event = MailEvent::parse(&query.event);
    let page_number = query.page.parse::<i64>().unwrap_or(1).clamp(1, 100_000);
    let offset = (page_number - 1) * PER_PAGE;
    let (lines, total) = with_db(&state.pool, move |conn| {
        let (rows, total) = outbox::page(conn, status, event, offset, PER_PAGE)?;
        let mut lines = Vec::with_capacity(rows.len());
        for (row, reference) in rows {
            let item = row.item_id.zip(reference);
            lines.push(Line {
                id: row.id,
                recipient: mask_email(&row.recipient_email),
                event: row.event.as_str().to_owned(),
                item,
                status: row.status.as_str().to_owned(),
                attempts: row.attempts,
                last_error: row.last_error,
                created_at: row.created_at,
                next_attempt_at: row.next_attempt_at,
                sent_at: row.sent_at,
            });
        }
        Ok((lines, total))
    })
    .await?;
    let context = OutboxPage {
        lines,
        total,
        page: page_number,
        pages: ((total + PER_PAGE - 1) / PER_PAGE).max(1),
        query,
        statuses: MailStatus::ALL.map(MailStatus::as_str).to_vec(),
        events: MailEvent::ALL.map(MailEvent::as_str).to_vec(),
    };
    typed_page(
        &state,
        &current.visit,
        "outbox/list.html",
        &context,
        StatusCode::OK,
    )
    .await
}

/// An empty form (the CSRF token only).
#[derive(Debug, Deserialize)]
pub struct EmptyForm {}

/// `POST /outbox/{id}/resend`: one failed message goes back in the queue.
pub async fn resend(
    state: web::Data<AppState>,
    current: Overseer,
    path: web::Path<i32>,
    CsrfForm(_): CsrfForm<EmptyForm>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let session = current.session.clone();
    with_db(&state.pool, move |conn| {
        if outbox::resend(conn, id, now())? == 0 {
            return Err(AppError::Conflict("error_not_failed"));
        }
        flash(conn, &session, "flash_resent")
    })
    .await?;
    Ok(see_other("/outbox"))
}

/// `POST /outbox/resend-failed`: every failed message goes back in the queue.
pub async fn resend_failed(
    state: web::Data<AppState>,
    current: Overseer,
    CsrfForm(_): CsrfForm<EmptyForm>,
) -> Result<HttpResponse, AppError> {
    let session = current.session.clone();
    with_db(&state.pool, move |conn| {
        outbox::resend_all_failed(conn, now())?;
        flash(conn, &session, "flash_resent")
    })
    .await?;
    Ok(see_other("/outbox"))
}
