"""SQL of contact methods: how each user is reached (channel and recipient).

Functions take a cursor and never commit: the caller owns the transaction.
"""

from servicekit.params import fetch_page

CONTACT_COLUMNS = "id, user_id, type, address, label, created_at, updated_at"

# Add a way to reach a user.
INSERT_CONTACT_METHOD = f"""
INSERT INTO contact_methods (user_id, type, address, label)
VALUES (%(user_id)s, %(type)s, %(address)s, %(label)s)
RETURNING {CONTACT_COLUMNS}
"""

# One contact method of a user.
SELECT_CONTACT_METHOD = f"SELECT {CONTACT_COLUMNS} FROM contact_methods WHERE id = %(id)s AND user_id = %(user_id)s"

# A page of a user's contact methods, oldest first.
SELECT_CONTACT_METHODS_PAGE = f"""
SELECT {CONTACT_COLUMNS}, count(*) OVER () AS total
FROM contact_methods
WHERE user_id = %(user_id)s AND (%(type)s::text IS NULL OR type = %(type)s)
ORDER BY created_at, id
LIMIT %(limit)s OFFSET %(offset)s
"""

# Change a contact method (every field given: the caller merged the old values in).
UPDATE_CONTACT_METHOD = f"""
UPDATE contact_methods
SET type = %(type)s, address = %(address)s, label = %(label)s, updated_at = now()
WHERE id = %(id)s AND user_id = %(user_id)s
RETURNING {CONTACT_COLUMNS}
"""

# Remove a contact method of a user.
DELETE_CONTACT_METHOD = "DELETE FROM contact_methods WHERE id = %(id)s AND user_id = %(user_id)s RETURNING id"


def insert_contact_method(cur, user_id, method):
    cur.execute(INSERT_CONTACT_METHOD, {"label": None, **method, "user_id": user_id})
    return cur.fetchone()


def get_contact_method(cur, user_id, method_id):
    cur.execute(SELECT_CONTACT_METHOD, {"id": method_id, "user_id": user_id})
    return cur.fetchone()


def list_contact_methods(cur, user_id, method_type, limit, offset):
    """Return (contact methods, total) for one page."""
    cur.execute(
        SELECT_CONTACT_METHODS_PAGE, {"user_id": user_id, "type": method_type, "limit": limit, "offset": offset}
    )
    return fetch_page(cur)


def update_contact_method(cur, user_id, method_id, method):
    cur.execute(UPDATE_CONTACT_METHOD, {**method, "id": method_id, "user_id": user_id})
    return cur.fetchone()


def delete_contact_method(cur, user_id, method_id):
    cur.execute(DELETE_CONTACT_METHOD, {"id": method_id, "user_id": user_id})
    return cur.fetchone() is not None
