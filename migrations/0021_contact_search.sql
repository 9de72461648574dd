-- Contact listings that do not grow with the account (issue 3): trigram
-- indexes for search, a per-account count for the unfiltered listing, and
-- an index per descending sort key. Measurements: docs/PERFORMANCE.md,
-- "Contact listings vs account size".

-- Search (`q`) is a case-insensitive substring match (`ILIKE '%q%'`; the
-- identifier with case-sensitive `LIKE`) over five fields. No B-tree can
-- answer an infix pattern; pg_trgm's GIN operator class answers LIKE and
-- ILIKE with any pattern of three or more characters from the index, so the
-- query text (and so the upstream's semantics) stays as it is. It ships
-- with PostgreSQL (contrib) and is a trusted extension: a database owner
-- may create it without being superuser.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- One index per searched field: the planner ORs five bitmap index scans.
-- (Measured against one index over the concatenated fields, with and
-- without account_id as a btree_gin key: equal or slower, and the
-- concatenation would need a second predicate to keep matches inside one
-- field.) These are the only contact indexes not led by account_id: the
-- matches are rechecked against the account, so a search costs in
-- proportion to the pattern's matches across all accounts.
CREATE INDEX contacts_name_trgm_idx ON contacts USING gin (name gin_trgm_ops);
CREATE INDEX contacts_email_trgm_idx ON contacts USING gin (email gin_trgm_ops);
CREATE INDEX contacts_phone_number_trgm_idx ON contacts USING gin (phone_number gin_trgm_ops);
CREATE INDEX contacts_identifier_trgm_idx ON contacts USING gin (identifier gin_trgm_ops);
CREATE INDEX contacts_company_name_trgm_idx ON contacts
    USING gin ((additional_attributes ->> 'company_name') gin_trgm_ops);

-- Descending sort keys. Ties are broken by id ascending in both directions,
-- so a backward scan of the ascending index (id descending) does not give
-- the order, nor does it give NULLS LAST for a descending key; without
-- these a descending sort reads and sorts every contact of the account.
CREATE INDEX contacts_name_desc_idx ON contacts (account_id, lower(name) DESC, id);
CREATE INDEX contacts_email_desc_idx ON contacts (account_id, email DESC, id);
CREATE INDEX contacts_phone_number_desc_idx ON contacts (account_id, phone_number DESC, id);
CREATE INDEX contacts_last_activity_at_desc_idx ON contacts (account_id, last_activity_at DESC NULLS LAST, id);
CREATE INDEX contacts_created_at_desc_idx ON contacts (account_id, created_at DESC NULLS LAST, id);
CREATE INDEX contacts_company_name_desc_idx ON contacts
    (account_id, (additional_attributes ->> 'company_name') DESC NULLS LAST, id);
CREATE INDEX contacts_city_desc_idx ON contacts (account_id, (additional_attributes ->> 'city') DESC NULLS LAST, id);
CREATE INDEX contacts_country_desc_idx ON contacts
    (account_id, (additional_attributes ->> 'country') DESC NULLS LAST, id);

-- The `city` filter compares LOWER(city).
CREATE INDEX contacts_lower_city_idx ON contacts (account_id, lower(additional_attributes ->> 'city'));

-- `meta.count` of the unfiltered listing: the number of the account's
-- contacts each listing starts from (`reachable`: non-empty e-mail, phone
-- number or identifier; `leads`: contact_type 'lead', with crm_v2), kept by
-- the contacts projection in the transaction that changes the contacts, so
-- the count is exact and costs one row read instead of a count(*) over the
-- account. A row exists only while one of its counts is non-zero, so a
-- rebuild from the log yields the same rows.
CREATE TABLE contact_counts (
    account_id bigint PRIMARY KEY,
    -- no CHECK (>= 0): INSERT … ON CONFLICT checks the proposed row, which
    -- carries a (negative) delta
    reachable  bigint NOT NULL,
    leads      bigint NOT NULL
);

INSERT INTO contact_counts (account_id, reachable, leads)
SELECT account_id,
       count(*) FILTER (WHERE (email <> '' OR phone_number <> '' OR identifier <> '')),
       count(*) FILTER (WHERE contact_type = 'lead')
FROM contacts
GROUP BY account_id
HAVING count(*) FILTER (WHERE (email <> '' OR phone_number <> '' OR identifier <> '')) > 0
    OR count(*) FILTER (WHERE contact_type = 'lead') > 0;
