//! `GET /contributions`: the requests for contributions made to the reader's
//! body (issue 10), open first by due date, each a link to its item.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use serde::Serialize;

use super::pages::{now, typed_page, with_db};
use crate::db::contributions::{asked_of_body, AskedLine};
use crate::error::AppError;
use crate::routes::roles::Staff;
use crate::routes::AppState;

/// The template variables of `/contributions`.
#[derive(Debug, Serialize)]
struct ContributionsPage {
    lines: Vec<AskedLine>,
}

/// `GET /contributions`: the reader's body's requests.
pub async fn list(state: web::Data<AppState>, current: Staff) -> Result<HttpResponse, AppError> {
    let lang = current.visit.lang;
    let body = current.actor().body;
    let lines = with_db(&state.pool, move |conn| match body {
        Some(body) => Ok(asked_of_body(conn, body, lang, now())?),
        None => Ok(Vec::new()),
    })
    .await?;
    let context = ContributionsPage { lines };
    typed_page(
        &state,
        &current.visit,
        "contributions/list.html",
        &context,
        StatusCode::OK,
    )
    .await
}
