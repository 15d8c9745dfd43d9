//! Email addresses and passwords as the desk accepts them.

use std::hash::{DefaultHasher, Hash, Hasher};
use std::io::Read;
use std::sync::OnceLock;

use crate::domain::text;
use validator::ValidateEmail;

/// Shortest password the desk accepts (OWASP ASVS 2.1.1).
pub const PASSWORD_MIN_CHARS: usize = 12;
/// Longest password the desk accepts (ASVS 2.1.2).
pub const PASSWORD_MAX_CHARS: usize = 128;

/// The common-password list, gzip-compressed: one lower-cased password a line,
/// 1.4 million entries of 12 characters or more. Source, version and licence in
/// `common_passwords.md` beside it.
const COMMON_PASSWORDS_GZ: &[u8] = include_bytes!("common_passwords.txt.gz");
/// The shortest email name (the part before `@`) a password may not contain;
/// shorter ones (`an@…`) would refuse too many good passwords.
const EMAIL_NAME_MIN_CHARS: usize = 4;

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
    /// Contains the name part of the user's own email address.
    #[error("password_contains_email")]
    ContainsEmailName,
}

impl PasswordProblem {
    /// The message key in `locales/*.toml`.
    pub fn message_key(self) -> &'static str {
        match self {
            PasswordProblem::TooShort => "error_password_too_short",
            PasswordProblem::TooLong => "error_password_too_long",
            PasswordProblem::Common => "error_password_common",
            PasswordProblem::ContainsEmailName => "error_password_contains_email",
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
/// not a common one, and not containing the name part of `email` (the user's own
/// address). Spaces and Vietnamese letters are welcome; nothing else is required,
/// as NIST SP 800-63B advises.
pub fn check_new_password(password: &str, email: &str) -> Result<(), PasswordProblem> {
    let length = text::char_len(password);
    if length < PASSWORD_MIN_CHARS {
        return Err(PasswordProblem::TooShort);
    }
    if length > PASSWORD_MAX_CHARS {
        return Err(PasswordProblem::TooLong);
    }
    let lowered = password.to_lowercase();
    if common_passwords()
        .binary_search(&fingerprint(&lowered))
        .is_ok()
    {
        return Err(PasswordProblem::Common);
    }
    let name = email
        .trim()
        .split('@')
        .next()
        .unwrap_or_default()
        .to_lowercase();
    if text::char_len(&name) >= EMAIL_NAME_MIN_CHARS && lowered.contains(&name) {
        return Err(PasswordProblem::ContainsEmailName);
    }
    Ok(())
}

/// A 64-bit fingerprint of a lower-cased password. The list is kept in memory as
/// sorted fingerprints (11 MB) rather than strings (about 60 MB as a set); with
/// 1.4 million entries a chance collision is about one in ten trillion.
fn fingerprint(lowered: &str) -> u64 {
    // SipHash with fixed keys: the same value for the same text within a build,
    // which is all an in-memory lookup needs.
    let mut hasher = DefaultHasher::new();
    lowered.hash(&mut hasher);
    hasher.finish()
}

/// The list's sorted fingerprints, decompressed once on first use.
fn common_passwords() -> &'static [u64] {
    static LIST: OnceLock<Vec<u64>> = OnceLock::new();
    LIST.get_or_init(|| {
        let mut text = String::new();
        flate2::read::GzDecoder::new(COMMON_PASSWORDS_GZ)
            .read_to_string(&mut text)
            .expect("the shipped common-password list is valid gzip of UTF-8");
        let mut list: Vec<u64> = text
            .lines()
            .filter(|line| !line.is_empty())
            .map(|line| fingerprint(&line.to_lowercase()))
            .collect();
        list.sort_unstable();
        list.dedup();
        list
    })
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
        let email = "lan@nghean.vn";
        assert_eq!(
            check_new_password("ngắn quá", email),
            Err(PasswordProblem::TooShort)
        );
        assert_eq!(check_new_password("mật khẩu dài đủ", email), Ok(()));
        assert_eq!(
            check_new_password(&"x".repeat(129), email),
            Err(PasswordProblem::TooLong)
        );
    }

    #[test]
    fn common_passwords_are_refused_whatever_their_case() {
        let email = "lan@nghean.vn";
        assert_eq!(
            check_new_password("Password1234", email),
            Err(PasswordProblem::Common)
        );
        assert_eq!(
            check_new_password("MATKHAU123456", email),
            Err(PasswordProblem::Common)
        );
    }

    #[test]
    fn passwords_from_deep_in_the_list_are_refused() {
        // Lines 90,000 and 1,400,000 of the shipped list.
        for deep in ["17856iraklis.", "yankeespipinok98"] {
            assert_eq!(
                check_new_password(deep, "lan@nghean.vn"),
                Err(PasswordProblem::Common),
                "{deep}"
            );
        }
        assert!(common_passwords().len() >= 100_000);
    }

    #[test]
    fn a_strong_passphrase_passes() {
        assert_eq!(
            check_new_password("sông Lam chiều nay gió mùa về", "lan@nghean.vn"),
            Ok(())
        );
        assert_eq!(
            check_new_password("correct horse battery staple", "lan@nghean.vn"),
            Ok(())
        );
    }

    #[test]
    fn a_password_containing_the_email_name_is_refused() {
        assert_eq!(
            check_new_password("Nguyen.VanA-Nghe-An-2026", "nguyen.vana@nghean.vn"),
            Err(PasswordProblem::ContainsEmailName)
        );
        // A name of three letters is too short to refuse on.
        assert_eq!(
            check_new_password("gió lan qua đồng lúa", "lan@nghean.vn"),
            Ok(())
        );
    }
}
