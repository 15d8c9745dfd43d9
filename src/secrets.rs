//! Random tokens, keyed hashes, password hashes and the encryption of emailed
//! links: the few secret-handling primitives that storage (`db`), the web's
//! sign-in (`auth`) and the mail composer (`mail`) share.

use argon2::password_hash::{rand_core::OsRng, PasswordHash, SaltString};
use argon2::{Algorithm, Argon2, Params, PasswordHasher, PasswordVerifier, Version};
use chacha20poly1305::aead::{Aead, KeyInit as _, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use hkdf::Hkdf;
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;
use std::fmt;

/// The server-side secret that keys the hashes of session ids and account tokens.
/// Never printed.
#[derive(Clone)]
pub struct SecretKey(Vec<u8>);

impl SecretKey {
    /// Minimum length of `SECRET_KEY`, in bytes.
    pub const MIN_LEN: usize = 32;

    /// Wraps raw key bytes.
    pub fn new(bytes: Vec<u8>) -> SecretKey {
        SecretKey(bytes)
    }

    /// The key bytes.
    pub fn expose(&self) -> &[u8] {
        &self.0
    }
}

impl fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretKey(<hidden>)")
    }
}

/// A random value of 32 bytes as hex: session ids, CSRF, form and account tokens,
/// Message-IDs.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// The keyed hash (HMAC-SHA256, hex) under which a session id or an account token
/// is stored, so a copy of the database opens nothing.
pub fn keyed_hash(secret: &SecretKey, value: &str) -> String {
    hash_with_key(secret.expose(), value)
}

/// HMAC-SHA256 of `value` under `key`, hex: [`keyed_hash`] with a derived key.
pub fn hash_with_key(key: &[u8], value: &str) -> String {
    let mut mac = hmac_with(key);
    mac.update(value.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

fn hmac_with(key: &[u8]) -> Hmac<Sha256> {
    <Hmac<Sha256> as Mac>::new_from_slice(key).expect("HMAC takes any key")
}

/// Whether `expected_hex` is the keyed hash of `value`, compared in constant time
/// (for signatures a client sends back, such as the known-device cookie).
pub fn keyed_hash_matches(secret: &SecretKey, value: &str, expected_hex: &str) -> bool {
    let Ok(expected) = hex::decode(expected_hex) else {
        return false;
    };
    let mut mac = hmac_with(secret.expose());
    mac.update(value.as_bytes());
    mac.verify_slice(&expected).is_ok()
}

/// The HKDF label of the key that seals links in the outbox; a key of its own,
/// so it reveals nothing about the keys of other purposes.
const LINK_ENCRYPTION_LABEL: &[u8] = b"dialogue-desk/outbox/link-encryption/v1";
/// Length of an XChaCha20-Poly1305 nonce.
const NONCE_LEN: usize = 24;

/// A key of its own for one purpose (`label`), derived from `SECRET_KEY` with
/// HKDF-SHA256, so a key for one use reveals nothing about another's.
pub fn derive_key(secret: &SecretKey, label: &[u8]) -> [u8; 32] {
    let mut key = [0u8; 32];
    Hkdf::<Sha256>::new(None, secret.expose())
        .expand(label, &mut key)
        .expect("32 bytes is a valid HKDF-SHA256 length");
    key
}

/// Encrypts `plaintext` with XChaCha20-Poly1305 under `key` and a random nonce,
/// bound to `aad` (the same bytes are needed to open it): hex of nonce and
/// ciphertext, the form stored in the database.
pub fn seal(key: &[u8; 32], aad: &[u8], plaintext: &[u8]) -> String {
    let mut nonce = [0u8; NONCE_LEN];
    rand::thread_rng().fill_bytes(&mut nonce);
    let sealed = XChaCha20Poly1305::new(key.into())
        .encrypt(
            XNonce::from_slice(&nonce),
            Payload {
                msg: plaintext,
                aad,
            },
        )
        .expect("encryption of a short value cannot fail");
    let mut stored = nonce.to_vec();
    stored.extend_from_slice(&sealed);
    hex::encode(stored)
}

/// Opens what [`seal`] stored; None with another key, other `aad` or altered bytes.
pub fn open(key: &[u8; 32], aad: &[u8], stored: &str) -> Option<Vec<u8>> {
    let bytes = hex::decode(stored).ok()?;
    if bytes.len() < NONCE_LEN {
        return None;
    }
    let (nonce, sealed) = bytes.split_at(NONCE_LEN);
    XChaCha20Poly1305::new(key.into())
        .decrypt(XNonce::from_slice(nonce), Payload { msg: sealed, aad })
        .ok()
}

/// Encrypts a link with a token (an invitation, a password reset) for the outbox
/// row that carries it to `recipient`, under the link key and with the
/// recipient's address as associated data (a sealed link copied to another row
/// does not open).
pub fn seal_link(secret: &SecretKey, recipient: &str, link: &str) -> String {
    let key = derive_key(secret, LINK_ENCRYPTION_LABEL);
    seal(&key, recipient.as_bytes(), link.as_bytes())
}

/// Opens what [`seal_link`] stored for `recipient`; None with another key, another
/// recipient or altered bytes.
pub fn open_link(secret: &SecretKey, recipient: &str, sealed: &str) -> Option<String> {
    let key = derive_key(secret, LINK_ENCRYPTION_LABEL);
    String::from_utf8(open(&key, recipient.as_bytes(), sealed)?).ok()
}

/// OWASP Password Storage Cheat Sheet: argon2id, m=19456 KiB, t=2, p=1. Pinned here
/// so a library default changing never weakens stored hashes.
fn hasher() -> Argon2<'static> {
    let params = Params::new(19_456, 2, 1, None).expect("argon2 parameters are valid");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Hashes a password into a PHC string (blocking; the web ring runs it through
/// `auth::password::Hashing`).
pub fn hash_password(password: &str) -> String {
    let salt = SaltString::generate(&mut OsRng);
    hasher()
        .hash_password(password.as_bytes(), &salt)
        .expect("argon2 hashing with valid parameters cannot fail")
        .to_string()
}

/// Checks a password against a stored PHC string (blocking).
pub fn verify_password(password: &str, stored: &str) -> bool {
    match PasswordHash::new(stored) {
        Ok(parsed) => hasher()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok(),
        Err(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_stored_only_as_keyed_hashes() {
        let key = SecretKey::new(vec![7; 32]);
        let other_key = SecretKey::new(vec![8; 32]);
        let token = random_token();
        assert_eq!(token.len(), 64);
        assert_ne!(keyed_hash(&key, &token), token);
        assert_eq!(keyed_hash(&key, &token), keyed_hash(&key, &token));
        assert_ne!(keyed_hash(&key, &token), keyed_hash(&other_key, &token));
        assert!(keyed_hash_matches(&key, &token, &keyed_hash(&key, &token)));
        assert!(!keyed_hash_matches(
            &other_key,
            &token,
            &keyed_hash(&key, &token)
        ));
        assert!(!keyed_hash_matches(&key, &token, "not hex"));
    }

    #[test]
    fn a_sealed_link_hides_its_token_and_opens_only_for_its_key_and_recipient() {
        let key = SecretKey::new(vec![7; 32]);
        let token = random_token();
        let link = format!("https://desk.example/invite/{token}");
        let sealed = seal_link(&key, "a@example.org", &link);
        assert!(!sealed.contains(&token));
        assert_ne!(sealed, seal_link(&key, "a@example.org", &link));
        assert_eq!(open_link(&key, "a@example.org", &sealed), Some(link));
        assert_eq!(open_link(&key, "b@example.org", &sealed), None);
        let other_key = SecretKey::new(vec![8; 32]);
        assert_eq!(open_link(&other_key, "a@example.org", &sealed), None);
        assert_eq!(open_link(&key, "a@example.org", "00ff"), None);
    }

    #[test]
    fn a_debug_print_hides_the_key() {
        assert_eq!(
            format!("{:?}", SecretKey::new(vec![1; 32])),
            "SecretKey(<hidden>)"
        );
    }
}
