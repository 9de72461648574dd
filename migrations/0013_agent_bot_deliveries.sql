-- Agent-bot deliveries share the webhook outbox. Like the rest of the
-- outbox these are OPERATIONAL STATE, not read models: never rebuilt from
-- the log (a rebuild must not send anything again).
--
-- `target` tells what `webhook_id` names: a webhook, or an agent bot (its
-- `outgoing_url`). `conversation_id` lets a failing bot hand the
-- conversation over to humans.
ALTER TABLE webhook_deliveries
    ADD COLUMN target text NOT NULL DEFAULT 'webhook' CHECK (target IN ('webhook', 'agent_bot')),
    ADD COLUMN conversation_id bigint;
DROP INDEX webhook_deliveries_live_key;
CREATE UNIQUE INDEX webhook_deliveries_live_key
    ON webhook_deliveries (account_id, target, webhook_id, message_id) WHERE origin = 'live';
DROP INDEX webhook_deliveries_log_idx;
CREATE INDEX webhook_deliveries_log_idx
    ON webhook_deliveries (account_id, target, webhook_id, created_at DESC, id);

-- The outbox's own view of which bot serves which inbox, from
-- `InboxAgentBotSet` in log order.
CREATE TABLE agent_bot_routes (
    account_id   bigint NOT NULL,
    inbox_id     bigint NOT NULL,
    agent_bot_id bigint NOT NULL,
    PRIMARY KEY (account_id, inbox_id)
);
