"""Links an alert's source sends (runbook, dashboard, the query that fired): pure rules, no Flask, no database.

Only absolute http(s) addresses are kept: the incident page renders them as
links, and a `javascript:` address there would run in an engineer's browser.
"""

import re
import urllib.parse

HREF_MAX = 2048
TEXT_MAX = 200
MAX_LINKS = 20
MAX_IMAGES = 10

# Annotations that name a link by convention (Prometheus rules, Grafana, kube-prometheus runbooks).
LINK_ANNOTATIONS = ("runbook_url", "runbook", "dashboard", "dashboard_url", "grafana_url", "playbook", "docs")


# What is_web_url accepts, as the documents state it: http(s), then a host that starts with no space
# (no brackets outside an IPv6 literal). urlsplit alone would also take a host of only tabs or spaces.
# "Space" is spelled out as JavaScript's \s (the documents' regex dialect): Python's \s also takes
# \x1c-\x1f and \x85, so a host the document allows would be refused here.
SPACE = r"\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
WEB_URL_PATTERN = rf"^[{SPACE}]*[Hh][Tt][Tt][Pp][Ss]?://[^{SPACE}/?#\[\]][^/?#\[\]]*([/?#][\s\S]*)?$"
_WEB_URL = re.compile(WEB_URL_PATTERN)
# The same spaces as characters, to strip (str.strip() alone keeps \ufeff and takes \x1c-\x1f).
SPACES = "\t\n\v\f\r \u00a0\u1680" + "".join(map(chr, range(0x2000, 0x200B))) + "\u2028\u2029\u202f\u205f\u3000\ufeff"


def is_web_url(value):
    """Whether `value` is an absolute http(s) URL with a host, short enough to store."""
    if not isinstance(value, str) or not value or len(value) > HREF_MAX or not _WEB_URL.match(value):
        return False
    try:
        parts = urllib.parse.urlsplit(value.strip(SPACES))
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def link(href, text):
    """A link, or None when `href` is not a web address (sources send empty or relative ones)."""
    if not is_web_url(href):
        return None
    return {"href": href.strip(SPACES), "text": (str(text or "").strip() or href.strip(SPACES))[:TEXT_MAX]}


def unique(links, limit=MAX_LINKS):
    """Links without repeated addresses (the first text wins), at most `limit`, None entries dropped."""
    seen, kept = set(), []
    for item in links:
        if item is None or item["href"] in seen:
            continue
        seen.add(item["href"])
        kept.append(item)
    return kept[:limit]


def from_annotations(annotations):
    """Links from annotations: the conventional names first, then any other annotation holding a URL."""
    named = [link(annotations.get(name), name) for name in LINK_ANNOTATIONS]
    others = [link(value, name) for name, value in sorted(annotations.items()) if name not in LINK_ANNOTATIONS]
    return unique(named + others)
