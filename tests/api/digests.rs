//! Issue 9: reminders, escalation and the daily digest, with an injected clock.
