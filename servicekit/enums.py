"""The enumerations of the platform's contract, said once for Python.

The database constrains the same values with CHECK (column IN (...)) and
tests/db/test_enums.py holds the two to each other; the UI's copy
(web-ui/src/api/generated/enums.ts) is written from this module by `make api-client`.
Order matters where it is a rank: severities most severe first, statuses in lifecycle order.
"""

SEVERITIES = ("critical", "high", "medium", "low")
INCIDENT_STATUSES = ("open", "acknowledged", "in_progress", "resolved")
ALERT_STATUSES = ("firing", "resolved", "suppressed")
CORRELATIONS = ("new_incident", "existing_incident")
# An alert as ingestion records it may also be held by its service's grouping rule (no incident yet).
ALERT_CORRELATIONS = (*CORRELATIONS, "held")
MEMBER_ROLES = ("primary", "secondary")
ROTATION_TYPES = ("weekly", "daily")
NOTIFICATION_STATUSES = ("pending", "sent", "failed")
CHANNELS = ("log", "webhook", "email", "slack", "apprise")
USER_ROLES = ("viewer", "responder", "admin")  # least to most
# Urgency as an on-call engineer reads it: high pages now, low can wait for the morning.
HIGH_URGENCY_SEVERITIES = ("critical", "high")
URGENCIES = ("high", "low")
NOTIFICATION_KINDS = ("incident", "test", "verification")
# What an action link in a page does; the first two change the incident, and only they are taken once.
ACTION_LINK_ACTIONS = ("acknowledge", "resolve", "open")
# A shift offered for a swap: open until someone takes it (an override then) or its offerer withdraws it.
SWAP_STATUSES = ("open", "taken", "cancelled")
# Incident events an outgoing webhook subscription can ask for, in lifecycle order.
WEBHOOK_EVENT_TYPES = (
    "incident.opened",
    "incident.acknowledged",
    "incident.escalated",
    "incident.resolved",
    "incident.note_added",
)
WEBHOOK_DELIVERY_STATUSES = ("pending", "delivered", "failed")

# Where the database constrains each enumeration: (table, column) -> values.
DATABASE_COLUMNS = {
    ("alerts", "severity"): SEVERITIES,
    ("alerts", "status"): ALERT_STATUSES,
    ("alerts", "correlation"): ALERT_CORRELATIONS,
    ("heartbeats", "severity"): SEVERITIES,
    ("held_alerts", "severity"): SEVERITIES,
    ("alert_reference_outbox", "correlation"): CORRELATIONS,
    ("incidents", "severity"): SEVERITIES,
    ("incidents", "status"): INCIDENT_STATUSES,
    ("incident_alerts", "correlation"): CORRELATIONS,
    ("schedule_members", "role"): MEMBER_ROLES,
    ("schedule_overrides", "role"): MEMBER_ROLES,
    ("schedules", "rotation_type"): ROTATION_TYPES,
    ("notifications", "status"): NOTIFICATION_STATUSES,
    ("notifications", "channel"): CHANNELS,
    ("notifications", "urgency"): URGENCIES,
    ("notifications", "kind"): NOTIFICATION_KINDS,
    ("incident_action_links_used", "action"): ACTION_LINK_ACTIONS[:2],
    ("users", "role"): USER_ROLES,
    ("api_tokens", "role"): USER_ROLES,
    ("shift_swaps", "role"): MEMBER_ROLES,
    ("shift_swaps", "status"): SWAP_STATUSES,
    ("webhook_deliveries", "status"): WEBHOOK_DELIVERY_STATUSES,
    ("webhook_events", "event_type"): (*WEBHOOK_EVENT_TYPES, "webhook.test"),
}

# What the UI gets, by the name it uses (TypeScript: SEVERITIES, Severity, ...).
EXPORTED = {
    "SEVERITIES": ("Severity", SEVERITIES),
    "STATUSES": ("Status", INCIDENT_STATUSES),
    "ALERT_STATUSES": ("AlertStatus", ALERT_STATUSES),
    "MEMBER_ROLES": ("Role", MEMBER_ROLES),
    "ROTATION_TYPES": ("RotationType", ROTATION_TYPES),
    "USER_ROLES": ("UserRole", USER_ROLES),
    "HIGH_URGENCY_SEVERITIES": ("HighUrgencySeverity", HIGH_URGENCY_SEVERITIES),
    "SWAP_STATUSES": ("SwapStatus", SWAP_STATUSES),
    "WEBHOOK_EVENT_TYPES": ("WebhookEventType", WEBHOOK_EVENT_TYPES),
    "WEBHOOK_DELIVERY_STATUSES": ("WebhookDeliveryStatus", WEBHOOK_DELIVERY_STATUSES),
}
