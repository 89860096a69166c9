"""Who is acting, and from where, told to each connection as it leaves the pool for the audit triggers."""

import threading

from flask import g, has_request_context, request

# One round trip: session settings (not LOCAL) also cover autocommit statements; every checkout sets both anew.
SET_CONTEXT = "SELECT set_config('audit.actor', %(actor)s, false), set_config('audit.client', %(client)s, false)"
ANONYMOUS = "anonymous"


def current():
    """(actor, client address): the request's caller, or the background job running this thread."""
    if has_request_context():
        return g.get("audit_actor") or ANONYMOUS, request.remote_addr or ""
    return f"job:{threading.current_thread().name}", ""


def tag_connection(conn, application_name):
    """Set audit.actor/audit.client on an idle pooled connection (no transaction is opened)."""
    actor, client = current()
    if actor.startswith("job:MainThread"):
        actor = application_name
    autocommit, conn.autocommit = conn.autocommit, True
    try:
        with conn.cursor() as cur:
            cur.execute(SET_CONTEXT, {"actor": actor, "client": client})
    finally:
        conn.autocommit = autocommit
