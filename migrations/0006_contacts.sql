-- Contacts read model (projections/src/contacts). Written only by the
-- `contacts` projection, rebuildable from the log. Keyed by account first:
-- every index starts with account_id, every query filters on it.

CREATE SEQUENCE contact_ids;

CREATE TABLE contacts (
    account_id            bigint NOT NULL,
    id                    bigint NOT NULL,
    name                  text NOT NULL DEFAULT '',
    email                 text,
    phone_number          text,
    identifier            text,
    blocked               boolean NOT NULL DEFAULT false,
    additional_attributes jsonb NOT NULL DEFAULT '{}'::jsonb,
    custom_attributes     jsonb NOT NULL DEFAULT '{}'::jsonb,
    contact_type          text NOT NULL DEFAULT 'visitor',
    last_activity_at      timestamptz,
    created_at            timestamptz NOT NULL,
    updated_at            timestamptz NOT NULL,
    PRIMARY KEY (account_id, id)
);

-- "Resolved contacts" (index, search, filter): reachable by e-mail, phone
-- or identifier. The predicate matches the queries' text exactly.
CREATE INDEX contacts_resolved_idx ON contacts (account_id, id)
    WHERE (email <> '' OR phone_number <> '' OR identifier <> '');
CREATE INDEX contacts_lead_idx ON contacts (account_id, id) WHERE contact_type = 'lead';

-- sort keys
CREATE INDEX contacts_name_idx ON contacts (account_id, lower(name), id);
CREATE INDEX contacts_email_idx ON contacts (account_id, email, id);
CREATE INDEX contacts_phone_number_idx ON contacts (account_id, phone_number, id);
CREATE INDEX contacts_last_activity_at_idx ON contacts (account_id, last_activity_at, id);
CREATE INDEX contacts_created_at_idx ON contacts (account_id, created_at, id);
CREATE INDEX contacts_company_name_idx ON contacts (account_id, (additional_attributes ->> 'company_name'), id);
CREATE INDEX contacts_city_idx ON contacts (account_id, (additional_attributes ->> 'city'), id);
CREATE INDEX contacts_country_idx ON contacts (account_id, (additional_attributes ->> 'country'), id);

-- filterable columns (case-insensitive comparisons)
CREATE INDEX contacts_lower_email_idx ON contacts (account_id, lower(email));
CREATE INDEX contacts_lower_identifier_idx ON contacts (account_id, lower(identifier));
CREATE INDEX contacts_lower_country_code_idx ON contacts (account_id, lower(additional_attributes ->> 'country_code'));
CREATE INDEX contacts_blocked_idx ON contacts (account_id, blocked);

-- Labels, one row per (contact, label), so the `labels` filter and the
-- `labels[]` list parameter are index lookups in either direction.
CREATE TABLE contact_labels (
    account_id bigint NOT NULL,
    contact_id bigint NOT NULL,
    label      text NOT NULL,
    position   integer NOT NULL,
    PRIMARY KEY (account_id, contact_id, label)
);
CREATE INDEX contact_labels_label_idx ON contact_labels (account_id, label, contact_id);

-- Lenient casts for custom attribute filters: a stored value that is not a
-- number / date never makes a filter fail, it just does not match.
CREATE FUNCTION onelink_try_numeric(value text) RETURNS numeric
    LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
BEGIN
    RETURN value::numeric;
EXCEPTION WHEN others THEN
    RETURN NULL;
END;
$$;

CREATE FUNCTION onelink_try_date(value text) RETURNS date
    LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
BEGIN
    RETURN value::date;
EXCEPTION WHEN others THEN
    RETURN NULL;
END;
$$;

CREATE FUNCTION onelink_try_boolean(value text) RETURNS boolean
    LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
BEGIN
    RETURN value::boolean;
EXCEPTION WHEN others THEN
    RETURN NULL;
END;
$$;
