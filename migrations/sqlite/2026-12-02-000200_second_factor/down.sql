DROP TABLE audit_log;
DROP TABLE second_factor_settings;
DROP TABLE recovery_codes;
DROP TABLE second_factors;
ALTER TABLE sessions DROP COLUMN pending_user_id;
