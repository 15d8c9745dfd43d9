//! What runs around every handler: the session is loaded, cross-site state changes
//! are refused, and error responses are rendered as pages in the user's language.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::{header, Method};
use actix_web::middleware::Next;
use actix_web::{web, Error, HttpMessage, HttpResponse};
use tera::Context;

use super::pages::NavCounts;
use crate::auth::csrf::{anonymous_cookie_name, issue_anonymous, same_origin, verify_anonymous};
use crate::auth::session::{cookie_name, removal_cookie, RequestFacts, Visit};
use crate::error::{AppError, ErrorPage};
use crate::i18n::Lang;
use crate::routes::AppState;

/// The cookie that remembers the language of a visitor without a session.
pub const LANGUAGE_COOKIE: &str = "lang";
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
/// A visitor without one gets a signed anonymous CSRF token (cookie, no database
/// row); an expired signed-in session sends the browser to the login page.
pub async fn load_session(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    if req.path().starts_with("/static/") {
        return pass(req, next).await;
    }
    let state = app_state(&req)?;
    let facts = RequestFacts {
        cookie_id: req
            .cookie(cookie_name(&state.config))
            .map(|c| c.value().to_owned()),
        user_agent: req
            .headers()
            .get(header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned),
        // A one-time message is shown by the next page that renders; `/` only
        // redirects to the role's home page, so it leaves the message for that page.
        take_flash: req.method() == Method::GET && req.path() != "/",
    };
    let now = chrono::Utc::now().naive_utc();
    let loader = state.clone();
    let mut visit = web::block(move || -> Result<Visit, AppError> {
        let mut conn = loader.pool.get()?;
        let config = &loader.config;
        Visit::load(&mut conn, &config.secret_key, &config.sessions, &facts, now)
    })
    .await
    .map_err(AppError::from)??;
    if visit.expired && req.path() != "/login" {
        let mut response = HttpResponse::SeeOther()
            .insert_header((header::LOCATION, "/login?expired=1"))
            .finish();
        response.add_cookie(&removal_cookie(&state.config))?;
        return Ok(req.into_response(response));
    }
    let mut new_cookie = None;
    if visit.id_hash.is_none() {
        if let Some(lang) = req.cookie(LANGUAGE_COOKIE) {
            visit.lang = Lang::from_code(lang.value());
        }
        let signed = req
            .cookie(anonymous_cookie_name(&state.config))
            .and_then(|c| verify_anonymous(&state.config.secret_key, c.value(), now));
        visit.csrf_token = match signed {
            Some((nonce, false)) => Some(nonce),
            Some((nonce, true)) if req.method() != Method::GET => Some(nonce),
            _ if req.method() == Method::GET => {
                let (nonce, cookie) = issue_anonymous(&state.config, now);
                new_cookie = Some(cookie);
                Some(nonce)
            }
            _ => None,
        };
    }
    req.extensions_mut().insert(visit);
    let mut response = next.call(req).await?.map_into_boxed_body();
    if let Some(cookie) = new_cookie {
        response.response_mut().add_cookie(&cookie)?;
    }
    Ok(response)
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

/// Security headers set on every response; `Strict-Transport-Security` only when
/// the desk is served over https (`https` is whether `BASE_URL` is).
pub fn security_headers(https: bool) -> actix_web::middleware::DefaultHeaders {
    let headers = actix_web::middleware::DefaultHeaders::new();
    let headers = if https {
        headers.add((
            header::STRICT_TRANSPORT_SECURITY,
            "max-age=31536000; includeSubDomains",
        ))
    } else {
        headers
    };
    headers
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

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::{test, App};

    async fn hsts_header(https: bool) -> Option<String> {
        let app = test::init_service(
            App::new()
                .wrap(security_headers(https))
                .route("/", web::get().to(HttpResponse::Ok)),
        )
        .await;
        let response = test::call_service(&app, test::TestRequest::get().to_request()).await;
        response
            .headers()
            .get(header::STRICT_TRANSPORT_SECURITY)
            .map(|v| v.to_str().unwrap().to_owned())
    }

    #[actix_web::test]
    async fn strict_transport_security_is_sent_only_over_https() {
        assert_eq!(
            hsts_header(true).await.as_deref(),
            Some("max-age=31536000; includeSubDomains")
        );
        assert_eq!(hsts_header(false).await, None);
    }
}
