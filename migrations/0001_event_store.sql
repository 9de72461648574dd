-- The event store: one append-only, ordered log of every change in OneLink.
--
-- Ordering contract for catch-up consumers (DESIGN.md invariant 2): read by
-- (tx, global_position) and only rows with tx below the xmin of the current
-- snapshot. Identity values are handed out in INSERT order, not commit order;
-- the xid horizon guarantees that no transaction that could still commit a
-- smaller cursor is running, so a consumer never passes an event for good.
CREATE TABLE events (
    global_position bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tx              xid8 NOT NULL DEFAULT pg_current_xact_id(),
    event_id        uuid NOT NULL,
    account_id      bigint,
    aggregate_type  text NOT NULL,
    aggregate_id    text NOT NULL,
    sequence        bigint NOT NULL CHECK (sequence > 0),
    event_type      text NOT NULL,
    event_version   text NOT NULL,
    payload         jsonb NOT NULL,
    actor_type      text NOT NULL,
    actor_id        bigint,
    request_id      text,
    metadata        jsonb NOT NULL DEFAULT '{}'::jsonb,
    recorded_at     timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT events_event_id_key UNIQUE (event_id),
    -- optimistic concurrency: a stream version can be written once
    CONSTRAINT events_stream_key UNIQUE (aggregate_type, aggregate_id, sequence)
);

CREATE INDEX events_log_idx ON events (tx, global_position);
CREATE INDEX events_account_idx ON events (account_id, global_position);

CREATE FUNCTION events_are_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the event log is append-only: % on events is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER events_reject_update_delete BEFORE UPDATE OR DELETE ON events
    FOR EACH ROW EXECUTE FUNCTION events_are_append_only();
CREATE TRIGGER events_reject_truncate BEFORE TRUNCATE ON events
    FOR EACH STATEMENT EXECUTE FUNCTION events_are_append_only();

-- Wake subscribers (projections, fan-out, deliveries) when a write commits.
CREATE FUNCTION events_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('onelink_events', '');
    RETURN NULL;
END;
$$;

CREATE TRIGGER events_notify_on_insert AFTER INSERT ON events
    FOR EACH STATEMENT EXECUTE FUNCTION events_notify();

-- Aggregate snapshots: a cache, so a long stream loads in constant time.
-- Always safe to delete; loads fall back to replaying the stream.
CREATE TABLE snapshots (
    aggregate_type text NOT NULL,
    aggregate_id   text NOT NULL,
    version        bigint NOT NULL,
    schema_version integer NOT NULL,
    state          jsonb NOT NULL,
    taken_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (aggregate_type, aggregate_id)
);

-- Where each subscriber is in the log; written in the same transaction as
-- the subscriber's effects.
CREATE TABLE projection_checkpoints (
    name       text PRIMARY KEY,
    tx         xid8 NOT NULL DEFAULT '0'::xid8,
    position   bigint NOT NULL DEFAULT 0,
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- Public numeric ids (upstream clients see integers).
CREATE SEQUENCE account_ids;
CREATE SEQUENCE user_ids;
CREATE SEQUENCE account_user_ids;
CREATE SEQUENCE platform_app_ids;
CREATE SEQUENCE agent_bot_ids;
