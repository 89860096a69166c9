"""A key's service and team apply to the alerts it sends: they replace what the alert says."""

from flask import g, has_app_context


def current_key():
    """The integration key that sent the request being handled, or None."""
    return g.get("integration_key") if has_app_context() else None


def current_key_id():
    key = current_key()
    return key["id"] if key else None


def key_service():
    key = current_key()
    return key["service"] if key else None


def apply_key(data):
    """An alert body (before validation) with the key's service and `team` label in place of its own."""
    key = current_key()
    if not key or not isinstance(data, dict):
        return data
    data = dict(data)
    if key["service"]:
        data["service"] = key["service"]
    if key["team"] and isinstance(data.get("labels", {}), dict):
        data["labels"] = {**(data.get("labels") or {}), "team": key["team"]}
    return data
