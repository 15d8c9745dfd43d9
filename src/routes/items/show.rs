//! One item's page, as each role may see it, and its printable form.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use serde::Serialize;
use std::collections::HashMap;
use tera::Context;

use crate::auth::CurrentUser;
use crate::db::conferences::Conference;
use crate::db::item_view::{load_view, ItemView};
use crate::domain::follow_up::Outcome;
use crate::domain::{ConferenceId, ItemId, Satisfaction};
use crate::error::AppError;
use crate::routes::forms::FormErrors;
use crate::routes::pages::{now, typed_page, with_db, NavCounts};
use crate::routes::AppState;

/// The item page's template variables.
#[derive(Serialize)]
struct ItemPage {
    view: ItemView,
    errors: FormErrors,
    input: HashMap<&'static str, String>,
    satisfaction_levels: [&'static str; 3],
    /// The answer's outcomes, in the order the drafting form offers them.
    outcomes: [&'static str; 5],
}

/// The printable item's template variables.
#[derive(Serialize)]
struct PrintPage {
    view: ItemView,
    conference: Option<Conference>,
    printed_at: chrono::NaiveDateTime,
}

/// Renders the item page, optionally with a form's errors and input kept.
pub(super) async fn item_page(
    state: &AppState,
    current: &CurrentUser,
    id: ItemId,
    errors: FormErrors,
    input: HashMap<&'static str, String>,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let actor = current.actor();
    let lang = current.visit.lang;
    let view = with_db(&state.pool, move |conn| {
        Ok(load_view(conn, &actor, id, lang, now())?)
    })
    .await?;
    let context = ItemPage {
        view,
        errors,
        input,
        satisfaction_levels: Satisfaction::ALL.map(|s| s.as_str()),
        outcomes: Outcome::ALL.map(|o| o.as_str()),
    };
    typed_page(state, &current.visit, "items/show.html", &context, status).await
}

/// `GET /items/{id}`.
pub async fn show(
    state: web::Data<AppState>,
    current: CurrentUser,
    path: web::Path<i32>,
) -> Result<HttpResponse, AppError> {
    let id = ItemId(path.into_inner());
    item_page(
        &state,
        &current,
        id,
        FormErrors::default(),
        HashMap::new(),
        StatusCode::OK,
    )
    .await
}

/// `GET /items/{id}/print`: the item with its answer as a document to print or
/// file: no navigation or forms, the conference and notice in the heading.
pub async fn print(
    state: web::Data<AppState>,
    current: CurrentUser,
    path: web::Path<i32>,
) -> Result<HttpResponse, AppError> {
    let id = ItemId(path.into_inner());
    let actor = current.actor();
    let lang = current.visit.lang;
    let (view, conference) = with_db(&state.pool, move |conn| {
        let view = load_view(conn, &actor, id, lang, now())?;
        let conference = Conference::find(conn, ConferenceId(view.item.conference_id))?;
        Ok((view, conference))
    })
    .await?;
    let context = PrintPage {
        view,
        conference,
        printed_at: now(),
    };
    let html = state.renderer.render(
        &current.visit,
        &NavCounts::default(),
        "items/print.html",
        Context::from_serialize(&context)?,
    )?;
    Ok(HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(html))
}
