"""SQL that finds incidents: one filtered, sorted page with its total, and the counts per severity beside it.

Functions take a cursor and never commit. Filters are parameters; the ORDER BY comes from SORTS (code, never
the request).
"""

from psycopg2 import sql

from incident_management.lifecycle.repository import INCIDENT_COLUMNS
from servicekit.enums import SEVERITIES

# Severity as a rank (critical = 1); the same expression as incidents_active_urgency_idx (migration 0180).
SEVERITY_RANK = "array_position(ARRAY[{}]::text[], severity)".format(", ".join(f"'{s}'" for s in SEVERITIES))

# The orders a list can ask for, each ending in id so that pages never overlap.
SORTS = {
    "newest": "created_at DESC, id",
    "oldest": "created_at, id",
    "urgency": f"{SEVERITY_RANK}, created_at DESC, id",
    "updated": "updated_at DESC, id",
}

# The filters every list query shares (severity apart: the counts per severity ignore it).
FILTERS = """
(%(statuses)s::text[] IS NULL OR status = ANY(%(statuses)s))
AND (%(service)s::text IS NULL OR service = %(service)s)
AND (%(team)s::text IS NULL OR lower(team) = lower(%(team)s))
AND (%(assigned_to)s::text IS NULL OR assigned_to = %(assigned_to)s)
AND (%(since)s::timestamptz IS NULL OR created_at >= %(since)s)
AND (%(until)s::timestamptz IS NULL OR created_at < %(until)s)
"""

# One page of the incidents that match, in the asked order, with the total that matches.
SELECT_PAGE = """
SELECT {columns}, count(*) OVER () AS total
FROM incidents
WHERE {filters} AND (%(severities)s::text[] IS NULL OR severity = ANY(%(severities)s))
ORDER BY {order}
LIMIT %(limit)s OFFSET %(offset)s
"""

# How many incidents match the filters, per severity (whatever severity is asked for).
SELECT_SEVERITY_COUNTS = f"SELECT severity, count(*) AS incidents FROM incidents WHERE {FILTERS} GROUP BY severity"

# An offset past the last row returns no row, hence no total: count separately then.
SELECT_TOTAL = (
    f"SELECT count(*) AS total FROM incidents WHERE {FILTERS}"
    " AND (%(severities)s::text[] IS NULL OR severity = ANY(%(severities)s))"
)


def _params(filters):
    params = {key: filters.get(key) for key in ("service", "team", "assigned_to", "since", "until")}
    params["statuses"] = filters.get("status") or None
    params["severities"] = filters.get("severity") or None
    return params


def find_incidents(cur, filters, sort, limit, offset):
    """(incidents, total) of one page."""
    statement = sql.SQL(SELECT_PAGE).format(
        columns=sql.SQL(INCIDENT_COLUMNS), filters=sql.SQL(FILTERS), order=sql.SQL(SORTS[sort])
    )
    params = _params(filters)
    cur.execute(statement, {**params, "limit": limit, "offset": offset})
    rows = cur.fetchall()
    if rows:
        return rows, rows[0]["total"]
    if offset == 0:
        return rows, 0
    cur.execute(SELECT_TOTAL, params)
    return rows, cur.fetchone()["total"]


def severity_counts(cur, filters):
    """{severity: incidents} for every severity (0 where none), under the filters except severity."""
    cur.execute(SELECT_SEVERITY_COUNTS, _params(filters))
    counts = dict.fromkeys(SEVERITIES, 0)
    counts.update({row["severity"]: row["incidents"] for row in cur.fetchall()})
    return counts
