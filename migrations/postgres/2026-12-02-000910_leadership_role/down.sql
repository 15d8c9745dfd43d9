-- Back to five roles (fails while a leadership account exists: remove them first).
ALTER TABLE users DROP CONSTRAINT users_role_check;
ALTER TABLE users ADD CONSTRAINT users_role_check
    CHECK (role IN ('delegate', 'drafter', 'approver', 'coordinator', 'admin'));
