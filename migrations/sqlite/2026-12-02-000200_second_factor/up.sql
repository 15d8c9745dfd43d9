-- Issue 8: a second factor (TOTP) for staff, and a record of administrators' actions.

-- A password checked, the code not yet: the session belongs to nobody until the
-- second step succeeds (user_id stays NULL), but remembers whose code it waits for.
-- (No REFERENCES here: SQLite cannot drop a column that carries one, and down.sql
-- must. Users are deactivated, never deleted, and the session then ends.)
ALTER TABLE sessions ADD COLUMN pending_user_id INTEGER;

-- One authenticator per user. The secret is encrypted (XChaCha20-Poly1305, key
-- derived from SECRET_KEY); confirmed_at is NULL while enrolment waits for a code.
-- last_used_step is the last accepted 30-second step: a code of that step or an
-- earlier one is refused (no replay).
CREATE TABLE second_factors (
    user_id INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    secret_encrypted TEXT NOT NULL,
    confirmed_at TIMESTAMP,
    last_used_step BIGINT,
    created_at TIMESTAMP NOT NULL
);

-- Single-use recovery codes, stored as keyed hashes only.
CREATE TABLE recovery_codes (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    code_hash TEXT NOT NULL,
    used_at TIMESTAMP,
    UNIQUE (user_id, code_hash)
);

-- Whether drafters must use a second factor too (administrators, coordinators and
-- approvers always must). One row.
CREATE TABLE second_factor_settings (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    drafters_required BOOLEAN NOT NULL DEFAULT FALSE
);
INSERT INTO second_factor_settings (id, drafters_required) VALUES (1, FALSE);

-- What administrators did to accounts: who, when, what, to whom.
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    actor_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
    action TEXT NOT NULL,
    target_user_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX audit_log_created ON audit_log(created_at);
