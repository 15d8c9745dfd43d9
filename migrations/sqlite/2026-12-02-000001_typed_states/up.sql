-- Typed states checked by the database too, muted notices as rows, and a reference
-- prefix per conference.
--
-- SQLite cannot add a CHECK to an existing table, so each table with a state column
-- is rebuilt (the "generalized ALTER TABLE" procedure of the SQLite manual): new
-- table, copy, drop the old one, rename, recreate its indexes. Foreign keys are off
-- during the rebuild, since SQLite would otherwise act on the references to the
-- dropped table; every row keeps its id, so each reference points where it did.

PRAGMA foreign_keys = OFF;
BEGIN;

-- users: the role is one of five; the comma list of muted notices moves to rows.
CREATE TABLE users_new (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    full_name TEXT NOT NULL,
    unit TEXT NOT NULL DEFAULT '',
    role TEXT NOT NULL
        CHECK (role IN ('delegate', 'drafter', 'approver', 'coordinator', 'admin')),
    body_id INTEGER REFERENCES bodies(id),
    password_hash TEXT NOT NULL,
    locale TEXT NOT NULL DEFAULT 'vi',
    active BOOLEAN NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    password_changed_at TIMESTAMP NOT NULL
);
INSERT INTO users_new (id, email, full_name, unit, role, body_id, password_hash, locale,
                       active, created_at, password_changed_at)
    SELECT id, email, full_name, unit, role, body_id, password_hash, locale,
           active, created_at, password_changed_at
    FROM users;

CREATE TABLE muted_notices (
    user_id INTEGER NOT NULL REFERENCES users(id),
    event TEXT NOT NULL CHECK (event IN ('new_in_queue', 'review_waiting', 'draft_returned',
        'sent_back', 'coordination_requested', 'triage_needed')),
    PRIMARY KEY (user_id, event)
);
-- Split each comma list into rows; names that are not staff notices are dropped.
WITH RECURSIVE split(user_id, rest, event) AS (
    SELECT id, muted_notices || ',', '' FROM users WHERE muted_notices <> ''
    UNION ALL
    SELECT user_id, substr(rest, instr(rest, ',') + 1), substr(rest, 1, instr(rest, ',') - 1)
    FROM split WHERE rest <> ''
)
INSERT INTO muted_notices (user_id, event)
    SELECT DISTINCT user_id, event FROM split
    WHERE event IN ('new_in_queue', 'review_waiting', 'draft_returned', 'sent_back',
                    'coordination_requested', 'triage_needed');

DROP TABLE users;
ALTER TABLE users_new RENAME TO users;
CREATE INDEX users_body ON users(body_id, role);

-- items: status and satisfaction.
CREATE TABLE items_new (
    id INTEGER PRIMARY KEY,
    conference_id INTEGER NOT NULL REFERENCES conferences(id),
    reference_number INTEGER NOT NULL,
    reference TEXT NOT NULL UNIQUE,
    delegate_id INTEGER NOT NULL REFERENCES users(id),
    submission_token TEXT NOT NULL,
    title TEXT NOT NULL,
    content TEXT NOT NULL,
    field_id INTEGER NOT NULL REFERENCES fields(id),
    related_units TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL CHECK (status IN ('submitted', 'routed', 'drafting', 'in_review',
        'approved', 'published', 'in_progress', 'done', 'withdrawn', 'merged')),
    lead_body_id INTEGER REFERENCES bodies(id),
    merged_into_id INTEGER REFERENCES items(id),
    approved_revision_id INTEGER,
    published_revision_id INTEGER,
    submitted_at TIMESTAMP NOT NULL,
    deadline TIMESTAMP NOT NULL,
    published_at TIMESTAMP,
    updated_at TIMESTAMP NOT NULL,
    satisfaction TEXT CHECK (satisfaction IN ('satisfied', 'partly', 'not_satisfied')),
    satisfaction_comment TEXT,
    search_text TEXT NOT NULL,
    UNIQUE (conference_id, reference_number),
    UNIQUE (delegate_id, submission_token)
);
INSERT INTO items_new SELECT id, conference_id, reference_number, reference, delegate_id,
    submission_token, title, content, field_id, related_units, status, lead_body_id,
    merged_into_id, approved_revision_id, published_revision_id, submitted_at, deadline,
    published_at, updated_at, satisfaction, satisfaction_comment, search_text
    FROM items;
DROP TABLE items;
ALTER TABLE items_new RENAME TO items;
CREATE INDEX items_body_queue ON items(lead_body_id, status, deadline);
CREATE INDEX items_status_deadline ON items(status, deadline);
CREATE INDEX items_delegate ON items(delegate_id, submitted_at);
CREATE INDEX items_merged_into ON items(merged_into_id);
CREATE INDEX items_body_deadline ON items(lead_body_id, deadline, id);
CREATE INDEX items_deadline ON items(deadline, id);

-- item_events: the statuses a step moved between.
CREATE TABLE item_events_new (
    id INTEGER PRIMARY KEY,
    item_id INTEGER NOT NULL REFERENCES items(id),
    actor_id INTEGER REFERENCES users(id),
    kind TEXT NOT NULL,
    from_status TEXT CHECK (from_status IN ('submitted', 'routed', 'drafting', 'in_review',
        'approved', 'published', 'in_progress', 'done', 'withdrawn', 'merged')),
    to_status TEXT CHECK (to_status IN ('submitted', 'routed', 'drafting', 'in_review',
        'approved', 'published', 'in_progress', 'done', 'withdrawn', 'merged')),
    from_body_id INTEGER REFERENCES bodies(id),
    to_body_id INTEGER REFERENCES bodies(id),
    comment TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL
);
INSERT INTO item_events_new SELECT id, item_id, actor_id, kind, from_status, to_status,
    from_body_id, to_body_id, comment, created_at FROM item_events;
DROP TABLE item_events;
ALTER TABLE item_events_new RENAME TO item_events;
CREATE INDEX item_events_item ON item_events(item_id, id);

-- outbox: event and status.
CREATE TABLE outbox_new (
    id INTEGER PRIMARY KEY,
    message_id TEXT NOT NULL UNIQUE,
    event TEXT NOT NULL CHECK (event IN ('item_received', 'answer_published',
        'item_rerouted', 'item_merged', 'item_withdrawn', 'satisfaction_reply',
        'new_in_queue', 'review_waiting', 'draft_returned', 'sent_back',
        'coordination_requested', 'triage_needed', 'invitation', 'password_reset', 'test')),
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

-- account_tokens: purpose.
CREATE TABLE account_tokens_new (
    token_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    purpose TEXT NOT NULL CHECK (purpose IN ('invitation', 'password_reset')),
    expires_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);
INSERT INTO account_tokens_new SELECT token_hash, user_id, purpose, expires_at, used_at,
    created_at FROM account_tokens;
DROP TABLE account_tokens;
ALTER TABLE account_tokens_new RENAME TO account_tokens;
CREATE INDEX account_tokens_user ON account_tokens(user_id, purpose);

-- conferences: each has its own reference prefix. The old shared `KN` plus the
-- year becomes the prefix (`KN-2023`), so references keep their look; a second
-- conference of the same prefix and year gets its id appended (`KN-2023-N5`).
-- The new prefixes are worked out from the old values first: an UPDATE's own
-- subquery would see the rows it already changed.
CREATE TEMP TABLE new_prefixes AS
    SELECT id, reference_prefix || '-' || strftime('%Y', held_on)
        || CASE WHEN EXISTS (
            SELECT 1 FROM conferences AS earlier
            WHERE earlier.reference_prefix = conferences.reference_prefix
              AND strftime('%Y', earlier.held_on) = strftime('%Y', conferences.held_on)
              AND earlier.id < conferences.id)
           THEN '-N' || id ELSE '' END AS prefix
    FROM conferences;
UPDATE conferences
    SET reference_prefix = (SELECT prefix FROM new_prefixes WHERE new_prefixes.id = conferences.id);
DROP TABLE new_prefixes;
CREATE UNIQUE INDEX conferences_reference_prefix ON conferences(reference_prefix);

COMMIT;
PRAGMA foreign_keys = ON;
