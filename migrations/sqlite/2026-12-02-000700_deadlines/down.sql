PRAGMA foreign_keys = OFF;
BEGIN;

CREATE TABLE muted_notices_old (
    user_id INTEGER NOT NULL REFERENCES users(id),
    event TEXT NOT NULL CHECK (event IN ('new_in_queue', 'review_waiting', 'draft_returned',
        'sent_back', 'coordination_requested', 'triage_needed')),
    PRIMARY KEY (user_id, event)
);
INSERT INTO muted_notices_old SELECT user_id, event FROM muted_notices
    WHERE event IN ('new_in_queue', 'review_waiting', 'draft_returned', 'sent_back',
                    'coordination_requested', 'triage_needed');
DROP TABLE muted_notices;
ALTER TABLE muted_notices_old RENAME TO muted_notices;

DELETE FROM outbox WHERE event IN ('info_requested', 'info_provided',
    'extension_requested', 'extension_decided', 'deadline_extended', 'deadline_digest');
CREATE TABLE outbox_old (
    id INTEGER PRIMARY KEY,
    message_id TEXT NOT NULL UNIQUE,
    event TEXT NOT NULL CHECK (event IN ('item_received', 'answer_published',
        'item_rerouted', 'item_merged', 'item_withdrawn', 'satisfaction_reply',
        'new_in_queue', 'review_waiting', 'draft_returned', 'sent_back',
        'coordination_requested', 'triage_needed', 'invitation', 'password_reset', 'test',
        'password_changed', 'second_factor_changed')),
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

DROP TABLE deadline_digests;
DROP TABLE deadline_extensions;
DROP TABLE stage_clocks;
DROP INDEX items_next_due;
ALTER TABLE items DROP COLUMN original_deadline;
ALTER TABLE items DROP COLUMN paused_at;
ALTER TABLE items DROP COLUMN due_soon_at;
ALTER TABLE items DROP COLUMN next_due_at;
ALTER TABLE items DROP COLUMN stage_due_at;
ALTER TABLE conferences DROP COLUMN escalate_to_coordinators_after;
ALTER TABLE conferences DROP COLUMN escalate_to_head_after;
ALTER TABLE conferences DROP COLUMN due_soon_days;
ALTER TABLE conferences DROP COLUMN publication_days;
ALTER TABLE conferences DROP COLUMN approval_days;
ALTER TABLE conferences DROP COLUMN drafting_days;
ALTER TABLE conferences DROP COLUMN triage_days;

COMMIT;
PRAGMA foreign_keys = ON;
