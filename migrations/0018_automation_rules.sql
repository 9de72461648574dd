-- Automation rules.
--
-- `automation_rules` is a READ MODEL (projections/src/automation/project.rs):
-- written only by its projection, rebuildable from the log.
--
-- `automation_routes` and `automation_jobs` are OPERATIONAL STATE of the
-- executor (projections/src/automation): never rebuilt (a rebuild would run
-- every rule again). The routes are the executor's own view, in log order,
-- of which rules listen to which event; a job is one log event that some
-- active rule listened to when it happened, enqueued exactly once in the
-- transaction that moves the executor's checkpoint.

CREATE SEQUENCE automation_rule_ids;

CREATE TABLE automation_rules (
    account_id  bigint NOT NULL,
    id          bigint NOT NULL,
    name        text NOT NULL,
    description text,
    event_name  text NOT NULL,
    conditions  jsonb NOT NULL DEFAULT '[]'::jsonb,
    actions     jsonb NOT NULL DEFAULT '[]'::jsonb,
    active      boolean NOT NULL,
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL,
    PRIMARY KEY (account_id, id)
);

CREATE TABLE automation_routes (
    account_id bigint NOT NULL,
    rule_id    bigint NOT NULL,
    event_name text NOT NULL,
    active     boolean NOT NULL,
    PRIMARY KEY (account_id, rule_id)
);
CREATE INDEX automation_routes_event_idx ON automation_routes (account_id, event_name) WHERE active;

CREATE TABLE automation_jobs (
    account_id      bigint NOT NULL,
    event_id        uuid NOT NULL,
    event_name      text NOT NULL,
    -- the triggering event's log position (the executor waits until the
    -- read models have reached it before evaluating conditions)
    event_tx        bigint NOT NULL,
    event_position  bigint NOT NULL,
    conversation_id bigint NOT NULL,
    message_id      bigint,
    -- the rules that listened when the event happened, in id order
    rule_ids        bigint[] NOT NULL,
    -- the rules already run for this event: a restart skips them, so a
    -- rule runs at most once per (rule, event)
    done_rule_ids   bigint[] NOT NULL DEFAULT '{}',
    status          text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'done', 'failed')),
    attempts        integer NOT NULL DEFAULT 0,
    claim           uuid,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    last_error      text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    finished_at     timestamptz,
    PRIMARY KEY (account_id, event_id, event_name)
);
-- the work queue, oldest event first (the only cross-account scan)
CREATE INDEX automation_jobs_due_idx ON automation_jobs (event_tx, event_position) WHERE status = 'pending';

-- `send_webhook_event` goes through the webhook outbox (same workers,
-- retries, SSRF guard at delivery) as `target = 'automation'`; such a
-- message carries its own URL (the rule's) and is sent unsigned, like the
-- upstream's (a rule has no secret).
ALTER TABLE webhook_deliveries DROP CONSTRAINT webhook_deliveries_target_check;
ALTER TABLE webhook_deliveries
    ADD CONSTRAINT webhook_deliveries_target_check CHECK (target IN ('webhook', 'agent_bot', 'automation')),
    ADD COLUMN url text;
