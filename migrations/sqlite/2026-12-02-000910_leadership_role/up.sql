-- The read-only leadership role (Thường trực / Ban Thường vụ Tỉnh ủy, issue 11):
-- users.role gains 'leadership'. SQLite cannot change a CHECK, so the table is
-- rebuilt as 2026-12-02-000001_typed_states did, foreign keys off meanwhile; every
-- row keeps its id, so every reference to a user points where it did.

PRAGMA foreign_keys = OFF;
BEGIN;

CREATE TABLE users_new (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    full_name TEXT NOT NULL,
    unit TEXT NOT NULL DEFAULT '',
    role TEXT NOT NULL
        CHECK (role IN ('delegate', 'drafter', 'approver', 'coordinator', 'admin', 'leadership')),
    body_id INTEGER REFERENCES bodies(id),
    password_hash TEXT NOT NULL,
    locale TEXT NOT NULL DEFAULT 'vi',
    active BOOLEAN NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    password_changed_at TIMESTAMP NOT NULL
);
INSERT INTO users_new (id, email, full_name, unit, role, body_id, password_hash, locale,
                       active, created_at, password_changed_at)
    SELECT id, email, full_name, unit, role, body_id, password_hash, locale,
           active, created_at, password_changed_at
    FROM users;
DROP TABLE users;
ALTER TABLE users_new RENAME TO users;
CREATE INDEX users_body ON users(body_id, role);

PRAGMA foreign_key_check;
COMMIT;
PRAGMA foreign_keys = ON;
