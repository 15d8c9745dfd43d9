//! The transactional outbox: every email is a row written in the same transaction
//! as the change that causes it, then claimed, sent and marked by a worker.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

use super::schema::{items, outbox};
use super::users::User;
use super::DbConnection;
use crate::domain::ItemId;
use crate::secrets::random_token;

pub use crate::domain::{AccountChange, MailEvent, MailStatus};

/// The payload key of a link with a token, sealed by `secrets::seal_link`: the
/// composer opens it into `link` for the templates, and it is dropped from the
/// row once the server has accepted the mail.
pub const SEALED_LINK: &str = "sealed_link";

/// One message of the outbox.
#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = outbox)]
pub struct OutboxMessage {
    /// Row id.
    pub id: i32,
    /// The local part of the Message-ID, fixed at enqueue so a resend is
    /// recognisable as the same message.
    pub message_id: String,
    /// Why the mail is sent.
    pub event: MailEvent,
    /// The item the mail is about.
    pub item_id: Option<i32>,
    /// The recipient's account, if any.
    pub recipient_user_id: Option<i32>,
    /// The address.
    pub recipient_email: String,
    /// The recipient's language.
    pub locale: String,
    /// Extra template values (JSON), such as a link with a token.
    #[serde(skip)]
    pub payload: String,
    /// Where the message stands.
    pub status: MailStatus,
    /// Tries so far.
    pub attempts: i32,
    /// When it may be tried (again).
    pub next_attempt_at: NaiveDateTime,
    /// When a worker claimed it (for taking over after a crash).
    pub claimed_at: Option<NaiveDateTime>,
    /// The last failure's message.
    pub last_error: Option<String>,
    /// When it was queued.
    pub created_at: NaiveDateTime,
    /// When the server accepted it.
    pub sent_at: Option<NaiveDateTime>,
}

/// A message to queue.
#[derive(Debug, Clone)]
pub struct NewMail<'a> {
    /// Why.
    pub event: MailEvent,
    /// About which item.
    pub item: Option<ItemId>,
    /// To whom.
    pub recipient: &'a User,
    /// Extra template values.
    pub payload: serde_json::Value,
}

/// Queues a mail to a user, unless they are inactive or turned the notice off.
/// Call it inside the transaction of the change that causes the mail.
pub fn enqueue(conn: &mut DbConnection, mail: NewMail<'_>, now: NaiveDateTime) -> QueryResult<()> {
    let user = mail.recipient;
    if !user.active
        || (mail.event.is_staff_notice() && User::mutes(conn, user.user_id(), mail.event)?)
    {
        return Ok(());
    }
    enqueue_address(
        conn,
        mail.event,
        mail.item,
        Some(user.id),
        &user.email,
        &user.locale,
        &mail.payload,
        now,
    )
}

/// Queues the mail that tells `user` of a change to their account: when, from
/// which client address, and (in the template) what to do if it was not them.
/// Account mails cannot be turned off. Call it inside the change's transaction.
pub fn enqueue_account_change(
    conn: &mut DbConnection,
    user: &User,
    change: AccountChange,
    address: &str,
    now: NaiveDateTime,
) -> QueryResult<()> {
    enqueue(
        conn,
        NewMail {
            event: change.mail_event(),
            item: None,
            recipient: user,
            payload: serde_json::json!({
                "change": change.detail(),
                "at": now,
                "address": address,
            }),
        },
        now,
    )
}

/// Queues a mail to an address.
#[expect(clippy::too_many_arguments, reason = "the columns of one row")]
pub fn enqueue_address(
    conn: &mut DbConnection,
    event: MailEvent,
    item: Option<ItemId>,
    user: Option<i32>,
    email: &str,
    locale: &str,
    payload: &serde_json::Value,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::insert_into(outbox::table)
        .values((
            outbox::message_id.eq(random_token()),
            outbox::event.eq(event),
            outbox::item_id.eq(item.map(|i| i.0)),
            outbox::recipient_user_id.eq(user),
            outbox::recipient_email.eq(email),
            outbox::locale.eq(locale),
            outbox::payload.eq(payload.to_string()),
            outbox::status.eq(MailStatus::Queued),
            outbox::attempts.eq(0),
            outbox::next_attempt_at.eq(now),
            outbox::created_at.eq(now),
        ))
        .execute(conn)
        .map(drop)
}

/// Messages due for a try: queued or retrying and due, or claimed by a worker
/// that has not finished since `lease_cutoff` (it crashed or was stopped).
pub fn due(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    lease_cutoff: NaiveDateTime,
    limit: i64,
) -> QueryResult<Vec<OutboxMessage>> {
    outbox::table
        .filter(
            outbox::status
                .eq_any([MailStatus::Queued, MailStatus::Retrying])
                .and(outbox::next_attempt_at.le(now))
                .or(outbox::status
                    .eq(MailStatus::Sending)
                    .and(outbox::claimed_at.lt(lease_cutoff))),
        )
        .order(outbox::next_attempt_at)
        .limit(limit)
        .select(OutboxMessage::as_select())
        .load(conn)
}

/// Claims a message for this worker: the update only succeeds if nobody changed
/// the row since it was read (same status and tries), so of several workers
/// exactly one wins.
pub fn claim(
    conn: &mut DbConnection,
    message: &OutboxMessage,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let changed = diesel::update(
        outbox::table
            .filter(outbox::id.eq(message.id))
            .filter(outbox::status.eq(&message.status))
            .filter(outbox::attempts.eq(message.attempts)),
    )
    .set((
        outbox::status.eq(MailStatus::Sending),
        outbox::attempts.eq(message.attempts + 1),
        outbox::claimed_at.eq(now),
    ))
    .execute(conn)?;
    Ok(changed == 1)
}

/// Records that the server accepted the message, and drops a sealed link from
/// its payload: once delivered, the row keeps nothing that opens an account.
pub fn mark_sent(
    conn: &mut DbConnection,
    message: &OutboxMessage,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(outbox::table.find(message.id))
        .set((
            outbox::status.eq(MailStatus::Sent),
            outbox::sent_at.eq(now),
            outbox::last_error.eq(None::<String>),
            outbox::payload.eq(without_sealed_link(&message.payload)),
        ))
        .execute(conn)
        .map(drop)
}

/// A stored payload without its sealed link (unchanged if it has none).
fn without_sealed_link(payload: &str) -> String {
    match serde_json::from_str::<serde_json::Value>(payload) {
        Ok(serde_json::Value::Object(mut values)) => {
            if values.remove(SEALED_LINK).is_none() {
                return payload.to_owned();
            }
            serde_json::Value::Object(values).to_string()
        }
        _ => payload.to_owned(),
    }
}

/// Records a failed try: another at `retry_at`, or none (failed for good).
pub fn mark_failure(
    conn: &mut DbConnection,
    id: i32,
    error: &str,
    retry_at: Option<NaiveDateTime>,
    now: NaiveDateTime,
) -> QueryResult<()> {
    let status = match retry_at {
        Some(_) => MailStatus::Retrying,
        None => MailStatus::Failed,
    };
    diesel::update(outbox::table.find(id))
        .set((
            outbox::status.eq(status),
            outbox::last_error.eq(error),
            outbox::next_attempt_at.eq(retry_at.unwrap_or(now)),
        ))
        .execute(conn)
        .map(drop)
}

/// Puts a failed message back in the queue for a new round of tries.
pub fn resend(conn: &mut DbConnection, id: i32, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(
        outbox::table
            .filter(outbox::id.eq(id))
            .filter(outbox::status.eq(MailStatus::Failed)),
    )
    .set((
        outbox::status.eq(MailStatus::Queued),
        outbox::attempts.eq(0),
        outbox::next_attempt_at.eq(now),
    ))
    .execute(conn)
}

/// Puts every failed message back in the queue.
pub fn resend_all_failed(conn: &mut DbConnection, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(outbox::table.filter(outbox::status.eq(MailStatus::Failed)))
        .set((
            outbox::status.eq(MailStatus::Queued),
            outbox::attempts.eq(0),
            outbox::next_attempt_at.eq(now),
        ))
        .execute(conn)
}

/// A message of the outbox with the reference of the item it is about.
pub type OutboxLine = (OutboxMessage, Option<String>);

/// One page of the outbox, newest first, optionally of one status and one event,
/// each message with the reference of the item it is about, all in one query.
pub fn page(
    conn: &mut DbConnection,
    status: Option<MailStatus>,
    event: Option<MailEvent>,
    offset: i64,
    limit: i64,
) -> QueryResult<(Vec<OutboxLine>, i64)> {
    let mut counted = outbox::table.into_boxed();
    let mut listed = outbox::table.left_join(items::table).into_boxed();
    if let Some(status) = status {
        counted = counted.filter(outbox::status.eq(status));
        listed = listed.filter(outbox::status.eq(status));
    }
    if let Some(event) = event {
        counted = counted.filter(outbox::event.eq(event));
        listed = listed.filter(outbox::event.eq(event));
    }
    let total = counted.count().get_result(conn)?;
    let rows = listed
        .order(outbox::id.desc())
        .offset(offset)
        .limit(limit)
        .select((OutboxMessage::as_select(), items::reference.nullable()))
        .load(conn)?;
    Ok((rows, total))
}

/// One message by id.
pub fn find(conn: &mut DbConnection, id: i32) -> QueryResult<Option<OutboxMessage>> {
    outbox::table
        .find(id)
        .select(OutboxMessage::as_select())
        .first(conn)
        .optional()
}
