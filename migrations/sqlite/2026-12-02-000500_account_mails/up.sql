-- Account mails (issue 8): the user is told when their password or second factor
-- changes. The outbox's event CHECK widens to the two new events.
--
-- SQLite cannot change a CHECK in place: the table is rebuilt as in
-- 2026-12-02-000001_typed_states (new table, copy every row with its id, drop,
-- rename, recreate the indexes), foreign keys off meanwhile.

PRAGMA foreign_keys = OFF;
BEGIN;

CREATE TABLE outbox_new (
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
INSERT INTO outbox_new SELECT id, message_id, event, item_id, recipient_user_id,
    recipient_email, locale, payload, status, attempts, next_attempt_at, claimed_at,
    last_error, created_at, sent_at FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_new RENAME TO outbox;
CREATE INDEX outbox_due ON outbox(status, next_attempt_at);
CREATE INDEX outbox_item ON outbox(item_id);

COMMIT;
PRAGMA foreign_keys = ON;
