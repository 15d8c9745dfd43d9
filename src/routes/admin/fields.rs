//! Fields and the routing table: each field names the body that leads its
//! answers.

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
use crate::db::bodies::Body;
use crate::db::fields::{Field, FieldForm};
use crate::domain::text::normalize;
use crate::domain::FieldId;
use crate::error::AppError;
use crate::routes::forms::FormErrors;
use crate::routes::pages::{page, see_other, with_db};
use crate::routes::roles::Admin;
use crate::routes::AppState;

/// Largest sort order of a field.
const SORT_ORDER_MAX: i32 = 100_000;

/// A line of the routing table.
#[derive(Debug, Serialize)]
struct FieldLine {
    id: i32,
    code: String,
    name: String,
    lead_body: Option<String>,
    sort_order: i32,
    active: bool,
}

/// The field form as typed; an empty lead body means "wait for triage".
#[derive(Debug, Default, Deserialize, Serialize, Validate)]
pub struct FieldInput {
    #[serde(default)]
    code: String,
    #[serde(default)]
    #[validate(length(min = 1, max = 300, code = "length"))]
    name_vi: String,
    #[serde(default)]
    #[validate(length(min = 1, max = 300, code = "length"))]
    name_en: String,
    #[serde(default)]
    lead_body_id: String,
    #[serde(default)]
    sort_order: String,
    #[serde(default)]
    active: String,
}

impl From<&Field> for FieldInput {
    fn from(field: &Field) -> FieldInput {
        FieldInput {
            code: field.code.clone(),
            name_vi: field.name_vi.clone(),
            name_en: field.name_en.clone(),
            lead_body_id: field
                .lead_body_id
                .map(|b| b.to_string())
                .unwrap_or_default(),
            sort_order: field.sort_order.to_string(),
            active: tick(field.active),
        }
    }
}

/// `GET /admin/fields`: the fields with their lead bodies, in list order.
pub async fn fields(state: web::Data<AppState>, current: Admin) -> Result<HttpResponse, AppError> {
    let lang = current.visit.lang;
    let (fields, bodies) = with_db(&state.pool, |conn| {
        Ok((Field::all(conn)?, Body::all(conn)?))
    })
    .await?;
    let lines: Vec<FieldLine> = fields
        .iter()
        .map(|f| FieldLine {
            id: f.id,
            code: f.code.clone(),
            name: f.name(lang).to_owned(),
            lead_body: f
                .lead_body_id
                .and_then(|id| bodies.iter().find(|b| b.id == id))
                .map(|b| b.name(lang).to_owned()),
            sort_order: f.sort_order,
            active: f.active,
        })
        .collect();
    let mut context = Context::new();
    context.insert("fields", &lines);
    page(
        &state,
        &current.visit,
        "admin/fields.html",
        context,
        StatusCode::OK,
    )
    .await
}

/// `GET /admin/fields/new`: placed after the last field by default.
pub async fn new_field(
    state: web::Data<AppState>,
    current: Admin,
) -> Result<HttpResponse, AppError> {
    let fields = with_db(&state.pool, |conn| Ok(Field::all(conn)?)).await?;
    let last = fields.iter().map(|f| f.sort_order).max().unwrap_or(0);
    let form = FieldInput {
        sort_order: (last + 10).min(SORT_ORDER_MAX).to_string(),
        active: tick(true),
        ..Default::default()
    };
    new_page(&state, &current, Area::Fields, &form).await
}

/// `POST /admin/fields`.
pub async fn create_field(
    state: web::Data<AppState>,
    current: Admin,
    CsrfForm(form): CsrfForm<FieldInput>,
) -> Result<HttpResponse, AppError> {
    save_field(&state, &current, None, form).await
}

/// `GET /admin/fields/{id}`.
pub async fn edit_field(
    state: web::Data<AppState>,
    current: Admin,
    path: web::Path<i32>,
) -> Result<HttpResponse, AppError> {
    let id = FieldId(path.into_inner());
    edit_page::<_, FieldInput>(&state, &current, Area::Fields, id.0, move |conn| {
        Field::find(conn, id)
    })
    .await
}

/// `POST /admin/fields/{id}`: also the routing table; a new lead body receives the
/// items submitted from now on.
pub async fn update_field(
    state: web::Data<AppState>,
    current: Admin,
    path: web::Path<i32>,
    CsrfForm(form): CsrfForm<FieldInput>,
) -> Result<HttpResponse, AppError> {
    save_field(&state, &current, Some(FieldId(path.into_inner())), form).await
}

/// Checks and saves the field form; the lead body must be active.
async fn save_field(
    state: &AppState,
    current: &CurrentUser,
    id: Option<FieldId>,
    raw: FieldInput,
) -> Result<HttpResponse, AppError> {
    let (catalog, lang) = (state.renderer.catalog(), current.visit.lang);
    let form = FieldInput {
        code: normalize(&raw.code),
        name_vi: normalize(&raw.name_vi),
        name_en: normalize(&raw.name_en),
        lead_body_id: raw.lead_body_id.trim().to_owned(),
        sort_order: raw.sort_order.trim().to_owned(),
        active: raw.active,
    };
    let mut errors = FormErrors::of(&form, catalog, lang);
    if !valid_code(&form.code) {
        errors.add("code", catalog, lang, "admin_error_code");
    }
    let bodies = with_db(&state.pool, |conn| Ok(Body::all(conn)?)).await?;
    let lead = match form.lead_body_id.as_str() {
        "" => None,
        chosen => match chosen_body(&bodies, chosen) {
            Some((body, true)) => Some(body),
            Some((_, false)) => {
                errors.add("lead_body_id", catalog, lang, "admin_error_body_inactive");
                None
            }
            None => {
                errors.add("lead_body_id", catalog, lang, "error_choose_body");
                None
            }
        },
    };
    let sort_order = form
        .sort_order
        .parse::<i32>()
        .ok()
        .filter(|n| (0..=SORT_ORDER_MAX).contains(n));
    if sort_order.is_none() {
        errors.add("sort_order", catalog, lang, "admin_error_sort_order");
    }
    if let (true, Some(sort_order)) = (errors.is_empty(), sort_order) {
        let record = FieldForm {
            code: form.code.clone(),
            name_vi: form.name_vi.clone(),
            name_en: form.name_en.clone(),
            lead_body_id: lead,
            sort_order,
            active: ticked(&form.active),
        };
        let outcome = match id {
            Some(id) => {
                commit(state, current, "admin_flash_field_saved", move |conn| {
                    updated(record.update(conn, id)?)
                })
                .await
            }
            None => {
                commit(state, current, "admin_flash_field_created", move |conn| {
                    Ok(record.insert(conn).map(drop)?)
                })
                .await
            }
        };
        if saved(outcome)? {
            tracing::info!(field = ?id, lead_body = ?lead, "routing table changed");
            return Ok(see_other("/admin/fields"));
        }
        errors.add("code", catalog, lang, "admin_error_code_taken");
    }
    form_page(
        state,
        current,
        Area::Fields,
        id.map(|i| i.0),
        &form,
        &errors,
    )
    .await
}
