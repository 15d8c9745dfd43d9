//! The delegate's rating of the result (what was done), apart from the answer's.

use actix_web::{web, HttpResponse};
use serde::Deserialize;

use super::actions::{act_on_text, checked_rating};
use crate::auth::{CsrfForm, CurrentUser};
use crate::db::workflow;
use crate::domain::ItemId;
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
    let (input, level) = checked_rating(
        &state.renderer,
        current.visit.lang,
        ("result_level", "result_comment"),
        &form.level,
        &form.text,
    );
    act_on_text(
        &state,
        &current,
        id,
        input,
        "flash_result_rated",
        move |conn, actor, comment| {
            // Only reached with no errors, so a level was chosen.
            let level = level.ok_or(AppError::Conflict("error_choose_satisfaction"))?;
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
