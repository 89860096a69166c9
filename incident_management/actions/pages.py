"""The small HTML pages an action link lands on (a phone's browser, no session, no script)."""

import html

from incident_management.actions import links

# No styles or scripts: the gateway's Content-Security-Policy allows neither inline, and a phone renders this well.
_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>{title}</title></head>
<body><h1>{title}</h1><p>{text}</p>{incident}{form}{link}</body></html>
"""

_TITLES = {
    "confirm": "{label} this incident?",
    "done": "Incident {status}",
    "open": "Incident",
    "used": "This link was already used",
    "stale": "Nothing to do: the incident is already {status}",
    "expired": "This link has expired",
    "invalid": "Not a valid link",
}


def _text(outcome):
    link = outcome.link
    who = html.escape(link.name or link.email) if link else ""
    when = outcome.used_at.strftime("%Y-%m-%d %H:%M UTC") if outcome.used_at else "before"
    texts = {
        "confirm": lambda: f"This will {link.action} the incident as {who} ({html.escape(link.email)}).",
        "done": lambda: f"{links.LABELS[link.action]}d as {who}. It is on the incident's timeline.",
        "used": lambda: f"It acted once, at {when}. Following it again changes nothing.",
        "stale": lambda: "The link was not used and nothing changed.",
        "expired": lambda: "Action links work for a limited time. Open the incident in the platform instead.",
        "invalid": lambda: "The link is incomplete, was changed, or its incident no longer exists.",
        "open": lambda: f"Sent to {who}.",
    }
    return texts[outcome.kind]()


def _incident(incident):
    if not incident:
        return ""
    return (
        f"<p><strong>[{html.escape(incident['severity'].upper())}] "
        f"{html.escape(incident['title'])}</strong><br>Service: {html.escape(incident['service'])}"
        f"<br>Status: {html.escape(incident['status'])}<br>"
        f"Assigned to: {html.escape(incident.get('assigned_to') or '-')}</p>"
    )


def render(outcome, incident_url=None):
    """(HTML, status) of the page for an Outcome; `incident_url` links to the incident in the platform."""
    label = links.LABELS.get(outcome.link.action, "") if outcome.link else ""
    status = outcome.incident["status"].replace("_", " ") if outcome.incident else ""
    title = _TITLES[outcome.kind].format(label=label, status=status)
    # The form posts to this same URL (no fields: the token is the credential); scanners that fetch links never act.
    form = f'<form method="post"><button type="submit">{label}</button></form>' if outcome.kind == "confirm" else ""
    link = f'<p><a href="{html.escape(incident_url)}">Open the incident</a></p>' if incident_url else ""
    page = _PAGE.format(
        title=html.escape(title), text=_text(outcome), incident=_incident(outcome.incident), form=form, link=link
    )
    return page, outcome.status_code
