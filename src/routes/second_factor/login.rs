//! The code asked after the password (`/login/second-factor`), and the start of
//! every login.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use tera::Context;

use crate::auth::second_factor::{self as factor, Authenticator, Keys};
use crate::auth::session::{self, session_cookie};
use crate::auth::{throttle, CsrfForm, Visit};
use crate::config::SecretKey;
use crate::db::second_factors::{PendingLogin, RecoveryCode, SecondFactor};
use crate::db::DbConnection;
use crate::domain::UserId;
use crate::error::AppError;
use crate::i18n::Lang;
use crate::routes::pages::{flash, now, page, see_other, with_db};
use crate::routes::AppState;

/// Where the code is asked after the password.
const LOGIN_CODE_PATH: &str = "/login/second-factor";

/// The seconds since the epoch, for TOTP.
pub(super) fn unix_now() -> u64 {
    chrono::Utc::now().timestamp().max(0) as u64
}

/// The throttle key of an account's code attempts.
pub(super) fn throttle_key(user: UserId) -> Vec<String> {
    vec![format!("second-factor:{}", user.0)]
}

/// Starts the session after a correct password. With a confirmed second factor
/// the new session belongs to nobody yet and waits for the code; otherwise it is
/// the user's. Used after every proof of the password (login, a reset or
/// invitation link), so none of them skips the code. Returns the session and
/// where to go next.
pub fn start_login(
    conn: &mut DbConnection,
    secret: &SecretKey,
    user: UserId,
    lang: Lang,
) -> Result<(session::Started, &'static str), AppError> {
    if SecondFactor::is_enrolled(conn, user)? {
        let started = session::start(conn, secret, None, lang, now())?;
        PendingLogin::begin(conn, &started.id_hash, user)?;
        Ok((started, LOGIN_CODE_PATH))
    } else {
        Ok((session::start(conn, secret, Some(user), lang, now())?, "/"))
    }
}

/// A code as typed (six digits, or a recovery code).
#[derive(Debug, Default, Deserialize)]
pub struct CodeForm {
    #[serde(default)]
    pub(super) code: String,
}

/// The code page after the password.
#[derive(Debug, Serialize)]
struct LoginCodePage {
    code_error: Option<String>,
}

/// `GET /login/second-factor`: asks for the code of the login under way.
pub async fn login_code_form(
    state: web::Data<AppState>,
    visit: Visit,
) -> Result<HttpResponse, AppError> {
    let Some(session) = visit.id_hash.clone() else {
        return Ok(see_other("/login"));
    };
    let pending = with_db(&state.pool, move |conn| {
        Ok(PendingLogin::find(conn, &session)?)
    })
    .await?;
    if pending.is_none() {
        return Ok(see_other("/login"));
    }
    let context = Context::from_serialize(LoginCodePage { code_error: None })?;
    page(
        &state,
        &visit,
        "auth/second_factor_login.html",
        context,
        StatusCode::OK,
    )
    .await
}

/// What a code given at login turned out to be.
enum Verdict {
    /// The current code, not used before.
    Code,
    /// An unused recovery code (now used).
    Recovery,
    /// The right code, but its time step was already used.
    Reused,
    /// Neither.
    Wrong,
}

/// Checks `input` against the user's authenticator or recovery codes.
fn verify(
    conn: &mut DbConnection,
    keys: &Keys,
    user: UserId,
    input: &str,
) -> Result<Verdict, AppError> {
    let Some(factor) = SecondFactor::find(conn, user)?.filter(|f| f.confirmed_at.is_some()) else {
        return Ok(Verdict::Wrong);
    };
    if factor::looks_like_code(input) {
        let secret = keys
            .decrypt_secret(user.0, &factor.secret_encrypted)
            .map_err(|e| AppError::Unexpected(e.to_string()))?;
        let Some(step) = Authenticator::new(secret, "").matching_step(input, unix_now()) else {
            return Ok(Verdict::Wrong);
        };
        return Ok(if SecondFactor::claim_step(conn, user, step)? {
            Verdict::Code
        } else {
            Verdict::Reused
        });
    }
    let hash = keys.hash_recovery_code(input);
    Ok(if RecoveryCode::use_once(conn, user, &hash, now())? {
        Verdict::Recovery
    } else {
        Verdict::Wrong
    })
}

/// `POST /login/second-factor`: checks the code (throttled per account like
/// passwords) and, when right, replaces the waiting session with the user's.
pub async fn login_code(
    req: HttpRequest,
    state: web::Data<AppState>,
    visit: Visit,
    CsrfForm(form): CsrfForm<CodeForm>,
) -> Result<HttpResponse, AppError> {
    let address = crate::auth::client_address(&req, &state.config);
    let Some(session) = visit.id_hash.clone() else {
        return Ok(see_other("/login"));
    };
    let lookup = session.clone();
    let Some((user, since)) = with_db(&state.pool, move |conn| {
        Ok(PendingLogin::find(conn, &lookup)?)
    })
    .await?
    else {
        return Ok(see_other("/login"));
    };
    // The code must follow the password soon; otherwise start over.
    if since + chrono::Duration::minutes(factor::PENDING_MINUTES) < now() {
        let old = session.clone();
        with_db(&state.pool, move |conn| {
            Ok(crate::db::sessions::SessionRow::delete(conn, &old)?)
        })
        .await?;
        return Ok(see_other("/login"));
    }
    let refuse = |key: &str, status: StatusCode, seconds: Option<i64>| {
        let message = state
            .renderer
            .text(visit.lang, key)
            .replace("{seconds}", &seconds.unwrap_or_default().to_string());
        (message, status)
    };
    let keys_for_check = throttle_key(user);
    let blocked = with_db(&state.pool, move |conn| {
        throttle::blocked_for(conn, &keys_for_check, now())
    })
    .await?;
    let keys = Keys::derive(&state.config.secret_key);
    let outcome = match blocked {
        Some(seconds) => Err(refuse(
            "second_factor_throttled",
            StatusCode::TOO_MANY_REQUESTS,
            Some(seconds),
        )),
        None => {
            let code = form.code.clone();
            let verdict =
                with_db(&state.pool, move |conn| verify(conn, &keys, user, &code)).await?;
            match verdict {
                Verdict::Code | Verdict::Recovery => Ok(matches!(verdict, Verdict::Recovery)),
                Verdict::Reused => Err(refuse(
                    "second_factor_code_reused",
                    StatusCode::UNAUTHORIZED,
                    None,
                )),
                Verdict::Wrong => Err(refuse(
                    "second_factor_code_wrong",
                    StatusCode::UNAUTHORIZED,
                    None,
                )),
            }
        }
    };
    match outcome {
        Ok(used_recovery) => {
            let secret = state.config.secret_key.clone();
            let lang = visit.lang;
            let id = with_db(&state.pool, move |conn| {
                throttle::clear(conn, &throttle_key(user))?;
                crate::db::sessions::SessionRow::delete(conn, &session)?;
                let started = session::start(conn, &secret, Some(user), lang, now())?;
                if used_recovery {
                    flash(conn, &started.id_hash, "flash_recovery_code_used")?;
                }
                Ok(started.id)
            })
            .await?;
            tracing::info!(
                user = user.0,
                %address,
                recovery = used_recovery,
                "second factor passed"
            );
            let mut response = see_other("/");
            response
                .add_cookie(&session_cookie(&state.config, id))
                .map_err(|e| AppError::Unexpected(e.to_string()))?;
            Ok(response)
        }
        Err((message, status)) => {
            if status == StatusCode::UNAUTHORIZED {
                let failed = throttle_key(user);
                with_db(&state.pool, move |conn| {
                    throttle::record_failure(conn, &failed, now())
                })
                .await?;
                tracing::info!(user = user.0, %address, "second factor refused");
            }
            let context = Context::from_serialize(LoginCodePage {
                code_error: Some(message),
            })?;
            page(
                &state,
                &visit,
                "auth/second_factor_login.html",
                context,
                status,
            )
            .await
        }
    }
}
