-- Account webhooks and their delivery outbox.
--
-- `webhooks` is a read model (projection "webhooks"): rebuildable from the
-- log like every other. The other tables are OPERATIONAL STATE, not read
-- models: they record what the outbox subscriber enqueued and what the
-- delivery workers did. They are never rebuilt from the log (a rebuild
-- must not send anything again); their producer moves its checkpoint in
-- the same transaction as its rows, so each event is enqueued exactly once.
-- Every table is keyed by account first.

CREATE SEQUENCE webhook_ids;

CREATE TABLE webhooks (
    account_id      bigint NOT NULL,
    id              bigint NOT NULL,
    name            text,
    url             text NOT NULL,
    subscriptions   text[] NOT NULL,
    inbox_id        bigint,
    -- the signing secret sealed with the installation key (never clear)
    secret_sealed   text NOT NULL,
    disabled_reason text,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    PRIMARY KEY (account_id, id)
);
-- `onelink webhooks replay --webhook ID` names a webhook without its account
CREATE INDEX webhooks_id_idx ON webhooks (id);

-- The outbox subscriber's own view of who listens to what, built from the
-- webhook events in log order (so fan-out never sees a webhook before it
-- was created or after it was deleted, whatever the read model's lag).
CREATE TABLE webhook_routes (
    account_id    bigint NOT NULL,
    webhook_id    bigint NOT NULL,
    subscriptions text[] NOT NULL,
    enabled       boolean NOT NULL,
    PRIMARY KEY (account_id, webhook_id)
);

-- One message to one webhook. `body` is the exact JSON that is signed and
-- sent (text keeps the upstream's key order, which jsonb would not).
CREATE TABLE webhook_deliveries (
    account_id      bigint NOT NULL,
    id              uuid NOT NULL,
    webhook_id      bigint NOT NULL,
    -- `webhook-id` / `X-Chatwoot-Delivery`: the log event's id, stable
    -- across retries and replays
    message_id      uuid NOT NULL,
    event_id        uuid NOT NULL,
    event_position  bigint NOT NULL,
    event_name      text NOT NULL,
    body            text NOT NULL,
    origin          text NOT NULL CHECK (origin IN ('live', 'replay')),
    status          text NOT NULL DEFAULT 'pending'
                    CHECK (status IN ('pending', 'delivered', 'failed', 'cancelled')),
    attempts        integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    -- the worker currently sending it (a lease: `next_attempt_at` is pushed
    -- past the attempt's timeout while claimed)
    claim           uuid,
    last_status     integer,
    last_error      text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    finished_at     timestamptz,
    PRIMARY KEY (account_id, id)
);
-- fan-out enqueues each (webhook, message) once
CREATE UNIQUE INDEX webhook_deliveries_live_key
    ON webhook_deliveries (account_id, webhook_id, message_id) WHERE origin = 'live';
-- the work queue (the only cross-account scan: workers serve every tenant)
CREATE INDEX webhook_deliveries_due_idx ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';
-- the delivery log of one webhook, newest first
CREATE INDEX webhook_deliveries_log_idx ON webhook_deliveries (account_id, webhook_id, created_at DESC, id);
-- retention sweep
CREATE INDEX webhook_deliveries_finished_idx ON webhook_deliveries (finished_at) WHERE finished_at IS NOT NULL;

-- Every attempt: when, how long, the status code or the error, a short
-- excerpt of the answer (never more), and the backoff chosen after it.
CREATE TABLE webhook_delivery_attempts (
    account_id       bigint NOT NULL,
    delivery_id      uuid NOT NULL,
    attempt          integer NOT NULL,
    webhook_id       bigint NOT NULL,
    started_at       timestamptz NOT NULL,
    duration_ms      integer NOT NULL,
    status_code      integer,
    error            text,
    response_excerpt text,
    retry_at         timestamptz,
    PRIMARY KEY (account_id, delivery_id, attempt)
);

-- Per endpoint: since when it has been failing without a success (an
-- endpoint failing for too long is disabled rather than retried forever).
CREATE TABLE webhook_endpoint_health (
    account_id      bigint NOT NULL,
    webhook_id      bigint NOT NULL,
    failing_since   timestamptz,
    last_success_at timestamptz,
    PRIMARY KEY (account_id, webhook_id)
);
