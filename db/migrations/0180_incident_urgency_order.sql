-- owner: incident_management
-- The active list is ordered most severe first, then newest: an index in that order over unresolved incidents
-- lets its first page come straight off the index however many low-severity incidents a storm opens.
-- depends: 0002_incidents

CREATE INDEX incidents_active_urgency_idx
    ON incidents (array_position(ARRAY['critical', 'high', 'medium', 'low']::text[], severity), created_at DESC, id)
    WHERE status <> 'resolved';
