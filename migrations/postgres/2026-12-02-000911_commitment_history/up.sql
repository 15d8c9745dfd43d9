-- A commitment's (or a task's) own history besides its check-ins (issue 10): a
-- correction of its terms (due date before and after, and the reason) and each
-- escalation of it when overdue. The partial unique index lets an escalation be
-- written once per level and due date, whichever instance runs the digest.
-- The outbox gains the delegate's mail when a published commitment's due date
-- moves (commitment_changed).
CREATE TABLE commitment_events (
    id INTEGER GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    commitment_id INTEGER NOT NULL REFERENCES commitments(id) ON DELETE CASCADE,
    kind TEXT NOT NULL
        CHECK (kind IN ('changed', 'escalated_to_head', 'escalated_to_coordinators')),
    actor_id INTEGER REFERENCES users(id),
    previous_due_at TIMESTAMP,
    due_at TIMESTAMP,
    comment TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX commitment_events_commitment ON commitment_events(commitment_id, id);
CREATE UNIQUE INDEX commitment_events_escalation
    ON commitment_events(commitment_id, kind, due_at) WHERE kind <> 'changed';

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
        'contribution_requested', 'contribution_approved', 'commitment_changed'));
