-- Deadlines (issue 9): stage clocks, pauses, extensions and the daily digest.

-- A conference's working days per stage, when an item counts as due soon, and when
-- an overdue item is escalated. response_days, the whole answer, now counts working
-- days too.
ALTER TABLE conferences ADD COLUMN triage_days INTEGER NOT NULL DEFAULT 2
    CHECK (triage_days BETWEEN 1 AND 365);
ALTER TABLE conferences ADD COLUMN drafting_days INTEGER NOT NULL DEFAULT 10
    CHECK (drafting_days BETWEEN 1 AND 365);
ALTER TABLE conferences ADD COLUMN approval_days INTEGER NOT NULL DEFAULT 3
    CHECK (approval_days BETWEEN 1 AND 365);
ALTER TABLE conferences ADD COLUMN publication_days INTEGER NOT NULL DEFAULT 2
    CHECK (publication_days BETWEEN 1 AND 365);
ALTER TABLE conferences ADD COLUMN due_soon_days INTEGER NOT NULL DEFAULT 2
    CHECK (due_soon_days BETWEEN 0 AND 60);
ALTER TABLE conferences ADD COLUMN escalate_to_head_after INTEGER NOT NULL DEFAULT 2
    CHECK (escalate_to_head_after BETWEEN 0 AND 60);
ALTER TABLE conferences ADD COLUMN escalate_to_coordinators_after INTEGER NOT NULL DEFAULT 5
    CHECK (escalate_to_coordinators_after BETWEEN 0 AND 60);

-- An item's clock: the overall due date as first set (kept for the statistics when
-- an extension moves `deadline`), the current stage's due instant, the earlier of
-- the two (what lists sort and filter by), the instant from which it is "due soon",
-- and when its clock was paused (NULL while it runs).
ALTER TABLE items ADD COLUMN stage_due_at TIMESTAMP;
ALTER TABLE items ADD COLUMN next_due_at TIMESTAMP;
ALTER TABLE items ADD COLUMN due_soon_at TIMESTAMP;
ALTER TABLE items ADD COLUMN paused_at TIMESTAMP;
ALTER TABLE items ADD COLUMN original_deadline TIMESTAMP;
UPDATE items SET original_deadline = deadline;
ALTER TABLE items ALTER COLUMN original_deadline SET NOT NULL;
-- Items filed before stage clocks existed keep their one due date; they have no
-- "due soon" window (it opens at the deadline itself).
UPDATE items SET next_due_at = deadline, due_soon_at = deadline
    WHERE status IN ('submitted', 'routed', 'drafting', 'in_review', 'approved');
CREATE INDEX items_next_due ON items(next_due_at);

-- One row per stage an item went through: who held it, when it started, when it was
-- due (moved by pauses and extensions) and when it ended.
CREATE TABLE stage_clocks (
    id INTEGER GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    item_id INTEGER NOT NULL REFERENCES items(id),
    stage TEXT NOT NULL CHECK (stage IN ('triage', 'drafting', 'approval', 'publication')),
    body_id INTEGER REFERENCES bodies(id),
    started_at TIMESTAMP NOT NULL,
    due_at TIMESTAMP NOT NULL,
    finished_at TIMESTAMP
);
CREATE INDEX stage_clocks_item ON stage_clocks(item_id, id);

-- The lead body asks for more time; a coordinator grants or refuses.
CREATE TABLE deadline_extensions (
    id INTEGER GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    item_id INTEGER NOT NULL REFERENCES items(id),
    requested_by INTEGER NOT NULL REFERENCES users(id),
    requested_at TIMESTAMP NOT NULL,
    reason TEXT NOT NULL,
    previous_deadline TIMESTAMP NOT NULL,
    requested_deadline TIMESTAMP NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'granted', 'refused')),
    decided_by INTEGER REFERENCES users(id),
    decided_at TIMESTAMP,
    decision_comment TEXT NOT NULL DEFAULT ''
);
CREATE INDEX deadline_extensions_item ON deadline_extensions(item_id, id);
CREATE INDEX deadline_extensions_status ON deadline_extensions(status);

-- At most one deadline digest per person per local day: the key is what makes two
-- instances, or a restart, send it once.
CREATE TABLE deadline_digests (
    user_id INTEGER NOT NULL REFERENCES users(id),
    local_day DATE NOT NULL,
    item_count INTEGER NOT NULL,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (user_id, local_day)
);

ALTER TABLE outbox DROP CONSTRAINT outbox_event_check;
ALTER TABLE outbox ADD CONSTRAINT outbox_event_check
    CHECK (event IN ('item_received', 'answer_published', 'item_rerouted', 'item_merged',
        'item_withdrawn', 'satisfaction_reply', 'new_in_queue', 'review_waiting',
        'draft_returned', 'sent_back', 'coordination_requested', 'triage_needed',
        'invitation', 'password_reset', 'test',
        'password_changed', 'second_factor_changed',
        'info_requested', 'info_provided', 'extension_requested', 'extension_decided',
        'deadline_extended', 'deadline_digest'));

ALTER TABLE muted_notices DROP CONSTRAINT muted_notices_event_check;
ALTER TABLE muted_notices ADD CONSTRAINT muted_notices_event_check
    CHECK (event IN ('new_in_queue', 'review_waiting', 'draft_returned',
        'sent_back', 'coordination_requested', 'triage_needed',
        'info_provided', 'extension_requested', 'extension_decided', 'due_soon_reminder'));
