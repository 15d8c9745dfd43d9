-- Contributions (issue 10): the lead body asks a coordinating body or one of its
-- own units for a contribution to the answer; bodies get a parent (units).
-- The outbox's and muted_notices' event CHECKs widen to the two new mails.
-- SQLite rebuilds both tables as in 2026-12-02-000001_typed_states, foreign keys off.

PRAGMA foreign_keys = OFF;
BEGIN;

-- A body's own units: a department under the People's Committee, say.
ALTER TABLE bodies ADD COLUMN parent_id INTEGER REFERENCES bodies(id);

-- The lead body asks a coordinating body, or one of its own units, for a
-- contribution to the answer: what it asks and by when; the asked body writes
-- the text, its approver approves it (then it is frozen) or returns it. The
-- version column makes a stale form a conflict rather than a lost update.
CREATE TABLE contributions (
    id INTEGER PRIMARY KEY,
    item_id INTEGER NOT NULL REFERENCES items(id),
    body_id INTEGER NOT NULL REFERENCES bodies(id),
    request_text TEXT NOT NULL,
    due_at TIMESTAMP NOT NULL,
    state TEXT NOT NULL DEFAULT 'requested'
        CHECK (state IN ('requested', 'in_review', 'approved', 'withdrawn')),
    text TEXT NOT NULL DEFAULT '',
    return_reason TEXT NOT NULL DEFAULT '',
    requested_by INTEGER NOT NULL REFERENCES users(id),
    requested_at TIMESTAMP NOT NULL,
    written_by INTEGER REFERENCES users(id),
    approved_by INTEGER REFERENCES users(id),
    approved_at TIMESTAMP,
    updated_at TIMESTAMP NOT NULL,
    version INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX contributions_body_state ON contributions(body_id, state);
CREATE INDEX contributions_item ON contributions(item_id);
-- One open request per item and body.
CREATE UNIQUE INDEX contributions_one_open ON contributions(item_id, body_id)
    WHERE state IN ('requested', 'in_review');

CREATE TABLE outbox_new (
    id INTEGER PRIMARY KEY,
    message_id TEXT NOT NULL UNIQUE,
    event TEXT NOT NULL CHECK (event IN ('item_received', 'answer_published', 'item_rerouted', 'item_merged',
        'item_withdrawn', 'satisfaction_reply', 'new_in_queue', 'review_waiting',
        'draft_returned', 'sent_back', 'coordination_requested', 'triage_needed',
        'invitation', 'password_reset', 'test',
        'password_changed', 'second_factor_changed',
        'info_requested', 'info_provided', 'extension_requested', 'extension_decided',
        'deadline_extended', 'deadline_digest',
        'commitment_assigned', 'commitment_done', 'commitment_blocked', 'item_resolved',
        'contribution_requested', 'contribution_approved')),
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
INSERT INTO outbox_new SELECT id, message_id, event, item_id, recipient_user_id,
    recipient_email, locale, payload, status, attempts, next_attempt_at, claimed_at,
    last_error, created_at, sent_at FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_new RENAME TO outbox;
CREATE INDEX outbox_due ON outbox(status, next_attempt_at);
CREATE INDEX outbox_item ON outbox(item_id);

CREATE TABLE muted_notices_new (
    user_id INTEGER NOT NULL REFERENCES users(id),
    event TEXT NOT NULL CHECK (event IN ('new_in_queue', 'review_waiting', 'draft_returned',
        'sent_back', 'coordination_requested', 'triage_needed',
        'info_provided', 'extension_requested', 'extension_decided', 'due_soon_reminder',
        'commitment_assigned', 'contribution_requested', 'contribution_approved')),
    PRIMARY KEY (user_id, event)
);
INSERT INTO muted_notices_new SELECT user_id, event FROM muted_notices;
DROP TABLE muted_notices;
ALTER TABLE muted_notices_new RENAME TO muted_notices;

COMMIT;
PRAGMA foreign_keys = ON;
