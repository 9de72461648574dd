-- Conversation listings at 1M conversations per account (issue 4's
-- benchmark, docs/PERFORMANCE.md "Conversations at 1M"): page 1 of every
-- default listing is an index walk that stops after 25 rows, the counts
-- of a label view are an indexed sum, and message search uses trigrams.

-- Page 1 by last activity (the default order) within a status: the
-- display_id tie-breaker lets the walk return rows in the listing's exact
-- order, with no sort over the status's rows.
CREATE INDEX conversations_status_activity_id_idx
    ON conversations (account_id, status, last_activity_at DESC, display_id DESC);
-- `status=all`: every status, by last activity.
CREATE INDEX conversations_activity_idx
    ON conversations (account_id, last_activity_at DESC, display_id DESC);
-- `sort_by=created_at_*` and `priority_*` within a status.
CREATE INDEX conversations_status_created_idx
    ON conversations (account_id, status, created_at DESC, display_id DESC);
CREATE INDEX conversations_status_priority_idx
    ON conversations (account_id, status, priority DESC NULLS LAST, last_activity_at DESC, display_id DESC);

-- `q`: message text search (`content ILIKE '%term%'`) through trigrams.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX messages_content_trgm_idx ON messages USING gin (content gin_trgm_ops);

-- Conversation counts per label, by the same dimensions as
-- conversation_counts, so a label view's `meta` is an indexed sum, not a
-- count over the label's conversations. Kept by the conversations
-- projection (a conversation counts once per distinct label).
CREATE TABLE conversation_label_counts (
    account_id   bigint NOT NULL,
    label        text NOT NULL,
    inbox_id     bigint NOT NULL,
    status       smallint NOT NULL,
    team_id      bigint NOT NULL,
    assignee_key bigint NOT NULL,
    n            bigint NOT NULL,
    PRIMARY KEY (account_id, label, inbox_id, status, team_id, assignee_key)
);

INSERT INTO conversation_label_counts (account_id, label, inbox_id, status, team_id, assignee_key, n)
SELECT c.account_id, l.label, c.inbox_id, c.status, COALESCE(c.team_id, 0),
       CASE WHEN c.assignee_user_id IS NOT NULL THEN c.assignee_user_id
            WHEN c.assignee_bot_id IS NOT NULL THEN -c.assignee_bot_id
            ELSE 0 END,
       count(*)
FROM conversations c
CROSS JOIN LATERAL (SELECT DISTINCT u AS label FROM unnest(c.labels) AS u) AS l
GROUP BY 1, 2, 3, 4, 5, 6;
