"""The pages action links land on: GET shows what the link does (or why it no longer can), POST does it.

Plain HTML for a phone's browser and for ntfy's http action, outside the JSON API's OpenAPI document. The
token in the path is the credential, so the answers are never cached and never leak it through Referer.
"""

import datetime as dt

from flask import Blueprint, current_app

from incident_management.actions import following, links, pages
from incident_management.reporting import metrics
from servicekit import auth, db

bp = Blueprint("incident_actions", __name__, url_prefix=links.PATH.rstrip("/"))

_MAX_TOKEN_LENGTH = 1000


def _answer(outcome):
    template = current_app.config.get("ACTION_LINK_INCIDENT_URL")
    incident_url = template.format(incident_id=outcome.incident["id"]) if template and outcome.incident else None
    page, status = pages.render(outcome, incident_url)
    headers = {
        "Content-Type": "text/html; charset=utf-8",
        "Cache-Control": "no-store",
        "Referrer-Policy": "no-referrer",
        "X-Robots-Tag": "noindex",
    }
    return page, status, headers


@bp.get("/<token>")
@auth.public  # the signed link is the credential
def look(token):
    """What the link would do; a used, stale or expired link says so. Changes nothing."""
    if len(token) > _MAX_TOKEN_LENGTH:
        return _answer(following.Outcome("invalid"))
    with db.transaction() as cur:
        outcome = following.look(cur, current_app.config, token)
    return _answer(outcome)


@bp.post("/<token>")
@auth.public
def follow(token):
    """Acknowledge or resolve the incident as the link's person, once."""
    if len(token) > _MAX_TOKEN_LENGTH:
        return _answer(following.Outcome("invalid"))
    with db.transaction() as cur:
        outcome = following.follow(cur, current_app.config, token, dt.datetime.now(dt.UTC))
    if outcome.kind == "done":
        metrics.observe_change(outcome.before, outcome.incident)
    return _answer(outcome)
