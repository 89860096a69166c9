"""SQL of notification rules: which contact method of a user a page reaches, after how long.

Functions take a cursor and never commit: the caller owns the transaction.
"""

RULE_COLUMNS = """r.id, r.user_id, r.contact_method_id, r.delay_seconds, r.created_at, r.updated_at,
       json_build_object('id', m.id, 'type', m.type, 'address', COALESCE(m.address_shown, m.address),
                         'label', m.label, 'verified', m.verified_at IS NOT NULL) AS contact_method"""

# A user's rules, soonest first, each with the contact method it uses (its address as answers show it).
SELECT_RULES = f"""
SELECT {RULE_COLUMNS}
FROM notification_rules r JOIN contact_methods m ON m.id = r.contact_method_id
WHERE r.user_id = %(user_id)s
ORDER BY r.delay_seconds, m.created_at, r.id
"""

# One rule of a user.
SELECT_RULE = f"""
SELECT {RULE_COLUMNS}
FROM notification_rules r JOIN contact_methods m ON m.id = r.contact_method_id
WHERE r.id = %(id)s AND r.user_id = %(user_id)s
"""

# The bare rules of a user, for paging.
SELECT_RULE_TIMES = "SELECT id, contact_method_id, delay_seconds FROM notification_rules WHERE user_id = %(user_id)s"

# How many rules a user has (there is a ceiling).
COUNT_RULES = "SELECT count(*) AS n FROM notification_rules WHERE user_id = %(user_id)s"

# Add a rule (the unique (contact_method_id, delay_seconds) index refuses the same one twice).
INSERT_RULE = """
INSERT INTO notification_rules (user_id, contact_method_id, delay_seconds)
VALUES (%(user_id)s, %(contact_method_id)s, %(delay_seconds)s)
RETURNING id
"""

# Change a rule's method or delay.
UPDATE_RULE = """
UPDATE notification_rules
SET contact_method_id = %(contact_method_id)s, delay_seconds = %(delay_seconds)s, updated_at = now()
WHERE id = %(id)s AND user_id = %(user_id)s
RETURNING id
"""

# Remove a rule of a user.
DELETE_RULE = "DELETE FROM notification_rules WHERE id = %(id)s AND user_id = %(user_id)s RETURNING id"


def list_rules(cur, user_id):
    cur.execute(SELECT_RULES, {"user_id": user_id})
    return cur.fetchall()


def get_rule(cur, user_id, rule_id):
    cur.execute(SELECT_RULE, {"id": rule_id, "user_id": user_id})
    return cur.fetchone()


def rule_times(cur, user_id):
    cur.execute(SELECT_RULE_TIMES, {"user_id": user_id})
    return cur.fetchall()


def count_rules(cur, user_id):
    cur.execute(COUNT_RULES, {"user_id": user_id})
    return cur.fetchone()["n"]


def insert_rule(cur, user_id, rule):
    cur.execute(INSERT_RULE, {**rule, "user_id": user_id})
    return cur.fetchone()["id"]


def update_rule(cur, user_id, rule_id, rule):
    cur.execute(UPDATE_RULE, {**rule, "id": rule_id, "user_id": user_id})
    return cur.fetchone() is not None


def delete_rule(cur, user_id, rule_id):
    cur.execute(DELETE_RULE, {"id": rule_id, "user_id": user_id})
    return cur.fetchone() is not None
