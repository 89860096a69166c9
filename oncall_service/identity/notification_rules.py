"""Whom a page reaches, and when: a user's notification rules over their verified contact methods.

Pure: no Flask, no SQL. The on-call service names the deliveries (method and delay); incident management
makes each one due at page time + delay.
"""

MAX_RULES = 20  # per user: a rule per method and moment is plenty ("e-mail now, SMS after 5, again after 15")
MAX_DELAY_SECONDS = 86400


def deliveries(rules, methods):
    """[{id, type, address, label, delay_seconds, rule_id}] a page to this user makes, soonest first.

    rules: [{id, contact_method_id, delay_seconds}]; methods: the user's verified contact methods, in the
    order they were added. A rule whose method is not verified (yet) reaches nothing. A user without a rule
    that reaches something is paged on every verified method at once: nobody goes unpaged by setting up
    rules before verifying a method.
    """
    by_id = {method["id"]: method for method in methods}
    planned = [
        {**by_id[rule["contact_method_id"]], "delay_seconds": rule["delay_seconds"], "rule_id": rule["id"]}
        for rule in rules
        if rule["contact_method_id"] in by_id
    ]
    if not planned:
        return [{**method, "delay_seconds": 0, "rule_id": None} for method in methods]
    order = {method["id"]: position for position, method in enumerate(methods)}
    return sorted(planned, key=lambda d: (d["delay_seconds"], order[d["id"]]))
