"""A strict reading of RFC 5545 text, for the tests (the `icalendar` package is not installed here).

It checks what a calendar app relies on: CRLF line ends, lines folded at 75 octets, balanced components,
the required properties of VCALENDAR (VERSION, PRODID) and of each VEVENT (UID, DTSTAMP, DTSTART, and
DTEND after DTSTART), UTC date-times, and only the escapes TEXT allows. Returns the events as dicts.
"""

import datetime as dt
import re

NAME = re.compile(r"^[A-Z][A-Z0-9-]*$")
UTC_TIME = re.compile(r"^\d{8}T\d{6}Z$")
TEXT_ESCAPE = re.compile(r"\\(.)")


def unfold(text):
    assert text.endswith("\r\n"), "the last line ends in CRLF"
    physical = text[:-2].split("\r\n")
    for line in physical:
        assert "\n" not in line and "\r" not in line, f"bare LF or CR in {line!r}"
        assert len(line.encode()) <= 75, f"line longer than 75 octets: {line!r}"
    lines = []
    for line in physical:
        if line.startswith((" ", "\t")):
            assert lines, "a continuation line comes first"
            lines[-1] += line[1:]
        else:
            lines.append(line)
    return lines


def _text(value):
    for match in TEXT_ESCAPE.finditer(value):
        assert match.group(1) in "\\;,nN", f"bad escape \\{match.group(1)} in {value!r}"
    assert not re.search(r"(?<!\\)[;,]", value.replace("\\\\", "")), f"unescaped ; or , in {value!r}"
    return TEXT_ESCAPE.sub(lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


def utc_time(value):
    assert UTC_TIME.match(value), f"not a UTC DATE-TIME: {value}"
    return dt.datetime.strptime(value, "%Y%m%dT%H%M%SZ").replace(tzinfo=dt.UTC)


def parse(text):
    """The VEVENTs of a calendar as {property: value}, after checking the whole text."""
    lines = unfold(text)
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"
    stack, calendar, events, current = [], {}, [], None
    for line in lines:
        name, sep, value = line.partition(":")
        assert sep, f"no colon in {line!r}"
        assert NAME.match(name.split(";")[0]), f"bad property name in {line!r}"
        if name == "BEGIN":
            stack.append(value)
            if value == "VEVENT":
                current = {}
            continue
        if name == "END":
            assert stack and stack.pop() == value, f"END:{value} does not close what is open"
            if value == "VEVENT":
                events.append(current)
                current = None
            continue
        target = current if current is not None else calendar
        assert name not in target, f"{name} twice in one component"
        target[name] = value
    assert not stack, f"left open: {stack}"
    assert calendar.get("VERSION") == "2.0" and calendar.get("PRODID")
    for event in events:
        for required in ("UID", "DTSTAMP", "DTSTART", "DTEND"):
            assert required in event, f"VEVENT without {required}: {event}"
        event["start"], event["end"] = utc_time(event["DTSTART"]), utc_time(event["DTEND"])
        utc_time(event["DTSTAMP"])
        assert event["end"] > event["start"]
        event["summary"] = _text(event.get("SUMMARY", ""))
        event["description"] = _text(event.get("DESCRIPTION", ""))
    assert len({event["UID"] for event in events}) == len(events), "UIDs are unique"
    return {"calendar": calendar, "events": events}
