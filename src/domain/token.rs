//! Account tokens as plain values: what a link in an invitation or a reset mail
//! lets its holder do, and for how long.

use chrono::Duration;
use serde::Serialize;

use super::MailEvent;

/// What a token lets its holder do: set the first password of an invited account,
/// or a new one after forgetting it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TokenPurpose {
    /// A new account's first password.
    Invitation,
    /// A forgotten password.
    PasswordReset,
}

impl TokenPurpose {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            TokenPurpose::Invitation => "invitation",
            TokenPurpose::PasswordReset => "password_reset",
        }
    }

    /// How long a new token works: three days to accept an invitation, one hour
    /// for a reset (OWASP's Forgot Password Cheat Sheet advises a short life).
    pub fn valid_for(self) -> Duration {
        match self {
            TokenPurpose::Invitation => Duration::hours(72),
            TokenPurpose::PasswordReset => Duration::hours(1),
        }
    }

    /// The mail that carries the link.
    pub fn mail_event(self) -> MailEvent {
        match self {
            TokenPurpose::Invitation => MailEvent::Invitation,
            TokenPurpose::PasswordReset => MailEvent::PasswordReset,
        }
    }

    /// The path of the link, under the site's base URL.
    pub fn path(self, token: &str) -> String {
        match self {
            TokenPurpose::Invitation => format!("/invite/{token}"),
            TokenPurpose::PasswordReset => format!("/password/reset/{token}"),
        }
    }
}

impl TokenPurpose {
    /// Every purpose.
    pub const ALL: [TokenPurpose; 2] = [TokenPurpose::Invitation, TokenPurpose::PasswordReset];
}
