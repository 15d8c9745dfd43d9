//! Setting a password from a link sent by email: an invitation or a password
//! reset. A link works once, and only until it expires.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use tera::Context;

use crate::auth::session::{random_token, session_cookie};
use crate::auth::{client_address, device, throttle, CsrfForm, Hashing, Visit};
use crate::db::outbox::{self, AccountChange};
use crate::db::sessions::SessionRow;
use crate::db::tokens::{AccountToken, TokenPurpose};
use crate::db::users::User;
use crate::db::write_transaction;
use crate::domain::credentials::check_new_password;
use crate::error::AppError;
use crate::i18n::Lang;
use crate::routes::auth::{language_cookie, with_cookie};
use crate::routes::forms::FormErrors;
use crate::routes::pages::{flash, now, page, see_other, typed_page, with_db};
use crate::routes::AppState;
/// The hash stored for an account whose password nobody knows yet: a real argon2id
/// hash of a random password that is thrown away. A login attempt on it costs the
/// same time as on any account, so it does not tell that the account is new.
pub async fn unusable_password_hash(hashing: &Hashing) -> Result<String, AppError> {
    hashing.hash(random_token()).await
}

/// The set-password form as typed.
#[derive(Debug, Default, Deserialize)]
pub struct NewPasswordForm {
    #[serde(default)]
    new_password: String,
    #[serde(default)]
    confirm_password: String,
}

/// A token from a URL that could be one of ours (64 hex digits); anything else is
/// answered as unknown without asking the database.
pub(super) fn plausible_token(token: &str) -> bool {
    token.len() == 64 && token.bytes().all(|b| b.is_ascii_hexdigit())
}

/// The usable token behind a link and its active account, if both exist.
async fn open_link(
    state: &AppState,
    token: &str,
    purpose: TokenPurpose,
) -> Result<Option<(AccountToken, User)>, AppError> {
    if !plausible_token(token) {
        return Ok(None);
    }
    let secret = state.config.secret_key.clone();
    let token = token.to_owned();
    with_db(&state.pool, move |conn| {
        let Some(row) = AccountToken::find_usable(conn, &secret, &token, purpose, now())? else {
            return Ok(None);
        };
        let user = User::find(conn, row.user())?.filter(|u| u.active);
        Ok(user.map(|user| (row, user)))
    })
    .await
}

/// The one page for every link that does not work (unknown, used or expired).
async fn link_not_usable(state: &AppState, visit: &Visit) -> Result<HttpResponse, AppError> {
    page(
        state,
        visit,
        "accounts/link_invalid.html",
        Context::new(),
        StatusCode::NOT_FOUND,
    )
    .await
}

/// Renders the set-password form of a link.
async fn set_password_page(
    state: &AppState,
    visit: &Visit,
    purpose: TokenPurpose,
    token: &str,
    user: &User,
    errors: &FormErrors,
) -> Result<HttpResponse, AppError> {
    let context = SetPasswordPage {
        purpose: purpose.as_str(),
        action: purpose.path(token),
        account_email: &user.email,
        errors,
    };
    let status = errors.status();
    typed_page(state, visit, "accounts/set_password.html", &context, status).await
}

/// The set-password page's template variables.
#[derive(Serialize)]
struct SetPasswordPage<'a> {
    /// `invitation` or `password_reset`.
    purpose: &'static str,
    /// Where the form posts (the link itself).
    action: String,
    /// The account the password is for.
    account_email: &'a str,
    /// Messages beside the fields.
    errors: &'a FormErrors,
}

/// `GET` of a link: the set-password form, or the page for a link that does not
/// work. A visitor without a session sees it in the account's language, kept in
/// the language cookie for the form's answer; the form's CSRF token is the
/// stateless anonymous one, so loading it writes nothing.
async fn link_form(
    state: web::Data<AppState>,
    mut visit: Visit,
    token: String,
    purpose: TokenPurpose,
) -> Result<HttpResponse, AppError> {
    let Some((_, user)) = open_link(&state, &token, purpose).await? else {
        return link_not_usable(&state, &visit).await;
    };
    let mut cookie = None;
    if visit.id_hash.is_none() {
        visit.lang = Lang::from_code(&user.locale);
        cookie = Some(language_cookie(visit.lang));
    }
    let response = set_password_page(
        &state,
        &visit,
        purpose,
        &token,
        &user,
        &FormErrors::default(),
    )
    .await?;
    with_cookie(response, cookie)
}

/// `POST` of a link: checks the new password, then in one transaction uses the
/// token (only one request can), stores the password (which ends every session of
/// the user), ends the user's other tokens and logs this browser in afresh.
async fn set_password_by_link(
    req: HttpRequest,
    state: web::Data<AppState>,
    visit: Visit,
    token: String,
    purpose: TokenPurpose,
    form: NewPasswordForm,
) -> Result<HttpResponse, AppError> {
    let Some((row, user)) = open_link(&state, &token, purpose).await? else {
        return link_not_usable(&state, &visit).await;
    };
    let (catalog, lang) = (state.renderer.catalog(), visit.lang);
    let mut errors = FormErrors::default();
    if let Err(problem) = check_new_password(&form.new_password, &user.email) {
        errors.add("new_password", catalog, lang, problem.message_key());
    }
    if form.new_password != form.confirm_password {
        errors.add("confirm_password", catalog, lang, "error_password_mismatch");
    }
    if !errors.is_empty() {
        return set_password_page(&state, &visit, purpose, &token, &user, &errors).await;
    }

    let hash = state.hashing.hash(form.new_password).await?;
    let secret = state.config.secret_key.clone();
    let old_session = visit.id_hash.clone();
    let user_id = user.user_id();
    // A successful reset also forgets the account's failed logins and reset
    // requests: whoever holds the mailbox has proved it.
    let cleared = vec![
        throttle::account_key(&user.email),
        throttle::reset_key(&user.email),
    ];
    let flash_key = match purpose {
        TokenPurpose::Invitation => "accounts_flash_invitation_accepted",
        TokenPurpose::PasswordReset => "accounts_flash_password_reset",
    };
    let address = client_address(&req, &state.config).to_string();
    let started = with_db(&state.pool, move |conn| {
        write_transaction(conn, |conn| {
            let at = now();
            if !AccountToken::consume(conn, &row.token_hash, purpose, at)? {
                return Ok(None);
            }
            User::set_password_hash(conn, user_id, &hash, at)?;
            // A reset is told to the owner; a first password (invitation) is not a change.
            if purpose == TokenPurpose::PasswordReset {
                let change = AccountChange::PasswordReset;
                outbox::enqueue_account_change(conn, &user, change, &address, at)?;
            }
            AccountToken::revoke_unused(conn, user_id, None, at)?;
            throttle::clear(conn, &cleared)?;
            if let Some(old) = &old_session {
                SessionRow::delete(conn, old)?;
            }
            // An enrolled user still gives their code (second factor, issue 8).
            let (started, next) =
                super::super::second_factor::start_login(conn, &secret, user_id, lang)?;
            flash(conn, &started.id_hash, flash_key)?;
            Ok(Some((started.id, next)))
        })
    })
    .await?;
    let Some((id, next)) = started else {
        // Another request used the link between our check and our update.
        return link_not_usable(&state, &visit).await;
    };
    tracing::info!(
        user = user_id.0,
        address = %client_address(&req, &state.config),
        purpose = purpose.as_str(),
        "password set from an emailed link"
    );
    // The mailbox's holder is the account's owner: this browser is a known device.
    let response = with_cookie(see_other(next), Some(session_cookie(&state.config, id)))?;
    with_cookie(response, Some(device::issue(&state.config, user_id, now())))
}

/// `GET /invite/{token}`: the invited user chooses a password.
pub async fn invite_form(
    state: web::Data<AppState>,
    visit: Visit,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let token = path.into_inner();
    link_form(state, visit, token, TokenPurpose::Invitation).await
}

/// `POST /invite/{token}`: sets the first password and logs the user in.
pub async fn accept_invite(
    req: HttpRequest,
    state: web::Data<AppState>,
    visit: Visit,
    path: web::Path<String>,
    CsrfForm(form): CsrfForm<NewPasswordForm>,
) -> Result<HttpResponse, AppError> {
    let token = path.into_inner();
    let purpose = TokenPurpose::Invitation;
    set_password_by_link(req, state, visit, token, purpose, form).await
}

/// `GET /password/reset/{token}`: the user chooses a new password.
pub async fn reset_form(
    state: web::Data<AppState>,
    visit: Visit,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let token = path.into_inner();
    link_form(state, visit, token, TokenPurpose::PasswordReset).await
}

/// `POST /password/reset/{token}`: sets the new password, ends every other
/// session of the user and logs this browser in.
pub async fn reset_password(
    req: HttpRequest,
    state: web::Data<AppState>,
    visit: Visit,
    path: web::Path<String>,
    CsrfForm(form): CsrfForm<NewPasswordForm>,
) -> Result<HttpResponse, AppError> {
    let token = path.into_inner();
    let purpose = TokenPurpose::PasswordReset;
    set_password_by_link(req, state, visit, token, purpose, form).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_tokens_of_our_shape_are_looked_up() {
        assert!(plausible_token(&random_token()));
        assert!(!plausible_token("abc"));
        assert!(!plausible_token(&"z".repeat(64)));
    }
}
