ALTER TABLE conferences DROP CONSTRAINT conferences_reference_prefix_key;
ALTER TABLE users ADD COLUMN muted_notices TEXT NOT NULL DEFAULT '';
UPDATE users SET muted_notices = COALESCE(
    (SELECT string_agg(event, ',') FROM muted_notices WHERE muted_notices.user_id = users.id),
    '');
DROP TABLE muted_notices;
ALTER TABLE account_tokens DROP CONSTRAINT account_tokens_purpose_check;
ALTER TABLE outbox DROP CONSTRAINT outbox_status_check;
ALTER TABLE outbox DROP CONSTRAINT outbox_event_check;
ALTER TABLE item_events DROP CONSTRAINT item_events_to_status_check;
ALTER TABLE item_events DROP CONSTRAINT item_events_from_status_check;
ALTER TABLE items DROP CONSTRAINT items_satisfaction_check;
ALTER TABLE items DROP CONSTRAINT items_status_check;
ALTER TABLE users DROP CONSTRAINT users_role_check;
