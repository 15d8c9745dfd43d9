//! The forgotten-password form: it always answers the same, and mails a reset
//! link only to an active account, throttled per email and per client address.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use tera::Context;

use crate::auth::{client_address, loggable, throttle, CsrfForm, Visit};
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
/// has an account or not, and requests beyond the throttle's allowance (per email
/// and per client address, counted in its sliding window; every request counts,
/// whether the address has an account or not) are quietly dropped, so the desk
/// can neither be asked who has an account nor used to flood a mailbox.
pub async fn forgot(
    req: HttpRequest,
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
    let client = client_address(&req, &state.config);
    with_db(&state.pool, move |conn| {
        let at = now();
        let keys = [
            throttle::reset_key(&address),
            throttle::reset_address_key(client),
        ];
        if throttle::blocked_for(conn, &keys, at)?.is_some() {
            tracing::info!(
                account = %loggable(&mask_email(&address)),
                %client,
                "password reset request throttled"
            );
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
        tracing::info!(
            account = %loggable(&mask_email(&address)),
            user = user.id,
            %client,
            "password reset link queued"
        );
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
