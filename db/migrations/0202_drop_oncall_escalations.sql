-- owner: oncall_service
-- The escalation log lives beside the incidents now (incident_escalations); the on-call service keeps no copy.
-- depends: 0201_incident_escalation_state

DROP TABLE escalations;
