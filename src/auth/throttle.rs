//! Login throttling: after five failures for an account or an address, each further
//! attempt waits longer (ASVS 2.2.1), and the user is told how long.

use chrono::{Duration, NaiveDateTime};

use crate::db::sessions::Throttle;
use crate::db::DbConnection;
use crate::error::AppError;

/// Failures allowed before attempts are delayed.
pub const FREE_FAILURES: i32 = 5;
/// The longest wait between attempts.
const MAX_WAIT: Duration = Duration::minutes(15);

/// How long to wait after `failures` consecutive failures: nothing for the first
/// five, then 30 seconds doubling each time up to 15 minutes.
pub fn wait_after(failures: i32) -> Option<Duration> {
    if failures < FREE_FAILURES {
        return None;
    }
    let doublings = (failures - FREE_FAILURES).min(10) as u32;
    Some((Duration::seconds(30) * 2_i32.pow(doublings)).min(MAX_WAIT))
}

/// The keys a login attempt counts against: the account and the client address.
pub fn keys(email: &str, address: &str) -> Vec<String> {
    vec![format!("email:{email}"), format!("ip:{address}")]
}

/// Seconds until attempts for these keys are allowed again, if they are blocked.
pub fn blocked_for(
    conn: &mut DbConnection,
    keys: &[String],
    now: NaiveDateTime,
) -> Result<Option<i64>, AppError> {
    let longest = Throttle::find_all(conn, keys)?
        .into_iter()
        .filter_map(|t| t.blocked_until)
        .filter(|until| *until > now)
        .max();
    Ok(longest.map(|until| (until - now).num_seconds().max(1)))
}

/// Counts a failure against every key.
pub fn record_failure(
    conn: &mut DbConnection,
    keys: &[String],
    now: NaiveDateTime,
) -> Result<(), AppError> {
    let record = |conn: &mut DbConnection| {
        crate::db::write_transaction(conn, |conn| {
            for key in keys {
                Throttle::record_failure(conn, key, now, wait_after)?;
            }
            Ok(())
        })
    };
    match record(conn) {
        // Two first failures for one key at once: the row exists now, count again.
        Err(error) if crate::db::is_unique_violation(&error) => record(conn),
        other => other,
    }
}

/// Forgets the account's failures after a successful login.
pub fn clear(conn: &mut DbConnection, keys: &[String]) -> Result<(), AppError> {
    for key in keys {
        Throttle::clear(conn, key)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_failures_are_free_then_the_wait_doubles_up_to_a_cap() {
        assert_eq!(wait_after(1), None);
        assert_eq!(wait_after(4), None);
        assert_eq!(wait_after(5), Some(Duration::seconds(30)));
        assert_eq!(wait_after(6), Some(Duration::seconds(60)));
        assert_eq!(wait_after(7), Some(Duration::seconds(120)));
        assert_eq!(wait_after(50), Some(Duration::minutes(15)));
    }
}
