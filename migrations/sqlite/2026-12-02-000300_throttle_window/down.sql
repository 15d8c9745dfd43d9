DROP TABLE login_failures;

CREATE TABLE login_throttles (
    throttle_key TEXT PRIMARY KEY,
    failures INTEGER NOT NULL,
    blocked_until TIMESTAMP,
    last_failure_at TIMESTAMP NOT NULL
);
