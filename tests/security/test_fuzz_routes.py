"""Every route of `app.url_map`, every method it accepts, as anonymous and as each role: hostile
values in the path segments and in the query string and form fields never give a server error.

Path segments get ids beyond the database's integer, non-ASCII digits and odd text. The query
and the form get, together: url_for's own argument names (`endpoint`, `_method`, `_external`,
`_anchor`, `_scheme`) and the route's path-argument names, which a page rebuilding its URL from
the query (pagination) must not pass on; number fields with '²', '٣' and values beyond 2**63;
every date field at one of its bounds (0001-01-01, 9999-12-31, leap days, empty, garbage); and
the text values injection tests use. New routes are covered without touching this file.

Run time: one pass of about 6 requests per path variant and route method, per role.
"""
from __future__ import annotations

import re
from urllib.parse import quote, unquote

import pytest
import sqlalchemy as sa
from werkzeug.datastructures import MultiDict

from eventsite.extensions import db

from .. import factories
from ..conftest import csrf_token
from .test_access_matrix import world  # noqa: F401  (the world fixture)

ROLES = ("anonymous", "liaison", "organizer", "admin", "checkin")
# Path segments: beyond PostgreSQL's integer, beyond SQLite's, digits that are not ASCII.
BAD_IDS = ["0", "2147483648", "9223372036854775808", "%C2%B2", "%D9%A3"]
BAD_SEGMENTS = ["x" * 43, "%00", "..%2F..%2Fetc", "%F0%9F%98%80" * 20, "x" * 3000]
RESERVED = ("endpoint", "_method", "_external", "_anchor", "_scheme", "values", "page")
NUMBER_FIELDS = ("target_id", "unit_id", "capacity", "default_quota", "quota", "batch", "n", "id",
                 "preview_unit", "tags", "units", "people-0-id", "people-0-sessions", "sessions",
                 "position", "direction", "quota-1", "quota-99999999999999999999", "seats",
                 "size_m2", "topic", "topics", "offers", "seeks")
DATE_FIELDS = ("starts_at", "ends_at", "registration_opens_at", "registration_closes_at",
               "edit_deadline", "new_start", "arrival_date", "departure_date", "arrival_time",
               "departure_time", "people-0-arrival_date", "people-0-departure_date",
               "people-0-arrival_time", "people-0-departure_time", "joined_on", "since", "until",
               "month", "date")
TEXT_FIELDS = ("email", "name", "name_zh", "name_en", "name_latin", "title", "title_en", "phone",
               "kind", "role", "country", "province", "region", "tags", "website", "notes",
               "language", "locale", "timezone", "password", "confirm", "current_password",
               "subject_en", "subject_zh", "body_en", "body_zh", "roles", "kinds", "provinces",
               "q", "state", "status", "next", "lang", "submission_key", "reason_en", "action",
               "actor", "target_type", "everyone", "people-0-family_name", "people-0-email",
               "sector", "stage", "size_band", "hall", "number", "code", "text_en", "text_zh", "note",
               "description_en", "contact_email", "approve", "reject")
# One request per row: a date, a number and a text value, all fields at once.
ROUNDS = [("0001-01-01", "%C2%B2", "x" * 1200), ("9999-12-31T23:59", "9223372036854775808", "\x00"),
          ("2024-02-29", "-1", "<script>alert(1)</script>"), ("2023-02-29T00:00", "%D9%A3", "😀" * 50),
          ("", "99999999999999999999", "'; DROP TABLE contact; --"),
          ("garbage", "0", 'a\r\nBcc: x@evil.example =HYPERLINK("http://x")')]


def _paths(app, world):
    """(endpoint, method, path) for every route and method: the world's own values, then each
    path argument in turn replaced by every hostile value of its kind."""
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if rule.endpoint in ("static", "bootstrap.static"):
            continue
        variants = [{}]
        for name in sorted(rule.arguments):
            numeric = re.search(rf"<int:{name}>", rule.rule) is not None
            variants += [{name: v} for v in (BAD_IDS if numeric else BAD_SEGMENTS)]
        for variant in variants:
            def segment(match, variant=variant):
                name = match.group(1)
                return variant.get(name, quote(str(world[name]), safe=""))
            path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", segment, rule.rule)
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                yield rule.endpoint, method, path, sorted(rule.arguments), bool(variant)


def _fields(day: str, number: str, text: str, arguments: list[str]) -> list[tuple[str, str]]:
    pairs = [(name, "x") for name in RESERVED if name != "page"] + [("page", "2")]
    pairs += [(name, "99") for name in arguments]  # a path argument's name in the query
    pairs += [(name, number) for name in NUMBER_FIELDS]
    pairs += [(name, day) for name in DATE_FIELDS]
    pairs += [(name, text) for name in TEXT_FIELDS]
    return pairs


@pytest.fixture
def crowded(app, world, liaison_client, monkeypatch):  # noqa: F811
    """The world with a second row in every list, and one row per page: every list has pages,
    so its pagination links are built from the hostile query string."""
    from eventsite.audit.services import record
    from eventsite.mail.models import Broadcast
    from eventsite.mail.services import enqueue

    with app.app_context():
        own = db.session.get(factories.User, liaison_client.user_id).unit
        for _ in range(2):
            event = factories.make_event()
            factories.make_invitation(event, own)
            record("fuzz.entry", event, actor=None)
        enqueue(kind="broadcast", to_addr="c@example.org", subject="s", body_text="t")
        db.session.add(Broadcast(subject_en="s2", body_en="b2"))
        factories.make_user("organizer")
        db.session.commit()
    paginate = db.paginate
    monkeypatch.setattr(db, "paginate", lambda query, **kw: paginate(query, **(kw | {"per_page": 1})))
    return world


@pytest.fixture
def checkin_client(app, login, world):  # noqa: F811
    """Door staff assigned to the world's event: hostile values reach the desk's own code."""
    from eventsite.checkin.models import CheckinAssignment

    with app.app_context():
        staff = factories.make_user("checkin")
        db.session.add(CheckinAssignment(user_id=staff.id, event_id=world["event_id"]))
        db.session.commit()
        return login(app.test_client(), staff)


def _query(pairs) -> str:
    return "&".join(f"{quote(k, safe='')}={quote(v, safe='%')}" for k, v in pairs)


@pytest.mark.both_dbs
@pytest.mark.parametrize("role", ROLES)
def test_every_route_every_method_every_role_no_server_error(app, request, crowded, role):
    world = crowded
    client = app.test_client() if role == "anonymous" else request.getfixturevalue(f"{role}_client")
    token = csrf_token(client, "/login" if role == "anonymous" else "/account")
    routes = sorted(_paths(app, world), key=lambda r: ("logout" in r[0], r[0], r[1], r[2]))
    seen = set()
    for endpoint, method, path, arguments, hostile_path in routes:
        # The world's own path gets every round; a hostile path one (it is refused by routing
        # or the lookup before any field is read).
        for day, number, text in ROUNDS[:1] if hostile_path else ROUNDS:
            pairs = _fields(day, number, text, arguments)
            query = _query(pairs)
            if method == "GET":
                response = client.get(f"{path}?{query}")
            else:
                form = MultiDict([("csrf_token", token)] + [(k, unquote(v)) for k, v in pairs])
                response = client.open(f"{path}?{query}", method=method, data=form)
            response.close()  # a file response (the favicon) holds its file open until closed
            assert response.status_code < 500, (role, endpoint, method, path[:120], day, number,
                                                 text[:20], response.status_code)
            seen.add(endpoint)
    assert len(seen) == len({r.endpoint for r in app.url_map.iter_rules()}) - 2
    with app.app_context():
        # The hostile values never reached the directory.
        assert db.session.execute(sa.text("SELECT count(*) FROM contact WHERE email LIKE '%evil%'")).scalar() == 0
