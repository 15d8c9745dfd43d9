//! Single-use account tokens: the links of invitations and password resets. The
//! mail carries a random token; this table holds only a keyed hash of it, so a copy
//! of the database opens no account.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde_json::json;

use super::outbox::{self, NewMail};
use super::schema::account_tokens;
use super::users::User;
use super::DbConnection;
use crate::domain::UserId;
use crate::secrets::{keyed_hash, random_token, seal_link, SecretKey};

pub use crate::domain::TokenPurpose;

/// A stored token.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = account_tokens)]
pub struct AccountToken {
    /// Keyed hash of the token in the link.
    pub token_hash: String,
    /// Whose account it opens.
    pub user_id: i32,
    /// What the token is for.
    pub purpose: TokenPurpose,
    /// It works until then.
    pub expires_at: NaiveDateTime,
    /// When it was used; a used token never works again.
    pub used_at: Option<NaiveDateTime>,
    /// When it was issued.
    pub created_at: NaiveDateTime,
}

/// The keyed hash under which a token is stored (the same HMAC as session ids).
pub fn hash_token(secret: &SecretKey, token: &str) -> String {
    keyed_hash(secret, token)
}

impl AccountToken {
    /// The typed user id.
    pub fn user(&self) -> UserId {
        UserId(self.user_id)
    }

    /// Issues a token for `user` and returns it in clear, for the link; only its
    /// hash is stored. A new reset token ends the user's older unused ones, so only
    /// the latest mail works.
    pub fn create(
        conn: &mut DbConnection,
        secret: &SecretKey,
        user: UserId,
        purpose: TokenPurpose,
        now: NaiveDateTime,
    ) -> QueryResult<String> {
        if purpose == TokenPurpose::PasswordReset {
            AccountToken::revoke_unused(conn, user, Some(purpose), now)?;
        }
        let token = random_token();
        diesel::insert_into(account_tokens::table)
            .values((
                account_tokens::token_hash.eq(hash_token(secret, &token)),
                account_tokens::user_id.eq(user.0),
                account_tokens::purpose.eq(purpose),
                account_tokens::expires_at.eq(now + purpose.valid_for()),
                account_tokens::created_at.eq(now),
            ))
            .execute(conn)?;
        Ok(token)
    }

    /// The token for `purpose` behind `token`, if it is still unused and
    /// unexpired. Unknown, used and expired all answer None alike.
    pub fn find_usable(
        conn: &mut DbConnection,
        secret: &SecretKey,
        token: &str,
        purpose: TokenPurpose,
        now: NaiveDateTime,
    ) -> QueryResult<Option<AccountToken>> {
        account_tokens::table
            .filter(account_tokens::token_hash.eq(hash_token(secret, token)))
            .filter(account_tokens::purpose.eq(purpose))
            .filter(account_tokens::used_at.is_null())
            .filter(account_tokens::expires_at.gt(now))
            .select(AccountToken::as_select())
            .first(conn)
            .optional()
    }

    /// Uses the token: a conditional update that only an unused, unexpired token
    /// passes, so of two requests racing with one link exactly one wins (the rows
    /// it reports are portable on both engines). Returns whether this one won.
    pub fn consume(
        conn: &mut DbConnection,
        token_hash: &str,
        purpose: TokenPurpose,
        now: NaiveDateTime,
    ) -> QueryResult<bool> {
        let changed = diesel::update(
            account_tokens::table
                .filter(account_tokens::token_hash.eq(token_hash))
                .filter(account_tokens::purpose.eq(purpose))
                .filter(account_tokens::used_at.is_null())
                .filter(account_tokens::expires_at.gt(now)),
        )
        .set(account_tokens::used_at.eq(now))
        .execute(conn)?;
        Ok(changed == 1)
    }

    /// Ends the user's unused tokens (of one purpose, or all) by expiring them now;
    /// they stay for the record. Returns how many were ended.
    pub fn revoke_unused(
        conn: &mut DbConnection,
        user: UserId,
        purpose: Option<TokenPurpose>,
        now: NaiveDateTime,
    ) -> QueryResult<usize> {
        let mut query = diesel::update(account_tokens::table)
            .filter(account_tokens::user_id.eq(user.0))
            .filter(account_tokens::used_at.is_null())
            .filter(account_tokens::expires_at.gt(now))
            .into_boxed();
        if let Some(purpose) = purpose {
            query = query.filter(account_tokens::purpose.eq(purpose));
        }
        query.set(account_tokens::expires_at.eq(now)).execute(conn)
    }
}

/// Issues a token for `user` and queues the mail with its link
/// (`{base_url}/invite/{token}` or `{base_url}/password/reset/{token}`), sealed
/// (`secrets::seal_link`): the outbox row never holds the token in clear, and the
/// sealed link is dropped once the mail is sent. Call it
/// inside the transaction of the change that causes it, so the account and its
/// mail are stored together or not at all.
pub fn send_link(
    conn: &mut DbConnection,
    secret: &SecretKey,
    base_url: &str,
    user: &User,
    purpose: TokenPurpose,
    now: NaiveDateTime,
) -> QueryResult<()> {
    let token = AccountToken::create(conn, secret, user.user_id(), purpose, now)?;
    let valid = purpose.valid_for();
    outbox::enqueue(
        conn,
        NewMail {
            event: purpose.mail_event(),
            item: None,
            recipient: user,
            payload: json!({
                outbox::SEALED_LINK: seal_link(
                    secret,
                    &user.email,
                    &format!("{base_url}{}", purpose.path(&token)),
                ),
                "email": user.email,
                "valid_hours": valid.num_hours(),
                "valid_minutes": valid.num_minutes(),
            }),
        },
        now,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;

    #[test]
    fn invitations_last_three_days_and_resets_one_hour() {
        assert_eq!(TokenPurpose::Invitation.valid_for(), Duration::hours(72));
        assert_eq!(TokenPurpose::PasswordReset.valid_for(), Duration::hours(1));
    }

    #[test]
    fn links_name_the_page_of_their_purpose() {
        assert_eq!(TokenPurpose::Invitation.path("abc"), "/invite/abc");
        assert_eq!(
            TokenPurpose::PasswordReset.path("abc"),
            "/password/reset/abc"
        );
    }

    #[test]
    fn tokens_are_stored_only_as_keyed_hashes() {
        let key = SecretKey::new(vec![7; 32]);
        let token = random_token();
        assert_ne!(hash_token(&key, &token), token);
        assert_eq!(hash_token(&key, &token), hash_token(&key, &token));
        assert_ne!(
            hash_token(&SecretKey::new(vec![8; 32]), &token),
            hash_token(&key, &token)
        );
    }
}
