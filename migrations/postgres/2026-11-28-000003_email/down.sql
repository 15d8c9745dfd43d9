ALTER TABLE users DROP COLUMN muted_notices;
DROP TABLE account_tokens;
DROP TABLE outbox;
