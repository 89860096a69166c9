"""Who is acting, and from where, told to each connection as it leaves the pool for the audit triggers."""

import threading
import weakref

from flask import g, has_request_context

from servicekit import client_address

# One round trip: session settings (not LOCAL) also cover autocommit statements; every checkout sets both anew.
SET_CONTEXT = "SELECT set_config('audit.actor', %(actor)s, false), set_config('audit.client', %(client)s, false)"
ANONYMOUS = "anonymous"

# What each pooled connection was last told and committed: a checkout by the same caller from the same address
# (a dashboard's polls, one source's alerts) then costs no round trip. Unknown after a set inside a
# transaction, which a rollback undoes.
_told = weakref.WeakKeyDictionary()


def current(application_name=""):
    """(actor, client address): the request's caller, or the background job running this thread."""
    if has_request_context():
        from servicekit import auth  # noqa: PLC0415 (servicekit.auth needs servicekit.db, which needs this)

        # The client's address, not the gateway's: X-Forwarded-For from TRUSTED_PROXIES.
        return auth.actor() or g.get("audit_actor") or ANONYMOUS, client_address.current()
    thread = threading.current_thread().name
    return (application_name if thread == "MainThread" else f"job:{thread}"), ""


def retag_if_changed(conn, application_name):
    """The request's caller became known after its connection was taken (sign-in checks use the database)."""
    if g.get("audit_tag") != current(application_name):
        tag_connection(conn, application_name)


def tag_connection(conn, application_name):
    """Set audit.actor/audit.client on an idle pooled connection (no transaction is opened)."""
    tag = current(application_name)
    if has_request_context():
        g.audit_tag = tag
    if _told.get(conn) == tag:
        return
    actor, client = tag
    if conn.info.transaction_status != 0:  # inside a transaction (psycopg2's STATUS_IDLE is 0): set it there
        _told.pop(conn, None)
        with conn.cursor() as cur:
            cur.execute(SET_CONTEXT, {"actor": actor, "client": client})
        return
    autocommit, conn.autocommit = conn.autocommit, True
    try:
        with conn.cursor() as cur:
            cur.execute(SET_CONTEXT, {"actor": actor, "client": client})
        _told[conn] = tag
    finally:
        conn.autocommit = autocommit
