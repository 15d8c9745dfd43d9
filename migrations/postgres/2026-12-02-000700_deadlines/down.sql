DELETE FROM muted_notices WHERE event IN ('info_provided', 'extension_requested',
    'extension_decided', 'due_soon_reminder');
ALTER TABLE muted_notices DROP CONSTRAINT muted_notices_event_check;
ALTER TABLE muted_notices ADD CONSTRAINT muted_notices_event_check
    CHECK (event IN ('new_in_queue', 'review_waiting', 'draft_returned',
        'sent_back', 'coordination_requested', 'triage_needed'));

DELETE FROM outbox WHERE event IN ('info_requested', 'info_provided',
    'extension_requested', 'extension_decided', 'deadline_extended', 'deadline_digest');
ALTER TABLE outbox DROP CONSTRAINT outbox_event_check;
ALTER TABLE outbox ADD CONSTRAINT outbox_event_check
    CHECK (event IN ('item_received', 'answer_published', 'item_rerouted', 'item_merged',
        'item_withdrawn', 'satisfaction_reply', 'new_in_queue', 'review_waiting',
        'draft_returned', 'sent_back', 'coordination_requested', 'triage_needed',
        'invitation', 'password_reset', 'test',
        'password_changed', 'second_factor_changed'));

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
