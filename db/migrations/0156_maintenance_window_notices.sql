-- owner: alert_ingestion
-- A window made, changed or deleted is announced on the channel `maintenance_windows` (pg_notify, sent at
-- commit), so every ingestion worker and replica reads the windows again at once: an alert a second after a
-- window is planned is suppressed, whichever worker takes it.
-- depends: 0155_maintenance_window_time_zone

CREATE FUNCTION notify_maintenance_window_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('maintenance_windows', '');
    RETURN NULL;
END
$$;

CREATE TRIGGER maintenance_windows_notify_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON maintenance_windows
    FOR EACH STATEMENT EXECUTE FUNCTION notify_maintenance_window_change();
