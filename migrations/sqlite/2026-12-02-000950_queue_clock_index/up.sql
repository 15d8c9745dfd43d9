-- A body's queue (issue 12): ordered by next due date, with the urgency counts
-- above it. This index serves the order (PostgreSQL) and answers each count
-- without reading the table (both engines): the body, then the clock columns.
CREATE INDEX items_body_clock ON items(lead_body_id, next_due_at, id, due_soon_at, paused_at);
