//! The known-device cookie (OWASP, "Slow down online guessing attacks with device
//! cookies"): after a successful login, or a password set from an emailed link,
//! the browser gets a signed, HttpOnly cookie for that account. A login attempt
//! that shows a valid one is judged by that device's own failures only
//! (`throttle::LoginKeys`), so an attack on the account from elsewhere does not
//! keep its owner out.

use actix_web::cookie::{time, Cookie, SameSite};
use actix_web::HttpRequest;
use chrono::{Duration, NaiveDateTime};

use super::throttle::device_key;
use crate::config::Config;
use crate::domain::UserId;
use crate::secrets::{keyed_hash, keyed_hash_matches, random_token};

/// How long a device stays known after its last successful login.
pub const KNOWN_FOR: Duration = Duration::days(90);

/// The cookie's name for one account: a browser may know several accounts.
fn cookie_name(user: UserId) -> String {
    format!("known-device-{}", user.0)
}

/// What the signature covers: the account, the expiry and the device's nonce.
fn signed_text(user: UserId, expires: i64, nonce: &str) -> String {
    format!("known-device:{}:{expires}:{nonce}", user.0)
}

/// A fresh known-device cookie for `user`, valid for [`KNOWN_FOR`] from `now`.
pub fn issue(config: &Config, user: UserId, now: NaiveDateTime) -> Cookie<'static> {
    let expires = (now + KNOWN_FOR).and_utc().timestamp();
    let nonce = random_token()[..24].to_owned();
    let signature = keyed_hash(&config.secret_key, &signed_text(user, expires, &nonce));
    Cookie::build(cookie_name(user), format!("{expires}.{nonce}.{signature}"))
        .path("/")
        .http_only(true)
        .secure(config.uses_https())
        .same_site(SameSite::Lax)
        .max_age(time::Duration::seconds(KNOWN_FOR.num_seconds()))
        .finish()
}

/// Checks a cookie value for `user`; returns the device's nonce when the
/// signature is ours and the cookie has not expired.
fn verify(config: &Config, user: UserId, value: &str, now: NaiveDateTime) -> Option<String> {
    let mut parts = value.splitn(3, '.');
    let expires: i64 = parts.next()?.parse().ok()?;
    let nonce = parts.next()?;
    let signature = parts.next()?;
    if expires <= now.and_utc().timestamp() {
        return None;
    }
    keyed_hash_matches(
        &config.secret_key,
        &signed_text(user, expires, nonce),
        signature,
    )
    .then(|| nonce.to_owned())
}

/// The throttle key of the known device this request shows for `user`, if any.
pub fn recognise(
    req: &HttpRequest,
    config: &Config,
    user: UserId,
    now: NaiveDateTime,
) -> Option<String> {
    let cookie = req.cookie(&cookie_name(user))?;
    verify(config, user, cookie.value(), now).map(|nonce| device_key(user, &nonce))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::SecretKey;

    fn config(key: u8) -> Config {
        let mut config = Config::from_lookup(|_| None).unwrap();
        config.secret_key = SecretKey::new(vec![key; 32]);
        config
    }

    #[test]
    fn a_device_cookie_is_bound_to_its_account_key_and_lifetime() {
        let now = chrono::Utc::now().naive_utc();
        let ours = config(1);
        let cookie = issue(&ours, UserId(5), now);
        assert!(cookie.http_only().unwrap_or(false));
        let value = cookie.value();
        let nonce = verify(&ours, UserId(5), value, now).expect("our own cookie");
        assert_eq!(nonce.len(), 24);
        assert_eq!(
            verify(&ours, UserId(6), value, now),
            None,
            "another account"
        );
        assert_eq!(
            verify(&config(2), UserId(5), value, now),
            None,
            "another key"
        );
        let later = now + KNOWN_FOR + Duration::seconds(1);
        assert_eq!(verify(&ours, UserId(5), value, later), None, "expired");
        let forged = value.replacen('.', "9.", 1);
        assert_eq!(
            verify(&ours, UserId(5), &forged, now),
            None,
            "altered expiry"
        );
    }
}
