-- Lists are ordered by deadline: a body's queue within its body, the coordinator's
-- lists across all bodies. These indexes give the first page without sorting.
CREATE INDEX items_body_deadline ON items(lead_body_id, deadline, id);
CREATE INDEX items_deadline ON items(deadline, id);
