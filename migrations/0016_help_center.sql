-- Help center read models (projections/src/help_center): portals, their
-- categories and articles. Written only by the help_center projection,
-- rebuildable from the log, keyed by account first. Unique slugs are
-- claim streams in the event store, not indexes here: a read model must
-- never refuse an event.

CREATE SEQUENCE portal_ids;
CREATE SEQUENCE category_ids;
CREATE SEQUENCE article_ids;

CREATE TABLE portals (
    account_id      bigint NOT NULL,
    id              bigint NOT NULL,
    name            text NOT NULL,
    slug            text NOT NULL,
    color           text,
    custom_domain   text,
    header_text     text,
    homepage_link   text,
    page_title      text,
    archived        boolean NOT NULL,
    default_locale  text NOT NULL,
    allowed_locales text[] NOT NULL,
    inbox_id        bigint,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    PRIMARY KEY (account_id, id)
);
CREATE INDEX portals_slug_idx ON portals (account_id, slug);

CREATE TABLE categories (
    account_id             bigint NOT NULL,
    id                     bigint NOT NULL,
    portal_id              bigint NOT NULL,
    name                   text NOT NULL,
    slug                   text NOT NULL,
    locale                 text NOT NULL,
    description            text,
    position               bigint,
    icon                   text,
    parent_category_id     bigint,
    associated_category_id bigint,
    related_category_ids   bigint[] NOT NULL,
    created_at             timestamptz NOT NULL,
    updated_at             timestamptz NOT NULL,
    PRIMARY KEY (account_id, id)
);
CREATE INDEX categories_portal_idx ON categories (account_id, portal_id, locale, position);

CREATE TABLE articles (
    account_id            bigint NOT NULL,
    id                    bigint NOT NULL,
    portal_id             bigint NOT NULL,
    category_id           bigint,
    title                 text NOT NULL,
    slug                  text NOT NULL,
    content               text NOT NULL,
    description           text,
    status                text NOT NULL,
    position              bigint,
    locale                text NOT NULL,
    author_id             bigint NOT NULL,
    associated_article_id bigint,
    meta                  jsonb NOT NULL,
    views                 bigint NOT NULL DEFAULT 0,
    created_at            timestamptz NOT NULL,
    updated_at            timestamptz NOT NULL,
    PRIMARY KEY (account_id, id)
);
CREATE INDEX articles_portal_idx ON articles (account_id, portal_id, status, updated_at DESC);
CREATE INDEX articles_category_idx ON articles (account_id, category_id, position);
