//! Password hashing with argon2id at OWASP's parameters, kept off the async
//! executor and capped in how many run at once.

use std::sync::{Arc, OnceLock};
use tokio::sync::Semaphore;

use crate::error::AppError;

pub use crate::secrets::{hash_password, verify_password};

/// A hash of a random password, checked when the email is unknown so that an
/// unknown address costs the same time as a wrong password.
fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| hash_password("dummy password that matches nothing at all"))
}

/// Runs hashing on the blocking thread pool, at most `limit` at once, so a burst of
/// logins queues instead of exhausting memory (each hash takes 19 MiB).
#[derive(Clone)]
pub struct Hashing {
    permits: Arc<Semaphore>,
}

impl Hashing {
    /// Allows `limit` hashes at once.
    pub fn new(limit: usize) -> Hashing {
        Hashing {
            permits: Arc::new(Semaphore::new(limit.max(1))),
        }
    }

    /// Hashes a new password.
    pub async fn hash(&self, password: String) -> Result<String, AppError> {
        let _permit = self
            .permits
            .acquire()
            .await
            .map_err(|e| AppError::Unexpected(e.to_string()))?;
        Ok(actix_web::web::block(move || hash_password(&password)).await?)
    }

    /// Verifies a password against the stored hash, or against a dummy hash when
    /// there is no account, so both take the same work.
    pub async fn verify(&self, password: String, stored: Option<String>) -> Result<bool, AppError> {
        let _permit = self
            .permits
            .acquire()
            .await
            .map_err(|e| AppError::Unexpected(e.to_string()))?;
        Ok(actix_web::web::block(move || match stored {
            Some(hash) => verify_password(&password, &hash),
            None => {
                verify_password(&password, dummy_hash());
                false
            }
        })
        .await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_verifies_its_password_and_nothing_else() {
        let hash = hash_password("mật khẩu của tôi");
        assert!(
            hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{hash}"
        );
        assert!(verify_password("mật khẩu của tôi", &hash));
        assert!(!verify_password("mat khau cua toi", &hash));
        assert!(!verify_password("anything", "not a hash"));
    }
}
