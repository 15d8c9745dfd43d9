//! What runs around every handler: the session is loaded, cross-site state changes
//! are refused, and error responses are rendered as pages in the user's language.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::{header, Method};
use actix_web::middleware::Next;
use actix_web::{web, Error, HttpMessage, HttpResponse};
use tera::Context;

use super::pages::NavCounts;
use crate::auth::csrf::same_origin;
use crate::auth::session::{cookie_name, Visit};
use crate::error::{AppError, ErrorPage};
use crate::routes::AppState;

/// Hands the request on to the handler unchanged.
pub(super) async fn pass(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    next.call(req)
        .await
        .map(ServiceResponse::map_into_boxed_body)
}

/// The application state, from a middleware's request.
pub(super) fn app_state(req: &ServiceRequest) -> Result<web::Data<AppState>, AppError> {
    req.app_data::<web::Data<AppState>>()
        .cloned()
        .ok_or_else(|| AppError::Unexpected("app state missing".into()))
}

/// Loads the visitor's session (if any) into the request before the handler runs.
pub async fn load_session(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    if req.path().starts_with("/static/") {
        return pass(req, next).await;
    }
    let state = app_state(&req)?;
    let cookie_id = req
        .cookie(cookie_name(&state.config))
        .map(|c| c.value().to_owned());
    // A one-time message is shown by the next page that renders; `/` only
    // redirects to the role's home page, so it leaves the message for that page.
    let take_flash = req.method() == Method::GET && req.path() != "/";
    let visit = web::block(move || -> Result<Visit, AppError> {
        let mut conn = state.pool.get()?;
        Visit::load(
            &mut conn,
            &state.config.secret_key,
            cookie_id.as_deref(),
            take_flash,
            chrono::Utc::now().naive_utc(),
        )
    })
    .await
    .map_err(AppError::from)??;
    req.extensions_mut().insert(visit);
    pass(req, next).await
}

/// Refuses state-changing requests that a browser marks as coming from another site.
pub async fn refuse_cross_site(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let allowed = match req.app_data::<web::Data<AppState>>() {
        Some(state) => same_origin(req.request(), &state.config),
        None => false,
    };
    if !allowed {
        return Err(AppError::CsrfRejected.into());
    }
    pass(req, next).await
}

/// Turns an error response into a page with the layout, in the user's language.
pub async fn render_error_pages(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let response = next.call(req).await?.map_into_boxed_body();
    let Some(page) = response.response().extensions().get::<ErrorPage>().copied() else {
        return Ok(response);
    };
    let status = response.status();
    let (req, _) = response.into_parts();
    let visit = req.extensions().get::<Visit>().cloned().unwrap_or_default();
    let rendered = match req.app_data::<web::Data<AppState>>() {
        Some(state) => {
            let renderer = &state.renderer;
            let mut context = Context::new();
            context.insert(
                "error_title",
                renderer.catalog().get(visit.lang, page.title_key),
            );
            context.insert(
                "error_message",
                renderer.catalog().get(visit.lang, page.message_key),
            );
            renderer
                .render(&visit, &NavCounts::default(), "errors/page.html", context)
                .ok()
        }
        None => None,
    };
    let body = rendered.unwrap_or_else(|| page.title_key.to_owned());
    let response = HttpResponse::build(status)
        .insert_header((header::CONTENT_TYPE, "text/html; charset=utf-8"))
        .body(body);
    Ok(ServiceResponse::new(req, response))
}

/// The answer for any URL that matches no route.
pub async fn not_found() -> Result<HttpResponse, AppError> {
    Err(AppError::NotFound)
}

/// Security headers set on every response.
pub fn security_headers() -> actix_web::middleware::DefaultHeaders {
    actix_web::middleware::DefaultHeaders::new()
        .add((
            header::CONTENT_SECURITY_POLICY,
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
             form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'",
        ))
        .add((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .add((header::REFERRER_POLICY, "same-origin"))
        .add((header::X_FRAME_OPTIONS, "DENY"))
        .add((
            "Permissions-Policy",
            "camera=(), microphone=(), geolocation=()",
        ))
        .add((header::CACHE_CONTROL, "no-store"))
}
