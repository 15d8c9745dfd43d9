//! Configuration, read once from the environment into a typed value.

use std::fmt;
use std::time::Duration;

mod rules;
pub use rules::is_loopback;

/// Where the app runs: development is forgiving (a fixed dev secret, demo data),
/// production refuses to start without real secrets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Environment {
    /// A developer's machine or a demo: demo data, mail written to files.
    Development,
    /// A real deployment.
    Production,
}

pub use crate::auth::client::TrustedProxies;
pub use crate::domain::deadlines::OfficeHours;
pub use crate::secrets::SecretKey;

/// A value that must not appear in logs, such as an SMTP URL with a password.
#[derive(Clone)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: String) -> Secret {
        Secret(value)
    }

    /// The value.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<hidden>)")
    }
}

/// How the outbox worker paces itself.
#[derive(Debug, Clone)]
pub struct OutboxSettings {
    /// `OUTBOX_POLL_MS`: pause between looks at an empty outbox.
    pub poll: Duration,
    /// `OUTBOX_RETRY_BASE_SECONDS`: the first retry's delay, doubled at each try.
    pub retry_base: Duration,
    /// `OUTBOX_MAX_ATTEMPTS`: tries before a message is marked failed.
    pub max_attempts: i32,
    /// `OUTBOX_LEASE_SECONDS`: after this, a message claimed by a worker that never
    /// finished (it crashed) is taken over by another.
    pub lease: Duration,
    /// `OUTBOX_CONCURRENCY`: messages sent at once by one instance.
    pub concurrency: usize,
}

impl Default for OutboxSettings {
    fn default() -> Self {
        OutboxSettings {
            poll: Duration::from_millis(2000),
            retry_base: Duration::from_secs(60),
            max_attempts: 8,
            lease: Duration::from_secs(300),
            concurrency: 4,
        }
    }
}

/// How long a session lives.
#[derive(Debug, Clone, Copy)]
pub struct SessionSettings {
    /// `SESSION_IDLE_MINUTES`: a session ends after this long without a request.
    pub idle: chrono::Duration,
    /// `SESSION_MAX_HOURS`: a session ends this long after login, however active.
    pub absolute: chrono::Duration,
}

impl Default for SessionSettings {
    fn default() -> Self {
        SessionSettings {
            idle: chrono::Duration::minutes(30),
            absolute: chrono::Duration::hours(12),
        }
    }
}

/// When and how often the scheduler queues the daily deadline digests.
#[derive(Debug, Clone, Copy)]
pub struct DigestSettings {
    /// `DIGEST_INTERVAL_SECONDS`: pause between the scheduler's runs; None (the
    /// value 0) keeps this instance's scheduler off.
    pub interval: Option<Duration>,
    /// `OFFICE_HOURS`: digests are only sent between these local times (Vietnam)
    /// on working days.
    pub office_hours: OfficeHours,
}

impl Default for DigestSettings {
    fn default() -> Self {
        DigestSettings {
            interval: Some(Duration::from_secs(300)),
            office_hours: OfficeHours::default(),
        }
    }
}

impl DigestSettings {
    /// No scheduler: tests queue digests themselves, at instants they choose.
    pub fn off() -> DigestSettings {
        DigestSettings {
            interval: None,
            ..DigestSettings::default()
        }
    }
}

/// Reads `OFFICE_HOURS` as `HH:MM-HH:MM`, opening before closing.
pub fn parse_office_hours(text: &str) -> Result<OfficeHours, String> {
    let (opens, closes) = text
        .split_once('-')
        .ok_or_else(|| format!("{text:?} is not of the form 07:30-17:00"))?;
    let time = |part: &str| {
        chrono::NaiveTime::parse_from_str(part.trim(), "%H:%M")
            .map_err(|_| format!("{:?} is not a time such as 07:30", part.trim()))
    };
    let hours = OfficeHours {
        opens: time(opens)?,
        closes: time(closes)?,
    };
    if hours.opens >= hours.closes {
        return Err(format!("{text:?} closes before it opens"));
    }
    Ok(hours)
}

/// Everything the app reads from its environment.
#[derive(Debug, Clone)]
pub struct Config {
    /// `DATABASE_URL`: a SQLite path, `sqlite://path`, or `postgres://…`.
    pub database_url: String,
    /// `BIND_ADDR`: the address to listen on, such as `127.0.0.1:8080`.
    pub bind_addr: String,
    /// `BASE_URL`: how users reach the app, used in links and cookie security.
    pub base_url: String,
    /// `SECRET_KEY`: keys the session-id hashes.
    pub secret_key: SecretKey,
    /// `APP_ENV`: development or production.
    pub environment: Environment,
    /// `SEED_DEMO`: put demo accounts and items into a new database.
    pub seed_demo: bool,
    /// `DB_POOL_SIZE`: database connections per instance.
    pub db_pool_size: u32,
    /// `SMTP_URL`: `smtp://user:password@host:587?tls=required` or `smtps://…`.
    /// Without it (development only) mails are written as files to `mail_dir`.
    pub smtp_url: Option<Secret>,
    /// `MAIL_FROM`: the sender, such as `Bàn kiến nghị <no-reply@example.vn>`.
    pub mail_from: String,
    /// `MAIL_DIR`: where mails are written without SMTP.
    pub mail_dir: String,
    /// The outbox worker's pace.
    pub outbox: OutboxSettings,
    /// Session lifetimes.
    pub sessions: SessionSettings,
    /// `TRUSTED_PROXIES`: reverse proxies (IPs and CIDR ranges) whose
    /// `X-Forwarded-For` gives the client's address; empty, the peer is the client.
    pub trusted_proxies: TrustedProxies,
    /// The deadline digests' scheduler.
    pub digests: DigestSettings,
}

/// A configuration problem, said plainly so an operator can fix it.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// A variable that must be set is missing.
    #[error("{0} must be set in production (see .env.example)")]
    Missing(&'static str),
    /// A variable has a value that cannot be used.
    #[error("{name} is not valid: {why}")]
    Invalid {
        /// The variable's name.
        name: &'static str,
        /// What is wrong with it.
        why: String,
    },
    /// Development mode was asked for (or implied) on an address other machines reach.
    #[error(
        "BIND_ADDR {0} is not a loopback address, and development mode (built-in key, \
         demo accounts, mail to files) only listens on 127.0.0.1 or ::1. To serve other \
         machines set APP_ENV=production and SECRET_KEY (at least 32 characters, \
         `openssl rand -hex 32`); otherwise set BIND_ADDR=127.0.0.1:8080"
    )]
    DevelopmentOffLoopback(String),
}

/// A fixed key for development only, so sessions survive restarts on a laptop.
const DEVELOPMENT_SECRET: &[u8] = b"development-only-secret-key-never-use-in-production!";

impl Config {
    /// Reads the configuration from environment variables.
    pub fn from_env() -> Result<Config, ConfigError> {
        Config::from_lookup(|name| std::env::var(name).ok().filter(|v| !v.is_empty()))
    }

    /// Reads the configuration from any name-to-value lookup (the environment, or a
    /// map in tests).
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Config, ConfigError> {
        let bind_addr = get("BIND_ADDR").unwrap_or_else(|| "127.0.0.1:8080".to_owned());
        let base_url = get("BASE_URL")
            .unwrap_or_else(|| format!("http://{bind_addr}"))
            .trim_end_matches('/')
            .to_owned();
        if !(base_url.starts_with("http://") || base_url.starts_with("https://")) {
            return Err(ConfigError::Invalid {
                name: "BASE_URL",
                why: "it must start with http:// or https://".to_owned(),
            });
        }
        let environment =
            rules::decide_environment(get("APP_ENV").as_deref(), &base_url, &bind_addr)?;
        let secret_key = SecretKey::new(rules::decide_secret_key(
            get("SECRET_KEY").as_deref(),
            environment,
            SecretKey::MIN_LEN,
            DEVELOPMENT_SECRET,
        )?);
        let seed_demo = rules::flag(
            "SEED_DEMO",
            get("SEED_DEMO").as_deref(),
            environment == Environment::Development,
        )?;
        let db_pool_size = match get("DB_POOL_SIZE") {
            None => 10,
            Some(raw) => raw
                .parse::<u32>()
                .ok()
                .filter(|n| (1..=200).contains(n))
                .ok_or_else(|| ConfigError::Invalid {
                    name: "DB_POOL_SIZE",
                    why: format!("{raw:?} is not a number from 1 to 200"),
                })?,
        };
        let smtp_url = get("SMTP_URL").map(Secret::new);
        match &smtp_url {
            None if environment == Environment::Production => {
                return Err(ConfigError::Missing("SMTP_URL"))
            }
            None => {}
            Some(url) => {
                let allow = rules::flag(
                    "SMTP_ALLOW_PLAINTEXT",
                    get("SMTP_ALLOW_PLAINTEXT").as_deref(),
                    false,
                )?;
                rules::check_smtp_tls(url.expose(), environment, allow)?;
            }
        }
        let number = |name: &'static str, default: u64, range: std::ops::RangeInclusive<u64>| {
            match get(name) {
                None => Ok(default),
                Some(raw) => raw
                    .parse::<u64>()
                    .ok()
                    .filter(|n| range.contains(n))
                    .ok_or_else(|| ConfigError::Invalid {
                        name,
                        why: format!(
                            "{raw:?} is not a number from {} to {}",
                            range.start(),
                            range.end()
                        ),
                    }),
            }
        };
        let outbox = OutboxSettings {
            poll: Duration::from_millis(number("OUTBOX_POLL_MS", 2000, 10..=600_000)?),
            retry_base: Duration::from_secs(number("OUTBOX_RETRY_BASE_SECONDS", 60, 1..=86_400)?),
            max_attempts: number("OUTBOX_MAX_ATTEMPTS", 8, 1..=50)? as i32,
            lease: Duration::from_secs(number("OUTBOX_LEASE_SECONDS", 300, 1..=86_400)?),
            concurrency: number("OUTBOX_CONCURRENCY", 4, 1..=64)? as usize,
        };
        let sessions = SessionSettings {
            idle: chrono::Duration::minutes(number("SESSION_IDLE_MINUTES", 30, 1..=1440)? as i64),
            absolute: chrono::Duration::hours(number("SESSION_MAX_HOURS", 12, 1..=168)? as i64),
        };
        let trusted_proxies = TrustedProxies::parse(&get("TRUSTED_PROXIES").unwrap_or_default())
            .map_err(|why| ConfigError::Invalid {
                name: "TRUSTED_PROXIES",
                why,
            })?;
        let digests = DigestSettings {
            interval: match number("DIGEST_INTERVAL_SECONDS", 300, 0..=86_400)? {
                0 => None,
                seconds => Some(Duration::from_secs(seconds)),
            },
            office_hours: match get("OFFICE_HOURS") {
                None => OfficeHours::default(),
                Some(raw) => parse_office_hours(&raw).map_err(|why| ConfigError::Invalid {
                    name: "OFFICE_HOURS",
                    why,
                })?,
            },
        };
        Ok(Config {
            digests,
            sessions,
            trusted_proxies,
            smtp_url,
            mail_from: get("MAIL_FROM")
                .unwrap_or_else(|| "Bàn kiến nghị <no-reply@localhost>".to_owned()),
            mail_dir: get("MAIL_DIR").unwrap_or_else(|| "data/mail".to_owned()),
            outbox,
            database_url: get("DATABASE_URL")
                .unwrap_or_else(|| "data/dialogue-desk.sqlite3".to_owned()),
            bind_addr,
            base_url,
            secret_key,
            environment,
            seed_demo,
            db_pool_size,
        })
    }

    /// Whether cookies must carry `Secure` and the `__Host-` prefix.
    pub fn uses_https(&self) -> bool {
        self.base_url.starts_with("https://")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn config_from(pairs: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Config::from_lookup(|name| map.get(name).cloned())
    }

    #[test]
    fn defaults_serve_sqlite_on_localhost_in_development() {
        let config = config_from(&[]).unwrap();
        assert_eq!(config.bind_addr, "127.0.0.1:8080");
        assert_eq!(config.base_url, "http://127.0.0.1:8080");
        assert_eq!(config.environment, Environment::Development);
        assert!(config.database_url.ends_with(".sqlite3"));
        assert!(config.seed_demo);
    }

    #[test]
    fn production_refuses_to_start_without_smtp() {
        let err = config_from(&[
            ("BASE_URL", "https://desk.example.vn"),
            ("SECRET_KEY", &"k".repeat(40)),
        ])
        .unwrap_err();
        assert!(err.to_string().contains("SMTP_URL must be set"), "{err}");
        let config = config_from(&[
            ("BASE_URL", "https://desk.example.vn"),
            ("SECRET_KEY", &"k".repeat(40)),
            ("SMTP_URL", "smtps://desk:secret-password@mail.example.vn"),
        ])
        .unwrap();
        assert!(!format!("{config:?}").contains("secret-password"));
    }

    #[test]
    fn outbox_numbers_out_of_range_are_refused() {
        let err = config_from(&[("OUTBOX_MAX_ATTEMPTS", "0")]).unwrap_err();
        assert!(err.to_string().contains("OUTBOX_MAX_ATTEMPTS"), "{err}");
    }

    #[test]
    fn trusted_proxies_are_read_and_a_malformed_one_stops_the_start() {
        let config = config_from(&[("TRUSTED_PROXIES", "10.0.0.0/8, 127.0.0.1")]).unwrap();
        assert!(config.trusted_proxies.contains("10.9.8.7".parse().unwrap()));
        assert!(!config.trusted_proxies.contains("11.0.0.1".parse().unwrap()));
        assert!(config_from(&[]).unwrap().trusted_proxies.is_empty());
        let err = config_from(&[("TRUSTED_PROXIES", "10.0.0.0/8,nginx")]).unwrap_err();
        assert!(
            err.to_string().contains("TRUSTED_PROXIES") && err.to_string().contains("\"nginx\""),
            "{err}"
        );
    }

    #[test]
    fn production_refuses_to_start_without_a_secret_key() {
        let err = config_from(&[("BASE_URL", "https://desk.example.vn")]).unwrap_err();
        assert!(err.to_string().contains("SECRET_KEY must be set"), "{err}");
    }

    #[test]
    fn a_short_secret_key_is_refused_with_a_hint() {
        let err = config_from(&[("SECRET_KEY", "short")]).unwrap_err();
        assert!(err.to_string().contains("at least 32"), "{err}");
    }

    #[test]
    fn the_secret_key_never_shows_in_debug_output() {
        let config = config_from(&[("SECRET_KEY", &"s".repeat(40))]).unwrap();
        assert!(!format!("{config:?}").contains("ssss"));
    }

    #[test]
    fn a_public_address_without_production_settings_is_refused() {
        let err = config_from(&[("BIND_ADDR", "0.0.0.0:8080")]).unwrap_err();
        assert!(err.to_string().contains("APP_ENV=production"), "{err}");
        let config = config_from(&[
            ("BIND_ADDR", "0.0.0.0:8080"),
            ("APP_ENV", "production"),
            ("SECRET_KEY", &"k".repeat(40)),
            ("SMTP_URL", "smtp://mail.example.vn:587?tls=required"),
        ])
        .unwrap();
        assert_eq!(config.environment, Environment::Production);
    }

    #[test]
    fn production_refuses_plain_smtp_unless_allowed_on_purpose() {
        let production = [
            ("APP_ENV", "production"),
            ("SECRET_KEY", &"k".repeat(40) as &str),
            ("SMTP_URL", "smtp://desk:pw@mail.example.vn:25"),
        ];
        let err = config_from(&production).unwrap_err();
        assert!(err.to_string().contains("SMTP_ALLOW_PLAINTEXT"), "{err}");
        let mut allowed = production.to_vec();
        allowed.push(("SMTP_ALLOW_PLAINTEXT", "true"));
        assert!(config_from(&allowed).is_ok());
    }

    #[test]
    fn office_hours_default_to_half_past_seven_until_five_and_a_bad_value_stops_the_start() {
        let config = config_from(&[]).unwrap();
        assert_eq!(config.digests.office_hours, OfficeHours::default());
        assert_eq!(config.digests.interval, Some(Duration::from_secs(300)));
        let config = config_from(&[
            ("OFFICE_HOURS", "08:00-16:30"),
            ("DIGEST_INTERVAL_SECONDS", "0"),
        ])
        .unwrap();
        assert_eq!(
            config.digests.office_hours.opens,
            chrono::NaiveTime::from_hms_opt(8, 0, 0).unwrap()
        );
        assert_eq!(config.digests.interval, None);
        for bad in ["8h-17h", "17:00-07:30", "07:30"] {
            let err = config_from(&[("OFFICE_HOURS", bad)]).unwrap_err();
            assert!(err.to_string().contains("OFFICE_HOURS"), "{err}");
        }
    }

    #[test]
    fn session_lifetimes_default_to_thirty_minutes_and_twelve_hours() {
        let config = config_from(&[]).unwrap();
        assert_eq!(config.sessions.idle, chrono::Duration::minutes(30));
        assert_eq!(config.sessions.absolute, chrono::Duration::hours(12));
        let config =
            config_from(&[("SESSION_IDLE_MINUTES", "10"), ("SESSION_MAX_HOURS", "4")]).unwrap();
        assert_eq!(config.sessions.idle, chrono::Duration::minutes(10));
        assert_eq!(config.sessions.absolute, chrono::Duration::hours(4));
    }
}
