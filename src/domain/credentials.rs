//! Email addresses and passwords as the desk accepts them.

use crate::domain::text;
use validator::ValidateEmail;

/// Shortest password the desk accepts (OWASP ASVS 2.1.1).
pub const PASSWORD_MIN_CHARS: usize = 12;
/// Longest password the desk accepts (ASVS 2.1.2).
pub const PASSWORD_MAX_CHARS: usize = 128;

const COMMON_PASSWORDS: &str = include_str!("common_passwords.txt");

/// A syntactically valid, lower-cased email address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email(String);

/// Why a password was refused; each has a message in both languages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PasswordProblem {
    /// Fewer than twelve characters.
    #[error("password_too_short")]
    TooShort,
    /// More than 128 characters.
    #[error("password_too_long")]
    TooLong,
    /// On the shipped list of common passwords.
    #[error("password_common")]
    Common,
}

impl PasswordProblem {
    /// The message key in `locales/*.toml`.
    pub fn message_key(self) -> &'static str {
        match self {
            PasswordProblem::TooShort => "error_password_too_short",
            PasswordProblem::TooLong => "error_password_too_long",
            PasswordProblem::Common => "error_password_common",
        }
    }
}

impl Email {
    /// Accepts an address that looks deliverable; trims and lower-cases it.
    pub fn parse(input: &str) -> Option<Email> {
        let candidate = input.trim().to_lowercase();
        (candidate.len() <= 254 && candidate.validate_email()).then_some(Email(candidate))
    }

    /// The address as stored.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Hides most of an address's local part (`ng***@example.vn`) so logs do not
/// carry whole addresses.
pub fn mask_email(address: &str) -> String {
    match address.split_once('@') {
        Some((local, domain)) => {
            let shown: String = local.chars().take(2).collect();
            format!("{shown}***@{domain}")
        }
        None => "***".to_owned(),
    }
}

/// Checks a new password against the policy: 12 to 128 characters of any script,
/// not a common one. Spaces and Vietnamese letters are welcome; nothing else is
/// required, as NIST SP 800-63B advises.
pub fn check_new_password(password: &str) -> Result<(), PasswordProblem> {
    let length = text::char_len(password);
    if length < PASSWORD_MIN_CHARS {
        return Err(PasswordProblem::TooShort);
    }
    if length > PASSWORD_MAX_CHARS {
        return Err(PasswordProblem::TooLong);
    }
    let lowered = password.to_lowercase();
    let common = COMMON_PASSWORDS
        .lines()
        .filter(|line| !line.starts_with('#'))
        .any(|line| line.trim().to_lowercase() == lowered);
    if common {
        return Err(PasswordProblem::Common);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_trimmed_and_lower_cased() {
        let email = Email::parse("  Nguyen.Van.A@NgheAn.GOV.vn ").unwrap();
        assert_eq!(email.as_str(), "nguyen.van.a@nghean.gov.vn");
    }

    #[test]
    fn malformed_emails_are_refused() {
        for bad in ["", "plainaddress", "a@", "@b.vn", "a b@c.vn"] {
            assert!(Email::parse(bad).is_none(), "{bad:?}");
        }
    }

    #[test]
    fn masking_keeps_only_the_start_of_the_local_part() {
        assert_eq!(mask_email("nguyenvana@nghean.vn"), "ng***@nghean.vn");
    }

    #[test]
    fn password_length_counts_characters_of_any_script() {
        assert_eq!(
            check_new_password("ngắn quá"),
            Err(PasswordProblem::TooShort)
        );
        assert_eq!(check_new_password("mật khẩu dài đủ"), Ok(()));
        assert_eq!(
            check_new_password(&"x".repeat(129)),
            Err(PasswordProblem::TooLong)
        );
    }

    #[test]
    fn common_passwords_are_refused_whatever_their_case() {
        assert_eq!(
            check_new_password("Password1234"),
            Err(PasswordProblem::Common)
        );
        assert_eq!(
            check_new_password("MATKHAU123456"),
            Err(PasswordProblem::Common)
        );
    }
}
