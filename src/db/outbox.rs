//! The transactional outbox: every email is a row written in the same transaction
//! as the change that causes it, then claimed, sent and marked by a worker.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

use super::schema::outbox;
use super::users::User;
use super::DbConnection;
use crate::auth::session::random_token;
use crate::domain::ItemId;

/// Why an email is sent; each has templates under `templates/emails/<name>/`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MailEvent {
    /// Delegate: receipt of a new item, with its reference.
    ItemReceived,
    /// Delegate: the answer is published (its text is in the mail).
    AnswerPublished,
    /// Delegate: the item went to another body.
    ItemRerouted,
    /// Delegate: the item was merged into another.
    ItemMerged,
    /// Delegate: the withdrawal is confirmed.
    ItemWithdrawn,
    /// Delegate: staff replied to their satisfaction comment.
    SatisfactionReply,
    /// Body staff: a new item in the body's queue.
    NewInQueue,
    /// Approver: a draft waits for approval.
    ReviewWaiting,
    /// Drafter: the approver returned the draft.
    DraftReturned,
    /// Body staff: the coordinator sent an approved answer back.
    SentBack,
    /// Coordinator: an item needs triage.
    TriageNeeded,
    /// A new user: set your password.
    Invitation,
    /// Forgot password: a reset link.
    PasswordReset,
    /// `dialogue-desk mail test`.
    Test,
}

impl MailEvent {
    /// Every event.
    pub const ALL: [MailEvent; 14] = [
        MailEvent::ItemReceived,
        MailEvent::AnswerPublished,
        MailEvent::ItemRerouted,
        MailEvent::ItemMerged,
        MailEvent::ItemWithdrawn,
        MailEvent::SatisfactionReply,
        MailEvent::NewInQueue,
        MailEvent::ReviewWaiting,
        MailEvent::DraftReturned,
        MailEvent::SentBack,
        MailEvent::TriageNeeded,
        MailEvent::Invitation,
        MailEvent::PasswordReset,
        MailEvent::Test,
    ];

    /// The stable name, stored and used as the template folder.
    pub fn as_str(self) -> &'static str {
        match self {
            MailEvent::ItemReceived => "item_received",
            MailEvent::AnswerPublished => "answer_published",
            MailEvent::ItemRerouted => "item_rerouted",
            MailEvent::ItemMerged => "item_merged",
            MailEvent::ItemWithdrawn => "item_withdrawn",
            MailEvent::SatisfactionReply => "satisfaction_reply",
            MailEvent::NewInQueue => "new_in_queue",
            MailEvent::ReviewWaiting => "review_waiting",
            MailEvent::DraftReturned => "draft_returned",
            MailEvent::SentBack => "sent_back",
            MailEvent::TriageNeeded => "triage_needed",
            MailEvent::Invitation => "invitation",
            MailEvent::PasswordReset => "password_reset",
            MailEvent::Test => "test",
        }
    }

    /// Reads a stored name.
    pub fn parse(name: &str) -> Option<MailEvent> {
        MailEvent::ALL.into_iter().find(|e| e.as_str() == name)
    }

    /// The staff notices, which a user may turn off one by one.
    pub const STAFF_NOTICES: [MailEvent; 5] = [
        MailEvent::NewInQueue,
        MailEvent::ReviewWaiting,
        MailEvent::DraftReturned,
        MailEvent::SentBack,
        MailEvent::TriageNeeded,
    ];

    /// Staff notices a user may turn off; the delegate's mails and account mails
    /// always go.
    pub fn is_staff_notice(self) -> bool {
        matches!(
            self,
            MailEvent::NewInQueue
                | MailEvent::ReviewWaiting
                | MailEvent::DraftReturned
                | MailEvent::SentBack
                | MailEvent::TriageNeeded
        )
    }
}

/// Where a message stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MailStatus {
    /// Waiting for its first try.
    Queued,
    /// Claimed by a worker, being sent.
    Sending,
    /// Accepted by the mail server.
    Sent,
    /// A try failed for a passing reason; another is scheduled.
    Retrying,
    /// Refused for good, or out of tries; an administrator may resend it.
    Failed,
}

impl MailStatus {
    /// Every status, for filters.
    pub const ALL: [MailStatus; 5] = [
        MailStatus::Queued,
        MailStatus::Sending,
        MailStatus::Sent,
        MailStatus::Retrying,
        MailStatus::Failed,
    ];

    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            MailStatus::Queued => "queued",
            MailStatus::Sending => "sending",
            MailStatus::Sent => "sent",
            MailStatus::Retrying => "retrying",
            MailStatus::Failed => "failed",
        }
    }

    /// Reads a stored name.
    pub fn parse(name: &str) -> Option<MailStatus> {
        MailStatus::ALL.into_iter().find(|s| s.as_str() == name)
    }
}

/// One message of the outbox.
#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = outbox)]
pub struct OutboxMessage {
    /// Row id.
    pub id: i32,
    /// The local part of the Message-ID, fixed at enqueue so a resend is
    /// recognisable as the same message.
    pub message_id: String,
    /// Event name; see [`MailEvent`].
    pub event: String,
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
    /// Status name; see [`MailStatus`].
    pub status: String,
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
    if !user.active || (mail.event.is_staff_notice() && user.mutes(mail.event.as_str())) {
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
            outbox::event.eq(event.as_str()),
            outbox::item_id.eq(item.map(|i| i.0)),
            outbox::recipient_user_id.eq(user),
            outbox::recipient_email.eq(email),
            outbox::locale.eq(locale),
            outbox::payload.eq(payload.to_string()),
            outbox::status.eq(MailStatus::Queued.as_str()),
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
                .eq_any([MailStatus::Queued.as_str(), MailStatus::Retrying.as_str()])
                .and(outbox::next_attempt_at.le(now))
                .or(outbox::status
                    .eq(MailStatus::Sending.as_str())
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
        outbox::status.eq(MailStatus::Sending.as_str()),
        outbox::attempts.eq(message.attempts + 1),
        outbox::claimed_at.eq(now),
    ))
    .execute(conn)?;
    Ok(changed == 1)
}

/// Records that the server accepted the message.
pub fn mark_sent(conn: &mut DbConnection, id: i32, now: NaiveDateTime) -> QueryResult<()> {
    diesel::update(outbox::table.find(id))
        .set((
            outbox::status.eq(MailStatus::Sent.as_str()),
            outbox::sent_at.eq(now),
            outbox::last_error.eq(None::<String>),
        ))
        .execute(conn)
        .map(drop)
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
            outbox::status.eq(status.as_str()),
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
            .filter(outbox::status.eq(MailStatus::Failed.as_str())),
    )
    .set((
        outbox::status.eq(MailStatus::Queued.as_str()),
        outbox::attempts.eq(0),
        outbox::next_attempt_at.eq(now),
    ))
    .execute(conn)
}

/// Puts every failed message back in the queue.
pub fn resend_all_failed(conn: &mut DbConnection, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(outbox::table.filter(outbox::status.eq(MailStatus::Failed.as_str())))
        .set((
            outbox::status.eq(MailStatus::Queued.as_str()),
            outbox::attempts.eq(0),
            outbox::next_attempt_at.eq(now),
        ))
        .execute(conn)
}

/// One page of the outbox, newest first, optionally of one status and one event.
pub fn page(
    conn: &mut DbConnection,
    status: Option<MailStatus>,
    event: Option<MailEvent>,
    offset: i64,
    limit: i64,
) -> QueryResult<(Vec<OutboxMessage>, i64)> {
    let filtered = || {
        let mut query = outbox::table.into_boxed();
        if let Some(status) = status {
            query = query.filter(outbox::status.eq(status.as_str()));
        }
        if let Some(event) = event {
            query = query.filter(outbox::event.eq(event.as_str()));
        }
        query
    };
    let total = filtered().count().get_result(conn)?;
    let rows = filtered()
        .order(outbox::id.desc())
        .offset(offset)
        .limit(limit)
        .select(OutboxMessage::as_select())
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
