-- Issue 8: throttling by a sliding window. Each failure is a row with its time, so
-- failures older than the window stop counting on their own (no counter that only
-- a success or a fixed period resets). The housekeeping task deletes old rows.
-- throttle_key names what is counted: `account:<email>`, `address:<ip>`,
-- `device:<user>:<nonce>`, `reset:<email>`, `reset-address:<ip>`,
-- `password-change:<user>`, `second-factor:<user>`.
DROP TABLE login_throttles;

CREATE TABLE login_failures (
    id INTEGER PRIMARY KEY,
    throttle_key TEXT NOT NULL,
    failed_at TIMESTAMP NOT NULL
);
CREATE INDEX login_failures_key_time ON login_failures(throttle_key, failed_at);
CREATE INDEX login_failures_time ON login_failures(failed_at);
