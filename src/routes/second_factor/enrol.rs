//! Enrolment (`/account/second-factor`): the QR code, the first code, the
//! recovery codes.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Serialize;
use tera::Context;

use super::login::{throttle_key, unix_now, CodeForm};
use super::middleware::must_enrol;
use crate::auth::second_factor::{self as factor, Authenticator, Keys};
use crate::auth::{client_address, throttle, CsrfForm, CurrentUser};
use crate::config::Environment;
use crate::db::outbox::{self, AccountChange};
use crate::db::second_factors::{RecoveryCode, SecondFactor};
use crate::db::users::User;
use crate::db::DbConnection;
use crate::error::AppError;
use crate::routes::pages::{now, page, see_other, with_db};
use crate::routes::AppState;

/// Where a staff member who must enrol is sent.
pub(super) const ENROL_PATH: &str = "/account/second-factor";

/// The enrolment page: the QR code and the secret, or the state once enrolled.
#[derive(Debug, Default, Serialize)]
struct EnrolPage {
    enrolled: bool,
    required: bool,
    qr_svg: String,
    secret: String,
    code_error: Option<String>,
    recovery_remaining: String,
}

/// The page of recovery codes, shown once after enrolment.
#[derive(Debug, Serialize)]
struct RecoveryCodesPage {
    codes: Vec<String>,
}

/// Builds the enrolment page for `user`, starting enrolment if none is under way.
fn enrol_page(
    conn: &mut DbConnection,
    keys: &Keys,
    environment: Environment,
    user: &User,
) -> Result<EnrolPage, AppError> {
    let id = user.user_id();
    let required = must_enrol(conn, environment, user)?;
    let existing = SecondFactor::find(conn, id)?;
    if existing.as_ref().is_some_and(|f| f.confirmed_at.is_some()) {
        return Ok(EnrolPage {
            enrolled: true,
            recovery_remaining: RecoveryCode::remaining(conn, id)?.to_string(),
            ..EnrolPage::default()
        });
    }
    let secret = match existing {
        Some(factor) => keys
            .decrypt_secret(id.0, &factor.secret_encrypted)
            .map_err(|e| AppError::Unexpected(e.to_string()))?,
        None => {
            let secret = factor::new_secret();
            SecondFactor::begin(conn, id, &keys.encrypt_secret(id.0, &secret), now())?;
            secret
        }
    };
    let authenticator = Authenticator::new(secret, &user.email);
    Ok(EnrolPage {
        enrolled: false,
        required,
        qr_svg: authenticator.qr_svg(),
        secret: authenticator.secret_grouped(),
        code_error: None,
        recovery_remaining: String::new(),
    })
}

/// `GET /account/second-factor`: enrolment, or its state once enrolled.
pub async fn enrol_form(
    state: web::Data<AppState>,
    current: CurrentUser,
) -> Result<HttpResponse, AppError> {
    if !factor::may_enrol(current.user.role()) {
        return Err(AppError::NotFound);
    }
    let keys = Keys::derive(&state.config.secret_key);
    let environment = state.config.environment;
    let user = current.user.clone();
    let content = with_db(&state.pool, move |conn| {
        enrol_page(conn, &keys, environment, &user)
    })
    .await?;
    page(
        &state,
        &current.visit,
        "auth/second_factor.html",
        Context::from_serialize(content)?,
        StatusCode::OK,
    )
    .await
}

/// `POST /account/second-factor`: confirms enrolment with a current code, then
/// shows the ten recovery codes, once.
pub async fn enrol(
    req: HttpRequest,
    state: web::Data<AppState>,
    current: CurrentUser,
    CsrfForm(form): CsrfForm<CodeForm>,
) -> Result<HttpResponse, AppError> {
    if !factor::may_enrol(current.user.role()) {
        return Err(AppError::NotFound);
    }
    let keys = Keys::derive(&state.config.secret_key);
    let user = current.user.user_id();
    let blocked_keys = throttle_key(user);
    let blocked = with_db(&state.pool, move |conn| {
        throttle::blocked_for(conn, &blocked_keys, now())
    })
    .await?;
    let code = form.code.clone();
    let check_keys = keys.clone();
    let account = current.user.clone();
    let address = client_address(&req, &state.config).to_string();
    let confirmed = with_db(&state.pool, move |conn| {
        if blocked.is_some() {
            return Ok(None);
        }
        let Some(factor) = SecondFactor::find(conn, user)?.filter(|f| f.confirmed_at.is_none())
        else {
            return Ok(None);
        };
        let secret = check_keys
            .decrypt_secret(user.0, &factor.secret_encrypted)
            .map_err(|e| AppError::Unexpected(e.to_string()))?;
        let Some(step) = Authenticator::new(secret, "").matching_step(&code, unix_now()) else {
            throttle::record_failure(conn, &throttle_key(user), now())?;
            return Ok(None);
        };
        let codes = factor::new_recovery_codes();
        let hashes: Vec<String> = codes
            .iter()
            .map(|c| check_keys.hash_recovery_code(c))
            .collect();
        // The owner is told in the enrolment's own transaction.
        let confirmed = crate::db::write_transaction(conn, |conn| {
            let confirmed = SecondFactor::confirm(conn, user, step, &hashes, now())?;
            if confirmed {
                let change = AccountChange::SecondFactorEnrolled;
                outbox::enqueue_account_change(conn, &account, change, &address, now())?;
            }
            Ok::<_, AppError>(confirmed)
        })?;
        Ok(confirmed.then_some(codes))
    })
    .await?;
    let lang = current.visit.lang;
    if let Some(codes) = confirmed {
        tracing::info!(user = user.0, "second factor enrolled");
        return page(
            &state,
            &current.visit,
            "auth/second_factor_codes.html",
            Context::from_serialize(RecoveryCodesPage { codes })?,
            StatusCode::OK,
        )
        .await;
    }
    let environment = state.config.environment;
    let shown = current.user.clone();
    let mut content = with_db(&state.pool, move |conn| {
        enrol_page(conn, &keys, environment, &shown)
    })
    .await?;
    if content.enrolled {
        return Ok(see_other(ENROL_PATH));
    }
    content.code_error = Some(match blocked {
        Some(seconds) => state
            .renderer
            .text(lang, "second_factor_throttled")
            .replace("{seconds}", &seconds.to_string()),
        None => state.renderer.text(lang, "second_factor_code_wrong"),
    });
    page(
        &state,
        &current.visit,
        "auth/second_factor.html",
        Context::from_serialize(content)?,
        crate::routes::forms::UNPROCESSABLE,
    )
    .await
}
