"""A per-integration mapping from any JSON body to a platform alert: pure rules, no Flask, no database.

A mapping names, for each of the alert's fields, where its value is in the body:

- a string is a path: keys joined by dots, a number picks from a list (`tags.0`, `event.severity`);
- `{"path": ..., "map": {...}, "default": ...}` translates the value found (exactly, else case-insensitively);
- `{"template": "{event.name} on {host.name}"}` fills each `{path}` in (a missing one with nothing);
- `{"value": ...}` is a constant.

Fields: `service`, `severity`, `message`, `dedup_key`, `timestamp`; `labels` (a path to an object, or an object
of label name -> spec); `links` (a list of `{"href": spec, "text": spec}`); `resolve` (`{"path": ..., "equals":
[...]}`: the body resolves the alert of its dedup key when the value found is one of those).
"""

import json
import re

SCALARS = ("service", "severity", "message", "dedup_key", "timestamp")
FIELDS = (*SCALARS, "labels", "links", "resolve")
PATH_MAX = 200
MAX_BYTES = 16 * 1024
MAX_LINKS = 20
_PLACEHOLDER = re.compile(r"\{([^{}]+)\}")

# No mapping: the body is the platform's own alert (POST /api/v1/alerts).
DEFAULT = {
    "service": "service",
    "severity": "severity",
    "message": "message",
    "dedup_key": "dedup_key",
    "timestamp": "timestamp",
    "labels": "labels",
    "links_path": "links",
}


def lookup(body, path):
    """The value at `path` in `body`, or None when any step of it is missing."""
    value = body
    for step in path.split("."):
        if isinstance(value, dict):
            value = value.get(step)
        elif isinstance(value, list) and step.isdigit() and int(step) < len(value):
            value = value[int(step)]
        else:
            return None
    return value


def _text(value):
    """A found value as text: objects and lists as JSON, booleans as JSON's true/false."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, (dict, list, bool)):
        return json.dumps(value, sort_keys=True)
    return str(value)


def value_of(body, spec):
    """What `spec` (one of the forms above) finds in `body`; None when nothing."""
    if isinstance(spec, str):
        return lookup(body, spec)
    if "value" in spec:
        return spec["value"]
    if "template" in spec:
        filled = _PLACEHOLDER.sub(lambda match: _text(lookup(body, match.group(1).strip())) or "", spec["template"])
        found = filled.strip() or None
    else:
        found = lookup(body, spec["path"])
        table = spec.get("map")
        if table is not None and found is not None:
            key = _text(found)
            folded = {str(name).lower(): target for name, target in table.items()}
            found = table.get(key, folded.get(key.lower()))
    return spec.get("default") if found is None else found


def to_platform_alert(mapping, body):
    """The `POST /api/v1/alerts` body (before its validation) that `mapping` makes of `body`."""
    mapping = mapping or DEFAULT
    alert = {}
    for field in SCALARS:
        if field in mapping:
            found = value_of(body, mapping[field])
            if found is not None:
                alert[field] = found if field == "timestamp" else _text(found)
    labels = _labels(body, mapping.get("labels"))
    if labels is not None:
        alert["labels"] = labels
    if "links_path" in mapping:  # the default mapping: the body's own links
        alert["links"] = lookup(body, mapping["links_path"]) or []
    else:
        alert["links"] = [link for link in (_link(body, spec) for spec in mapping.get("links", [])) if link]
    return alert


def _link(body, spec):
    href = _text(value_of(body, spec["href"]))
    if not href:
        return None  # a link the body has no address for is left out, not refused
    text = value_of(body, spec["text"]) if "text" in spec else None
    return {"href": href, **({"text": _text(text)[:200]} if text is not None else {})}


def _labels(body, spec):
    if spec is None:
        return None
    if isinstance(spec, str):
        return lookup(body, spec)
    labels = {}
    for name, inner in spec.items():
        value = value_of(body, inner)
        if value is not None:
            labels[name] = value if isinstance(value, (str, int, float, bool)) else _text(value)
    return labels


def resolves(mapping, body):
    """Whether `body` says its alert is over (the mapping's `resolve` rule)."""
    rule = (mapping or {}).get("resolve")
    if not rule:
        return False
    found = lookup(body, rule["path"])
    return found is not None and _text(found).lower() in {_text(value).lower() for value in rule["equals"]}


def describe(mapping, field):
    """Where `field` came from, for a 422 that names it."""
    spec = (mapping or DEFAULT).get(field)
    if spec is None:
        return "the mapping does not name it"
    return f"mapped from {json.dumps(spec)}"
