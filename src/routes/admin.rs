//! The administrator's area: users, bodies, fields and the routing table,
//! conferences. Each area has a list, a form to add and a form to edit; a form that
//! fails its checks comes back with messages (422), a saved one leaves a one-time
//! message and goes back to the list (303).

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use tera::Context;
use validator::Validate;

use super::accounts::unusable_password_hash;
use super::forms::{FormErrors, UNPROCESSABLE};
use super::pages::{flash, now, page, see_other, with_db};
use crate::auth::{CsrfForm, CurrentUser};
use crate::db::bodies::{Body, BodyForm};
use crate::db::conferences::{Conference, ConferenceForm};
use crate::db::fields::{Field, FieldForm};
use crate::db::tokens::{self, TokenPurpose};
use crate::db::users::{NewUser, User, UserChanges};
use crate::db::{is_unique_violation, write_transaction, DbConnection};
use crate::domain::credentials::{check_new_password, Email};
use crate::domain::text::normalize;
use crate::domain::{BodyId, ConferenceId, FieldId, Role, UserId};
use crate::error::AppError;
use crate::i18n::{Catalog, Lang};
use crate::routes::roles::Admin;
use crate::routes::AppState;

/// Accounts per page of the user list.
pub const USERS_PER_PAGE: i64 = 50;
/// Longest code of a body or a field.
const CODE_MAX_CHARS: usize = 40;
/// Largest sort order of a field.
const SORT_ORDER_MAX: i32 = 100_000;
/// Shortest and longest response period of a conference, in days.
const RESPONSE_DAYS: std::ops::RangeInclusive<i32> = 1..=365;

// ---------------------------------------------------------------------------
// Shared by the four areas

/// One option of a body select, with the id as text to compare with the form.
#[derive(Debug, Serialize)]
struct Choice {
    id: String,
    name: String,
    active: bool,
}

/// The `?page=` of the user list.
#[derive(Debug, Deserialize)]
pub struct PageQuery {
    #[serde(default)]
    page: String,
}

/// A ticked checkbox arrives as any value; an unticked one not at all.
fn ticked(value: &str) -> bool {
    !value.is_empty()
}

/// The form value of a checkbox in the state `on`.
fn tick(on: bool) -> String {
    if on { "on" } else { "" }.to_owned()
}

/// A code such as `TCTU` or `to-chuc-can-bo`: ASCII letters, digits, `-` and `_`.
fn valid_code(code: &str) -> bool {
    !code.is_empty()
        && code.len() <= CODE_MAX_CHARS
        && code
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// The four areas of the administrator's pages.
#[derive(Debug, Clone, Copy)]
enum Area {
    Users,
    Bodies,
    Fields,
    Conferences,
}

impl Area {
    fn base(self) -> &'static str {
        match self {
            Area::Users => "/admin/users",
            Area::Bodies => "/admin/bodies",
            Area::Fields => "/admin/fields",
            Area::Conferences => "/admin/conferences",
        }
    }

    fn form_template(self) -> &'static str {
        match self {
            Area::Users => "admin/user_form.html",
            Area::Bodies => "admin/body_form.html",
            Area::Fields => "admin/field_form.html",
            Area::Conferences => "admin/conference_form.html",
        }
    }
}

/// Renders an area's add (`id` None) or edit form: status 200 when there are no
/// errors, 422 when it comes back with messages beside the fields.
async fn form_page(
    state: &AppState,
    current: &CurrentUser,
    area: Area,
    id: Option<i32>,
    form: &impl Serialize,
    errors: &FormErrors,
) -> Result<HttpResponse, AppError> {
    let base = area.base();
    let mut context = Context::new();
    let (action, here) = match id {
        Some(id) => (format!("{base}/{id}"), format!("{base}/{id}")),
        None => (base.to_owned(), format!("{base}/new")),
    };
    context.insert("action", &action);
    context.insert("here", &here);
    context.insert("editing", &id.is_some());
    context.insert("form", form);
    context.insert("errors", errors);
    if matches!(area, Area::Users | Area::Fields) {
        context.insert("bodies", &body_choices(state, current.visit.lang).await?);
    }
    if matches!(area, Area::Users) {
        context.insert("roles", &Role::ALL.map(Role::as_str));
    }
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        UNPROCESSABLE
    };
    page(state, &current.visit, area.form_template(), context, status).await
}

/// Every body as an option, in the user's language.
async fn body_choices(state: &AppState, lang: Lang) -> Result<Vec<Choice>, AppError> {
    let bodies = with_db(&state.pool, |conn| Ok(Body::all(conn)?)).await?;
    Ok(bodies
        .iter()
        .map(|b| Choice {
            id: b.id.to_string(),
            name: b.name(lang).to_owned(),
            active: b.active,
        })
        .collect())
}

/// The body chosen in a select, if it is one of `bodies`, and whether it is active.
fn chosen_body(bodies: &[Body], value: &str) -> Option<(i32, bool)> {
    let id = value.parse::<i32>().ok()?;
    bodies.iter().find(|b| b.id == id).map(|b| (b.id, b.active))
}

/// Runs `work` and leaves `flash_key` for the next page, in one go.
async fn commit(
    state: &AppState,
    current: &CurrentUser,
    flash_key: &'static str,
    work: impl FnOnce(&mut DbConnection) -> Result<(), AppError> + Send + 'static,
) -> Result<(), AppError> {
    let session = current.session.clone();
    with_db(&state.pool, move |conn| {
        work(conn)?;
        flash(conn, &session, flash_key)
    })
    .await
}

/// `Ok(true)` when saved, `Ok(false)` when a unique email or code refused it.
fn saved(outcome: Result<(), AppError>) -> Result<bool, AppError> {
    match outcome {
        Ok(()) => Ok(true),
        Err(e) if is_unique_violation(&e) => Ok(false),
        Err(e) => Err(e),
    }
}

/// An update that touched no row: the thing does not exist.
fn updated(rows: usize) -> Result<(), AppError> {
    if rows == 0 {
        Err(AppError::NotFound)
    } else {
        Ok(())
    }
}

// ---------------------------------------------------------------------------
// Users

/// A line of the user list, with names resolved.
#[derive(Debug, Serialize)]
struct UserLine {
    id: i32,
    email: String,
    full_name: String,
    unit: String,
    role: String,
    body: Option<String>,
    active: bool,
}

/// The user form as typed. On edit the email is shown, not changed, and no password
/// is asked. A new account either gets an invitation by email (`invite`, ticked by
/// default) or an initial password typed by the administrator.
#[derive(Debug, Default, Deserialize, Serialize, Validate)]
pub struct UserInput {
    #[serde(default)]
    email: String,
    #[serde(default)]
    #[validate(length(min = 1, max = 200, code = "length"))]
    full_name: String,
    #[serde(default)]
    #[validate(length(max = 200, code = "too_long"))]
    unit: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    body_id: String,
    #[serde(default, skip_serializing)]
    password: String,
    #[serde(default)]
    active: String,
    #[serde(default)]
    invite: String,
}

impl From<&User> for UserInput {
    fn from(user: &User) -> UserInput {
        UserInput {
            email: user.email.clone(),
            full_name: user.full_name.clone(),
            unit: user.unit.clone(),
            role: user.role.clone(),
            body_id: user.body_id.map(|b| b.to_string()).unwrap_or_default(),
            password: String::new(),
            active: tick(user.active),
            invite: String::new(),
        }
    }
}

/// `GET /admin/users?page=N`: every account, 50 a page, by role then name.
pub async fn users(
    state: web::Data<AppState>,
    current: Admin,
    query: web::Query<PageQuery>,
) -> Result<HttpResponse, AppError> {
    let lang = current.visit.lang;
    let page_number = query.page.parse::<i64>().unwrap_or(1).clamp(1, 100_000);
    let offset = (page_number - 1) * USERS_PER_PAGE;
    let (users, total, bodies) = with_db(&state.pool, move |conn| {
        let (users, total) = User::page(conn, offset, USERS_PER_PAGE)?;
        Ok((users, total, Body::all(conn)?))
    })
    .await?;
    let lines: Vec<UserLine> = users
        .into_iter()
        .map(|u| UserLine {
            body: u
                .body_id
                .and_then(|id| bodies.iter().find(|b| b.id == id))
                .map(|b| b.name(lang).to_owned()),
            id: u.id,
            email: u.email,
            full_name: u.full_name,
            unit: u.unit,
            role: u.role,
            active: u.active,
        })
        .collect();
    let mut context = Context::new();
    context.insert("users", &lines);
    context.insert("total", &total);
    context.insert("page", &page_number);
    context.insert(
        "pages",
        &((total + USERS_PER_PAGE - 1) / USERS_PER_PAGE).max(1),
    );
    page(
        &state,
        &current.visit,
        "admin/users.html",
        context,
        StatusCode::OK,
    )
    .await
}

/// `GET /admin/users/new`.
pub async fn new_user(
    state: web::Data<AppState>,
    current: Admin,
) -> Result<HttpResponse, AppError> {
    let form = UserInput {
        role: Role::Delegate.as_str().to_owned(),
        invite: tick(true),
        ..Default::default()
    };
    form_page(
        &state,
        &current,
        Area::Users,
        None,
        &form,
        &FormErrors::default(),
    )
    .await
}

/// `POST /admin/users`: adds an account, with an invitation by email or an
/// initial password.
pub async fn create_user(
    state: web::Data<AppState>,
    current: Admin,
    CsrfForm(form): CsrfForm<UserInput>,
) -> Result<HttpResponse, AppError> {
    save_user(&state, &current, None, form).await
}

/// `GET /admin/users/{id}`.
pub async fn edit_user(
    state: web::Data<AppState>,
    current: Admin,
    path: web::Path<i32>,
) -> Result<HttpResponse, AppError> {
    let id = UserId(path.into_inner());
    let user = with_db(&state.pool, move |conn| {
        User::find(conn, id)?.ok_or(AppError::NotFound)
    })
    .await?;
    let form = UserInput::from(&user);
    form_page(
        &state,
        &current,
        Area::Users,
        Some(id.0),
        &form,
        &FormErrors::default(),
    )
    .await
}

/// `POST /admin/users/{id}`: name, unit, role, body and whether the account is
/// active. Deactivating ends the user's sessions.
pub async fn update_user(
    state: web::Data<AppState>,
    current: Admin,
    path: web::Path<i32>,
    CsrfForm(form): CsrfForm<UserInput>,
) -> Result<HttpResponse, AppError> {
    let id = UserId(path.into_inner());
    save_user(&state, &current, Some(id), form).await
}

/// The checks of the user form: lengths, a valid email and role, a body for staff,
/// for a new account an initial password unless it is invited (and then none),
/// and no administrator (`me`) locking themselves out.
fn check_user(
    form: &UserInput,
    existing: Option<&User>,
    bodies: &[Body],
    me: UserId,
    catalog: &Catalog,
    lang: Lang,
) -> (FormErrors, Option<Role>, Option<Email>) {
    let mut errors = FormErrors::of(form, catalog, lang);
    let email = Email::parse(&form.email);
    if email.is_none() {
        errors.add("email", catalog, lang, "admin_error_email");
    }
    let role = form.role.parse::<Role>().ok();
    match role {
        None => errors.add("role", catalog, lang, "admin_error_choose_role"),
        Some(role) if role.needs_body() => match chosen_body(bodies, &form.body_id) {
            None => errors.add("body_id", catalog, lang, "error_choose_body"),
            // A user may stay in a body that has since been deactivated.
            Some((body, false)) if existing.and_then(|u| u.body_id) != Some(body) => {
                errors.add("body_id", catalog, lang, "admin_error_body_inactive")
            }
            Some(_) => {}
        },
        Some(_) => {}
    }
    if existing.is_some_and(|u| u.id == me.0) {
        if role.is_some_and(|r| r != Role::Admin) {
            errors.add("role", catalog, lang, "admin_error_self_demote");
        }
        if !ticked(&form.active) {
            errors.add("active", catalog, lang, "admin_error_self_deactivate");
        }
    }
    if existing.is_none() {
        if ticked(&form.invite) {
            // The invited user chooses the password; a typed one would be lost.
            if !form.password.is_empty() {
                errors.add(
                    "password",
                    catalog,
                    lang,
                    "admin_error_password_with_invite",
                );
            }
        } else if let Err(problem) = check_new_password(&form.password) {
            errors.add("password", catalog, lang, problem.message_key());
        }
    }
    (errors, role, email)
}

/// Checks and saves the user form, for a new account (`id` None) or an edit. A new
/// invited account and its invitation mail are stored in one transaction.
async fn save_user(
    state: &AppState,
    current: &CurrentUser,
    id: Option<UserId>,
    raw: UserInput,
) -> Result<HttpResponse, AppError> {
    let (catalog, lang) = (state.renderer.catalog(), current.visit.lang);
    let existing = match id {
        Some(id) => Some(
            with_db(&state.pool, move |conn| {
                User::find(conn, id)?.ok_or(AppError::NotFound)
            })
            .await?,
        ),
        None => None,
    };
    let bodies = with_db(&state.pool, |conn| Ok(Body::all(conn)?)).await?;
    let form = UserInput {
        email: existing
            .as_ref()
            .map_or_else(|| normalize(&raw.email), |u| u.email.clone()),
        full_name: normalize(&raw.full_name),
        unit: normalize(&raw.unit),
        role: raw.role.trim().to_owned(),
        body_id: raw.body_id.trim().to_owned(),
        password: raw.password,
        active: if existing.is_some() {
            raw.active
        } else {
            tick(true)
        },
        invite: if existing.is_some() {
            String::new()
        } else {
            raw.invite
        },
    };
    let me = current.user.user_id();
    let (mut errors, role, email) =
        check_user(&form, existing.as_ref(), &bodies, me, catalog, lang);
    if let (true, Some(role), Some(email)) = (errors.is_empty(), role, email) {
        // Only staff belong to a body; for others a chosen body is ignored.
        let body_id = role
            .needs_body()
            .then(|| form.body_id.parse().ok())
            .flatten();
        let outcome = match id {
            Some(id) => {
                let changes = UserChanges {
                    full_name: form.full_name.clone(),
                    unit: form.unit.clone(),
                    role: role.as_str().to_owned(),
                    body_id,
                    active: ticked(&form.active),
                };
                commit(state, current, "admin_flash_user_saved", move |conn| {
                    Ok(User::update(conn, id, &changes)?)
                })
                .await
            }
            None => {
                let at = now();
                let invite = ticked(&form.invite);
                let password_hash = if invite {
                    unusable_password_hash(&state.hashing).await?
                } else {
                    state.hashing.hash(form.password.clone()).await?
                };
                let new = NewUser {
                    email: email.as_str().to_owned(),
                    full_name: form.full_name.clone(),
                    unit: form.unit.clone(),
                    role: role.as_str().to_owned(),
                    body_id,
                    password_hash,
                    locale: Lang::Vi.code().to_owned(),
                    active: true,
                    created_at: at,
                    password_changed_at: at,
                };
                let flash_key = if invite {
                    "admin_flash_user_invited"
                } else {
                    "admin_flash_user_created"
                };
                let secret = state.config.secret_key.clone();
                let base_url = state.config.base_url.clone();
                commit(state, current, flash_key, move |conn| {
                    write_transaction(conn, |conn| {
                        let id = new.insert(conn)?;
                        if invite {
                            let user = User::find(conn, id)?.ok_or(AppError::NotFound)?;
                            let purpose = TokenPurpose::Invitation;
                            tokens::send_link(conn, &secret, &base_url, &user, purpose, at)?;
                        }
                        Ok(())
                    })
                })
                .await
            }
        };
        if saved(outcome)? {
            tracing::info!(user = ?id, by = current.user.id, "account saved by an administrator");
            return Ok(see_other("/admin/users"));
        }
        errors.add("email", catalog, lang, "admin_error_email_taken");
    }
    form_page(state, current, Area::Users, id.map(|i| i.0), &form, &errors).await
}

// ---------------------------------------------------------------------------
// Bodies

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
}

impl From<&Body> for BodyInput {
    fn from(body: &Body) -> BodyInput {
        BodyInput {
            code: body.code.clone(),
            name_vi: body.name_vi.clone(),
            name_en: body.name_en.clone(),
            is_coordinating: tick(body.is_coordinating),
            active: tick(body.active),
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
    form_page(
        &state,
        &current,
        Area::Bodies,
        None,
        &form,
        &FormErrors::default(),
    )
    .await
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
    let body = with_db(&state.pool, move |conn| {
        Body::find(conn, id)?.ok_or(AppError::NotFound)
    })
    .await?;
    form_page(
        &state,
        &current,
        Area::Bodies,
        Some(id.0),
        &BodyInput::from(&body),
        &FormErrors::default(),
    )
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
    if errors.is_empty() {
        let record = BodyForm {
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

// ---------------------------------------------------------------------------
// Fields and the routing table

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
    form_page(
        &state,
        &current,
        Area::Fields,
        None,
        &form,
        &FormErrors::default(),
    )
    .await
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
    let field = with_db(&state.pool, move |conn| {
        Field::find(conn, id)?.ok_or(AppError::NotFound)
    })
    .await?;
    form_page(
        &state,
        &current,
        Area::Fields,
        Some(id.0),
        &FieldInput::from(&field),
        &FormErrors::default(),
    )
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

// ---------------------------------------------------------------------------
// Conferences

/// The conference form as typed; the date comes from `<input type=date>`.
#[derive(Debug, Default, Deserialize, Serialize, Validate)]
pub struct ConferenceInput {
    #[serde(default)]
    #[validate(length(min = 1, max = 500, code = "length"))]
    name: String,
    #[serde(default)]
    #[validate(length(max = 300, code = "too_long"))]
    theme: String,
    #[serde(default)]
    held_on: String,
    #[serde(default)]
    #[validate(length(max = 50, code = "too_long"))]
    notice_number: String,
    #[serde(default)]
    response_days: String,
    #[serde(default)]
    open_for_submissions: String,
}

impl From<&Conference> for ConferenceInput {
    fn from(conference: &Conference) -> ConferenceInput {
        ConferenceInput {
            name: conference.name.clone(),
            theme: conference.theme.clone(),
            held_on: conference.held_on.format("%Y-%m-%d").to_string(),
            notice_number: conference.notice_number.clone(),
            response_days: conference.response_days.to_string(),
            open_for_submissions: tick(conference.open_for_submissions),
        }
    }
}

/// `GET /admin/conferences`.
pub async fn conferences(
    state: web::Data<AppState>,
    current: Admin,
) -> Result<HttpResponse, AppError> {
    let conferences = with_db(&state.pool, |conn| Ok(Conference::all(conn)?)).await?;
    let mut context = Context::new();
    context.insert("conferences", &conferences);
    page(
        &state,
        &current.visit,
        "admin/conferences.html",
        context,
        StatusCode::OK,
    )
    .await
}

/// `GET /admin/conferences/new`.
pub async fn new_conference(
    state: web::Data<AppState>,
    current: Admin,
) -> Result<HttpResponse, AppError> {
    let form = ConferenceInput {
        response_days: "30".to_owned(),
        ..Default::default()
    };
    form_page(
        &state,
        &current,
        Area::Conferences,
        None,
        &form,
        &FormErrors::default(),
    )
    .await
}

/// `POST /admin/conferences`.
pub async fn create_conference(
    state: web::Data<AppState>,
    current: Admin,
    CsrfForm(form): CsrfForm<ConferenceInput>,
) -> Result<HttpResponse, AppError> {
    save_conference(&state, &current, None, form).await
}

/// `GET /admin/conferences/{id}`.
pub async fn edit_conference(
    state: web::Data<AppState>,
    current: Admin,
    path: web::Path<i32>,
) -> Result<HttpResponse, AppError> {
    let id = ConferenceId(path.into_inner());
    let conference = with_db(&state.pool, move |conn| {
        Conference::find(conn, id)?.ok_or(AppError::NotFound)
    })
    .await?;
    let form = ConferenceInput::from(&conference);
    form_page(
        &state,
        &current,
        Area::Conferences,
        Some(id.0),
        &form,
        &FormErrors::default(),
    )
    .await
}

/// `POST /admin/conferences/{id}`: a new response period applies to items
/// submitted from now on.
pub async fn update_conference(
    state: web::Data<AppState>,
    current: Admin,
    path: web::Path<i32>,
    CsrfForm(form): CsrfForm<ConferenceInput>,
) -> Result<HttpResponse, AppError> {
    let id = ConferenceId(path.into_inner());
    save_conference(&state, &current, Some(id), form).await
}

/// Checks and saves the conference form.
async fn save_conference(
    state: &AppState,
    current: &CurrentUser,
    id: Option<ConferenceId>,
    raw: ConferenceInput,
) -> Result<HttpResponse, AppError> {
    let (catalog, lang) = (state.renderer.catalog(), current.visit.lang);
    let form = ConferenceInput {
        name: normalize(&raw.name),
        theme: normalize(&raw.theme),
        held_on: raw.held_on.trim().to_owned(),
        notice_number: normalize(&raw.notice_number),
        response_days: raw.response_days.trim().to_owned(),
        open_for_submissions: raw.open_for_submissions,
    };
    let mut errors = FormErrors::of(&form, catalog, lang);
    let held_on = NaiveDate::parse_from_str(&form.held_on, "%Y-%m-%d").ok();
    if held_on.is_none() {
        errors.add("held_on", catalog, lang, "admin_error_date");
    }
    let response_days = form
        .response_days
        .parse::<i32>()
        .ok()
        .filter(|n| RESPONSE_DAYS.contains(n));
    if response_days.is_none() {
        errors.add("response_days", catalog, lang, "admin_error_response_days");
    }
    if let (true, Some(held_on), Some(response_days)) = (errors.is_empty(), held_on, response_days)
    {
        let record = ConferenceForm {
            name: form.name.clone(),
            theme: form.theme.clone(),
            held_on,
            notice_number: form.notice_number.clone(),
            response_days,
            open_for_submissions: ticked(&form.open_for_submissions),
        };
        match id {
            Some(id) => {
                commit(
                    state,
                    current,
                    "admin_flash_conference_saved",
                    move |conn| updated(record.update(conn, id)?),
                )
                .await?
            }
            None => {
                commit(
                    state,
                    current,
                    "admin_flash_conference_created",
                    move |conn| Ok(record.insert(conn, now()).map(drop)?),
                )
                .await?
            }
        }
        return Ok(see_other("/admin/conferences"));
    }
    form_page(
        state,
        current,
        Area::Conferences,
        id.map(|i| i.0),
        &form,
        &errors,
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_ascii_letters_digits_hyphens_and_underscores() {
        assert!(valid_code("TCTU"));
        assert!(valid_code("to-chuc-can-bo"));
        assert!(valid_code("BCSD_UBND2"));
        assert!(!valid_code(""));
        assert!(!valid_code("tổ chức"));
        assert!(!valid_code("a b"));
        assert!(!valid_code(&"x".repeat(CODE_MAX_CHARS + 1)));
    }

    #[test]
    fn a_checkbox_counts_as_ticked_whatever_value_it_sends() {
        assert!(ticked("on"));
        assert!(ticked("1"));
        assert!(!ticked(""));
        assert!(ticked(&tick(true)));
        assert!(!ticked(&tick(false)));
    }
}
