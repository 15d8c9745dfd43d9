PRAGMA foreign_keys = OFF;
BEGIN;

CREATE TABLE muted_notices_old (
    user_id INTEGER NOT NULL REFERENCES users(id),
    event TEXT NOT NULL CHECK (event IN ('new_in_queue', 'review_waiting', 'draft_returned',
        'sent_back', 'coordination_requested', 'triage_needed',
        'info_provided', 'extension_requested', 'extension_decided', 'due_soon_reminder')),
    PRIMARY KEY (user_id, event)
);
INSERT INTO muted_notices_old SELECT user_id, event FROM muted_notices WHERE event <> 'commitment_assigned';
DROP TABLE muted_notices;
ALTER TABLE muted_notices_old RENAME TO muted_notices;

DELETE FROM outbox WHERE event IN ('commitment_assigned', 'commitment_done', 'commitment_blocked', 'item_resolved');
CREATE TABLE outbox_old (
    id INTEGER PRIMARY KEY,
    message_id TEXT NOT NULL UNIQUE,
    event TEXT NOT NULL CHECK (event IN ('item_received', 'answer_published', 'item_rerouted', 'item_merged',
        'item_withdrawn', 'satisfaction_reply', 'new_in_queue', 'review_waiting',
        'draft_returned', 'sent_back', 'coordination_requested', 'triage_needed',
        'invitation', 'password_reset', 'test',
        'password_changed', 'second_factor_changed',
        'info_requested', 'info_provided', 'extension_requested', 'extension_decided',
        'deadline_extended', 'deadline_digest')),
    item_id INTEGER REFERENCES items(id),
    recipient_user_id INTEGER REFERENCES users(id),
    recipient_email TEXT NOT NULL,
    locale TEXT NOT NULL,
    payload TEXT NOT NULL DEFAULT '{}',
    status TEXT NOT NULL
        CHECK (status IN ('queued', 'sending', 'sent', 'retrying', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMP NOT NULL,
    claimed_at TIMESTAMP,
    last_error TEXT,
    created_at TIMESTAMP NOT NULL,
    sent_at TIMESTAMP
);
INSERT INTO outbox_old SELECT id, message_id, event, item_id, recipient_user_id,
    recipient_email, locale, payload, status, attempts, next_attempt_at, claimed_at,
    last_error, created_at, sent_at FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_old RENAME TO outbox;
CREATE INDEX outbox_due ON outbox(status, next_attempt_at);
CREATE INDEX outbox_item ON outbox(item_id);

DROP TABLE inspections;
DROP TABLE commitment_checkins;
DROP TABLE commitment_bodies;
DROP TABLE commitments;
DROP INDEX items_outcome;
ALTER TABLE items DROP COLUMN result_comment;
ALTER TABLE items DROP COLUMN result_satisfaction;
ALTER TABLE items DROP COLUMN resolved_at;
ALTER TABLE items DROP COLUMN outcome;
ALTER TABLE answer_revisions DROP COLUMN forwarded_document;
ALTER TABLE answer_revisions DROP COLUMN forwarded_on;
ALTER TABLE answer_revisions DROP COLUMN forwarded_to;
ALTER TABLE answer_revisions DROP COLUMN outcome_reason;
ALTER TABLE answer_revisions DROP COLUMN outcome;

COMMIT;
PRAGMA foreign_keys = ON;
