ALTER TABLE users DROP COLUMN staff_notices;
DROP TABLE account_tokens;
DROP TABLE outbox;
