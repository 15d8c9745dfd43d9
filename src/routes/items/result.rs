//! The delegate's rating of the result (what was done), apart from the answer's.

use actix_web::{web, HttpResponse};
use serde::Deserialize;

use super::actions::{act_on_text, checked_text};
use crate::auth::{CsrfForm, CurrentUser};
use crate::db::workflow;
use crate::domain::item::COMMENT_MAX_CHARS;
use crate::domain::{ItemId, Satisfaction};
use crate::error::AppError;
use crate::routes::pages::now;
use crate::routes::AppState;

/// The result rating form.
#[derive(Debug, Deserialize)]
pub struct ResultRatingForm {
    #[serde(default)]
    level: String,
    #[serde(default)]
    text: String,
}

/// `POST /items/{id}/result-rating`: the delegate rates the result of a resolved
/// item; a later rating replaces the earlier one.
pub async fn rate_result(
    state: web::Data<AppState>,
    current: CurrentUser,
    path: web::Path<i32>,
    CsrfForm(form): CsrfForm<ResultRatingForm>,
) -> Result<HttpResponse, AppError> {
    let id = ItemId(path.into_inner());
    let lang = current.visit.lang;
    let mut input = checked_text(
        &state.renderer,
        lang,
        "result_comment",
        &form.text,
        false,
        COMMENT_MAX_CHARS,
    );
    let level = form.level.parse::<Satisfaction>();
    if level.is_err() {
        input.errors.add(
            "result_level",
            state.renderer.catalog(),
            lang,
            "error_choose_satisfaction",
        );
    }
    act_on_text(
        &state,
        &current,
        id,
        input,
        "flash_result_rated",
        move |conn, actor, comment| {
            let level = level.map_err(|_| AppError::Conflict("error_choose_satisfaction"))?;
            Ok::<_, AppError>(workflow::rate_result(
                conn,
                actor,
                id,
                level,
                &comment,
                now(),
            )?)
        },
    )
    .await
}
