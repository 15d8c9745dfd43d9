//! The second factor over HTTP: enrolment (`/account/second-factor`), the code
//! asked after the password (`/login/second-factor`), the administrator's page
//! (`/admin/second-factor`), and the middleware that keeps a staff member who
//! must enrol on the enrolment page.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::middleware::Next;
use actix_web::{web, Error, HttpMessage, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use tera::Context;

use super::pages::{client_address, flash, now, page, see_other, with_db};
use super::roles::Admin;
use super::AppState;
use crate::auth::second_factor::{self as factor, Authenticator, Keys};
use crate::auth::session::{self, session_cookie};
use crate::auth::{throttle, CsrfForm, CurrentUser, Visit};
use crate::config::{Environment, SecretKey};
use crate::db::outbox::{self, AccountChange};
use crate::db::second_factors::{
    AuditAction, AuditEntry, PendingLogin, RecoveryCode, SecondFactor, SecondFactorSettings,
};
use crate::db::users::User;
use crate::db::DbConnection;
use crate::domain::{Role, UserId};
use crate::error::AppError;
use crate::i18n::Lang;

/// Where a staff member who must enrol is sent.
const ENROL_PATH: &str = "/account/second-factor";
/// Where the code is asked after the password.
const LOGIN_CODE_PATH: &str = "/login/second-factor";

/// The seconds since the epoch, for TOTP.
fn unix_now() -> u64 {
    chrono::Utc::now().timestamp().max(0) as u64
}

/// The throttle key of an account's code attempts.
fn throttle_key(user: UserId) -> Vec<String> {
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

/// Whether `user` must enrol before doing anything else: a role that requires a
/// second factor, in production, without one confirmed. In development nobody is
/// held back, so the demo accounts of `cargo run` stay easy to try.
fn must_enrol(
    conn: &mut DbConnection,
    environment: Environment,
    user: &User,
) -> Result<bool, AppError> {
    let role = user.role();
    if environment != Environment::Production || !factor::may_enrol(role) {
        return Ok(false);
    }
    let drafters = role == Role::Drafter && SecondFactorSettings::drafters_required(conn)?;
    if !factor::is_required(role, drafters) {
        return Ok(false);
    }
    Ok(!SecondFactor::is_enrolled(conn, user.user_id())?)
}

/// Middleware: a logged-in staff member who must enrol is sent to the enrolment
/// page from anywhere but that page, logout and the language switch.
pub async fn require_enrolment(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let path = req.path();
    let exempt = path.starts_with("/static/")
        || path == ENROL_PATH
        || path == "/logout"
        || path == "/language";
    let user = req.extensions().get::<Visit>().and_then(|v| v.user.clone());
    let (Some(user), false) = (user, exempt) else {
        return next
            .call(req)
            .await
            .map(ServiceResponse::map_into_boxed_body);
    };
    let state = req
        .app_data::<web::Data<AppState>>()
        .cloned()
        .ok_or_else(|| AppError::Unexpected("app state missing".into()))?;
    let environment = state.config.environment;
    // Only production staff can be held: spare everyone else the query.
    if environment != Environment::Production || !factor::may_enrol(user.role()) {
        return next
            .call(req)
            .await
            .map(ServiceResponse::map_into_boxed_body);
    }
    let held = with_db(&state.pool, move |conn| {
        must_enrol(conn, environment, &user)
    })
    .await?;
    if held {
        let (req, _) = req.into_parts();
        return Ok(ServiceResponse::new(req, see_other(ENROL_PATH)));
    }
    next.call(req)
        .await
        .map(ServiceResponse::map_into_boxed_body)
}

/// A code as typed (six digits, or a recovery code).
#[derive(Debug, Default, Deserialize)]
pub struct CodeForm {
    #[serde(default)]
    code: String,
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
    state: web::Data<AppState>,
    visit: Visit,
    CsrfForm(form): CsrfForm<CodeForm>,
) -> Result<HttpResponse, AppError> {
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
                tracing::info!(user = user.0, "second factor refused");
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
    let (account, address) = (current.user.clone(), client_address(&req));
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
        super::forms::UNPROCESSABLE,
    )
    .await
}

/// One staff member on the administrator's page.
#[derive(Debug, Serialize)]
struct StaffRow {
    id: i32,
    full_name: String,
    email: String,
    role: &'static str,
    enrolled: bool,
}

/// The administrator's page.
#[derive(Debug, Serialize)]
struct AdminPage {
    drafters_required: bool,
    staff: Vec<StaffRow>,
}

/// `GET /admin/second-factor`: whether drafters need it, and who has enrolled.
pub async fn admin_page(
    state: web::Data<AppState>,
    Admin(current): Admin,
) -> Result<HttpResponse, AppError> {
    let content = with_db(&state.pool, |conn| {
        let enrolled = SecondFactor::enrolled_user_ids(conn)?;
        let staff = crate::db::second_factors::staff_users(conn)?
            .into_iter()
            .map(|u| StaffRow {
                enrolled: enrolled.contains(&u.id),
                id: u.id,
                role: u.role().as_str(),
                full_name: u.full_name,
                email: u.email,
            })
            .collect();
        Ok(AdminPage {
            drafters_required: SecondFactorSettings::drafters_required(conn)?,
            staff,
        })
    })
    .await?;
    page(
        &state,
        &current.visit,
        "auth/second_factor_admin.html",
        Context::from_serialize(content)?,
        StatusCode::OK,
    )
    .await
}

/// The drafters setting as posted (a ticked box sends `on`).
#[derive(Debug, Default, Deserialize)]
pub struct PolicyForm {
    #[serde(default)]
    drafters_required: String,
}

/// `POST /admin/second-factor`: sets whether drafters must use a second factor.
pub async fn set_policy(
    state: web::Data<AppState>,
    Admin(current): Admin,
    CsrfForm(form): CsrfForm<PolicyForm>,
) -> Result<HttpResponse, AppError> {
    let required = !form.drafters_required.is_empty();
    let actor = current.user.user_id();
    let session = current.session.clone();
    with_db(&state.pool, move |conn| {
        crate::db::write_transaction(conn, |conn| {
            SecondFactorSettings::set_drafters_required(conn, required)?;
            AuditEntry::record(
                conn,
                actor,
                AuditAction::SecondFactorPolicyChanged,
                None,
                now(),
            )?;
            Ok::<_, AppError>(())
        })?;
        flash(conn, &session, "flash_second_factor_policy_saved")
    })
    .await?;
    Ok(see_other("/admin/second-factor"))
}

/// `POST /admin/users/{id}/second-factor/reset`: removes the user's second
/// factor (they enrol again at their next login), recorded in the audit log.
pub async fn reset(
    req: HttpRequest,
    state: web::Data<AppState>,
    Admin(current): Admin,
    path: web::Path<i32>,
    CsrfForm(_): CsrfForm<super::auth::EmptyForm>,
) -> Result<HttpResponse, AppError> {
    let target = UserId(path.into_inner());
    let actor = current.user.user_id();
    let session = current.session.clone();
    let address = client_address(&req);
    with_db(&state.pool, move |conn| {
        let Some(account) = User::find(conn, target)? else {
            return Err(AppError::NotFound);
        };
        crate::db::write_transaction(conn, |conn| {
            if SecondFactor::remove(conn, target)? {
                let change = AccountChange::SecondFactorReset;
                outbox::enqueue_account_change(conn, &account, change, &address, now())?;
            }
            AuditEntry::record(
                conn,
                actor,
                AuditAction::SecondFactorReset,
                Some(target),
                now(),
            )?;
            Ok::<_, AppError>(())
        })?;
        flash(conn, &session, "flash_second_factor_reset")
    })
    .await?;
    tracing::info!(
        admin = actor.0,
        target = target.0,
        "second factor reset by an administrator"
    );
    Ok(see_other("/admin/second-factor"))
}
