"""SQL of shift swaps. Functions take a cursor and never commit: the caller owns the transaction."""

from servicekit.params import fetch_page

SWAP_COLUMNS = """id, schedule_id, role, start_at AS start, end_at AS end, offered_name, offered_email, note, status,
       taken_name, taken_email, override_id, created_at, updated_at"""

# Offer a stretch of a shift.
INSERT_SWAP = f"""
INSERT INTO shift_swaps (schedule_id, role, start_at, end_at, offered_name, offered_email, note)
VALUES (%(schedule_id)s, %(role)s, %(start)s, %(end)s, %(offered_name)s, %(offered_email)s, %(note)s)
RETURNING {SWAP_COLUMNS}
"""

# One swap of a schedule; the FOR UPDATE variant makes two people taking it at once take it once.
SELECT_SWAP = f"SELECT {SWAP_COLUMNS} FROM shift_swaps WHERE id = %(id)s AND schedule_id = %(schedule_id)s"
SELECT_SWAP_FOR_UPDATE = SELECT_SWAP + " FOR UPDATE"

# A page of a schedule's swaps by status, soonest first.
SELECT_SWAPS_PAGE = f"""
SELECT {SWAP_COLUMNS}, count(*) OVER () AS total
FROM shift_swaps
WHERE schedule_id = %(schedule_id)s AND (%(status)s::text IS NULL OR status = %(status)s)
  AND (%(ending_after)s::timestamptz IS NULL OR end_at > %(ending_after)s)
ORDER BY start_at, created_at
LIMIT %(limit)s OFFSET %(offset)s
"""

# Someone took the swap: its override covers the stretch.
TAKE_SWAP = f"""
UPDATE shift_swaps
SET status = 'taken', taken_name = %(name)s, taken_email = %(email)s, override_id = %(override_id)s, updated_at = now()
WHERE id = %(id)s
RETURNING {SWAP_COLUMNS}
"""

# The offer is withdrawn.
CANCEL_SWAP = f"""
UPDATE shift_swaps SET status = 'cancelled', updated_at = now() WHERE id = %(id)s RETURNING {SWAP_COLUMNS}
"""


def insert_swap(cur, swap):
    cur.execute(INSERT_SWAP, {"note": None, **swap})
    return cur.fetchone()


def get_swap(cur, schedule_id, swap_id, for_update=False):
    cur.execute(SELECT_SWAP_FOR_UPDATE if for_update else SELECT_SWAP, {"id": swap_id, "schedule_id": schedule_id})
    return cur.fetchone()


def list_swaps(cur, schedule_id, args, limit, offset):
    """Return (swaps, total) for one page."""
    params = {"status": args.get("status"), "ending_after": args.get("ending_after")}
    cur.execute(SELECT_SWAPS_PAGE, {**params, "schedule_id": schedule_id, "limit": limit, "offset": offset})
    return fetch_page(cur)


def take_swap(cur, swap_id, person, override_id):
    cur.execute(TAKE_SWAP, {"id": swap_id, "override_id": override_id, **person})
    return cur.fetchone()


def cancel_swap(cur, swap_id):
    cur.execute(CANCEL_SWAP, {"id": swap_id})
    return cur.fetchone()
