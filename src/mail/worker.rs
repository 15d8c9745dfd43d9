//! The outbox worker: claims due messages, sends them and records the outcome.
//! Safe with several app instances on one database: a message is claimed by a
//! conditional update that only one worker can win, and a claim that is never
//! finished (a crash between claiming and marking) is taken over after a lease.
//! Delivery is therefore at least once; the Message-ID fixed at enqueue lets a
//! rare repeat be recognised.

use chrono::{Duration, NaiveDateTime, Utc};
use std::sync::Arc;
use tokio::task::JoinSet;

use super::{Composer, Transport};
use crate::config::OutboxSettings;
use crate::db::events::{EventKind, NewEvent};
use crate::db::outbox::{self, MailEvent, OutboxMessage};
use crate::db::{DbConnection, DbPool};
use crate::domain::ItemId;
use crate::error::AppError;

/// Messages looked at per round.
const BATCH: i64 = 50;

/// What a worker needs.
#[derive(Clone)]
pub struct Worker {
    /// The database.
    pub pool: DbPool,
    /// Where mails go.
    pub transport: Arc<Transport>,
    /// How mails are built.
    pub composer: Arc<Composer>,
    /// Pace, retries, lease.
    pub settings: OutboxSettings,
}

fn now() -> NaiveDateTime {
    Utc::now().naive_utc()
}

async fn blocking<T: Send + 'static>(
    pool: &DbPool,
    work: impl FnOnce(&mut DbConnection) -> Result<T, AppError> + Send + 'static,
) -> Result<T, AppError> {
    let pool = pool.clone();
    tokio::task::spawn_blocking(move || {
        let mut conn = pool.get()?;
        work(&mut conn)
    })
    .await
    .map_err(|e| AppError::Unexpected(format!("outbox task: {e}")))?
}

impl Worker {
    /// Drains the outbox for ever, resting `poll` whenever it is empty.
    pub async fn run(self) {
        loop {
            match self.run_once().await {
                Ok(0) => tokio::time::sleep(self.settings.poll).await,
                Ok(_) => {}
                Err(error) => {
                    tracing::warn!(?error, "outbox round failed");
                    tokio::time::sleep(self.settings.poll).await;
                }
            }
        }
    }

    /// One round: claims up to a batch of due messages and sends them, at most
    /// `concurrency` at once. Returns how many this worker claimed.
    pub async fn run_once(&self) -> Result<usize, AppError> {
        let lease = Duration::from_std(self.settings.lease).unwrap_or(Duration::minutes(5));
        let due = blocking(&self.pool, move |conn| {
            let at = now();
            Ok(outbox::due(conn, at, at - lease, BATCH)?)
        })
        .await?;
        let mut claimed = 0;
        let mut sending = JoinSet::new();
        for message in due {
            let won = blocking(&self.pool, {
                let message = message.clone();
                move |conn| Ok(outbox::claim(conn, &message, now())?)
            })
            .await?;
            if !won {
                continue;
            }
            claimed += 1;
            while sending.len() >= self.settings.concurrency {
                sending.join_next().await;
            }
            let worker = self.clone();
            sending.spawn(async move { worker.deliver(message).await });
        }
        while sending.join_next().await.is_some() {}
        Ok(claimed)
    }

    /// Composes, sends and records one claimed message.
    async fn deliver(&self, message: OutboxMessage) {
        let attempts = message.attempts + 1;
        let composed = blocking(&self.pool, {
            let composer = self.composer.clone();
            let message = message.clone();
            move |conn| composer.compose(conn, &message)
        })
        .await;
        let outcome = match composed {
            Ok(mail) => self
                .transport
                .send(mail, &message.message_id)
                .await
                .map_err(|failure| (failure.permanent, failure.message)),
            Err(error) => Err((true, format!("could not compose the mail: {error:?}"))),
        };
        let settings = self.settings.clone();
        let recorded = blocking(&self.pool, move |conn| {
            let at = now();
            match outcome {
                Ok(()) => {
                    outbox::mark_sent(conn, &message, at)?;
                    record_answer_emailed(conn, &message, at)?;
                    tracing::info!(id = message.id, event = message.event.as_str(), "mail sent");
                }
                Err((permanent, error)) => {
                    let retry_at = (!permanent && attempts < settings.max_attempts)
                        .then(|| at + backoff(&settings, attempts));
                    tracing::warn!(id = message.id, attempts, permanent, %error, "mail not sent");
                    outbox::mark_failure(conn, message.id, &error, retry_at, at)?;
                }
            }
            Ok(())
        })
        .await;
        if let Err(error) = recorded {
            // The row stays claimed; after the lease another round retries it.
            tracing::error!(?error, "could not record a mail's outcome");
        }
    }
}

/// The wait before try `attempts + 1`: the base, doubled after each failed try
/// (1 min, 2 min, 4 min… with the default base), at most a day.
pub fn backoff(settings: &OutboxSettings, attempts: i32) -> Duration {
    let base = Duration::from_std(settings.retry_base).unwrap_or(Duration::minutes(1));
    let doublings = (attempts - 1).clamp(0, 16) as u32;
    (base * 2_i32.pow(doublings)).min(Duration::days(1))
}

/// Once the answer mail is sent, the item's timeline says so to everyone.
fn record_answer_emailed(
    conn: &mut DbConnection,
    message: &OutboxMessage,
    at: NaiveDateTime,
) -> Result<(), AppError> {
    if message.event != MailEvent::AnswerPublished {
        return Ok(());
    }
    if let Some(item) = message.item_id {
        NewEvent::system(ItemId(item), EventKind::AnswerEmailed, at).insert(conn)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_wait_the_base_doubled_after_each_try_up_to_a_day() {
        let settings = OutboxSettings::default();
        assert_eq!(backoff(&settings, 1), Duration::minutes(1));
        assert_eq!(backoff(&settings, 2), Duration::minutes(2));
        assert_eq!(backoff(&settings, 4), Duration::minutes(8));
        assert_eq!(backoff(&settings, 40), Duration::days(1));
    }
}
