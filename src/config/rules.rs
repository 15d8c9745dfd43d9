//! The decisions that keep a misconfigured desk from starting: development mode
//! only on loopback, a real key in production, no plaintext mail in production.
//! Pure functions over the values read, so each rule is tested on its own.

use super::{ConfigError, Environment};
use std::net::{IpAddr, SocketAddr};

/// Whether `bind_addr` (`host:port`) listens only on this machine: a loopback IP
/// (`127.0.0.0/8`, `::1`) or the name `localhost`.
pub fn is_loopback(bind_addr: &str) -> bool {
    if let Ok(addr) = bind_addr.parse::<SocketAddr>() {
        return addr.ip().is_loopback();
    }
    if let Ok(ip) = bind_addr.parse::<IpAddr>() {
        return ip.is_loopback();
    }
    let host = bind_addr
        .rsplit_once(':')
        .map_or(bind_addr, |(host, _)| host);
    host.eq_ignore_ascii_case("localhost")
}

/// The environment from `APP_ENV` and `BASE_URL`, refused when development mode
/// would be reachable from other machines.
pub fn decide_environment(
    app_env: Option<&str>,
    base_url: &str,
    bind_addr: &str,
) -> Result<Environment, ConfigError> {
    let environment = match app_env {
        None if base_url.starts_with("https://") => Environment::Production,
        None | Some("development") => Environment::Development,
        Some("production") => Environment::Production,
        Some(other) => {
            return Err(ConfigError::Invalid {
                name: "APP_ENV",
                why: format!("{other:?} is neither development nor production"),
            })
        }
    };
    if environment == Environment::Development && !is_loopback(bind_addr) {
        return Err(ConfigError::DevelopmentOffLoopback(bind_addr.to_owned()));
    }
    Ok(environment)
}

/// The secret key to use: the given one if it is long enough and not the
/// built-in development key; the development key only in development.
pub fn decide_secret_key(
    given: Option<&str>,
    environment: Environment,
    min_len: usize,
    development_key: &[u8],
) -> Result<Vec<u8>, ConfigError> {
    match given {
        Some(key) if key.len() < min_len => Err(ConfigError::Invalid {
            name: "SECRET_KEY",
            why: format!(
                "it must be at least {min_len} characters; `openssl rand -hex 32` makes one"
            ),
        }),
        Some(key)
            if environment == Environment::Production && key.as_bytes() == development_key =>
        {
            Err(ConfigError::Invalid {
                name: "SECRET_KEY",
                why: "it is the built-in development key, which everyone can read; \
                      `openssl rand -hex 32` makes a real one"
                    .to_owned(),
            })
        }
        Some(key) => Ok(key.as_bytes().to_vec()),
        None if environment == Environment::Development => Ok(development_key.to_vec()),
        None => Err(ConfigError::Missing("SECRET_KEY")),
    }
}

/// Refuses, in production, an `smtp://` URL that does not require STARTTLS
/// (`?tls=required`), unless plaintext mail was allowed on purpose. `smtps://` and
/// any URL in development pass.
pub fn check_smtp_tls(
    smtp_url: &str,
    environment: Environment,
    allow_plaintext: bool,
) -> Result<(), ConfigError> {
    if environment == Environment::Development || allow_plaintext {
        return Ok(());
    }
    let lower = smtp_url.to_ascii_lowercase();
    if lower.starts_with("smtps://") {
        return Ok(());
    }
    let requires_tls = lower
        .split_once('?')
        .map(|(_, query)| query.split('&').any(|pair| pair == "tls=required"))
        .unwrap_or(false);
    if lower.starts_with("smtp://") && requires_tls {
        return Ok(());
    }
    Err(ConfigError::Invalid {
        name: "SMTP_URL",
        why: "production mail must be encrypted: use smtps://… or smtp://…?tls=required \
              (or set SMTP_ALLOW_PLAINTEXT=true if the mail server is on this machine)"
            .to_owned(),
    })
}

/// A yes/no variable: true/false, 1/0, yes/no; `default` when unset.
pub fn flag(name: &'static str, raw: Option<&str>, default: bool) -> Result<bool, ConfigError> {
    match raw {
        None => Ok(default),
        Some("1" | "true" | "yes") => Ok(true),
        Some("0" | "false" | "no") => Ok(false),
        Some(other) => Err(ConfigError::Invalid {
            name,
            why: format!("{other:?} is not true or false"),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DEV: &[u8] = b"development-key-of-at-least-32-characters";

    #[test]
    fn loopback_addresses_are_recognised() {
        for addr in [
            "127.0.0.1:8080",
            "127.1.2.3:80",
            "[::1]:8080",
            "localhost:8080",
        ] {
            assert!(is_loopback(addr), "{addr}");
        }
        for addr in [
            "0.0.0.0:8080",
            "[::]:8080",
            "10.0.0.5:8080",
            "desk.example.vn:80",
        ] {
            assert!(!is_loopback(addr), "{addr}");
        }
    }

    #[test]
    fn development_mode_is_refused_on_a_public_address() {
        let err = decide_environment(None, "http://desk.lan", "0.0.0.0:8080").unwrap_err();
        let message = err.to_string();
        assert!(message.contains("APP_ENV=production"), "{message}");
        assert!(message.contains("SECRET_KEY"), "{message}");
        assert!(decide_environment(Some("development"), "http://x", "10.1.1.1:80").is_err());
    }

    #[test]
    fn development_mode_is_fine_on_loopback_and_production_anywhere() {
        assert_eq!(
            decide_environment(None, "http://127.0.0.1:8080", "127.0.0.1:8080").unwrap(),
            Environment::Development
        );
        assert_eq!(
            decide_environment(Some("production"), "http://desk.lan", "0.0.0.0:8080").unwrap(),
            Environment::Production
        );
        assert_eq!(
            decide_environment(None, "https://desk.example.vn", "0.0.0.0:8080").unwrap(),
            Environment::Production
        );
    }

    #[test]
    fn production_never_takes_the_development_key() {
        let dev_key = std::str::from_utf8(DEV).unwrap();
        let err = decide_secret_key(Some(dev_key), Environment::Production, 32, DEV).unwrap_err();
        assert!(err.to_string().contains("development key"), "{err}");
        assert!(decide_secret_key(None, Environment::Production, 32, DEV).is_err());
        assert_eq!(
            decide_secret_key(None, Environment::Development, 32, DEV).unwrap(),
            DEV
        );
    }

    #[test]
    fn production_refuses_plaintext_smtp_unless_allowed() {
        let prod = Environment::Production;
        let err = check_smtp_tls("smtp://u:p@mail.example.vn:587", prod, false).unwrap_err();
        assert!(err.to_string().contains("SMTP_ALLOW_PLAINTEXT"), "{err}");
        assert!(check_smtp_tls("smtp://mail:587?tls=opportunistic", prod, false).is_err());
        assert!(check_smtp_tls("smtp://mail:587?tls=required", prod, false).is_ok());
        assert!(check_smtp_tls("smtps://u:p@mail:465", prod, false).is_ok());
        assert!(check_smtp_tls("smtp://127.0.0.1:25", prod, true).is_ok());
        assert!(check_smtp_tls("smtp://127.0.0.1:25", Environment::Development, false).is_ok());
    }
}
