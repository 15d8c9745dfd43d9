-- A commitment's (or a task's) own history besides its check-ins (issue 10): a
-- correction of its terms (due date before and after, and the reason) and each
-- escalation of it when overdue. The partial unique index lets an escalation be
-- written once per level and due date, whichever instance runs the digest.
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
