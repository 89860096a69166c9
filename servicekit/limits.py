"""Input limits every service applies the same way, before a view sees the request.

Bodies over MAX_CONTENT_LENGTH are refused by Werkzeug (413); this guard refuses JSON
nested deeper than MAX_JSON_DEPTH (400), and text that PostgreSQL cannot store (NUL,
lone UTF-16 surrogates) or numbers that JSON cannot carry (NaN, Infinity, 1e400),
in the body, the query string or the path (422 naming the field). Without it a
parser's RecursionError or the driver's encoding error would be a 500.
"""

import json
import math

from flask import current_app, request

from servicekit import errors

LIMIT_SETTINGS = {
    "MAX_JSON_DEPTH": 32,  # objects and arrays inside each other; alerts need 3
}

NUL = "\x00"
TEXT_RULE = "no NUL characters and no lone UTF-16 surrogates"


_BODY_LIMITS = "servicekit.body_limits"


def init_app(app):
    app.extensions[_BODY_LIMITS] = {}
    app.before_request(check_request)


def body_limit(app, blueprint_name, setting):
    """Let one blueprint take bodies up to app.config[setting] instead of MAX_CONTENT_LENGTH."""
    app.extensions[_BODY_LIMITS][blueprint_name] = setting


def text_problem(value):
    """Why a string cannot be stored as text, or None."""
    if NUL in value:
        return "Must not contain NUL characters (\\u0000)."
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return "Must not contain lone UTF-16 surrogates (e.g. \\ud800)."
    return None


def check_request():
    """Refuse what would crash a parser or the database; None lets the request through."""
    setting = current_app.extensions[_BODY_LIMITS].get(request.blueprint)
    if setting:
        request.max_content_length = current_app.config[setting]
    problems = {}
    located = [("query", name, value) for name, value in request.args.items(multi=True)]
    located += [("path", name, value) for name, value in (request.view_args or {}).items()]
    for location, name, value in located:
        problem = isinstance(value, str) and text_problem(value)
        if problem:
            problems.setdefault(location, {})[name] = [problem]
    if problems:
        return _refuse(422, problems)
    if request.method in ("POST", "PUT", "PATCH") and request.is_json:
        return _check_json_body()
    return None


def _check_json_body():
    body = request.get_data(cache=True)  # raises the 413 itself when the body is over MAX_CONTENT_LENGTH
    if not body:
        return None
    try:
        document = json.loads(body, parse_constant=_refuse_constant, parse_float=_finite_float)
        depth, problems = _inspect(document, current_app.config["MAX_JSON_DEPTH"])
    except RecursionError:
        depth, problems = None, {}
    except _NotFinite as exc:
        depth, problems = 0, {"_schema": [f"Numbers must be finite, got {exc}."]}
    except ValueError:
        return None  # malformed JSON: the request parser names it (400)
    if depth is None:
        limit = current_app.config["MAX_JSON_DEPTH"]
        return _refuse(400, {"json": {"_schema": [f"Nested more than {limit} levels deep."]}}, "JSON nested too deeply")
    return _refuse(422, {"json": problems}) if problems else None


class _NotFinite(ValueError):
    pass


def _refuse_constant(name):
    raise _NotFinite(name)


def _finite_float(text):
    value = float(text)
    if not math.isfinite(value):
        raise _NotFinite(text)
    return value


def _inspect(document, max_depth):
    """(depth, {path: [problem]}) of a parsed document; depth None when it passes max_depth.

    Iterative, so that no document can exhaust the interpreter's recursion limit.
    """
    problems = {}
    stack = [(document, (), 0)]
    deepest = 0
    while stack:
        value, path, depth = stack.pop()
        if isinstance(value, dict | list):
            depth += 1
            if depth > max_depth:
                return None, problems
            deepest = max(deepest, depth)
            items = value.items() if isinstance(value, dict) else enumerate(value)
            for key, inner in items:
                if isinstance(key, str) and text_problem(key):
                    _add(problems, path, f"Key {key.encode('unicode_escape').decode()!r}: {text_problem(key)}")
                    continue
                stack.append((inner, (*path, key), depth))
        elif isinstance(value, str):
            problem = text_problem(value)
            if problem:
                _add(problems, path, problem)
    return deepest, problems


def _add(problems, path, problem):
    """Nest the problem under its path, as marshmallow nests field errors."""
    keys = [str(key) for key in path] or ["_schema"]
    node = problems
    for key in keys[:-1]:
        node = node.setdefault(key, {})
        if not isinstance(node, dict):  # a problem is recorded at this level already
            return
    leaf = node.setdefault(keys[-1], [])
    if isinstance(leaf, list):
        leaf.append(problem)


def _refuse(code, problems, message=None):
    return errors.error_body(code, message or errors.summarise(problems), problems), code
