DELETE FROM muted_notices WHERE event = 'commitment_assigned';
ALTER TABLE muted_notices DROP CONSTRAINT muted_notices_event_check;
ALTER TABLE muted_notices ADD CONSTRAINT muted_notices_event_check
    CHECK (event IN ('new_in_queue', 'review_waiting', 'draft_returned',
        'sent_back', 'coordination_requested', 'triage_needed',
        'info_provided', 'extension_requested', 'extension_decided', 'due_soon_reminder'));

DELETE FROM outbox WHERE event IN ('commitment_assigned', 'commitment_done', 'commitment_blocked', 'item_resolved');
ALTER TABLE outbox DROP CONSTRAINT outbox_event_check;
ALTER TABLE outbox ADD CONSTRAINT outbox_event_check
    CHECK (event IN ('item_received', 'answer_published', 'item_rerouted', 'item_merged',
        'item_withdrawn', 'satisfaction_reply', 'new_in_queue', 'review_waiting',
        'draft_returned', 'sent_back', 'coordination_requested', 'triage_needed',
        'invitation', 'password_reset', 'test',
        'password_changed', 'second_factor_changed',
        'info_requested', 'info_provided', 'extension_requested', 'extension_decided',
        'deadline_extended', 'deadline_digest'));

DROP TABLE inspections;
DROP TABLE commitment_checkins;
DROP TABLE commitment_bodies;
DROP TABLE commitments;
DROP INDEX items_outcome;
ALTER TABLE items DROP COLUMN result_comment;
ALTER TABLE items DROP COLUMN result_satisfaction;
ALTER TABLE items DROP COLUMN resolved_at;
ALTER TABLE items DROP COLUMN outcome;
ALTER TABLE answer_revisions DROP COLUMN forwarded_document;
ALTER TABLE answer_revisions DROP COLUMN forwarded_on;
ALTER TABLE answer_revisions DROP COLUMN forwarded_to;
ALTER TABLE answer_revisions DROP COLUMN outcome_reason;
ALTER TABLE answer_revisions DROP COLUMN outcome;
