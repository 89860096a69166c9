"""Reading a service's audit table (the triggers write it; nothing here changes it)."""

import psycopg2.sql as pgsql

FILTERS = {
    "actor": "actor = %(actor)s",
    "action": "action = %(action)s",
    "record_type": "record_type = %(record_type)s",
    "record_id": "record_id = %(record_id)s",
    "since": "at >= %(since)s",
    "until": "at < %(until)s",
}
# One page, newest first, with the total of all matches.
SELECT_PAGE = (
    "SELECT id, at, actor, client_address, action, record_type, record_id, before, after,"
    " count(*) OVER () AS total FROM {table} WHERE {where} ORDER BY at DESC, id DESC"
    " LIMIT %(limit)s OFFSET %(offset)s"
)


def find(cur, table, args, limit, offset):
    """(rows, total) of `table`'s events matching the filters in args."""
    where = " AND ".join(clause for name, clause in FILTERS.items() if args.get(name) is not None) or "true"
    query = pgsql.SQL(SELECT_PAGE).format(table=pgsql.Identifier(table), where=pgsql.SQL(where))
    cur.execute(query, {**args, "limit": limit, "offset": offset})
    rows = cur.fetchall()
    total = rows[0].pop("total") if rows else 0
    for row in rows[1:]:
        row.pop("total")
    return rows, total
