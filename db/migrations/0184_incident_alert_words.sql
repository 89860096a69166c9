-- owner: incident_management
-- Search by what an incident's alerts and notes say, read off the incident itself: `alert_words` holds the
-- distinct words (stripped: no positions) of its alerts' messages and its notes, kept by triggers, so a broad
-- search is one GIN lookup over incidents instead of a scan of every matching alert (a common word matches tens
-- of thousands of alerts). The vector only grows by words it lacks, so a storm repeating one message leaves the
-- incident row alone.
-- depends: 0181_incident_search 0193_incident_alert_links

ALTER TABLE incidents ADD COLUMN alert_words tsvector NOT NULL DEFAULT ''::tsvector;

-- The words of a text as search keeps them: stemmed, stripped, without numbers of five digits or more and
-- decimals (ids, counters, measurements: "request 48213 took 12.5 s"). Each alert would bring new ones, and a new
-- word rewrites the incident row and its indexes; short numbers (503, 5432, 91) are kept, and so are mixed
-- tokens (E1234, 5xx, 10.0.0.1).
CREATE FUNCTION incident_words(content text) RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN array_to_tsvector(ARRAY(
        SELECT lexeme FROM unnest(strip(to_tsvector('english', coalesce(content, ''))))
        WHERE lexeme !~ '^[-+]?([0-9]{5,}|[0-9]*[.][0-9]+)$'
    ));

-- A query as it is matched against `alert_words`: a phrase ("connection refused") asks for its words, since
-- stripped words have no positions to follow one another.
CREATE FUNCTION words_query(query tsquery) RETURNS tsquery LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN regexp_replace(query::text, '<(-|[0-9]+)>', '&', 'g')::tsquery;

-- Every word of an incident's alerts and notes, from scratch (after an alert moves out of it).
CREATE FUNCTION incident_alert_words(incident uuid) RETURNS tsvector LANGUAGE sql STABLE
    RETURN coalesce((SELECT incident_words(string_agg(message, ' ')) FROM incident_alerts WHERE incident_id = incident),
                    ''::tsvector)
        || coalesce((SELECT incident_words(string_agg(content, ' ')) FROM incident_notes WHERE incident_id = incident),
                    ''::tsvector);

-- New alerts and notes add their words: one UPDATE per incident per statement, none when no word is new.
CREATE FUNCTION add_alert_words() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE incidents i SET alert_words = i.alert_words || added.words
    FROM (SELECT incident_id, incident_words(string_agg(message, ' ')) AS words FROM added_rows GROUP BY incident_id)
         AS added
    WHERE i.id = added.incident_id AND i.alert_words || added.words <> i.alert_words;
    RETURN NULL;
END
$$;

CREATE FUNCTION add_note_words() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE incidents i SET alert_words = i.alert_words || added.words
    FROM (SELECT incident_id, incident_words(string_agg(content, ' ')) AS words FROM added_rows GROUP BY incident_id)
         AS added
    WHERE i.id = added.incident_id AND i.alert_words || added.words <> i.alert_words;
    RETURN NULL;
END
$$;

-- An alert moved to another incident takes its words along; the incident it left is recomputed.
CREATE FUNCTION move_alert_words() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE incidents SET alert_words = alert_words || incident_words(NEW.message)
    WHERE id = NEW.incident_id AND alert_words || incident_words(NEW.message) <> alert_words;
    UPDATE incidents SET alert_words = incident_alert_words(OLD.incident_id) WHERE id = OLD.incident_id;
    RETURN NULL;
END
$$;

CREATE TRIGGER incident_alerts_add_words AFTER INSERT ON incident_alerts
    REFERENCING NEW TABLE AS added_rows FOR EACH STATEMENT EXECUTE FUNCTION add_alert_words();
CREATE TRIGGER incident_notes_add_words AFTER INSERT ON incident_notes
    REFERENCING NEW TABLE AS added_rows FOR EACH STATEMENT EXECUTE FUNCTION add_note_words();
CREATE TRIGGER incident_alerts_move_words AFTER UPDATE OF incident_id ON incident_alerts
    FOR EACH ROW WHEN (OLD.incident_id IS DISTINCT FROM NEW.incident_id) EXECUTE FUNCTION move_alert_words();

UPDATE incidents SET alert_words = incident_alert_words(id);

CREATE INDEX incidents_alert_words_idx ON incidents USING gin (alert_words);
-- The per-alert and per-note text indexes are replaced by the incident's words.
DROP INDEX incident_alerts_search_idx;
DROP INDEX incident_notes_search_idx;
