-- The core desk: bodies, fields (routing table), users, conferences, items, their
-- answers, notes and timeline, and server-side sessions.

CREATE TABLE bodies (
    id INTEGER GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name_vi TEXT NOT NULL,
    name_en TEXT NOT NULL,
    is_coordinating BOOLEAN NOT NULL DEFAULT FALSE,
    active BOOLEAN NOT NULL DEFAULT TRUE
);

CREATE TABLE fields (
    id INTEGER GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name_vi TEXT NOT NULL,
    name_en TEXT NOT NULL,
    lead_body_id INTEGER REFERENCES bodies(id),
    sort_order INTEGER NOT NULL DEFAULT 0,
    active BOOLEAN NOT NULL DEFAULT TRUE
);

CREATE TABLE users (
    id INTEGER GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    full_name TEXT NOT NULL,
    unit TEXT NOT NULL DEFAULT '',
    role TEXT NOT NULL,
    body_id INTEGER REFERENCES bodies(id),
    password_hash TEXT NOT NULL,
    locale TEXT NOT NULL DEFAULT 'vi',
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at TIMESTAMP NOT NULL,
    password_changed_at TIMESTAMP NOT NULL
);
CREATE INDEX users_body ON users(body_id, role);

CREATE TABLE conferences (
    id INTEGER GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name TEXT NOT NULL,
    theme TEXT NOT NULL DEFAULT '',
    held_on DATE NOT NULL,
    notice_number TEXT NOT NULL DEFAULT '',
    response_days INTEGER NOT NULL,
    open_for_submissions BOOLEAN NOT NULL DEFAULT FALSE,
    reference_prefix TEXT NOT NULL DEFAULT 'KN',
    last_reference_number INTEGER NOT NULL DEFAULT 0,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE items (
    id INTEGER GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    conference_id INTEGER NOT NULL REFERENCES conferences(id),
    reference_number INTEGER NOT NULL,
    reference TEXT NOT NULL UNIQUE,
    delegate_id INTEGER NOT NULL REFERENCES users(id),
    submission_token TEXT NOT NULL,
    title TEXT NOT NULL,
    content TEXT NOT NULL,
    field_id INTEGER NOT NULL REFERENCES fields(id),
    related_units TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL,
    lead_body_id INTEGER REFERENCES bodies(id),
    merged_into_id INTEGER REFERENCES items(id),
    approved_revision_id INTEGER,
    published_revision_id INTEGER,
    submitted_at TIMESTAMP NOT NULL,
    deadline TIMESTAMP NOT NULL,
    published_at TIMESTAMP,
    updated_at TIMESTAMP NOT NULL,
    satisfaction TEXT,
    satisfaction_comment TEXT,
    search_text TEXT NOT NULL,
    UNIQUE (conference_id, reference_number),
    UNIQUE (delegate_id, submission_token)
);
CREATE INDEX items_body_queue ON items(lead_body_id, status, deadline);
CREATE INDEX items_status_deadline ON items(status, deadline);
CREATE INDEX items_delegate ON items(delegate_id, submitted_at);
CREATE INDEX items_merged_into ON items(merged_into_id);

CREATE TABLE item_coordinating_bodies (
    item_id INTEGER NOT NULL REFERENCES items(id),
    body_id INTEGER NOT NULL REFERENCES bodies(id),
    added_by INTEGER NOT NULL REFERENCES users(id),
    added_at TIMESTAMP NOT NULL,
    PRIMARY KEY (item_id, body_id)
);
CREATE INDEX item_coordinating_bodies_body ON item_coordinating_bodies(body_id, item_id);

CREATE TABLE answer_revisions (
    id INTEGER GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    item_id INTEGER NOT NULL REFERENCES items(id),
    body_text TEXT NOT NULL,
    author_id INTEGER NOT NULL REFERENCES users(id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX answer_revisions_item ON answer_revisions(item_id, id);

CREATE TABLE notes (
    id INTEGER GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    item_id INTEGER NOT NULL REFERENCES items(id),
    author_id INTEGER NOT NULL REFERENCES users(id),
    body_text TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX notes_item ON notes(item_id, id);

CREATE TABLE item_events (
    id INTEGER GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    item_id INTEGER NOT NULL REFERENCES items(id),
    actor_id INTEGER REFERENCES users(id),
    kind TEXT NOT NULL,
    from_status TEXT,
    to_status TEXT,
    from_body_id INTEGER REFERENCES bodies(id),
    to_body_id INTEGER REFERENCES bodies(id),
    comment TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX item_events_item ON item_events(item_id, id);

CREATE TABLE sessions (
    id_hash TEXT PRIMARY KEY,
    user_id INTEGER REFERENCES users(id),
    csrf_token TEXT NOT NULL,
    locale TEXT NOT NULL DEFAULT 'vi',
    flash TEXT,
    created_at TIMESTAMP NOT NULL,
    last_seen_at TIMESTAMP NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);
CREATE INDEX sessions_last_seen ON sessions(last_seen_at);

CREATE TABLE login_throttles (
    throttle_key TEXT PRIMARY KEY,
    failures INTEGER NOT NULL,
    blocked_until TIMESTAMP,
    last_failure_at TIMESTAMP NOT NULL
);
