-- Email: the transactional outbox, single-use account tokens (invitations and
-- password resets), and each user's choice of staff notices.

CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,
    message_id TEXT NOT NULL UNIQUE,
    event TEXT NOT NULL,
    item_id INTEGER REFERENCES items(id),
    recipient_user_id INTEGER REFERENCES users(id),
    recipient_email TEXT NOT NULL,
    locale TEXT NOT NULL,
    payload TEXT NOT NULL DEFAULT '{}',
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMP NOT NULL,
    claimed_at TIMESTAMP,
    last_error TEXT,
    created_at TIMESTAMP NOT NULL,
    sent_at TIMESTAMP
);
CREATE INDEX outbox_due ON outbox(status, next_attempt_at);
CREATE INDEX outbox_item ON outbox(item_id);

CREATE TABLE account_tokens (
    token_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    purpose TEXT NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX account_tokens_user ON account_tokens(user_id, purpose);

-- The staff notices a user turned off: event names separated by commas.
ALTER TABLE users ADD COLUMN muted_notices TEXT NOT NULL DEFAULT '';
