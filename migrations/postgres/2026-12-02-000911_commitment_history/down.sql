DROP TABLE commitment_events;
DELETE FROM outbox WHERE event = 'commitment_changed';
ALTER TABLE outbox DROP CONSTRAINT outbox_event_check;
ALTER TABLE outbox ADD CONSTRAINT outbox_event_check
    CHECK (event IN ('item_received', 'answer_published', 'item_rerouted', 'item_merged',
        'item_withdrawn', 'satisfaction_reply', 'new_in_queue', 'review_waiting',
        'draft_returned', 'sent_back', 'coordination_requested', 'triage_needed',
        'invitation', 'password_reset', 'test',
        'password_changed', 'second_factor_changed',
        'info_requested', 'info_provided', 'extension_requested', 'extension_decided',
        'deadline_extended', 'deadline_digest',
        'commitment_assigned', 'commitment_done', 'commitment_blocked', 'item_resolved',
        'contribution_requested', 'contribution_approved'));
