DELETE FROM muted_notices WHERE event IN ('contribution_requested', 'contribution_approved');
DELETE FROM outbox WHERE event IN ('contribution_requested', 'contribution_approved');
ALTER TABLE outbox DROP CONSTRAINT outbox_event_check;
ALTER TABLE outbox ADD CONSTRAINT outbox_event_check
    CHECK (event IN ('item_received', 'answer_published', 'item_rerouted', 'item_merged',
        'item_withdrawn', 'satisfaction_reply', 'new_in_queue', 'review_waiting',
        'draft_returned', 'sent_back', 'coordination_requested', 'triage_needed',
        'invitation', 'password_reset', 'test',
        'password_changed', 'second_factor_changed',
        'info_requested', 'info_provided', 'extension_requested', 'extension_decided',
        'deadline_extended', 'deadline_digest',
        'commitment_assigned', 'commitment_done', 'commitment_blocked', 'item_resolved'));

ALTER TABLE muted_notices DROP CONSTRAINT muted_notices_event_check;
ALTER TABLE muted_notices ADD CONSTRAINT muted_notices_event_check
    CHECK (event IN ('new_in_queue', 'review_waiting', 'draft_returned',
        'sent_back', 'coordination_requested', 'triage_needed',
        'info_provided', 'extension_requested', 'extension_decided', 'due_soon_reminder',
        'commitment_assigned'));

DROP TABLE contributions;
ALTER TABLE bodies DROP COLUMN parent_id;
