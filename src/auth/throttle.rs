//! Throttling that stops guessing, not users (issue 8, ASVS 2.2.1).
//!
//! Each failure is stored with its time and counted in a sliding window: failures
//! older than [`WINDOW`] no longer count. After a key's free failures, each further
//! attempt waits longer (30 seconds doubling, at most 15 minutes, from the latest
//! failure), and the user is told how long.
//!
//! What a login attempt is counted against depends on who asks ([`LoginKeys`],
//! OWASP's "device cookie"): a browser that recently logged into the account
//! (a signed known-device cookie, `auth::device`) is judged only by its own
//! failures, so neither failures from other addresses nor an address shared with
//! an attacker hold the owner back; any other client is slowed when the account
//! or the client address has failed too often.

use chrono::{Duration, NaiveDateTime};
use std::net::IpAddr;

use crate::db::throttles::LoginFailure;
use crate::db::{DbConnection, StoreError};
use crate::domain::UserId;
use crate::error::AppError;

/// How long a failure counts.
pub const WINDOW: Duration = Duration::hours(1);
/// Failures in the window allowed before an account's attempts are delayed.
pub const FREE_FAILURES: i64 = 5;
/// Failures in the window allowed from one address (for any accounts) before
/// that address is delayed: more, since an office behind one proxy shares it.
pub const ADDRESS_FREE_FAILURES: i64 = 20;
/// The longest wait between attempts.
const MAX_WAIT: Duration = Duration::minutes(15);

/// How long to wait after `failures` failures in the window when `free` are
/// allowed: nothing at first, then 30 seconds doubling each time up to 15 minutes.
pub fn wait_after(failures: i64, free: i64) -> Option<Duration> {
    if failures < free {
        return None;
    }
    let doublings = (failures - free).min(10) as u32;
    Some((Duration::seconds(30) * 2_i32.pow(doublings)).min(MAX_WAIT))
}

/// The key counting failed passwords for an account (existing or not).
pub fn account_key(email: &str) -> String {
    format!("account:{}", email.trim().to_lowercase())
}

/// The key counting failed passwords from a client address.
pub fn address_key(address: IpAddr) -> String {
    format!("address:{address}")
}

/// The key counting failures of one known device of an account.
pub fn device_key(user: UserId, device: &str) -> String {
    format!("device:{}:{device}", user.0)
}

/// The key counting reset requests for an email.
pub fn reset_key(email: &str) -> String {
    format!("reset:{}", email.trim().to_lowercase())
}

/// The key counting reset requests from a client address.
pub fn reset_address_key(address: IpAddr) -> String {
    format!("reset-address:{address}")
}

/// The key counting wrong current passwords on the password-change form.
pub fn password_change_key(user: UserId) -> String {
    format!("password-change:{}", user.0)
}

/// Failures allowed before `key` is delayed.
fn free_failures(key: &str) -> i64 {
    if key.starts_with("address:") || key.starts_with("reset-address:") {
        ADDRESS_FREE_FAILURES
    } else {
        FREE_FAILURES
    }
}

/// Seconds (rounded up) until attempts for these keys are allowed again, if any
/// is delayed.
pub fn blocked_for(
    conn: &mut DbConnection,
    keys: &[String],
    now: NaiveDateTime,
) -> Result<Option<i64>, AppError> {
    let recent = LoginFailure::recent(conn, keys, now - WINDOW)?;
    let until = recent
        .iter()
        .filter_map(|r| wait_after(r.count, free_failures(&r.key)).map(|wait| r.latest + wait))
        .filter(|until| *until > now)
        .max();
    Ok(until.map(|until| {
        ((until - now).num_milliseconds() + 999)
            .div_euclid(1000)
            .max(1)
    }))
}

/// Counts a failure against every key.
pub fn record_failure(
    conn: &mut DbConnection,
    keys: &[String],
    now: NaiveDateTime,
) -> Result<(), AppError> {
    Ok(LoginFailure::record(conn, keys, now)?)
}

/// Forgets the failures of these keys (after a success).
pub fn clear(conn: &mut DbConnection, keys: &[String]) -> Result<(), AppError> {
    Ok(LoginFailure::clear(conn, keys)?)
}

/// Deletes failures that no longer count (housekeeping); returns how many.
pub fn sweep(conn: &mut DbConnection, now: NaiveDateTime) -> Result<usize, StoreError> {
    LoginFailure::delete_older_than(conn, now - WINDOW)
}

/// What one login attempt is checked and counted against.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoginKeys {
    account: String,
    address: String,
    device: Option<String>,
}

impl LoginKeys {
    /// The keys of a login for `email` from `address`; `device` is the throttle key
    /// of the known-device cookie this client showed for the account, if valid.
    pub fn new(email: &str, address: IpAddr, device: Option<String>) -> LoginKeys {
        LoginKeys {
            account: account_key(email),
            address: address_key(address),
            device,
        }
    }

    /// The keys whose delay refuses this attempt: a known device only its own;
    /// anyone else the account's and the address's.
    pub fn checked(&self) -> Vec<String> {
        match &self.device {
            Some(device) => vec![device.clone()],
            None => vec![self.account.clone(), self.address.clone()],
        }
    }

    /// The keys a wrong password counts against: a known device's own and the
    /// account's (the address is not blamed for its known users' typos).
    pub fn on_failure(&self) -> Vec<String> {
        match &self.device {
            Some(device) => vec![device.clone(), self.account.clone()],
            None => vec![self.account.clone(), self.address.clone()],
        }
    }

    /// The keys a successful login clears: the account's and this device's, never
    /// the address's (other people may be guessing from it).
    pub fn on_success(&self) -> Vec<String> {
        let mut keys = vec![self.account.clone()];
        keys.extend(self.device.clone());
        keys
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_failures_are_free_then_the_wait_doubles_up_to_a_cap() {
        assert_eq!(wait_after(1, 5), None);
        assert_eq!(wait_after(4, 5), None);
        assert_eq!(wait_after(5, 5), Some(Duration::seconds(30)));
        assert_eq!(wait_after(6, 5), Some(Duration::seconds(60)));
        assert_eq!(wait_after(7, 5), Some(Duration::seconds(120)));
        assert_eq!(wait_after(50, 5), Some(Duration::minutes(15)));
        assert_eq!(wait_after(19, ADDRESS_FREE_FAILURES), None);
    }

    #[test]
    fn a_known_device_is_judged_by_its_own_failures_only() {
        let address: IpAddr = "10.0.0.1".parse().unwrap();
        let stranger = LoginKeys::new("An@Test.vn", address, None);
        assert_eq!(
            stranger.checked(),
            vec!["account:an@test.vn", "address:10.0.0.1"]
        );
        let device = device_key(UserId(7), "abc");
        let known = LoginKeys::new("an@test.vn", address, Some(device.clone()));
        assert_eq!(known.checked(), vec![device.clone()]);
        assert!(!known.on_failure().contains(&address_key(address)));
        assert_eq!(
            known.on_success(),
            vec!["account:an@test.vn".into(), device]
        );
        assert!(!stranger.on_success().contains(&address_key(address)));
    }

    #[test]
    fn addresses_get_more_free_failures_than_accounts() {
        assert_eq!(free_failures("account:a@b.vn"), FREE_FAILURES);
        assert_eq!(free_failures("address:::1"), ADDRESS_FREE_FAILURES);
        assert_eq!(free_failures("second-factor:3"), FREE_FAILURES);
    }
}
