-- A contact's source id in an inbox (projections/src/contact_inboxes.rs).
CREATE SEQUENCE contact_inbox_ids;

CREATE TABLE contact_inboxes (
    account_id          bigint NOT NULL,
    id                  bigint NOT NULL,
    contact_id          bigint NOT NULL,
    inbox_id            bigint NOT NULL,
    source_id           text NOT NULL,
    pubsub_token_digest text NOT NULL,
    pubsub_token_sealed text NOT NULL,
    hmac_verified       boolean NOT NULL DEFAULT false,
    created_at          timestamptz NOT NULL,
    PRIMARY KEY (account_id, id)
);
CREATE UNIQUE INDEX contact_inboxes_source_idx ON contact_inboxes (account_id, inbox_id, source_id);
CREATE INDEX contact_inboxes_contact_idx ON contact_inboxes (account_id, contact_id);
CREATE INDEX contact_inboxes_pubsub_idx ON contact_inboxes (pubsub_token_digest);
