-- Issue 11: the dashboard and the periodic report count items by the instant of
-- each step (received, answered, resolved) within a period; these indexes let a
-- period's counts read a range instead of the whole table.
CREATE INDEX items_submitted_at ON items(submitted_at);
CREATE INDEX items_published_at ON items(published_at);
CREATE INDEX items_resolved_at ON items(resolved_at);
