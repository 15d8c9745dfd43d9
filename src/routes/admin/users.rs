//! Users: the list, and the form to add an account (with an invitation or an
//! initial password) or to edit one.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use serde::{Deserialize, Serialize};
use validator::Validate;

use super::form::{chosen_body, commit, edit_page, form_page, new_page, saved, tick, ticked, Area};
use crate::auth::{CsrfForm, CurrentUser};
use crate::db::bodies::Body;
use crate::db::tokens::{self, TokenPurpose};
use crate::db::users::{NewUser, User, UserChanges};
use crate::db::write_transaction;
use crate::domain::credentials::{check_new_password, Email};
use crate::domain::text::normalize;
use crate::domain::{Role, UserId};
use crate::error::AppError;
use crate::i18n::{Catalog, Lang};
use crate::routes::accounts::unusable_password_hash;
use crate::routes::forms::FormErrors;
use crate::routes::pages::{now, see_other, typed_page, with_db};
use crate::routes::roles::Admin;
use crate::routes::AppState;

/// Accounts per page of the user list.
pub const USERS_PER_PAGE: i64 = 50;

/// The `?page=` of the user list.
#[derive(Debug, Deserialize)]
pub struct PageQuery {
    #[serde(default)]
    page: String,
}

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

/// The user list's template variables.
#[derive(Debug, Serialize)]
struct UsersPage {
    users: Vec<UserLine>,
    total: i64,
    page: i64,
    pages: i64,
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
            role: user.role.as_str().to_owned(),
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
            role: u.role.as_str().to_owned(),
            active: u.active,
        })
        .collect();
    let context = UsersPage {
        users: lines,
        total,
        page: page_number,
        pages: ((total + USERS_PER_PAGE - 1) / USERS_PER_PAGE).max(1),
    };
    typed_page(
        &state,
        &current.visit,
        "admin/users.html",
        &context,
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
    new_page(&state, &current, Area::Users, &form).await
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
    edit_page::<_, UserInput>(&state, &current, Area::Users, id.0, move |conn| {
        User::find(conn, id)
    })
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
        } else if let Err(problem) = check_new_password(&form.password, &form.email) {
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
                    role,
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
                    role,
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
