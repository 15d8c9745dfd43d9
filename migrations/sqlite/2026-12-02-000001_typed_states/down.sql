-- Undoes the muted-notices table and the unique prefix. The CHECK constraints stay
-- (removing them means rebuilding the tables again; the older code writes only
-- values they allow), and prefixes keep their year.
BEGIN;
DROP INDEX conferences_reference_prefix;
ALTER TABLE users ADD COLUMN muted_notices TEXT NOT NULL DEFAULT '';
UPDATE users SET muted_notices = COALESCE(
    (SELECT group_concat(event, ',') FROM muted_notices WHERE muted_notices.user_id = users.id),
    '');
DROP TABLE muted_notices;
COMMIT;
