"""The audit trail: every change to a service's records, appended to that service's own audit table.

PostgreSQL triggers write the rows (db/migrations/0130-0133: who, what, which record, before and after,
when, from where), so no code path can change a record without leaving one, and nothing updates or deletes
them. Who and from where reach the triggers as the connection settings audit.actor and audit.client, set
each time a connection leaves the pool (context.py). Admins read the trail through each service's
/api/v1/audit/<area> (api.py).
"""

from servicekit.audit.api import blueprint
from servicekit.audit.context import retag_if_changed, tag_connection

__all__ = ["blueprint", "retag_if_changed", "tag_connection"]
