-- owner: platform
-- Queue tables (a row in, a row out, hundreds per second) are vacuumed after a fixed number of dead rows,
-- not a fraction of a table that is nearly empty: otherwise their indexes bloat between vacuums.
-- depends: 0001_alerts 0012_incident_paging 0030_alert_resolutions

ALTER TABLE alert_outbox SET (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 1000);
ALTER TABLE paging_jobs SET (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 1000);
ALTER TABLE alert_resolutions SET (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 1000);
