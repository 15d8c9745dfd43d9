//! The second factor's rows: each user's encrypted TOTP secret, their recovery
//! codes, the policy for drafters, the login waiting for its code (on the session
//! row), and the audit log of administrators' actions on accounts.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{audit_log, recovery_codes, second_factor_settings, second_factors, sessions};
use super::DbConnection;
use crate::domain::UserId;

/// A user's authenticator.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = second_factors)]
pub struct SecondFactor {
    /// Whose.
    pub user_id: i32,
    /// The TOTP secret, encrypted (`auth::second_factor::Keys`).
    pub secret_encrypted: String,
    /// When the user proved their app works; None while enrolment is under way.
    pub confirmed_at: Option<NaiveDateTime>,
    /// The last accepted time step: codes of it or earlier are refused.
    pub last_used_step: Option<i64>,
    /// When enrolment began.
    pub created_at: NaiveDateTime,
}

impl SecondFactor {
    /// The user's authenticator, confirmed or not.
    pub fn find(conn: &mut DbConnection, user: UserId) -> QueryResult<Option<SecondFactor>> {
        second_factors::table
            .find(user.0)
            .select(SecondFactor::as_select())
            .first(conn)
            .optional()
    }

    /// Whether the user has a confirmed authenticator.
    pub fn is_enrolled(conn: &mut DbConnection, user: UserId) -> QueryResult<bool> {
        Ok(Self::find(conn, user)?.is_some_and(|f| f.confirmed_at.is_some()))
    }

    /// Starts (or restarts) enrolment with a new encrypted secret, replacing any
    /// unconfirmed one. Refuses nothing: callers check that none is confirmed.
    pub fn begin(
        conn: &mut DbConnection,
        user: UserId,
        secret_encrypted: &str,
        now: NaiveDateTime,
    ) -> QueryResult<()> {
        diesel::delete(
            second_factors::table
                .filter(second_factors::user_id.eq(user.0))
                .filter(second_factors::confirmed_at.is_null()),
        )
        .execute(conn)?;
        diesel::insert_into(second_factors::table)
            .values((
                second_factors::user_id.eq(user.0),
                second_factors::secret_encrypted.eq(secret_encrypted),
                second_factors::created_at.eq(now),
            ))
            .execute(conn)
            .map(|_| ())
    }

    /// Confirms enrolment with the step of the code given and stores the recovery
    /// codes' hashes, in one transaction. False when it was already confirmed
    /// (another tab won).
    pub fn confirm(
        conn: &mut DbConnection,
        user: UserId,
        step: i64,
        recovery_hashes: &[String],
        now: NaiveDateTime,
    ) -> Result<bool, super::StoreError> {
        super::write_transaction(conn, |conn| {
            let claimed = diesel::update(
                second_factors::table
                    .filter(second_factors::user_id.eq(user.0))
                    .filter(second_factors::confirmed_at.is_null()),
            )
            .set((
                second_factors::confirmed_at.eq(Some(now)),
                second_factors::last_used_step.eq(Some(step)),
            ))
            .execute(conn)?;
            if claimed != 1 {
                return Ok(false);
            }
            diesel::delete(recovery_codes::table.filter(recovery_codes::user_id.eq(user.0)))
                .execute(conn)?;
            for hash in recovery_hashes {
                diesel::insert_into(recovery_codes::table)
                    .values((
                        recovery_codes::user_id.eq(user.0),
                        recovery_codes::code_hash.eq(hash),
                    ))
                    .execute(conn)?;
            }
            Ok(true)
        })
    }

    /// Records that the code of `step` was used, if no code of that step or a later
    /// one was: a conditional update, so of two logins with one code only one wins.
    pub fn claim_step(conn: &mut DbConnection, user: UserId, step: i64) -> QueryResult<bool> {
        let changed = diesel::update(
            second_factors::table
                .filter(second_factors::user_id.eq(user.0))
                .filter(second_factors::confirmed_at.is_not_null())
                .filter(
                    second_factors::last_used_step
                        .is_null()
                        .or(second_factors::last_used_step.lt(step)),
                ),
        )
        .set(second_factors::last_used_step.eq(Some(step)))
        .execute(conn)?;
        Ok(changed == 1)
    }

    /// Removes the user's authenticator and recovery codes (an administrator's
    /// reset); true when there was one.
    pub fn remove(conn: &mut DbConnection, user: UserId) -> QueryResult<bool> {
        diesel::delete(recovery_codes::table.filter(recovery_codes::user_id.eq(user.0)))
            .execute(conn)?;
        let removed = diesel::delete(second_factors::table.find(user.0)).execute(conn)?;
        Ok(removed == 1)
    }

    /// The ids of users with a confirmed authenticator.
    pub fn enrolled_user_ids(conn: &mut DbConnection) -> QueryResult<Vec<i32>> {
        second_factors::table
            .filter(second_factors::confirmed_at.is_not_null())
            .select(second_factors::user_id)
            .load(conn)
    }
}

/// Single-use recovery codes.
pub struct RecoveryCode;

impl RecoveryCode {
    /// Uses the code with this hash, if the user has it unused: a conditional
    /// update, so a code works once.
    pub fn use_once(
        conn: &mut DbConnection,
        user: UserId,
        code_hash: &str,
        now: NaiveDateTime,
    ) -> QueryResult<bool> {
        let changed = diesel::update(
            recovery_codes::table
                .filter(recovery_codes::user_id.eq(user.0))
                .filter(recovery_codes::code_hash.eq(code_hash))
                .filter(recovery_codes::used_at.is_null()),
        )
        .set(recovery_codes::used_at.eq(Some(now)))
        .execute(conn)?;
        Ok(changed == 1)
    }

    /// How many unused codes the user has left.
    pub fn remaining(conn: &mut DbConnection, user: UserId) -> QueryResult<i64> {
        recovery_codes::table
            .filter(recovery_codes::user_id.eq(user.0))
            .filter(recovery_codes::used_at.is_null())
            .count()
            .get_result(conn)
    }
}

/// The administrator's choices for the second factor.
pub struct SecondFactorSettings;

impl SecondFactorSettings {
    /// Whether drafters must use a second factor.
    pub fn drafters_required(conn: &mut DbConnection) -> QueryResult<bool> {
        Ok(second_factor_settings::table
            .find(1)
            .select(second_factor_settings::drafters_required)
            .first(conn)
            .optional()?
            .unwrap_or(false))
    }

    /// Sets whether drafters must use a second factor.
    pub fn set_drafters_required(conn: &mut DbConnection, required: bool) -> QueryResult<()> {
        diesel::update(second_factor_settings::table.find(1))
            .set(second_factor_settings::drafters_required.eq(required))
            .execute(conn)
            .map(|_| ())
    }
}

/// A login whose password was right and whose code is awaited, kept on the
/// session row: the session's `user_id` stays empty until the code is given.
pub struct PendingLogin;

impl PendingLogin {
    /// Marks the session as waiting for `user`'s code.
    pub fn begin(conn: &mut DbConnection, session: &str, user: UserId) -> QueryResult<()> {
        diesel::update(sessions::table.find(session))
            .set(sessions::pending_user_id.eq(Some(user.0)))
            .execute(conn)
            .map(|_| ())
    }

    /// The user whose code the session waits for, and since when.
    pub fn find(
        conn: &mut DbConnection,
        session: &str,
    ) -> QueryResult<Option<(UserId, NaiveDateTime)>> {
        let row: Option<(Option<i32>, NaiveDateTime)> = sessions::table
            .find(session)
            .filter(sessions::user_id.is_null())
            .select((sessions::pending_user_id, sessions::created_at))
            .first(conn)
            .optional()?;
        Ok(row.and_then(|(user, since)| user.map(|u| (UserId(u), since))))
    }
}

/// What an administrator did to an account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuditAction {
    /// Removed a user's second factor, so they enrol again.
    SecondFactorReset,
    /// Changed whether drafters must use a second factor.
    SecondFactorPolicyChanged,
}

impl AuditAction {
    /// The stable name stored.
    pub fn as_str(self) -> &'static str {
        match self {
            AuditAction::SecondFactorReset => "second_factor_reset",
            AuditAction::SecondFactorPolicyChanged => "second_factor_policy_changed",
        }
    }
}

/// One line of the audit log.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = audit_log)]
pub struct AuditEntry {
    /// Row id.
    pub id: i32,
    /// Who acted.
    pub actor_id: Option<i32>,
    /// What they did (`AuditAction::as_str`).
    pub action: String,
    /// To whom, when it concerns one account.
    pub target_user_id: Option<i32>,
    /// When.
    pub created_at: NaiveDateTime,
}

impl AuditEntry {
    /// Records an action.
    pub fn record(
        conn: &mut DbConnection,
        actor: UserId,
        action: AuditAction,
        target: Option<UserId>,
        now: NaiveDateTime,
    ) -> QueryResult<()> {
        diesel::insert_into(audit_log::table)
            .values((
                audit_log::actor_id.eq(Some(actor.0)),
                audit_log::action.eq(action.as_str()),
                audit_log::target_user_id.eq(target.map(|t| t.0)),
                audit_log::created_at.eq(now),
            ))
            .execute(conn)
            .map(|_| ())
    }

    /// The entries about `target`, newest first.
    pub fn for_user(conn: &mut DbConnection, target: UserId) -> QueryResult<Vec<AuditEntry>> {
        audit_log::table
            .filter(audit_log::target_user_id.eq(target.0))
            .order(audit_log::id.desc())
            .select(AuditEntry::as_select())
            .load(conn)
    }
}

/// Every staff account (all roles but delegate), by name.
pub fn staff_users(conn: &mut DbConnection) -> QueryResult<Vec<super::users::User>> {
    use super::schema::users;
    users::table
        .filter(users::role.ne(crate::domain::Role::Delegate.as_str()))
        .order((users::full_name, users::id))
        .select(super::users::User::as_select())
        .load(conn)
}
