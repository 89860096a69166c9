"""SQL that finds incidents: one filtered, sorted page, and the counts per severity that give its total.

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

# Incidents whose title, service or description, or whose alerts' messages or notes match a web-style query
# ("disk full", "checkout -staging", "\"exact phrase\"", a OR b): both are GIN indexes on incidents (migrations
# 0181, 0184); alerts and notes are matched by their words (their phrases lose the order of the words).
SEARCH = """
AND (search_vector @@ websearch_to_tsquery('english', %(q)s)
     OR alert_words @@ words_query(websearch_to_tsquery('english', %(q)s)))
"""

# The filters every list query shares (severity apart: the counts per severity ignore it).
FILTERS = """
(%(statuses)s::text[] IS NULL OR status = ANY(%(statuses)s))
AND (%(service)s::text IS NULL OR service = %(service)s)
AND (%(team)s::text IS NULL OR lower(team) = lower(%(team)s))
AND (%(assigned_to)s::text IS NULL OR assigned_to = %(assigned_to)s)
AND (%(since)s::timestamptz IS NULL OR created_at >= %(since)s)
AND (%(until)s::timestamptz IS NULL OR created_at < %(until)s)
"""

# One page of the incidents that match, in the asked order, each row carrying the counts per severity under
# the other filters (whatever severity is asked for; they give the total). One statement, so one round trip
# and one snapshot: the page and its total agree. An empty page is one row of counts with no incident.
SELECT_PAGE = """
SELECT counts.severity_counts, page.*
FROM (
    SELECT coalesce(json_object_agg(severity, incidents), '{{}}') AS severity_counts
    FROM (SELECT severity, count(*) AS incidents FROM incidents WHERE {filters} GROUP BY severity) AS per_severity
) AS counts
LEFT JOIN LATERAL (
    SELECT {columns}
    FROM incidents
    WHERE {filters} AND (%(severities)s::text[] IS NULL OR severity = ANY(%(severities)s))
    ORDER BY {order}
    LIMIT %(limit)s OFFSET %(offset)s
) AS page ON true
ORDER BY {order}
"""


def _params(filters):
    params = {key: filters.get(key) for key in ("service", "team", "assigned_to", "since", "until")}
    params["q"] = (filters.get("q") or "").strip() or None
    params["statuses"] = filters.get("status") or None
    params["severities"] = filters.get("severity") or None
    return params


def _filters(params):
    return sql.SQL(FILTERS + (SEARCH if params["q"] else ""))


def find_incidents(cur, filters, sort, limit, offset):
    """(incidents of one page, {severity: matches under the other filters}, total matching every filter)."""
    params = _params(filters)
    statement = sql.SQL(SELECT_PAGE).format(
        columns=sql.SQL(INCIDENT_COLUMNS), filters=_filters(params), order=sql.SQL(SORTS[sort])
    )
    cur.execute(statement, {**params, "limit": limit, "offset": offset})
    rows = cur.fetchall()
    counts = dict.fromkeys(SEVERITIES, 0)
    counts.update(rows[0]["severity_counts"])
    for row in rows:
        del row["severity_counts"]
    total = sum(counts[severity] for severity in (params["severities"] or SEVERITIES))
    return [row for row in rows if row["id"] is not None], counts, total
