-- The account's label catalogue (projections/src/labels). A read model
-- only: written by the projection, rebuildable from the log, keyed by
-- account first. `title` is stored lower-cased, as conversation and
-- contact labels are, so other projections can join on (account_id, title).

CREATE SEQUENCE label_ids;

CREATE TABLE labels (
    account_id      bigint NOT NULL,
    id              bigint NOT NULL,
    title           text NOT NULL,
    description     text,
    color           text NOT NULL,
    show_on_sidebar boolean,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    PRIMARY KEY (account_id, id)
);
-- lookups and joins by title (uniqueness is enforced by claim streams, not
-- here: a read model must never refuse an event)
CREATE INDEX labels_title_idx ON labels (account_id, title);
