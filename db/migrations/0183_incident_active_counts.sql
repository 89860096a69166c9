-- owner: incident_management
-- The dashboard's counts per severity of the unresolved incidents come from this index alone (index-only
-- scan), and its page from incidents_active_urgency_idx, so neither reads every active incident's row.
-- depends: 0180_incident_urgency_order

CREATE INDEX incidents_active_status_severity_idx ON incidents (status, severity) WHERE status <> 'resolved';
