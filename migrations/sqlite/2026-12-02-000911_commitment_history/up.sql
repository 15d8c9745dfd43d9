-- A commitment's (or a task's) own history besides its check-ins (issue 10): a
-- correction of its terms (due date before and after, and the reason) and each
-- escalation of it when overdue. The partial unique index lets an escalation be
-- written once per level and due date, whichever instance runs the digest.
-- The outbox gains the delegate's mail when a published commitment's due date
-- moves (commitment_changed): SQLite rebuilds the table to change its CHECK, with
-- foreign keys off (see 2026-12-02-000800_follow_up).

PRAGMA foreign_keys = OFF;
BEGIN;

CREATE TABLE commitment_events (
    id INTEGER PRIMARY KEY,
    commitment_id INTEGER NOT NULL REFERENCES commitments(id) ON DELETE CASCADE,
    kind TEXT NOT NULL
        CHECK (kind IN ('changed', 'escalated_to_head', 'escalated_to_coordinators')),
    actor_id INTEGER REFERENCES users(id),
    previous_due_at TIMESTAMP,
    due_at TIMESTAMP,
    comment TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX commitment_events_commitment ON commitment_events(commitment_id, id);
CREATE UNIQUE INDEX commitment_events_escalation
    ON commitment_events(commitment_id, kind, due_at) WHERE kind <> 'changed';

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
        'contribution_requested', 'contribution_approved', 'commitment_changed')),
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

COMMIT;
PRAGMA foreign_keys = ON;
