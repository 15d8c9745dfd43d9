//! CSRF protection: every state-changing form carries the session's token, checked
//! in constant time by the [`CsrfForm`] extractor; cross-site requests are refused
//! by their `Origin` and `Sec-Fetch-Site` headers before any handler runs.
//!
//! A visitor without a session (the login, forgotten-password and link forms) gets
//! a stateless token instead: a random nonce signed with `SECRET_KEY` and its issue
//! time, kept in a short-lived cookie and repeated in the form (a signed
//! double-submit), so loading a form writes nothing to the database.
//!
//! Against BREACH, pages never show the token itself: each rendering shows a fresh
//! random pad followed by the token XOR the pad ([`mask`]), so a compressed page
//! leaks nothing about the token.

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
use crate::config::{Config, SecretKey};
use crate::error::AppError;
use crate::secrets::{keyed_hash, random_token};
use actix_web::cookie::{Cookie, SameSite};
use chrono::{Duration, NaiveDateTime};
use rand::RngCore;

/// How long an anonymous form's token stays valid.
pub const ANONYMOUS_TOKEN_LIFETIME: Duration = Duration::hours(2);
/// After this age a page load issues a fresh anonymous token, so a form just
/// loaded always has at least an hour.
const ANONYMOUS_TOKEN_RENEW: Duration = Duration::hours(1);

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

/// The token as a page shows it: a fresh random pad, then the token XOR the pad,
/// both hex. Two renderings of one token never look alike.
pub fn mask(token: &str) -> String {
    let token = token.as_bytes();
    let mut pad = vec![0u8; token.len()];
    rand::thread_rng().fill_bytes(&mut pad);
    let masked: Vec<u8> = token.iter().zip(&pad).map(|(t, p)| t ^ p).collect();
    format!("{}{}", hex::encode(&pad), hex::encode(masked))
}

/// The token inside a masked value, if it is one.
fn unmask(submitted: &str) -> Option<Vec<u8>> {
    let bytes = hex::decode(submitted).ok()?;
    if bytes.is_empty() || bytes.len() % 2 != 0 {
        return None;
    }
    let (pad, masked) = bytes.split_at(bytes.len() / 2);
    Some(pad.iter().zip(masked).map(|(p, m)| p ^ m).collect())
}

/// Whether the masked `submitted` value carries the expected token, compared in
/// constant time.
pub fn token_matches(expected: Option<&str>, submitted: &str) -> bool {
    match (expected, unmask(submitted)) {
        (Some(expected), Some(token)) if !expected.is_empty() => {
            expected.as_bytes().ct_eq(&token).into()
        }
        _ => false,
    }
}

/// The anonymous-token cookie's name (`__Host-` prefixed over https).
pub fn anonymous_cookie_name(config: &Config) -> &'static str {
    if config.uses_https() {
        "__Host-csrf"
    } else {
        "csrf"
    }
}

fn signature(secret: &SecretKey, nonce: &str, issued: i64) -> String {
    keyed_hash(secret, &format!("anonymous-csrf:{nonce}.{issued}"))
}

/// A new anonymous token: the nonce forms carry, and the signed cookie holding it.
pub fn issue_anonymous(config: &Config, now: NaiveDateTime) -> (String, Cookie<'static>) {
    let nonce = random_token();
    let issued = now.and_utc().timestamp();
    let value = format!(
        "{nonce}.{issued}.{}",
        signature(&config.secret_key, &nonce, issued)
    );
    let cookie = Cookie::build(anonymous_cookie_name(config), value)
        .path("/")
        .http_only(true)
        .secure(config.uses_https())
        .same_site(SameSite::Lax)
        .max_age(actix_web::cookie::time::Duration::seconds(
            ANONYMOUS_TOKEN_LIFETIME.num_seconds(),
        ))
        .finish();
    (nonce, cookie)
}

/// The nonce of a signed, unexpired anonymous-token cookie, and whether it is old
/// enough that a page load should renew it.
pub fn verify_anonymous(
    secret: &SecretKey,
    cookie_value: &str,
    now: NaiveDateTime,
) -> Option<(String, bool)> {
    let mut parts = cookie_value.splitn(3, '.');
    let (nonce, issued, given) = (parts.next()?, parts.next()?, parts.next()?);
    let issued: i64 = issued.parse().ok()?;
    let expected = signature(secret, nonce, issued);
    if !bool::from(expected.as_bytes().ct_eq(given.as_bytes())) {
        return None;
    }
    let age = Duration::seconds(now.and_utc().timestamp() - issued);
    if age < Duration::zero() || age > ANONYMOUS_TOKEN_LIFETIME {
        return None;
    }
    Some((nonce.to_owned(), age > ANONYMOUS_TOKEN_RENEW))
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
        assert!(token_matches(Some("abc123"), &mask("abc123")));
        assert!(!token_matches(Some("abc123"), &mask("abc124")));
        assert!(!token_matches(Some("abc123"), &mask("abc")));
        assert!(!token_matches(Some("abc123"), "abc123"));
        assert!(!token_matches(Some(""), &mask("")));
        assert!(!token_matches(Some(""), ""));
        assert!(!token_matches(None, &mask("abc123")));
    }

    #[test]
    fn each_masking_looks_different_and_unmasks_to_the_token() {
        let token = random_token();
        let (a, b) = (mask(&token), mask(&token));
        assert_ne!(a, b);
        assert!(!a.contains(&token));
        assert!(token_matches(Some(&token), &a) && token_matches(Some(&token), &b));
    }

    fn config() -> Config {
        Config::from_lookup(|_| None).unwrap()
    }

    #[test]
    fn an_anonymous_token_is_valid_only_signed_and_for_two_hours() {
        let config = config();
        let now = chrono::Utc::now().naive_utc();
        let (nonce, cookie) = issue_anonymous(&config, now);
        let value = cookie.value();
        let key = &config.secret_key;
        assert_eq!(
            verify_anonymous(key, value, now),
            Some((nonce.clone(), false))
        );
        assert_eq!(
            verify_anonymous(key, value, now + Duration::minutes(90)),
            Some((nonce.clone(), true))
        );
        assert_eq!(
            verify_anonymous(key, value, now + Duration::minutes(121)),
            None
        );
        let other_key = SecretKey::new(vec![9; 32]);
        assert_eq!(verify_anonymous(&other_key, value, now), None);
        let forged = value.replacen(&nonce, &random_token(), 1);
        assert_eq!(verify_anonymous(key, &forged, now), None);
    }
}
