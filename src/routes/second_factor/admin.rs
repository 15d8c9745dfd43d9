//! The administrator's page (`/admin/second-factor`): who has enrolled, the
//! policy for drafters, a reset.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use tera::Context;

use crate::auth::{client_address, CsrfForm};
use crate::db::outbox::{self, AccountChange};
use crate::db::second_factors::{AuditAction, AuditEntry, SecondFactor, SecondFactorSettings};
use crate::db::users::User;
use crate::domain::UserId;
use crate::error::AppError;
use crate::routes::pages::{flash, now, page, see_other, with_db};
use crate::routes::roles::Admin;
use crate::routes::AppState;

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
    CsrfForm(_): CsrfForm<crate::routes::auth::EmptyForm>,
) -> Result<HttpResponse, AppError> {
    let target = UserId(path.into_inner());
    let actor = current.user.user_id();
    let session = current.session.clone();
    let address = client_address(&req, &state.config).to_string();
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
