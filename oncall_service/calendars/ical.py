"""RFC 5545 text of on-call shifts. Pure: events in, the calendar's text out.

Times are written in UTC ("Z" form, RFC 5545 3.3.5 form #2): every calendar shows them in its own zone, and
no VTIMEZONE has to be carried. Lines end in CRLF and are folded at 75 octets (3.1); text values escape
backslash, semicolon, comma and newline (3.3.11).
"""

import dataclasses
import datetime as dt

PRODID = "-//Incident platform//On-call calendar//EN"
MAX_LINE_OCTETS = 75


@dataclasses.dataclass(frozen=True)
class Event:
    uid: str
    start: dt.datetime
    end: dt.datetime
    summary: str
    description: str = ""


def escape_text(value):
    """A TEXT value: backslash, semicolon, comma escaped; newlines as \\n."""
    escaped = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return escaped.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")


def utc(moment):
    """A DATE-TIME in UTC: 20261207T080000Z."""
    return moment.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def fold(line):
    """A content line folded into lines of at most 75 octets, never inside a UTF-8 character (3.1)."""
    parts, current, size = [], "", 0
    for char in line:
        width = len(char.encode())
        limit = MAX_LINE_OCTETS if not parts else MAX_LINE_OCTETS - 1  # continuation lines start with a space
        if size + width > limit:
            parts.append(current)
            current, size = "", 0
        current += char
        size += width
    parts.append(current)
    return "\r\n ".join(parts)


def calendar(name, events, stamp):
    """The whole VCALENDAR text for `events`, written at `stamp` (DTSTAMP)."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
    ]
    for event in events:
        lines += [
            "BEGIN:VEVENT",
            f"UID:{event.uid}",
            f"DTSTAMP:{utc(stamp)}",
            f"DTSTART:{utc(event.start)}",
            f"DTEND:{utc(event.end)}",
            f"SUMMARY:{escape_text(event.summary)}",
        ]
        if event.description:
            lines.append(f"DESCRIPTION:{escape_text(event.description)}")
        lines += ["TRANSP:TRANSPARENT", "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
