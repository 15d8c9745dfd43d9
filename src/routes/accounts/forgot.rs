//! The forgotten-password form: it always answers the same, and mails a reset
//! link only to an active account, throttled per address.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use serde::{Deserialize, Serialize};
use tera::Context;

use crate::auth::{throttle, CsrfForm, Visit};
use crate::db::tokens::{self, TokenPurpose};
use crate::db::users::User;
use crate::db::write_transaction;
use crate::domain::credentials::{mask_email, Email};
use crate::error::AppError;
use crate::routes::forms::{FormErrors, UNPROCESSABLE};
use crate::routes::pages::{now, page, with_db};
use crate::routes::AppState;

/// The forgotten-password form as typed.
#[derive(Debug, Default, Deserialize, Serialize)]
pub struct ForgotForm {
    #[serde(default)]
    email: String,
}

/// The throttle key that counts reset requests for one address.
pub(super) fn reset_throttle_key(email: &str) -> String {
    format!("reset:{email}")
}

/// `GET /password/forgot`: asks for the address. Like the login form, it carries
/// the stateless anonymous CSRF token.
pub async fn forgot_form(
    state: web::Data<AppState>,
    visit: Visit,
) -> Result<HttpResponse, AppError> {
    let mut context = Context::new();
    context.insert("form", &ForgotForm::default());
    context.insert("errors", &FormErrors::default());
    page(
        &state,
        &visit,
        "accounts/forgot.html",
        context,
        StatusCode::OK,
    )
    .await
}

/// `POST /password/forgot`: for an active account, queues a mail with a reset
/// link. The answer is the same page with the same status whether the address
/// has an account or not, and after five requests for one address in the throttle
/// window further ones are quietly dropped, so the desk can neither be asked who
/// has an account nor used to flood a mailbox.
pub async fn forgot(
    state: web::Data<AppState>,
    visit: Visit,
    CsrfForm(form): CsrfForm<ForgotForm>,
) -> Result<HttpResponse, AppError> {
    let Some(email) = Email::parse(&form.email) else {
        // A malformed address says nothing about who has an account.
        let mut errors = FormErrors::default();
        errors.add(
            "email",
            state.renderer.catalog(),
            visit.lang,
            "accounts_error_email",
        );
        let mut context = Context::new();
        context.insert("form", &form);
        context.insert("errors", &errors);
        return page(
            &state,
            &visit,
            "accounts/forgot.html",
            context,
            UNPROCESSABLE,
        )
        .await;
    };
    let secret = state.config.secret_key.clone();
    let base_url = state.config.base_url.clone();
    let address = email.as_str().to_owned();
    with_db(&state.pool, move |conn| {
        let at = now();
        let keys = [reset_throttle_key(&address)];
        if throttle::blocked_for(conn, &keys, at)?.is_some() {
            tracing::info!(account = %mask_email(&address), "password reset request throttled");
            return Ok(());
        }
        throttle::record_failure(conn, &keys, at)?;
        let Some(user) = User::find_by_email(conn, &address)?.filter(|u| u.active) else {
            return Ok(());
        };
        write_transaction(conn, |conn| {
            let purpose = TokenPurpose::PasswordReset;
            tokens::send_link(conn, &secret, &base_url, &user, purpose, at)
        })?;
        tracing::info!(account = %mask_email(&address), "password reset link queued");
        Ok(())
    })
    .await?;
    let mut context = Context::new();
    let minutes = TokenPurpose::PasswordReset.valid_for().num_minutes();
    context.insert("valid_minutes", &minutes.to_string());
    page(
        &state,
        &visit,
        "accounts/forgot_sent.html",
        context,
        StatusCode::OK,
    )
    .await
}
