//! Logging in and out, changing one's password, and choosing the language.

use actix_web::cookie::Cookie;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use tera::Context;
use validator::Validate;

use super::forms::{FormErrors, UNPROCESSABLE};
use super::pages::{flash, local_path, now, page, see_other, wait_in_words, with_db};
use crate::auth::session::{self, removal_cookie, session_cookie};
use crate::auth::{client_address, device, loggable, throttle, CsrfForm, CurrentUser, Visit};
use crate::db::outbox::{self, AccountChange, MailEvent};
use crate::db::sessions::SessionRow;
use crate::db::users::User;
use crate::domain::credentials::{check_new_password, mask_email};
use crate::domain::Role;
use crate::error::AppError;
use crate::i18n::Lang;
use crate::routes::AppState;

/// The login form as typed.
#[derive(Debug, Default, Deserialize, Serialize)]
pub struct LoginForm {
    #[serde(default)]
    email: String,
    #[serde(default, skip_serializing)]
    password: String,
}

/// `GET /`: each role's home page.
pub async fn home(visit: Visit) -> HttpResponse {
    let target = match visit.user.as_ref().map(User::role) {
        None => "/login",
        Some(Role::Delegate) => "/my",
        Some(Role::Drafter) => "/queue",
        Some(Role::Approver) => "/review",
        Some(Role::Coordinator) => "/triage",
        Some(Role::Admin) => "/admin/users",
        Some(Role::Leadership) => "/dashboard",
    };
    see_other(target)
}

/// Adds the cookie of a session just started, if any, to `response`.
pub fn with_cookie(
    mut response: HttpResponse,
    cookie: Option<Cookie<'static>>,
) -> Result<HttpResponse, AppError> {
    if let Some(cookie) = cookie {
        response
            .add_cookie(&cookie)
            .map_err(|e| AppError::Unexpected(e.to_string()))?;
    }
    Ok(response)
}

/// What the login page's address may say.
#[derive(Debug, Default, Deserialize)]
pub struct LoginQuery {
    /// Set when an expired session sent the browser here.
    #[serde(default)]
    expired: Option<String>,
}

/// `GET /login`: the login form. Its CSRF token is the stateless anonymous one
/// (`auth::csrf`), so loading it writes nothing to the database.
pub async fn login_form(
    state: web::Data<AppState>,
    visit: Visit,
    query: web::Query<LoginQuery>,
) -> Result<HttpResponse, AppError> {
    if visit.user.is_some() {
        return Ok(see_other("/"));
    }
    let mut context = Context::new();
    context.insert(
        "session_expired",
        &(visit.expired || query.expired.is_some()),
    );
    context.insert("form", &LoginForm::default());
    context.insert(
        "second_factor_optional",
        &(state.config.environment == crate::config::Environment::Development),
    );
    page(&state, &visit, "auth/login.html", context, StatusCode::OK).await
}

/// `POST /login`: checks the password (the same work for an unknown address),
/// throttles repeated failures (`auth::throttle::LoginKeys`: a known device of the
/// account only by its own failures), and starts a fresh session on success,
/// marking this browser as a known device of the account.
pub async fn login(
    req: HttpRequest,
    state: web::Data<AppState>,
    visit: Visit,
    CsrfForm(form): CsrfForm<LoginForm>,
) -> Result<HttpResponse, AppError> {
    let email = form.email.trim().to_lowercase();
    let address = client_address(&req, &state.config);
    let refuse = |message: String, status: StatusCode| {
        let mut context = Context::new();
        context.insert("form", &form);
        context.insert("login_error", &message);
        (context, status)
    };

    let lookup = email.clone();
    let user = with_db(&state.pool, move |conn| {
        Ok(User::find_by_email(conn, &lookup)?)
    })
    .await?;
    let device = user
        .as_ref()
        .and_then(|u| device::recognise(&req, &state.config, u.user_id(), now()));
    let keys = throttle::LoginKeys::new(&email, address, device.clone());

    let checked = keys.checked();
    let blocked = with_db(&state.pool, move |conn| {
        throttle::blocked_for(conn, &checked, now())
    })
    .await?;
    if let Some(seconds) = blocked {
        tracing::info!(
            account = %loggable(&mask_email(&email)),
            %address,
            known_device = device.is_some(),
            wait_seconds = seconds,
            "login throttled"
        );
        let message = state
            .renderer
            .text(visit.lang, "login_throttled")
            .replace("{wait}", &wait_in_words(&state, visit.lang, seconds));
        let (context, status) = refuse(message, StatusCode::TOO_MANY_REQUESTS);
        return page(&state, &visit, "auth/login.html", context, status).await;
    }

    let stored = user.as_ref().map(|u| u.password_hash.clone());
    let password_ok = state.hashing.verify(form.password.clone(), stored).await?;
    let user = user.filter(|u| password_ok && u.active);
    let Some(user) = user else {
        let failed_keys = keys.on_failure();
        with_db(&state.pool, move |conn| {
            throttle::record_failure(conn, &failed_keys, now())
        })
        .await?;
        tracing::info!(
            account = %loggable(&mask_email(&email)),
            %address,
            known_device = device.is_some(),
            "login failed"
        );
        let (context, status) = refuse(
            state.renderer.text(visit.lang, "login_failed"),
            StatusCode::UNAUTHORIZED,
        );
        return page(&state, &visit, "auth/login.html", context, status).await;
    };

    let secret = state.config.secret_key.clone();
    let old_session = visit.id_hash.clone();
    let user_id = user.user_id();
    let lang = Lang::from_code(&user.locale);
    let cleared = keys.on_success();
    let (id, next) = with_db(&state.pool, move |conn| {
        throttle::clear(conn, &cleared)?;
        if let Some(old) = old_session {
            SessionRow::delete(conn, &old)?;
        }
        // With a second factor the new session waits for the code.
        let (started, next) = super::second_factor::start_login(conn, &secret, user_id, lang)?;
        Ok((started.id, next))
    })
    .await?;
    tracing::info!(user = user_id.0, %address, "login succeeded");
    let response = with_cookie(see_other(next), Some(session_cookie(&state.config, id)))?;
    with_cookie(response, Some(device::issue(&state.config, user_id, now())))
}

/// The empty form every logout button posts.
#[derive(Debug, Deserialize)]
pub struct EmptyForm {}

/// `POST /logout`: ends the session everywhere at once (it lives in the database).
pub async fn logout(
    req: HttpRequest,
    state: web::Data<AppState>,
    current: CurrentUser,
    CsrfForm(_): CsrfForm<EmptyForm>,
) -> Result<HttpResponse, AppError> {
    let session = current.session.clone();
    with_db(&state.pool, move |conn| {
        Ok(SessionRow::delete(conn, &session)?)
    })
    .await?;
    let address = client_address(&req, &state.config);
    tracing::info!(user = current.user.id, %address, "logged out");
    let mut response = see_other("/login");
    response
        .add_cookie(&removal_cookie(&state.config))
        .map_err(|e| AppError::Unexpected(e.to_string()))?;
    Ok(response)
}

/// The change-password form as typed.
#[derive(Debug, Default, Deserialize, Validate)]
pub struct PasswordForm {
    #[serde(default)]
    current_password: String,
    #[serde(default)]
    new_password: String,
    #[serde(default)]
    confirm_password: String,
}

/// `GET /account/password`.
pub async fn password_form(
    state: web::Data<AppState>,
    current: CurrentUser,
) -> Result<HttpResponse, AppError> {
    let user = current.user.user_id();
    let muted = with_db(&state.pool, move |conn| {
        Ok(User::muted_notices(conn, user)?)
    })
    .await?;
    let mut context = Context::new();
    context.insert("notices", &notice_choices(&muted));
    page(
        &state,
        &current.visit,
        "auth/password.html",
        context,
        StatusCode::OK,
    )
    .await
}

/// `POST /account/password`: checks the current password and the policy, then
/// ends every session of the user, starts a new one here and tells the user by
/// mail.
pub async fn change_password(
    req: HttpRequest,
    state: web::Data<AppState>,
    current: CurrentUser,
    CsrfForm(form): CsrfForm<PasswordForm>,
) -> Result<HttpResponse, AppError> {
    let lang = current.visit.lang;
    let catalog = state.renderer.catalog();
    let address = client_address(&req, &state.config);
    let user = current.user.user_id();
    let mut errors = FormErrors::default();
    // The current password is guessed no faster here than at the login form.
    let throttle_keys = vec![throttle::password_change_key(user)];
    let check_keys = throttle_keys.clone();
    let blocked = with_db(&state.pool, move |conn| {
        throttle::blocked_for(conn, &check_keys, now())
    })
    .await?;
    if let Some(seconds) = blocked {
        let message = state
            .renderer
            .text(lang, "error_current_password_throttled")
            .replace("{wait}", &wait_in_words(&state, lang, seconds));
        errors.add_text("current_password", message);
        tracing::info!(user = user.0, %address, "password change throttled");
    }
    if let Err(problem) = check_new_password(&form.new_password, &current.user.email) {
        errors.add("new_password", catalog, lang, problem.message_key());
    }
    if form.new_password != form.confirm_password {
        errors.add("confirm_password", catalog, lang, "error_password_mismatch");
    }
    let current_ok = blocked.is_none()
        && state
            .hashing
            .verify(
                form.current_password.clone(),
                Some(current.user.password_hash.clone()),
            )
            .await?;
    if blocked.is_none() && !current_ok {
        errors.add("current_password", catalog, lang, "error_current_password");
        let failed = throttle_keys.clone();
        with_db(&state.pool, move |conn| {
            throttle::record_failure(conn, &failed, now())
        })
        .await?;
        tracing::info!(user = user.0, %address, "password change: wrong current password");
    }
    if !errors.is_empty() {
        let muted = with_db(&state.pool, move |conn| {
            Ok(User::muted_notices(conn, user)?)
        })
        .await?;
        let mut context = Context::new();
        context.insert("errors", &errors);
        context.insert("notices", &notice_choices(&muted));
        return page(
            &state,
            &current.visit,
            "auth/password.html",
            context,
            UNPROCESSABLE,
        )
        .await;
    }
    let hash = state.hashing.hash(form.new_password).await?;
    let secret = state.config.secret_key.clone();
    let (account, address) = (current.user.clone(), client_address(&req, &state.config));
    let id = with_db(&state.pool, move |conn| {
        crate::db::write_transaction(conn, |conn| {
            let at = now();
            throttle::clear(conn, &throttle_keys)?;
            User::set_password_hash(conn, user, &hash, at)?;
            let change = AccountChange::PasswordChanged;
            outbox::enqueue_account_change(conn, &account, change, &address.to_string(), at)?;
            let started = session::start(conn, &secret, Some(user), lang, at)?;
            flash(conn, &started.id_hash, "flash_password_changed")?;
            Ok::<_, AppError>(started.id)
        })
    })
    .await?;
    tracing::info!(user = user.0, %address, "password changed");
    let mut response = see_other("/");
    response
        .add_cookie(&session_cookie(&state.config, id))
        .map_err(|e| AppError::Unexpected(e.to_string()))?;
    Ok(response)
}

/// The language switch as posted.
#[derive(Debug, Deserialize)]
pub struct LanguageForm {
    #[serde(default)]
    lang: String,
    #[serde(default)]
    next: String,
}

/// The cookie that remembers a visitor's language without a session.
pub fn language_cookie(lang: Lang) -> Cookie<'static> {
    Cookie::build(super::middleware::LANGUAGE_COOKIE, lang.code())
        .path("/")
        .http_only(true)
        .same_site(actix_web::cookie::SameSite::Lax)
        .max_age(actix_web::cookie::time::Duration::days(365))
        .finish()
}

/// `POST /language`: remembers the choice in the session and, for a logged-in user,
/// on their account; a visitor without a session gets it in a cookie.
pub async fn set_language(
    state: web::Data<AppState>,
    visit: Visit,
    CsrfForm(form): CsrfForm<LanguageForm>,
) -> Result<HttpResponse, AppError> {
    let lang = Lang::from_code(&form.lang);
    let Some(session) = visit.id_hash.clone() else {
        let response = see_other(local_path(&form.next));
        return with_cookie(response, Some(language_cookie(lang)));
    };
    let user = visit.user.as_ref().map(User::user_id);
    with_db(&state.pool, move |conn| {
        SessionRow::set_locale(conn, &session, lang.code())?;
        if let Some(user) = user {
            User::set_locale(conn, user, lang.code())?;
        }
        Ok(())
    })
    .await?;
    Ok(see_other(local_path(&form.next)))
}

/// Each staff notice with whether the user receives it.
fn notice_choices(muted: &[MailEvent]) -> Vec<(&'static str, bool)> {
    MailEvent::STAFF_NOTICES
        .iter()
        .map(|event| (event.as_str(), !muted.contains(event)))
        .collect()
}

/// `POST /account/notices`: which work notices the user wants by email. The form
/// repeats `notice=<event>` once per ticked box; the unticked ones are muted.
pub async fn set_notices(
    state: web::Data<AppState>,
    current: CurrentUser,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let wanted: Vec<&String> = pairs
        .iter()
        .filter(|(name, _)| name == "notice")
        .map(|(_, value)| value)
        .collect();
    let muted: Vec<MailEvent> = MailEvent::STAFF_NOTICES
        .into_iter()
        .filter(|event| !wanted.iter().any(|w| w.as_str() == event.as_str()))
        .collect();
    let user = current.user.user_id();
    let session = current.session.clone();
    with_db(&state.pool, move |conn| {
        User::set_muted_notices(conn, user, &muted)?;
        flash(conn, &session, "flash_notices_saved")
    })
    .await?;
    Ok(see_other("/account/password"))
}
