-- The read-only leadership role (Thường trực / Ban Thường vụ Tỉnh ủy, issue 11):
-- users.role gains 'leadership'.
ALTER TABLE users DROP CONSTRAINT users_role_check;
ALTER TABLE users ADD CONSTRAINT users_role_check
    CHECK (role IN ('delegate', 'drafter', 'approver', 'coordinator', 'admin', 'leadership'));
