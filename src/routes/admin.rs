//! The administrator's area: users, bodies, fields and the routing table,
//! conferences.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use tera::Context;

use super::pages::{page, with_db, Renderer};
use crate::auth::CurrentUser;
use crate::db::users::User;
use crate::db::DbPool;
use crate::domain::Role;
use crate::error::AppError;

/// Refuses anyone but an administrator.
pub fn require_admin(current: &CurrentUser) -> Result<(), AppError> {
    if current.user.role() == Role::Admin {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// `GET /admin/users`.
pub async fn users(
    pool: web::Data<DbPool>,
    renderer: web::Data<Renderer>,
    current: CurrentUser,
) -> Result<HttpResponse, AppError> {
    require_admin(&current)?;
    let (users, total) = with_db(&pool, |conn| Ok(User::page(conn, 0, 200)?)).await?;
    let mut context = Context::new();
    context.insert("users", &users);
    context.insert("total", &total);
    page(&pool, &renderer, &current.visit, "admin/users.html", context, StatusCode::OK).await
}
