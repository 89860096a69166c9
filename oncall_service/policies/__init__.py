"""Escalation policies: ordered steps with delays and targets, urgency per severity, working hours."""
