-- Read models of the installation-level aggregates. Written only by
-- projections (see projections/src/platform), rebuildable from the log.
-- Nothing references another table by foreign key: each projection owns its
-- tables and can rebuild them on its own.

CREATE TABLE accounts (
    id                bigint PRIMARY KEY,
    name              text NOT NULL,
    locale            text NOT NULL,
    domain            text,
    support_email     text,
    status            text NOT NULL,
    limits            jsonb NOT NULL DEFAULT '{}'::jsonb,
    custom_attributes jsonb NOT NULL DEFAULT '{}'::jsonb,
    features          jsonb NOT NULL DEFAULT '{}'::jsonb,
    created_at        timestamptz NOT NULL,
    updated_at        timestamptz NOT NULL
);

CREATE TABLE account_users (
    account_id   bigint NOT NULL,
    user_id      bigint NOT NULL,
    id           bigint NOT NULL,
    role         text NOT NULL,
    inviter_id   bigint,
    active_at    timestamptz,
    availability text NOT NULL DEFAULT 'online',
    auto_offline boolean NOT NULL DEFAULT true,
    created_at   timestamptz NOT NULL,
    updated_at   timestamptz NOT NULL,
    PRIMARY KEY (account_id, user_id)
);
CREATE INDEX account_users_user_idx ON account_users (user_id);

CREATE TABLE users (
    id                  bigint PRIMARY KEY,
    name                text NOT NULL,
    display_name        text,
    email               text NOT NULL,
    password_hash       text,
    access_token_digest text NOT NULL,
    access_token_sealed text NOT NULL,
    pubsub_token_digest text NOT NULL,
    pubsub_token_sealed text NOT NULL,
    custom_attributes   jsonb NOT NULL DEFAULT '{}'::jsonb,
    ui_settings         jsonb NOT NULL DEFAULT '{}'::jsonb,
    message_signature   text,
    created_at          timestamptz NOT NULL,
    updated_at          timestamptz NOT NULL
);
CREATE INDEX users_email_idx ON users (email);
CREATE INDEX users_access_token_idx ON users (access_token_digest);
CREATE INDEX users_pubsub_token_idx ON users (pubsub_token_digest);

CREATE TABLE platform_apps (
    id           bigint PRIMARY KEY,
    name         text NOT NULL,
    token_digest text NOT NULL,
    created_at   timestamptz NOT NULL
);
CREATE INDEX platform_apps_token_idx ON platform_apps (token_digest);

CREATE TABLE platform_app_permissibles (
    platform_app_id  bigint NOT NULL,
    permissible_type text NOT NULL,
    permissible_id   bigint NOT NULL,
    created_at       timestamptz NOT NULL,
    PRIMARY KEY (platform_app_id, permissible_type, permissible_id)
);
CREATE INDEX platform_app_permissibles_object_idx ON platform_app_permissibles (permissible_type, permissible_id);

CREATE TABLE agent_bots (
    account_id          bigint,
    id                  bigint PRIMARY KEY,
    name                text,
    description         text,
    outgoing_url        text,
    bot_type            text NOT NULL,
    access_token_digest text NOT NULL,
    access_token_sealed text NOT NULL,
    created_at          timestamptz NOT NULL,
    updated_at          timestamptz NOT NULL
);
CREATE INDEX agent_bots_account_idx ON agent_bots (account_id, id);
CREATE INDEX agent_bots_token_idx ON agent_bots (access_token_digest);
