-- Conversations and messages read models (projections/src/conversations).

CREATE SEQUENCE conversation_ids;
CREATE SEQUENCE message_ids;

-- Per-account public conversation numbers. An allocation counter (like a
-- sequence), not state: the number is recorded in ConversationCreated.
CREATE TABLE conversation_display_ids (
    account_id bigint PRIMARY KEY,
    last_value bigint NOT NULL
);

CREATE TABLE conversations (
    account_id                   bigint NOT NULL,
    display_id                   bigint NOT NULL,
    id                           bigint NOT NULL,
    uuid                         text NOT NULL,
    inbox_id                     bigint NOT NULL,
    contact_id                   bigint NOT NULL,
    source_id                    text,
    status                       smallint NOT NULL,
    snoozed_until                timestamptz,
    priority                     smallint,
    assignee_user_id             bigint,
    assignee_bot_id              bigint,
    team_id                      bigint,
    labels                       text[] NOT NULL DEFAULT '{}',
    additional_attributes        jsonb NOT NULL DEFAULT '{}'::jsonb,
    custom_attributes            jsonb NOT NULL DEFAULT '{}'::jsonb,
    muted                        boolean NOT NULL DEFAULT false,
    created_at                   timestamptz NOT NULL,
    updated_at                   timestamptz NOT NULL,
    last_activity_at             timestamptz NOT NULL,
    first_reply_created_at       timestamptz,
    waiting_since                timestamptz,
    agent_last_seen_at           timestamptz,
    assignee_last_seen_at        timestamptz,
    contact_last_seen_at         timestamptz,
    unread_count                 integer NOT NULL DEFAULT 0,
    message_count                bigint NOT NULL DEFAULT 0,
    last_message_id              bigint,
    last_non_activity_message_id bigint,
    PRIMARY KEY (account_id, display_id)
);
CREATE UNIQUE INDEX conversations_id_idx ON conversations (id);
CREATE INDEX conversations_status_activity_idx ON conversations (account_id, status, last_activity_at DESC);
CREATE INDEX conversations_inbox_idx ON conversations (account_id, inbox_id, status, last_activity_at DESC);
CREATE INDEX conversations_assignee_idx ON conversations (account_id, assignee_user_id, status);
CREATE INDEX conversations_team_idx ON conversations (account_id, team_id, status);
CREATE INDEX conversations_contact_idx ON conversations (account_id, contact_id, last_activity_at DESC);
CREATE INDEX conversations_labels_idx ON conversations USING gin (labels);

CREATE TABLE messages (
    account_id            bigint NOT NULL,
    id                    bigint NOT NULL,
    conversation_id       bigint NOT NULL,
    display_id            bigint NOT NULL,
    inbox_id              bigint NOT NULL,
    message_type          smallint NOT NULL,
    content               text,
    content_type          text NOT NULL,
    content_attributes    jsonb NOT NULL DEFAULT '{}'::jsonb,
    additional_attributes jsonb NOT NULL DEFAULT '{}'::jsonb,
    private               boolean NOT NULL,
    status                text NOT NULL,
    source_id             text,
    echo_id               text,
    sender_type           text,
    sender_id             bigint,
    deleted               boolean NOT NULL DEFAULT false,
    created_at            timestamptz NOT NULL,
    updated_at            timestamptz NOT NULL,
    PRIMARY KEY (account_id, id)
);
CREATE INDEX messages_conversation_idx ON messages (account_id, conversation_id, id);

-- Conversation counts by the dimensions the list filters on, maintained by
-- deltas so `meta` is an indexed sum, not a scan. assignee_key: 0 = nobody,
-- > 0 = user id, < 0 = -(agent bot id); team_id 0 = no team.
CREATE TABLE conversation_counts (
    account_id   bigint NOT NULL,
    inbox_id     bigint NOT NULL,
    status       smallint NOT NULL,
    team_id      bigint NOT NULL,
    assignee_key bigint NOT NULL,
    n            bigint NOT NULL,
    PRIMARY KEY (account_id, inbox_id, status, team_id, assignee_key)
);
