-- Agents: users invited by an account administrator start unconfirmed.
ALTER TABLE users ADD COLUMN confirmed boolean NOT NULL DEFAULT true;
CREATE INDEX account_users_account_role_idx ON account_users (account_id, role);
