DROP INDEX items_resolved_at;
DROP INDEX items_published_at;
DROP INDEX items_submitted_at;
