-- Connected accounts (seed 004; projections/src/connected_accounts). A read
-- model only: written by its projection, rebuildable from the log, keyed by
-- the owning OneLink account first.

CREATE TABLE connected_accounts (
    account_id         bigint NOT NULL,
    id                 uuid NOT NULL,
    provider           text NOT NULL,
    name               text NOT NULL,
    headline           text,
    avatar_url         text,
    external_id        text,
    config             jsonb NOT NULL DEFAULT '{}'::jsonb,
    -- AEAD-sealed with the installation key (never returned by the API);
    -- for the channel workers that will use the connection
    credentials_sealed text NOT NULL,
    inbox_id           bigint,
    status             text NOT NULL,
    created_at         timestamptz NOT NULL,
    updated_at         timestamptz NOT NULL,
    PRIMARY KEY (account_id, id)
);
-- the connections behind an inbox (unlinking a deleted inbox)
CREATE INDEX connected_accounts_inbox_idx ON connected_accounts (account_id, inbox_id)
    WHERE inbox_id IS NOT NULL;
