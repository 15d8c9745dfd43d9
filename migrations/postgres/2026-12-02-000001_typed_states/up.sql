-- Typed states checked by the database too, muted notices as rows, and a reference
-- prefix per conference.

ALTER TABLE users ADD CONSTRAINT users_role_check
    CHECK (role IN ('delegate', 'drafter', 'approver', 'coordinator', 'admin'));

ALTER TABLE items ADD CONSTRAINT items_status_check
    CHECK (status IN ('submitted', 'routed', 'drafting', 'in_review', 'approved',
        'published', 'in_progress', 'done', 'withdrawn', 'merged'));
ALTER TABLE items ADD CONSTRAINT items_satisfaction_check
    CHECK (satisfaction IN ('satisfied', 'partly', 'not_satisfied'));

ALTER TABLE item_events ADD CONSTRAINT item_events_from_status_check
    CHECK (from_status IN ('submitted', 'routed', 'drafting', 'in_review', 'approved',
        'published', 'in_progress', 'done', 'withdrawn', 'merged'));
ALTER TABLE item_events ADD CONSTRAINT item_events_to_status_check
    CHECK (to_status IN ('submitted', 'routed', 'drafting', 'in_review', 'approved',
        'published', 'in_progress', 'done', 'withdrawn', 'merged'));

ALTER TABLE outbox ADD CONSTRAINT outbox_event_check
    CHECK (event IN ('item_received', 'answer_published', 'item_rerouted', 'item_merged',
        'item_withdrawn', 'satisfaction_reply', 'new_in_queue', 'review_waiting',
        'draft_returned', 'sent_back', 'coordination_requested', 'triage_needed',
        'invitation', 'password_reset', 'test'));
ALTER TABLE outbox ADD CONSTRAINT outbox_status_check
    CHECK (status IN ('queued', 'sending', 'sent', 'retrying', 'failed'));

ALTER TABLE account_tokens ADD CONSTRAINT account_tokens_purpose_check
    CHECK (purpose IN ('invitation', 'password_reset'));

-- The comma list of muted notices becomes one row per notice; names that are not
-- staff notices are dropped.
CREATE TABLE muted_notices (
    user_id INTEGER NOT NULL REFERENCES users(id),
    event TEXT NOT NULL CHECK (event IN ('new_in_queue', 'review_waiting', 'draft_returned',
        'sent_back', 'coordination_requested', 'triage_needed')),
    PRIMARY KEY (user_id, event)
);
INSERT INTO muted_notices (user_id, event)
    SELECT DISTINCT users.id, muted.event
    FROM users, unnest(string_to_array(users.muted_notices, ',')) AS muted(event)
    WHERE muted.event IN ('new_in_queue', 'review_waiting', 'draft_returned', 'sent_back',
                          'coordination_requested', 'triage_needed');
ALTER TABLE users DROP COLUMN muted_notices;

-- Each conference has its own reference prefix. The old shared `KN` plus the year
-- becomes the prefix (`KN-2023`), so references keep their look; a second
-- conference of the same prefix and year gets its id appended (`KN-2023-N5`).
UPDATE conferences SET reference_prefix = reference_prefix || '-'
    || EXTRACT(YEAR FROM held_on)::INTEGER::TEXT
    || CASE WHEN EXISTS (
        SELECT 1 FROM conferences AS earlier
        WHERE earlier.reference_prefix = conferences.reference_prefix
          AND EXTRACT(YEAR FROM earlier.held_on) = EXTRACT(YEAR FROM conferences.held_on)
          AND earlier.id < conferences.id)
       THEN '-N' || conferences.id::TEXT ELSE '' END;
ALTER TABLE conferences ADD CONSTRAINT conferences_reference_prefix_key
    UNIQUE (reference_prefix);
