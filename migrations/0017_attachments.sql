-- Message attachments (issue 10). The conversation stream records each
-- file as a reference to a content-addressed blob; the messages read model
-- keeps those references (as the events have them) for the presenters,
-- which sign download URLs at render time.
CREATE SEQUENCE attachment_ids;

ALTER TABLE messages ADD COLUMN attachments jsonb NOT NULL DEFAULT '[]'::jsonb;

-- Contact avatars (ContactAvatarChanged): the recorded `Avatar` reference.
ALTER TABLE contacts ADD COLUMN avatar jsonb;
