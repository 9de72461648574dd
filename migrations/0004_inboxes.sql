-- Inboxes and their members. Written only by the inboxes projection
-- (projections/src/inboxes), rebuildable from the log.

CREATE SEQUENCE inbox_ids;
-- One sequence for every channel kind: an inbox's `channel_id` is stable.
CREATE SEQUENCE channel_ids;

CREATE TABLE inboxes (
    account_id        bigint NOT NULL,
    id                bigint NOT NULL,
    channel_id        bigint NOT NULL,
    channel_type      text NOT NULL,
    name              text NOT NULL,
    -- the settings, channel attributes and weekly schedule as recorded in
    -- the events (domain `InboxSettings`, `Channel`, `[WorkingHour]`)
    settings          jsonb NOT NULL,
    channel           jsonb NOT NULL,
    working_hours     jsonb NOT NULL,
    -- public identifiers of the Client API and the website widget
    website_token     text,
    inbox_identifier  text,
    hmac_token_digest text NOT NULL,
    hmac_token_sealed text NOT NULL,
    agent_bot_id      bigint,
    created_at        timestamptz NOT NULL,
    updated_at        timestamptz NOT NULL,
    PRIMARY KEY (account_id, id)
);
CREATE INDEX inboxes_account_name_idx ON inboxes (account_id, lower(name));
-- Client API and widget look-ups resolve the account from the token.
CREATE INDEX inboxes_website_token_idx ON inboxes (website_token) WHERE website_token IS NOT NULL;
CREATE INDEX inboxes_identifier_idx ON inboxes (inbox_identifier) WHERE inbox_identifier IS NOT NULL;

CREATE TABLE inbox_members (
    account_id      bigint NOT NULL,
    inbox_id        bigint NOT NULL,
    user_id         bigint NOT NULL,
    -- the account membership the user was added under (account_users.id)
    account_user_id bigint NOT NULL,
    created_at      timestamptz NOT NULL,
    PRIMARY KEY (account_id, inbox_id, user_id)
);
CREATE INDEX inbox_members_account_user_idx ON inbox_members (account_id, user_id);
-- A deleted user leaves every account at once.
CREATE INDEX inbox_members_user_idx ON inbox_members (user_id);
