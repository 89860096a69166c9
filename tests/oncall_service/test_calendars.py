"""Calendar feeds: RFC 5545 text (pure, table tests), and feeds of schedules and users over the API, behind a
revocable token that is stored hashed."""

import datetime as dt

import pytest

import oncall_service
from oncall_service import rotation
from oncall_service.calendars import events, ical
from tests.auth.conftest import AUTH_ON
from tests.oncall_service.ical_check import parse, unfold

UTC = dt.UTC
ALICE = {"name": "Alice", "email": "alice@example.com"}
BOB = {"name": "Bob", "email": "bob@example.com"}
CAROL = {"name": "Carol", "email": "carol@example.com"}


@pytest.mark.parametrize(
    ("value", "escaped"),
    [
        ("plain", "plain"),
        ("a, b; c", "a\\, b\\; c"),
        ("back\\slash", "back\\\\slash"),
        ("two\nlines\r\nthree", "two\\nlines\\nthree"),
    ],
)
def test_escape_text(value, escaped):
    assert ical.escape_text(value) == escaped


@pytest.mark.parametrize(
    "line",
    ["short", "x" * 75, "x" * 76, "SUMMARY:" + "y" * 300, "SUMMARY:" + "é" * 100, "DESCRIPTION:" + "日本語" * 40],
)
def test_fold_keeps_lines_within_75_octets_and_unfolds_to_the_same(line):
    folded = ical.fold(line)
    assert all(len(part.encode()) <= 75 for part in folded.split("\r\n"))
    assert unfold(folded + "\r\n") == [line]


@pytest.mark.parametrize(
    ("moment", "text"),
    [
        (dt.datetime(2026, 12, 7, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=1))), "20261207T080000Z"),
        (dt.datetime(2027, 3, 29, 7, 0, tzinfo=UTC), "20270329T070000Z"),
    ],
)
def test_utc(moment, text):
    assert ical.utc(moment) == text


def segment(start, end, primary, secondary=None, override=False):
    return {"start": start, "end": end, "primary": primary, "secondary": secondary, "override": override}


T = [dt.datetime(2026, 12, 7, h, tzinfo=UTC) for h in range(0, 24, 4)]


@pytest.mark.parametrize(
    ("shifts", "expected"),
    [
        ([], []),
        # An override in the middle splits Alice's shift: three stretches.
        (
            [segment(T[0], T[1], ALICE), segment(T[1], T[2], CAROL, override=True), segment(T[2], T[3], ALICE)],
            [("Alice", T[0], T[1]), ("Carol", T[1], T[2]), ("Alice", T[2], T[3])],
        ),
        # Segments of one person in a row (split only for the secondary's override) become one.
        (
            [segment(T[0], T[1], ALICE, BOB), segment(T[1], T[2], ALICE, CAROL, override=True)],
            [("Alice", T[0], T[2])],
        ),
        # A gap (a missing secondary elsewhere) is not bridged; nobody on call is no event.
        ([segment(T[0], T[1], ALICE), segment(T[2], T[3], ALICE)], [("Alice", T[0], T[1]), ("Alice", T[2], T[3])]),
    ],
)
def test_stretches_of_the_primary(shifts, expected):
    assert [(p["name"], s, e) for p, s, e in events.stretches(shifts, "primary")] == expected


def test_a_weekly_berlin_schedule_across_the_dst_change_in_utc():
    schedule = {
        "id": "5c0ffee0-0000-4000-8000-000000000001",
        "team": "payments, EU",
        "rotation_type": "weekly",
        "timezone": "Europe/Berlin",
        "handoff_time": dt.time(9, 0),
        "rotation_start": dt.date(2027, 3, 15),
        "members": [{**ALICE, "role": "primary"}, {**BOB, "role": "primary"}, {**CAROL, "role": "secondary"}],
    }
    since, until = dt.datetime(2027, 3, 15, 8, tzinfo=UTC), dt.datetime(2027, 4, 5, 7, tzinfo=UTC)
    shifts = rotation.shifts(rotation.rotation_of(schedule), [], since, until)
    text = ical.calendar("On call: payments, EU", events.schedule_events(schedule, shifts), since)

    parsed = parse(text)
    assert parsed["calendar"]["X-WR-CALNAME"] == "On call: payments\\, EU"
    primaries = [(e["summary"], e["DTSTART"], e["DTEND"]) for e in parsed["events"] if "(primary)" in e["summary"]]
    # 09:00 in Berlin is 08:00Z in winter and 07:00Z from 28 March 2027.
    assert primaries == [
        ("Alice on call (primary)", "20270315T080000Z", "20270322T080000Z"),
        ("Bob on call (primary)", "20270322T080000Z", "20270329T070000Z"),
        ("Alice on call (primary)", "20270329T070000Z", "20270405T070000Z"),
    ]
    [secondary] = [e for e in parsed["events"] if "(secondary)" in e["summary"]]
    assert (secondary["DTSTART"], secondary["DTEND"]) == ("20270315T080000Z", "20270405T070000Z")
    mine = events.schedule_events(schedule, shifts, email="BOB@example.com")
    assert [(e.summary, ical.utc(e.start)) for e in mine] == [
        ("On call (primary) for payments, EU", "20270322T080000Z")
    ]


SCHEDULE = {
    "team": "payments",
    "rotation_type": "daily",
    "timezone": "Europe/Berlin",
    "handoff_time": "09:00",
    "members": [
        {**ALICE, "role": "primary"},
        {**BOB, "role": "primary"},
        {**CAROL, "role": "secondary"},
    ],
}


@pytest.fixture
def oncall(make_app):
    return make_app(oncall_service.create_app, **AUTH_ON)


@pytest.fixture
def admin(oncall):
    client = oncall.test_client()
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {AUTH_ON['ADMIN_API_KEY']}"
    return client


@pytest.fixture
def schedule(admin):
    made = admin.post("/api/v1/schedules", json=SCHEDULE)
    assert made.status_code == 201, made.json
    return made.json


def test_a_schedule_feed_is_valid_has_overrides_and_needs_no_sign_in(oncall, admin, schedule, sql):
    start = (dt.datetime.now(UTC) + dt.timedelta(days=3)).replace(microsecond=0)
    override = {"name": "Dave", "email": "dave@example.com", "role": "primary", "start": start.isoformat()}
    override["end"] = (start + dt.timedelta(hours=5)).isoformat()
    assert admin.post(f"/api/v1/schedules/{schedule['id']}/overrides", json=override).status_code == 201

    made = admin.post(f"/api/v1/schedules/{schedule['id']}/calendar-feeds")
    assert made.status_code == 201, made.json
    token = made.json["token"]
    assert made.json["path"] == f"/api/v1/oncall/calendars/{token}.ics"

    answer = oncall.test_client().get(made.json["path"])  # no credential: the token is one

    assert answer.status_code == 200
    assert answer.headers["Content-Type"] == "text/calendar; charset=utf-8"
    parsed = parse(answer.get_data(as_text=True))
    assert parsed["calendar"]["X-WR-CALNAME"] == "On call: payments"
    [dave] = [e for e in parsed["events"] if e["summary"] == "Dave on call (primary)"]
    assert (dave["start"], dave["end"]) == (start, start + dt.timedelta(hours=5))
    names = {e["summary"] for e in parsed["events"]}
    assert {"Alice on call (primary)", "Bob on call (primary)", "Carol on call (secondary)"} <= names
    now = dt.datetime.now(UTC)
    assert min(e["start"] for e in parsed["events"]) <= now - dt.timedelta(days=13)
    assert max(e["end"] for e in parsed["events"]) >= now + dt.timedelta(days=182)
    # Only the token's digest is kept, and the audit trail has neither.
    assert sql("SELECT count(*) FROM calendar_feeds WHERE token_hash = %s", (token,)) == [(0,)]
    assert sql("SELECT count(*) FROM oncall_audit WHERE after::text LIKE %s", (f"%{token[5:20]}%",)) == [(0,)]


def test_a_user_feed_has_only_their_shifts_in_every_schedule(oncall, admin, schedule):
    other = {**SCHEDULE, "team": "search", "members": [{**CAROL, "role": "primary"}]}
    assert admin.post("/api/v1/schedules", json=other).status_code == 201
    carol = admin.get("/api/v1/users", query_string={"email": CAROL["email"]}).json["items"][0]

    made = admin.post(f"/api/v1/users/{carol['id']}/calendar-feeds")
    assert made.status_code == 201, made.json
    parsed = parse(oncall.test_client().get(made.json["path"]).get_data(as_text=True))

    assert parsed["calendar"]["X-WR-CALNAME"] == "On call: Carol"
    assert {e["summary"] for e in parsed["events"]} == {
        "On call (secondary) for payments",
        "On call (primary) for search",
    }


def test_a_revoked_or_unknown_token_answers_404(oncall, admin, schedule):
    feeds = f"/api/v1/schedules/{schedule['id']}/calendar-feeds"
    kept, revoked = admin.post(feeds).json, admin.post(feeds).json
    assert admin.delete(f"{feeds}/{revoked['id']}").status_code == 204
    public = oncall.test_client()

    assert public.get(kept["path"]).status_code == 200
    assert public.get(revoked["path"]).status_code == 404
    assert public.get("/api/v1/oncall/calendars/ical_nobody-made-this.ics").status_code == 404
    assert public.get(f"/api/v1/oncall/calendars/ical_{'x' * 200}.ics").status_code == 404
    listed = admin.get(feeds).json["items"]
    assert [(f["id"], f["revoked_at"] is not None) for f in listed] == [(revoked["id"], True), (kept["id"], False)]
    assert all("token" not in feed for feed in listed)
    assert listed[0]["prefix"] == revoked["token"][:11]


def test_feed_calls_refuse_bad_input(admin, schedule):
    unknown = "00000000-0000-4000-8000-000000000000"
    assert admin.post(f"/api/v1/schedules/{unknown}/calendar-feeds").status_code == 404
    assert admin.post("/api/v1/schedules/not-a-uuid/calendar-feeds").status_code == 400
    assert admin.delete(f"/api/v1/schedules/{schedule['id']}/calendar-feeds/{unknown}").status_code == 404
    assert admin.post(f"/api/v1/users/{unknown}/calendar-feeds").status_code == 404
    assert admin.get(f"/api/v1/users/{unknown}/calendar-feeds").status_code == 404
    user_feed = admin.post(f"/api/v1/users/{schedule['members'][0]['user_id']}/calendar-feeds").json
    # A user's feed is not revoked through a schedule, nor the other way round.
    assert admin.delete(f"/api/v1/schedules/{schedule['id']}/calendar-feeds/{user_feed['id']}").status_code == 404
