//! Failed attempts, one row each, for throttling in a sliding window
//! (`auth::throttle` holds the rules; this module only stores and counts).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::login_failures;
use super::{DbConnection, StoreError};

/// The failures of one throttle key inside the window.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecentFailures {
    /// What is counted: `account:…`, `address:…`, …
    pub key: String,
    /// Failures since the window's start.
    pub count: i64,
    /// The latest of them.
    pub latest: NaiveDateTime,
}

/// The `login_failures` table.
pub struct LoginFailure;

impl LoginFailure {
    /// Records one failure at `at` against every key.
    pub fn record(
        conn: &mut DbConnection,
        keys: &[String],
        at: NaiveDateTime,
    ) -> Result<(), StoreError> {
        for key in keys {
            diesel::insert_into(login_failures::table)
                .values((
                    login_failures::throttle_key.eq(key),
                    login_failures::failed_at.eq(at),
                ))
                .execute(conn)?;
        }
        Ok(())
    }

    /// For each of `keys` that failed since `since`: how often, and when last.
    pub fn recent(
        conn: &mut DbConnection,
        keys: &[String],
        since: NaiveDateTime,
    ) -> Result<Vec<RecentFailures>, StoreError> {
        let rows: Vec<(String, NaiveDateTime)> = login_failures::table
            .filter(login_failures::throttle_key.eq_any(keys))
            .filter(login_failures::failed_at.gt(since))
            .select((login_failures::throttle_key, login_failures::failed_at))
            .load(conn)?;
        let mut counted: Vec<RecentFailures> = Vec::new();
        for (key, at) in rows {
            match counted.iter_mut().find(|c| c.key == key) {
                Some(c) => {
                    c.count += 1;
                    c.latest = c.latest.max(at);
                }
                None => counted.push(RecentFailures {
                    key,
                    count: 1,
                    latest: at,
                }),
            }
        }
        Ok(counted)
    }

    /// Forgets every failure of these keys.
    pub fn clear(conn: &mut DbConnection, keys: &[String]) -> Result<(), StoreError> {
        diesel::delete(login_failures::table.filter(login_failures::throttle_key.eq_any(keys)))
            .execute(conn)?;
        Ok(())
    }

    /// Deletes failures from before `cutoff` (they no longer count); returns how many.
    pub fn delete_older_than(
        conn: &mut DbConnection,
        cutoff: NaiveDateTime,
    ) -> Result<usize, StoreError> {
        Ok(
            diesel::delete(login_failures::table.filter(login_failures::failed_at.lt(cutoff)))
                .execute(conn)?,
        )
    }
}
