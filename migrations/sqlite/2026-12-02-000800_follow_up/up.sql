-- Follow-up (issue 10): the answer's outcome, commitments and the notice's tasks
-- with their check-ins, inspection visits, and the result's rating.
--
-- The outbox's and muted_notices' event CHECKs widen to the new mails; SQLite
-- rebuilds both tables as in 2026-12-02-000001_typed_states, foreign keys off.

PRAGMA foreign_keys = OFF;
BEGIN;

-- The answer's outcome, drafted and approved with each revision of the answer.
ALTER TABLE answer_revisions ADD COLUMN outcome TEXT
    CHECK (outcome IN ('accepted', 'explained', 'not_accepted', 'forwarded',
                       'answered_at_conference'));
ALTER TABLE answer_revisions ADD COLUMN outcome_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE answer_revisions ADD COLUMN forwarded_to TEXT NOT NULL DEFAULT '';
ALTER TABLE answer_revisions ADD COLUMN forwarded_on DATE;
ALTER TABLE answer_revisions ADD COLUMN forwarded_document TEXT NOT NULL DEFAULT '';

-- On the item: the published answer's outcome (what lists and reports filter by),
-- when the item was resolved (every commitment done), and the delegate's rating of
-- the result (apart from their rating of the answer).
ALTER TABLE items ADD COLUMN outcome TEXT
    CHECK (outcome IN ('accepted', 'explained', 'not_accepted', 'forwarded',
                       'answered_at_conference'));
ALTER TABLE items ADD COLUMN resolved_at TIMESTAMP;
ALTER TABLE items ADD COLUMN result_satisfaction TEXT
    CHECK (result_satisfaction IN ('satisfied', 'partly', 'not_satisfied'));
ALTER TABLE items ADD COLUMN result_comment TEXT;
CREATE INDEX items_outcome ON items(outcome);

-- What an accepted answer promises, or a task the conference's notice assigns
-- (item_id NULL): what, which body owns it, when it is due (working days from
-- publication, or a date; due_at once its clock runs), the document it will issue,
-- and how far it got.
CREATE TABLE commitments (
    id INTEGER PRIMARY KEY,
    conference_id INTEGER NOT NULL REFERENCES conferences(id),
    item_id INTEGER REFERENCES items(id),
    description TEXT NOT NULL,
    owner_body_id INTEGER NOT NULL REFERENCES bodies(id),
    due_working_days INTEGER CHECK (due_working_days BETWEEN 1 AND 1000),
    due_on DATE,
    due_at TIMESTAMP,
    planned_document TEXT NOT NULL DEFAULT '',
    progress TEXT NOT NULL DEFAULT 'not_started'
        CHECK (progress IN ('not_started', 'in_progress', 'done', 'cannot_be_done')),
    created_by INTEGER NOT NULL REFERENCES users(id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    closed_at TIMESTAMP,
    CHECK (due_working_days IS NOT NULL OR due_on IS NOT NULL)
);
CREATE INDEX commitments_item ON commitments(item_id);
CREATE INDEX commitments_conference ON commitments(conference_id, progress);
CREATE INDEX commitments_owner ON commitments(owner_body_id, progress);
CREATE INDEX commitments_due ON commitments(due_at);

-- Bodies that coordinate on a commitment or task (the lead is owner_body_id).
CREATE TABLE commitment_bodies (
    commitment_id INTEGER NOT NULL REFERENCES commitments(id),
    body_id INTEGER NOT NULL REFERENCES bodies(id),
    PRIMARY KEY (commitment_id, body_id)
);

-- The owning body's check-ins: progress, a note, and the evidence (a link, or the
-- number and date of the document issued).
CREATE TABLE commitment_checkins (
    id INTEGER PRIMARY KEY,
    commitment_id INTEGER NOT NULL REFERENCES commitments(id),
    author_id INTEGER NOT NULL REFERENCES users(id),
    progress TEXT NOT NULL
        CHECK (progress IN ('not_started', 'in_progress', 'done', 'cannot_be_done')),
    note TEXT NOT NULL DEFAULT '',
    evidence_link TEXT NOT NULL DEFAULT '',
    evidence_number TEXT NOT NULL DEFAULT '',
    evidence_date DATE,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX commitment_checkins_commitment ON commitment_checkins(commitment_id, id);

-- The coordinator's inspection visits: a body inspected on a date, what was found
-- and recommended, optionally about one commitment or task.
CREATE TABLE inspections (
    id INTEGER PRIMARY KEY,
    conference_id INTEGER NOT NULL REFERENCES conferences(id),
    body_id INTEGER NOT NULL REFERENCES bodies(id),
    commitment_id INTEGER REFERENCES commitments(id),
    visited_on DATE NOT NULL,
    findings TEXT NOT NULL,
    recommendations TEXT NOT NULL DEFAULT '',
    created_by INTEGER NOT NULL REFERENCES users(id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX inspections_conference ON inspections(conference_id, visited_on);

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
        'commitment_assigned', 'commitment_done', 'commitment_blocked', 'item_resolved')),
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
        'commitment_assigned')),
    PRIMARY KEY (user_id, event)
);
INSERT INTO muted_notices_new SELECT user_id, event FROM muted_notices;
DROP TABLE muted_notices;
ALTER TABLE muted_notices_new RENAME TO muted_notices;

COMMIT;
PRAGMA foreign_keys = ON;
