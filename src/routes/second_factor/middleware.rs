//! The middleware that keeps a staff member who must enrol on the enrolment page.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{Error, HttpMessage};

use super::enrol::ENROL_PATH;
use crate::auth::second_factor::{self as factor};
use crate::auth::Visit;
use crate::config::Environment;
use crate::db::second_factors::{SecondFactor, SecondFactorSettings};
use crate::db::users::User;
use crate::db::DbConnection;
use crate::domain::Role;
use crate::error::AppError;
use crate::routes::middleware::{app_state, pass};
use crate::routes::pages::{see_other, with_db};

/// Whether `user` must enrol before doing anything else: a role that requires a
/// second factor, in production, without one confirmed. In development nobody is
/// held back, so the demo accounts of `cargo run` stay easy to try.
pub(super) fn must_enrol(
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
        return pass(req, next).await;
    };
    let state = app_state(&req)?;
    let environment = state.config.environment;
    // Only production staff can be held: spare everyone else the query.
    if environment != Environment::Production || !factor::may_enrol(user.role()) {
        return pass(req, next).await;
    }
    let held = with_db(&state.pool, move |conn| {
        must_enrol(conn, environment, &user)
    })
    .await?;
    if held {
        let (req, _) = req.into_parts();
        return Ok(ServiceResponse::new(req, see_other(ENROL_PATH)));
    }
    pass(req, next).await
}
