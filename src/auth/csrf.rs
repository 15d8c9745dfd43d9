//! CSRF protection: every state-changing form carries the session's token, checked
//! in constant time by the [`CsrfForm`] extractor; cross-site requests are refused
//! by their `Origin` and `Sec-Fetch-Site` headers before any handler runs.

use actix_web::dev::Payload;
use actix_web::http::{Method, StatusCode};
use actix_web::web::Bytes;
use actix_web::{FromRequest, HttpMessage, HttpRequest};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use std::future::Future;
use std::pin::Pin;
use subtle::ConstantTimeEq;

use super::session::Visit;
use crate::config::Config;
use crate::error::AppError;

/// Largest form body accepted (a long answer in Vietnamese fits many times); the
/// app registers it as actix's payload limit too.
pub const FORM_LIMIT: usize = 512 * 1024;

#[derive(Deserialize)]
struct TokenOnly {
    #[serde(default)]
    csrf_token: String,
}

/// A urlencoded form whose `csrf_token` matched the session's token.
#[derive(Debug)]
pub struct CsrfForm<T>(pub T);

/// Whether `submitted` equals the session's token, compared in constant time.
pub fn token_matches(expected: Option<&str>, submitted: &str) -> bool {
    match expected {
        Some(expected) if !submitted.is_empty() => {
            expected.as_bytes().ct_eq(submitted.as_bytes()).into()
        }
        _ => false,
    }
}

impl<T: DeserializeOwned + 'static> FromRequest for CsrfForm<T> {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<CsrfForm<T>, AppError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let expected = req
            .extensions()
            .get::<Visit>()
            .and_then(|visit| visit.csrf_token.clone());
        let body = Bytes::from_request(req, payload);
        Box::pin(async move {
            // An oversize body is refused as such, never as an expired form.
            let body = body.await.map_err(|error| {
                if error.as_response_error().status_code() == StatusCode::PAYLOAD_TOO_LARGE {
                    AppError::TooLarge
                } else {
                    AppError::CsrfRejected
                }
            })?;
            if body.len() > FORM_LIMIT {
                return Err(AppError::TooLarge);
            }
            let token: TokenOnly =
                serde_urlencoded::from_bytes(&body).map_err(|_| AppError::CsrfRejected)?;
            if !token_matches(expected.as_deref(), &token.csrf_token) {
                return Err(AppError::CsrfRejected);
            }
            serde_urlencoded::from_bytes(&body)
                .map(CsrfForm)
                .map_err(|_| AppError::NotFound)
        })
    }
}

/// Whether a request may change state judged by where it comes from: browsers say
/// so in `Sec-Fetch-Site` and `Origin`; a request from another site is refused.
pub fn same_origin(req: &HttpRequest, config: &Config) -> bool {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return true;
    }
    let header = |name: &str| {
        req.headers()
            .get(name)
            .and_then(|value| value.to_str().ok())
            .map(str::to_owned)
    };
    if let Some(site) = header("sec-fetch-site") {
        if site == "cross-site" || site == "same-site" {
            return false;
        }
    }
    match header("origin") {
        None => true,
        Some(origin) => {
            let via_host = header("host").map(|host| {
                let scheme = if config.uses_https() { "https" } else { "http" };
                format!("{scheme}://{host}")
            });
            origin == config.base_url || Some(origin) == via_host
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_must_match_exactly_and_an_empty_token_never_matches() {
        assert!(token_matches(Some("abc123"), "abc123"));
        assert!(!token_matches(Some("abc123"), "abc124"));
        assert!(!token_matches(Some("abc123"), "abc"));
        assert!(!token_matches(Some(""), ""));
        assert!(!token_matches(None, "abc123"));
    }
}
