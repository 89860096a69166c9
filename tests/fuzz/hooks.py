"""schemathesis hooks (SCHEMATHESIS_HOOKS=tests.fuzz.hooks): what the documents state but JSON Schema cannot.

Times must lie in a window relative to now (an alert's timestamp: from TIMESTAMP_EARLIEST, at most a
day ahead; query times: 1970 to 3000) with a UTC offset within ±15:59; the descriptions say so. Valid
(positive) cases get their generated date-times moved into the narrowest of those windows; invalid
(negative) cases are left as drawn, so out-of-window and malformed times are still sent and must be
refused.

In the stateful phase a link can take a path id from an answer's null field (an Alertmanager
resolution that matched nothing names no alert): that request asks for an id nobody created instead.
"""

import datetime as dt
import re
import uuid

import schemathesis

_DATE_TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$", re.IGNORECASE)


def _into_window(text):
    try:
        moment = dt.datetime.fromisoformat(text.replace("z", "Z").replace("Z", "+00:00"))
    except ValueError:
        return text
    offset = moment.utcoffset() or dt.timedelta()
    if abs(offset) > dt.timedelta(hours=15, minutes=59):
        moment = moment.replace(tzinfo=dt.UTC)
    year = 2000 + moment.year % 25  # 2000 to 2024: inside every window
    try:
        moment = moment.replace(year=year)
    except ValueError:  # 29 February
        moment = moment.replace(year=year, day=28)
    return moment.isoformat()


def _walk(value):
    if isinstance(value, dict):
        return {key: _walk(inner) for key, inner in value.items()}
    if isinstance(value, list):
        return [_walk(inner) for inner in value]
    if isinstance(value, str) and _DATE_TIME.match(value):
        return _into_window(value)
    return value


@schemathesis.hook
def map_case(ctx, case):
    meta = getattr(case, "meta", None)
    if meta is None or not meta.generation.mode.is_positive:
        return case
    if case.path_parameters:
        case.path_parameters = {
            name: str(uuid.uuid4()) if value is None else value for name, value in case.path_parameters.items()
        }
    case.query = _walk(case.query) if case.query else case.query
    case.body = _walk(case.body) if isinstance(case.body, dict | list) else case.body
    return case
