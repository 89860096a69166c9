-- owner: alert_ingestion
-- A recurring maintenance window repeats at the same wall-clock time in its own time zone ("every Sunday 02:00
-- Europe/Berlin"), so a daylight-saving change moves it by an hour in UTC instead of shifting it in local time.
-- Windows made before keep UTC, as they repeated until now.
-- depends: 0154_maintenance_windows

ALTER TABLE maintenance_windows
    ADD COLUMN time_zone text NOT NULL DEFAULT 'UTC' CHECK (length(time_zone) BETWEEN 1 AND 64);
