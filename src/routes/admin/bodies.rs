//! Bodies: the list and the form to add or edit one.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use serde::{Deserialize, Serialize};
use tera::Context;
use validator::Validate;

use super::form::{
    chosen_body, commit, edit_page, form_page, new_page, saved, tick, ticked, updated, valid_code,
    Area,
};
use crate::auth::{CsrfForm, CurrentUser};
use crate::db::bodies::{Body, BodyForm};
use crate::db::fields::Field;
use crate::domain::text::normalize;
use crate::domain::BodyId;
use crate::error::AppError;
use crate::routes::forms::FormErrors;
use crate::routes::pages::{page, see_other, with_db};
use crate::routes::roles::Admin;
use crate::routes::AppState;

/// The body form as typed.
#[derive(Debug, Default, Deserialize, Serialize, Validate)]
pub struct BodyInput {
    #[serde(default)]
    code: String,
    #[serde(default)]
    #[validate(length(min = 1, max = 300, code = "length"))]
    name_vi: String,
    #[serde(default)]
    #[validate(length(min = 1, max = 300, code = "length"))]
    name_en: String,
    #[serde(default)]
    is_coordinating: String,
    #[serde(default)]
    active: String,
    /// The body it is a unit of (issue 10); empty for none.
    #[serde(default)]
    parent_id: String,
}

impl From<&Body> for BodyInput {
    fn from(body: &Body) -> BodyInput {
        BodyInput {
            code: body.code.clone(),
            name_vi: body.name_vi.clone(),
            name_en: body.name_en.clone(),
            is_coordinating: tick(body.is_coordinating),
            active: tick(body.active),
            parent_id: body.parent_id.map(|p| p.to_string()).unwrap_or_default(),
        }
    }
}

/// `GET /admin/bodies`.
pub async fn bodies(state: web::Data<AppState>, current: Admin) -> Result<HttpResponse, AppError> {
    let bodies = with_db(&state.pool, |conn| Ok(Body::all(conn)?)).await?;
    let mut context = Context::new();
    context.insert("bodies", &bodies);
    page(
        &state,
        &current.visit,
        "admin/bodies.html",
        context,
        StatusCode::OK,
    )
    .await
}

/// `GET /admin/bodies/new`.
pub async fn new_body(
    state: web::Data<AppState>,
    current: Admin,
) -> Result<HttpResponse, AppError> {
    let form = BodyInput {
        active: tick(true),
        ..Default::default()
    };
    new_page(&state, &current, Area::Bodies, &form).await
}

/// `POST /admin/bodies`.
pub async fn create_body(
    state: web::Data<AppState>,
    current: Admin,
    CsrfForm(form): CsrfForm<BodyInput>,
) -> Result<HttpResponse, AppError> {
    save_body(&state, &current, None, form).await
}

/// `GET /admin/bodies/{id}`.
pub async fn edit_body(
    state: web::Data<AppState>,
    current: Admin,
    path: web::Path<i32>,
) -> Result<HttpResponse, AppError> {
    let id = BodyId(path.into_inner());
    edit_page::<_, BodyInput>(&state, &current, Area::Bodies, id.0, move |conn| {
        Body::find(conn, id)
    })
    .await
}

/// `POST /admin/bodies/{id}`.
pub async fn update_body(
    state: web::Data<AppState>,
    current: Admin,
    path: web::Path<i32>,
    CsrfForm(form): CsrfForm<BodyInput>,
) -> Result<HttpResponse, AppError> {
    save_body(&state, &current, Some(BodyId(path.into_inner())), form).await
}

/// The parent body chosen in the form: none when left empty; an error when it
/// names no body, the body itself, or one of its own units (a loop).
fn parent_of(bodies: &[Body], id: Option<BodyId>, value: &str) -> Result<Option<i32>, ()> {
    let value = value.trim();
    if value.is_empty() {
        return Ok(None);
    }
    let (parent, _) = chosen_body(bodies, value).ok_or(())?;
    let parent_of_parent = bodies
        .iter()
        .find(|b| b.id == parent)
        .and_then(|b| b.parent_id);
    match id {
        Some(id) if parent == id.0 || parent_of_parent == Some(id.0) => Err(()),
        _ => Ok(Some(parent)),
    }
}

/// Checks and saves the body form. A body that leads an active field stays active,
/// so the routing table never sends new items to an inactive body.
async fn save_body(
    state: &AppState,
    current: &CurrentUser,
    id: Option<BodyId>,
    raw: BodyInput,
) -> Result<HttpResponse, AppError> {
    let (catalog, lang) = (state.renderer.catalog(), current.visit.lang);
    let form = BodyInput {
        code: normalize(&raw.code),
        name_vi: normalize(&raw.name_vi),
        name_en: normalize(&raw.name_en),
        ..raw
    };
    let mut errors = FormErrors::of(&form, catalog, lang);
    if !valid_code(&form.code) {
        errors.add("code", catalog, lang, "admin_error_code");
    }
    if let (Some(id), false) = (id, ticked(&form.active)) {
        let fields = with_db(&state.pool, |conn| Ok(Field::all(conn)?)).await?;
        if fields
            .iter()
            .any(|f| f.active && f.lead_body_id == Some(id.0))
        {
            errors.add("active", catalog, lang, "admin_error_body_leads_field");
        }
    }
    let all_bodies = with_db(&state.pool, |conn| Ok(Body::all(conn)?)).await?;
    let parent = parent_of(&all_bodies, id, &form.parent_id);
    if parent.is_err() {
        errors.add("parent_id", catalog, lang, "admin_error_body_parent");
    }
    if let (true, Ok(parent)) = (errors.is_empty(), parent) {
        let record = BodyForm {
            parent_id: parent,
            code: form.code.clone(),
            name_vi: form.name_vi.clone(),
            name_en: form.name_en.clone(),
            is_coordinating: ticked(&form.is_coordinating),
            active: ticked(&form.active),
        };
        let outcome = match id {
            Some(id) => {
                commit(state, current, "admin_flash_body_saved", move |conn| {
                    updated(record.update(conn, id)?)
                })
                .await
            }
            None => {
                commit(state, current, "admin_flash_body_created", move |conn| {
                    Ok(record.insert(conn).map(drop)?)
                })
                .await
            }
        };
        if saved(outcome)? {
            return Ok(see_other("/admin/bodies"));
        }
        errors.add("code", catalog, lang, "admin_error_code_taken");
    }
    form_page(
        state,
        current,
        Area::Bodies,
        id.map(|i| i.0),
        &form,
        &errors,
    )
    .await
}
