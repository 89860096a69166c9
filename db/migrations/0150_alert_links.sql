-- Links and images an alert's source sent (runbooks, dashboards, the query that fired), kept for the incident page.
-- depends: 0001_alerts

-- Each link is {"href", "text"}; each image {"src", "href", "alt"}. Only http(s) addresses are stored
-- (checked by alert ingestion), so the UI can render them as links without further filtering.
ALTER TABLE alerts
    ADD COLUMN links  jsonb NOT NULL DEFAULT '[]'::jsonb CHECK (jsonb_typeof(links) = 'array'),
    ADD COLUMN images jsonb NOT NULL DEFAULT '[]'::jsonb CHECK (jsonb_typeof(images) = 'array');
