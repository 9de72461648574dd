-- Teams and their members (projections/src/teams), and the Application
-- API's agent bot configuration (projections/src/platform/agent_bots.rs).
-- Read models only: written by projections, rebuildable from the log, keyed
-- by account first.

CREATE SEQUENCE team_ids;

CREATE TABLE teams (
    account_id        bigint NOT NULL,
    id                bigint NOT NULL,
    name              text NOT NULL,
    description       text,
    allow_auto_assign boolean NOT NULL DEFAULT true,
    created_at        timestamptz NOT NULL,
    updated_at        timestamptz NOT NULL,
    PRIMARY KEY (account_id, id)
);

CREATE TABLE team_members (
    account_id bigint NOT NULL,
    team_id    bigint NOT NULL,
    user_id    bigint NOT NULL,
    created_at timestamptz NOT NULL,
    PRIMARY KEY (account_id, team_id, user_id)
);
-- the teams of a user within an account (`is_member`)
CREATE INDEX team_members_account_user_idx ON team_members (account_id, user_id);
-- dropping a deleted user's memberships (UserDeleted names no account)
CREATE INDEX team_members_user_idx ON team_members (user_id);

ALTER TABLE agent_bots ADD COLUMN bot_config jsonb NOT NULL DEFAULT '{}'::jsonb;
