-- Reports read models (projections/src/reports). All written by the
-- `reports` projection only, rebuildable from the log.

-- What the reporting rules remember per conversation (domain::report),
-- plus the current scope memberships reports are evaluated against.
CREATE TABLE report_conversations (
    account_id      bigint      NOT NULL,
    conversation_id bigint      NOT NULL,
    inbox_id        bigint      NOT NULL,
    status          smallint    NOT NULL,
    assignee_id     bigint,
    team_id         bigint,
    labels          text[]      NOT NULL DEFAULT '{}',
    first_reply_at  timestamptz,
    waiting_since   timestamptz,
    state           jsonb       NOT NULL,
    PRIMARY KEY (account_id, conversation_id)
);
CREATE INDEX report_conversations_status_idx ON report_conversations (account_id, status, assignee_id);

-- Per inbox: whether it has an agent bot, and its business hours.
CREATE TABLE report_inboxes (
    inbox_id              bigint  PRIMARY KEY,
    account_id            bigint  NOT NULL,
    has_bot               boolean NOT NULL DEFAULT false,
    working_hours_enabled boolean NOT NULL DEFAULT false,
    timezone              text    NOT NULL DEFAULT 'UTC',
    working_hours         jsonb   NOT NULL DEFAULT '[]'
);

-- Every fact exactly (one per reporting event, message, new conversation):
-- the source of the partial hours at a range's edges and of re-attribution
-- when a conversation's team, labels or assignee change.
CREATE TABLE report_facts (
    account_id      bigint      NOT NULL,
    conversation_id bigint      NOT NULL,
    metric          smallint    NOT NULL,
    at              timestamptz NOT NULL,
    value_us        bigint      NOT NULL,
    value_bh_us     bigint      NOT NULL,
    user_id         bigint,
    inbox_id        bigint      NOT NULL
);
CREATE INDEX report_facts_conversation_idx ON report_facts (account_id, conversation_id);
CREATE INDEX report_facts_time_idx ON report_facts (account_id, metric, at);

-- The pre-aggregate: per account × scope × key × metric × UTC hour
-- (hour = floor(epoch / 3600)). scope: 0 account (key ''), 1 agent (user
-- id), 2 inbox, 3 label (title), 4 team. Sums are exact integers
-- (microseconds), so moving a conversation between scopes and rebuilding
-- give identical rows; rows that fall to zero are removed.
CREATE TABLE report_hourly (
    account_id  bigint   NOT NULL,
    scope       smallint NOT NULL,
    key         text     NOT NULL,
    metric      smallint NOT NULL,
    hour        bigint   NOT NULL,
    count       bigint   NOT NULL,
    sum_us      bigint   NOT NULL,
    sum_bh_us   bigint   NOT NULL,
    PRIMARY KEY (account_id, scope, key, metric, hour)
);
