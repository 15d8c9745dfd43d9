//! The scheduler inside the app: every few minutes it queues the daily deadline
//! digests that are due. Several instances on one database may run it at once;
//! `deadline_digests`' key lets exactly one queue each person's digest of the day,
//! and the office-hours check keeps it quiet at night, at weekends and on holidays.

use actix_web::web;

use crate::config::DigestSettings;
use crate::db::digests::{self, DigestRun};
use crate::db::DbPool;

/// Runs the digest every `settings.interval` with the real time, on a blocking
/// thread, until the task is aborted. Returns at once when the interval is off.
pub async fn run(pool: DbPool, settings: DigestSettings) {
    let Some(interval) = settings.interval else {
        tracing::info!("deadline digest scheduler is off on this instance");
        return;
    };
    let mut every = tokio::time::interval(interval);
    // After a long pause (a suspended machine), one run catches up; a burst would
    // only find the day's digests already queued.
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        every.tick().await;
        let pool = pool.clone();
        let hours = settings.office_hours;
        let outcome = web::block(move || -> Result<DigestRun, String> {
            let mut conn = pool.get().map_err(|e| e.to_string())?;
            let now = chrono::Utc::now().naive_utc();
            digests::send_due(&mut conn, now, &hours).map_err(|e| format!("{e:?}"))
        })
        .await;
        match outcome {
            Ok(Ok(run)) if run.queued > 0 => tracing::info!(
                queued = run.queued,
                already_sent = run.already_sent,
                items = run.items,
                "deadline digests queued"
            ),
            Ok(Ok(run)) if run.office_open => tracing::debug!(
                already_sent = run.already_sent,
                items = run.items,
                "no new deadline digest"
            ),
            Ok(Ok(_)) => tracing::debug!("outside office hours: no deadline digest"),
            Ok(Err(error)) => tracing::warn!(%error, "deadline digest run failed"),
            Err(error) => tracing::warn!(%error, "deadline digest run was cancelled"),
        }
    }
}
