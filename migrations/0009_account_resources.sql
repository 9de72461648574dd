-- Account resources: canned responses (projections/src/canned_responses),
-- custom attribute definitions (projections/src/custom_attributes) and
-- custom filters (projections/src/custom_filters). Read models only:
-- written by projections, rebuildable from the log, keyed by account first.

CREATE SEQUENCE canned_response_ids;
CREATE SEQUENCE custom_attribute_definition_ids;
CREATE SEQUENCE custom_filter_ids;

CREATE TABLE canned_responses (
    account_id bigint NOT NULL,
    id         bigint NOT NULL,
    short_code text NOT NULL,
    content    text NOT NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (account_id, id)
);
-- search by short code (uniqueness is enforced by claim streams, not here:
-- a read model must never refuse an event)
CREATE INDEX canned_responses_short_code_idx ON canned_responses (account_id, short_code);

CREATE TABLE custom_attribute_definitions (
    account_id             bigint NOT NULL,
    id                     bigint NOT NULL,
    attribute_display_name text NOT NULL,
    attribute_key          text NOT NULL,
    attribute_display_type text NOT NULL,
    attribute_model        text NOT NULL,
    attribute_description  text,
    attribute_values       jsonb NOT NULL DEFAULT '[]'::jsonb,
    regex_pattern          text,
    regex_cue              text,
    default_value          bigint,
    created_at             timestamptz NOT NULL,
    updated_at             timestamptz NOT NULL,
    PRIMARY KEY (account_id, id)
);
-- the filter engine's lookup of an account's definitions for one model
CREATE INDEX custom_attribute_definitions_key_idx
    ON custom_attribute_definitions (account_id, attribute_model, attribute_key);

CREATE TABLE custom_filters (
    account_id  bigint NOT NULL,
    id          bigint NOT NULL,
    user_id     bigint NOT NULL,
    name        text NOT NULL,
    filter_type text NOT NULL,
    query       jsonb NOT NULL,
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL,
    PRIMARY KEY (account_id, id)
);
-- a user's filters of one type, in creation order
CREATE INDEX custom_filters_user_idx ON custom_filters (account_id, user_id, filter_type, id);
-- dropping a deleted user's filters (UserDeleted names no account)
CREATE INDEX custom_filters_deleted_user_idx ON custom_filters (user_id);
