//! A delegate files a proposal: the form, its validation and the confirmation.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use serde::{Deserialize, Serialize};
use tera::Context;
use validator::Validate;

use super::forms::{FormErrors, UNPROCESSABLE};
use super::pages::{now, page, see_other, typed_page, with_db};
use crate::auth::session::random_token;
use crate::auth::{CsrfForm, CurrentUser};
use crate::db::conferences::Conference;
use crate::db::fields::Field;
use crate::db::workflow::{self, Submission};
use crate::domain::item::{
    CONTENT_MAX_CHARS, CONTENT_MIN_CHARS, RELATED_UNITS_MAX_CHARS, TITLE_MAX_CHARS, TITLE_MIN_CHARS,
};
use crate::domain::text::normalize;
use crate::domain::{FieldId, ItemId, Operation};
use crate::error::AppError;
use crate::i18n::Lang;
use crate::routes::roles::Delegate;
use crate::routes::AppState;

/// The proposal form as typed. It has no status or body: a delegate cannot set them.
#[derive(Debug, Default, Clone, Deserialize, Serialize, Validate)]
pub struct ProposalForm {
    #[serde(default)]
    #[validate(length(min = TITLE_MIN_CHARS, max = TITLE_MAX_CHARS, code = "length"))]
    title: String,
    #[serde(default)]
    #[validate(length(min = CONTENT_MIN_CHARS, max = CONTENT_MAX_CHARS, code = "length"))]
    content: String,
    #[serde(default)]
    field_id: String,
    #[serde(default)]
    #[validate(length(max = RELATED_UNITS_MAX_CHARS, code = "too_long"))]
    related_units: String,
    #[serde(default)]
    submission_token: String,
}

#[derive(Serialize)]
struct FieldChoice {
    id: i32,
    name: String,
}

async fn form_page(
    state: &AppState,
    current: &CurrentUser,
    form: &ProposalForm,
    errors: &FormErrors,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let lang = current.visit.lang;
    let (conference, fields) = with_db(&state.pool, |conn| {
        Ok((Conference::open(conn)?, Field::active(conn)?))
    })
    .await?;
    let choices: Vec<FieldChoice> = fields
        .iter()
        .map(|f| FieldChoice {
            id: f.id,
            name: f.name(lang).to_owned(),
        })
        .collect();
    let context = ProposalPage {
        conference,
        fields: choices,
        form,
        errors,
    };
    typed_page(state, &current.visit, "delegate/new.html", &context, status).await
}

/// The proposal form's template variables.
#[derive(Serialize)]
struct ProposalPage<'a> {
    /// The conference open for submissions, if any.
    conference: Option<Conference>,
    /// The active fields to choose from.
    fields: Vec<FieldChoice>,
    /// The values as typed.
    form: &'a ProposalForm,
    /// Messages beside the fields.
    errors: &'a FormErrors,
}

/// `GET /proposals/new`: an empty form with a fresh one-time token.
pub async fn new_proposal(
    state: web::Data<AppState>,
    current: Delegate,
) -> Result<HttpResponse, AppError> {
    let form = ProposalForm {
        submission_token: random_token(),
        ..Default::default()
    };
    form_page(
        &state,
        &current,
        &form,
        &FormErrors::default(),
        StatusCode::OK,
    )
    .await
}

/// `POST /proposals`: validates, files the item (once, however often the form is
/// sent) and shows the confirmation.
pub async fn submit_proposal(
    state: web::Data<AppState>,
    current: Delegate,
    CsrfForm(raw): CsrfForm<ProposalForm>,
) -> Result<HttpResponse, AppError> {
    let lang: Lang = current.visit.lang;
    let form = ProposalForm {
        title: normalize(&raw.title),
        content: normalize(&raw.content),
        related_units: normalize(&raw.related_units),
        field_id: raw.field_id.trim().to_owned(),
        submission_token: raw.submission_token.trim().to_owned(),
    };
    let catalog = state.renderer.catalog();
    let mut errors = FormErrors::of(&form, catalog, lang);
    let field = form.field_id.parse::<i32>().ok().map(FieldId);
    let (conference, fields) = with_db(&state.pool, |conn| {
        Ok((Conference::open(conn)?, Field::active(conn)?))
    })
    .await?;
    if !field.is_some_and(|f| fields.iter().any(|known| known.id == f.0)) {
        errors.add("field_id", catalog, lang, "error_choose_field");
    }
    let Some(conference) = conference else {
        errors.add("title", catalog, lang, "error_conference_closed");
        return form_page(&state, &current, &form, &errors, UNPROCESSABLE).await;
    };
    if form.submission_token.len() != 64 {
        errors.add("title", catalog, lang, "error_csrf");
    }
    if !errors.is_empty() {
        return form_page(&state, &current, &form, &errors, UNPROCESSABLE).await;
    }
    let submission = Submission {
        conference: crate::domain::ConferenceId(conference.id),
        field: field.expect("checked above"),
        title: form.title,
        content: form.content,
        related_units: form.related_units,
        token: form.submission_token,
    };
    let actor = current.actor();
    let submitted = with_db(&state.pool, move |conn| {
        Ok(workflow::submit(conn, &actor, &submission, now())?)
    })
    .await?;
    tracing::info!(reference = %submitted.reference, "item submitted");
    Ok(see_other(&format!(
        "/proposals/{}/submitted",
        submitted.item.0
    )))
}

/// `GET /proposals/{id}/submitted`: the confirmation with the reference.
pub async fn submitted(
    state: web::Data<AppState>,
    current: CurrentUser,
    path: web::Path<i32>,
) -> Result<HttpResponse, AppError> {
    let actor = current.actor();
    let id = ItemId(path.into_inner());
    let (item, _) = with_db(&state.pool, move |conn| {
        Ok(workflow::load_for(conn, &actor, id, Operation::View)?)
    })
    .await?;
    let mut context = Context::new();
    context.insert("item", &item);
    page(
        &state,
        &current.visit,
        "delegate/submitted.html",
        context,
        StatusCode::OK,
    )
    .await
}
