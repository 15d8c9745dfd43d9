//! The second factor for staff: time-based one-time codes (TOTP, RFC 6238) from
//! any authenticator app, the encryption of their secrets at rest, and the
//! single-use recovery codes. No HTTP and no queries here.

use qrcode::render::svg;
use qrcode::{EcLevel, QrCode};
use rand::{Rng, RngCore};
use subtle::ConstantTimeEq;
use totp_rs::{Algorithm, TOTP};

use crate::config::SecretKey;
use crate::domain::Role;
use crate::secrets;

/// The name authenticator apps show above the codes.
pub const ISSUER: &str = "Dialogue Desk";
/// Seconds per code (the RFC's and every app's default).
pub const STEP_SECONDS: u64 = 30;
/// Digits per code.
pub const DIGITS: usize = 6;
/// Recovery codes given at enrolment.
pub const RECOVERY_CODES: usize = 10;
/// How long after the password the code may be entered, in minutes.
pub const PENDING_MINUTES: i64 = 10;

/// HKDF labels: each use of `SECRET_KEY` gets its own key, so a key for one
/// purpose reveals nothing about another.
const SECRET_ENCRYPTION_LABEL: &[u8] = b"dialogue-desk/second-factor/secret-encryption/v1";
const RECOVERY_HASH_LABEL: &[u8] = b"dialogue-desk/second-factor/recovery-codes/v1";
/// The recovery-code alphabet: no 0/o, 1/l/i, so codes survive being read aloud
/// or written down. 32 letters, 5 bits each; ten of them make 50 bits.
const RECOVERY_ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";

/// Whether `role` must use a second factor; drafters only when an administrator
/// has said so. Delegates never (they file proposals and see only their own).
pub fn is_required(role: Role, drafters_required: bool) -> bool {
    match role {
        Role::Admin | Role::Coordinator | Role::Approver | Role::Leadership => true,
        Role::Drafter => drafters_required,
        Role::Delegate => false,
    }
}

/// Whether `role` may enrol at all (every staff role).
pub fn may_enrol(role: Role) -> bool {
    role != Role::Delegate
}

/// The keys derived from `SECRET_KEY` for the second factor.
#[derive(Clone)]
pub struct Keys {
    encryption: [u8; 32],
    recovery: [u8; 32],
}

impl std::fmt::Debug for Keys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Keys(<hidden>)")
    }
}

/// A stored secret that does not decrypt: the wrong `SECRET_KEY`, or a row moved
/// to another user.
#[derive(Debug, thiserror::Error)]
#[error("the second-factor secret does not decrypt with this SECRET_KEY")]
pub struct Undecryptable;

impl Keys {
    /// Derives the keys from the app's secret with HKDF-SHA256, one label each.
    pub fn derive(secret: &SecretKey) -> Keys {
        Keys {
            encryption: secrets::derive_key(secret, SECRET_ENCRYPTION_LABEL),
            recovery: secrets::derive_key(secret, RECOVERY_HASH_LABEL),
        }
    }

    /// Encrypts a TOTP secret for `user_id` (bound to it as associated data, so a
    /// row copied to another user does not decrypt): hex of nonce and ciphertext.
    pub fn encrypt_secret(&self, user_id: i32, secret: &[u8]) -> String {
        secrets::seal(&self.encryption, &user_id.to_be_bytes(), secret)
    }

    /// Decrypts what [`Keys::encrypt_secret`] stored for `user_id`.
    pub fn decrypt_secret(&self, user_id: i32, stored: &str) -> Result<Vec<u8>, Undecryptable> {
        secrets::open(&self.encryption, &user_id.to_be_bytes(), stored).ok_or(Undecryptable)
    }

    /// The stored form of a recovery code: HMAC-SHA256 keyed by a derived key.
    /// A fast keyed hash is enough here, unlike for passwords: the codes are
    /// random with 50 bits each, so a stolen table cannot be searched without the
    /// key, and even with it 2^50 guesses per code; argon2 for each of ten codes
    /// would cost seconds per login attempt.
    pub fn hash_recovery_code(&self, code: &str) -> String {
        secrets::hash_with_key(&self.recovery, &normalise_recovery_code(code))
    }
}

/// A recovery code as compared: lower case, without spaces or dashes.
fn normalise_recovery_code(code: &str) -> String {
    code.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// Ten fresh recovery codes, shown as `abcde-fghjk`.
pub fn new_recovery_codes() -> Vec<String> {
    let mut rng = rand::thread_rng();
    (0..RECOVERY_CODES)
        .map(|_| {
            let letters: String = (0..10)
                .map(|_| RECOVERY_ALPHABET[rng.gen_range(0..RECOVERY_ALPHABET.len())] as char)
                .collect();
            format!("{}-{}", &letters[..5], &letters[5..])
        })
        .collect()
}

/// Whether `input` looks like a TOTP code (six digits, spaces allowed) rather
/// than a recovery code.
pub fn looks_like_code(input: &str) -> bool {
    let digits: String = input.chars().filter(|c| !c.is_whitespace()).collect();
    digits.len() == DIGITS && digits.chars().all(|c| c.is_ascii_digit())
}

/// A fresh random TOTP secret of 160 bits (the RFC's recommended size for SHA-1).
pub fn new_secret() -> Vec<u8> {
    let mut secret = vec![0u8; 20];
    rand::thread_rng().fill_bytes(&mut secret);
    secret
}

/// One user's authenticator: the secret and the label apps show.
pub struct Authenticator {
    totp: TOTP,
}

impl Authenticator {
    /// The authenticator for `secret`, labelled with the user's email.
    pub fn new(secret: Vec<u8>, account: &str) -> Authenticator {
        // `new_unchecked` because account names with ':' are refused by `new`;
        // the secret's length is ours (160 bits), not a user's input.
        let totp = TOTP::new_unchecked(
            Algorithm::SHA1,
            DIGITS,
            1,
            STEP_SECONDS,
            secret,
            Some(ISSUER.to_owned()),
            account.replace(':', ""),
        );
        Authenticator { totp }
    }

    /// The `otpauth://totp/…` URI the QR code carries.
    pub fn uri(&self) -> String {
        self.totp.get_url()
    }

    /// The secret in base32, in groups of four for typing.
    pub fn secret_grouped(&self) -> String {
        let base32 = self.totp.get_secret_base32();
        base32
            .as_bytes()
            .chunks(4)
            .map(|chunk| String::from_utf8_lossy(chunk).into_owned())
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// The QR code of the URI as an SVG element, rendered here (no script). The
    /// XML declaration the renderer puts first is dropped: inside an HTML page it
    /// is not allowed.
    pub fn qr_svg(&self) -> String {
        let code = QrCode::with_error_correction_level(self.uri().as_bytes(), EcLevel::M)
            .expect("an otpauth URI fits in a QR code");
        let document = code
            .render::<svg::Color<'_>>()
            .min_dimensions(220, 220)
            .dark_color(svg::Color("#000000"))
            .light_color(svg::Color("#ffffff"))
            .build();
        match document.find("<svg") {
            Some(start) => document[start..].to_owned(),
            None => document,
        }
    }

    /// The code for the step containing `unix_seconds`.
    pub fn code_at(&self, unix_seconds: u64) -> String {
        self.totp.generate(unix_seconds)
    }

    /// The time step (`unix_seconds / 30`) whose code `input` is, looking one step
    /// either side for clock drift; None when it matches none.
    pub fn matching_step(&self, input: &str, unix_seconds: u64) -> Option<i64> {
        let input: String = input.chars().filter(|c| !c.is_whitespace()).collect();
        let now_step = unix_seconds / STEP_SECONDS;
        let mut found = None;
        // Every candidate is compared, in constant time, so timing tells nothing.
        for step in [now_step.saturating_sub(1), now_step, now_step + 1] {
            let expected = self.totp.generate(step * STEP_SECONDS);
            if bool::from(expected.as_bytes().ct_eq(input.as_bytes())) {
                found = Some(step as i64);
            }
        }
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys() -> Keys {
        Keys::derive(&SecretKey::new(vec![7; 32]))
    }

    #[test]
    fn secrets_are_encrypted_and_only_open_for_their_user_and_key() {
        let secret = new_secret();
        let stored = keys().encrypt_secret(5, &secret);
        assert!(!stored.contains(&hex::encode(&secret)));
        assert_eq!(keys().decrypt_secret(5, &stored).unwrap(), secret);
        assert!(keys().decrypt_secret(6, &stored).is_err());
        let other = Keys::derive(&SecretKey::new(vec![8; 32]));
        assert!(other.decrypt_secret(5, &stored).is_err());
    }

    #[test]
    fn the_rfc_6238_test_vector_gives_its_code() {
        // RFC 6238 appendix B, SHA-1, T = 59 s: 94287082 (eight digits); six: 287082.
        let auth = Authenticator::new(b"12345678901234567890".to_vec(), "a@b.vn");
        assert_eq!(auth.code_at(59), "287082");
        assert_eq!(auth.matching_step("287 082", 59), Some(1));
        assert_eq!(auth.matching_step("287082", 59 + 30), Some(1));
        assert_eq!(auth.matching_step("287082", 59 + 90), None);
    }

    #[test]
    fn the_qr_code_is_an_svg_and_the_uri_names_the_desk() {
        let auth = Authenticator::new(new_secret(), "lan@nghean.vn");
        assert!(
            auth.qr_svg().starts_with("<svg"),
            "no XML declaration in HTML"
        );
        assert!(auth.uri().starts_with("otpauth://totp/"));
        assert!(auth.uri().contains("issuer=Dialogue%20Desk"));
        assert_eq!(auth.secret_grouped().split(' ').next().unwrap().len(), 4);
    }

    #[test]
    fn recovery_codes_are_ten_distinct_and_hash_regardless_of_format() {
        let codes = new_recovery_codes();
        assert_eq!(codes.len(), 10);
        let mut unique = codes.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), 10);
        let keys = keys();
        let upper = codes[0].to_uppercase().replace('-', " ");
        assert_eq!(
            keys.hash_recovery_code(&codes[0]),
            keys.hash_recovery_code(&upper)
        );
        assert_ne!(
            keys.hash_recovery_code(&codes[0]),
            keys.hash_recovery_code(&codes[1])
        );
    }

    #[test]
    fn approvers_coordinators_and_administrators_always_need_it() {
        for role in [Role::Admin, Role::Coordinator, Role::Approver] {
            assert!(is_required(role, false));
        }
        assert!(!is_required(Role::Drafter, false));
        assert!(is_required(Role::Drafter, true));
        assert!(!is_required(Role::Delegate, true));
    }
}
