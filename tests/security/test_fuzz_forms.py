"""Hypothesis fuzzing of every form: never a server error, and a refused form changes nothing.

Every rule of `app.url_map` that accepts POST is fuzzed. The fields come from the forms the app
renders: every page reachable by GET is fetched and its `<form method="post">` elements are
indexed by action, so a new form is fuzzed without touching this file. Values mix the page's own
choices with hostile text (NUL, CR/LF, very long, odd unicode, invalid UTF-8, out-of-range
numbers, odd dates). One app per test; the database is compared before and after each example.
"""
from __future__ import annotations

import io
import os
from urllib.parse import urlencode, urlsplit

import pytest
import sqlalchemy as sa
from bs4 import BeautifulSoup
from flask import url_for
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from eventsite.accounts import tokens
from eventsite.checkin.services import check_in
from eventsite.extensions import db

from .. import factories
from ..conftest import csrf_token
from ..cooperation.helpers import cooperation_world
from ..hotels.helpers import make_block, make_hotel
from ..meetings.helpers import meeting_world

ALLOWED = {200, 302, 400, 403, 404, 405, 413}
# A broad set of names for forms no page renders (and for fields a page adds with script).
BROAD_FIELDS = ["email", "name", "name_zh", "name_en", "title_en", "title_zh", "role", "kind",
                "unit_id", "timezone", "locale", "lang", "password", "confirm", "current_password",
                "subject_en", "body_en", "roles", "position", "direction", "next", "starts_at",
                "ends_at", "date", "start_time", "end_time", "capacity", "submission_key", "reason"]
# A failed login or reset request counts against the address on purpose (throttling).
MAY_WRITE_WHEN_REFUSED = {"accounts.login": {"login_throttle", "audit_entry"},
                          "accounts.forgot_password": {"login_throttle", "audit_entry"},
                          # a download, not a change: audited (who exported whose data)
                          "privacy.export": {"audit_entry"},
                          # printing badges answers with the PDF (200): the prints are recorded, the
                          # people get their badge codes, and it is audited
                          "badges.index": {"audit_entry", "badge_print", "delegate"}}
# Run last: they take away what the other forms work on.
DESTRUCTIVE = ("delete", "deactivate", "cancel", "remove")

# FUZZ_EXAMPLES=500 for a longer hunt by hand; the suite keeps 15 per route.
SETTINGS = settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "15")), deadline=None,
                    derandomize=True, database=None, phases=[Phase.explicit, Phase.generate],
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow, HealthCheck.data_too_large])

HOSTILE = st.sampled_from([
    "", " ", "\x00", "a\x00b", "a\r\nBcc: x@evil.example", "\r\n", "x" * 5000, "x" * 70000,
    "😀" * 300, "\u202e\u200b\ufeff", "<script>alert(1)</script>", "' OR 1=1 --", "=cmd|' /C calc'!A0",
    "-1", "0", "-0", "1e309", "NaN", "inf", "9" * 40, "-9223372036854775809", "2147483648",
    "2024-02-30", "2024-13-01", "0000-00-00", "9999-12-31", "10000-01-01", "1-1-1", "31/12/2024",
    "0001-01-01", "0001-01-01T00:00", "9999-12-31T23:59", "1899-12-31", "3000-01-01", "2024-02-29",
    "1900-02-29", "²", "٣", "9223372036854775808",
    "2024-01-01T25:61", "2024-01-01 10:00:00+99:00", "24:00", "23:60", "-01:00", "12:00:00.999999999",
    "Asia/Nowhere", "../../etc/passwd", "UTC\x00", "zh\r\n", "../", "//evil.example", "javascript:alert(1)",
])
TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300)
NUMBER = st.integers(min_value=-(2**70), max_value=2**70).map(str)
BINARY = st.binary(max_size=200)  # sent percent-encoded: often not UTF-8 at all


# Plausible values, so that most examples get past the required fields to the deeper checks.
SANE = {"email": "fuzz@example.org", "contact_email": "fuzz@example.org", "name": "Fuzz 测试",
        "name_zh": "测试市", "name_en": "Fuzz City", "name_latin": "Fuzz", "title": "Fuzz",
        "title_en": "Fuzz", "title_zh": "测试", "subject_en": "Fuzz", "body_en": "Fuzz", "city_en": "Fuzz",
        "starts_at": "2030-05-01T09:00", "ends_at": "2030-05-01T17:00", "joined_on": "2024-01-01",
        "current_password": factories.PASSWORD, "password": "correct horse battery 42",
        "confirm": "correct horse battery 42",
        "timezone": "Asia/Shanghai", "lang": "zh", "capacity": "10"}


def _value(options: list[str]):
    choices = [st.sampled_from(options)] if options else []
    return st.one_of(*choices, HOSTILE, TEXT, NUMBER, BINARY)


def _field_values(options: list[str]):
    """A missing field, one value, or a few (multi-selects, duplicated names)."""
    value = _value(options)
    return st.one_of(st.just([]), value.map(lambda v: [v]), st.lists(value, min_size=2, max_size=3))


def _form_values(fields: dict[str, list[str]], defaults: dict[str, str]):
    """The page's own (or plausible) values with some fields, or all, replaced by fuzz."""
    names = sorted(fields)

    @st.composite
    def build(draw):
        fuzzed = draw(st.one_of(st.just(set(names)), st.sets(st.sampled_from(names), max_size=3)))
        values = {}
        for name in names:
            if name in fuzzed:
                values[name] = draw(_field_values(fields[name]))
            else:
                default = defaults.get(name) or SANE.get(name)
                values[name] = [default] if default else []
        return values

    return build() if names else st.just({})


# --- the app's forms -------------------------------------------------------------------------


def _forms_on(html: str) -> list[tuple[str, dict[str, list[str]], set[str], dict[str, str]]]:
    """(action path, {field: options}, file fields, {field: shown value}) for every POST form."""
    found = []
    for form in BeautifulSoup(html, "html.parser").find_all("form"):
        if (form.get("method") or "get").lower() != "post":
            continue
        fields: dict[str, list[str]] = {}
        files: set[str] = set()
        shown: dict[str, str] = {}
        for tag in form.find_all(["input", "select", "textarea", "button"]):
            name = tag.get("name")
            if not name or name == "csrf_token":
                continue
            options = fields.setdefault(name, [])
            if tag.name == "select":
                values = {o.get("value", o.get_text()): o.has_attr("selected")
                          for o in tag.find_all("option")}
                options += list(values)
                chosen = [v for v, selected in values.items() if selected] or [v for v in values if v]
                if chosen:
                    shown.setdefault(name, chosen[0])
            elif tag.name == "textarea":
                shown.setdefault(name, tag.get_text())
            elif tag.get("type") == "file":
                files.add(name)
            elif tag.get("value") is not None:
                options.append(tag["value"])
                if tag.get("type") not in ("checkbox", "radio", "submit") or tag.has_attr("checked"):
                    shown.setdefault(name, tag["value"])
        found.append((urlsplit(form.get("action") or "").path, fields, files, shown))
    return found


def _urls(app, world, methods: set[str]):
    with app.test_request_context():
        for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.endpoint):
            if rule.endpoint in ("static", "bootstrap.static") or not methods & rule.methods:
                continue
            yield rule, url_for(rule.endpoint, **{k: world[k] for k in rule.arguments})


def _index_forms(app, client, world) -> dict[str, tuple]:
    """Every POST form rendered on any GET page, by action path (the page itself if none)."""
    index: dict[str, tuple] = {}
    for _rule, url in _urls(app, world, {"GET"}):
        response = client.get(url)
        html = response.get_data(as_text=True) if response.mimetype == "text/html" else ""
        response.close()  # a file answer (the favicon) holds its file open until closed
        if response.status_code != 200 or not html:
            continue
        for action, fields, files, shown in _forms_on(html):
            known = index.setdefault(action or urlsplit(url).path, ({}, set(), {}))
            for name, options in fields.items():
                known[0].setdefault(name, []).extend(o for o in options if o not in known[0][name])
            known[1].update(files)
            for name, value in shown.items():
                known[2].setdefault(name, value)
    return index


def _snapshot(app) -> dict[str, list]:
    with app.app_context():
        return {t.name: db.session.execute(sa.select(t)).all() for t in db.metadata.sorted_tables}


def _post(client, url: str, token: str, values: dict[str, list], files: set[str]):
    pairs = [("csrf_token", token)]
    for name, items in values.items():
        pairs += [(name, v) for v in items]
    if files:
        data: dict = {}
        for name, v in pairs:
            text = v.decode("latin-1") if isinstance(v, bytes) else v
            raw = v if isinstance(v, bytes) else v.encode()
            data.setdefault(name, []).append((io.BytesIO(raw), "upload.csv") if name in files else text)
        return client.post(url, data=data, content_type="multipart/form-data")
    body = urlencode([(k, v if isinstance(v, bytes) else v.encode("utf-8")) for k, v in pairs])
    return client.post(url, data=body, content_type="application/x-www-form-urlencoded")


def _fresh_token(client) -> str:
    """A CSRF token for the client's current session, logged in or not."""
    return csrf_token(client, "/account" if client.get("/account").status_code == 200 else "/login")


def fuzz_route(app, client, endpoint: str, url: str, form) -> None:
    """Post generated values to `url` and check the answer and the database.

    A success may start a new session (login, activation, password change): the CSRF token is
    read again after every redirect."""
    token = [_fresh_token(client)]
    fields, files, shown = form or ({name: [] for name in BROAD_FIELDS}, set(), {})
    may_write = MAY_WRITE_WHEN_REFUSED.get(endpoint, set())
    strategy = _form_values(fields, shown)

    @SETTINGS
    @given(values=strategy)
    def run(values):
        before = _snapshot(app)
        response = _post(client, url, token[0], values, files)
        status = response.status_code
        if status == 302 and endpoint != "accounts.logout":
            token[0] = _fresh_token(client)
        allowed = ALLOWED | ({429} if endpoint.startswith("accounts.") else set())
        sent = {k: [repr(x)[:80] for x in v] for k, v in values.items()}
        assert status in allowed, (endpoint, url, status, sent)
        if status != 302:  # refused or re-shown with errors: nothing written
            after = _snapshot(app)
            changed = [t for t in before if before[t] != after[t] and t not in may_write]
            assert not changed, (endpoint, status, changed)

    run()


def _post_routes(app, world, only=None):
    routes = [(rule.endpoint, url) for rule, url in _urls(app, world, {"POST"})
              if only is None or rule.endpoint in only]
    return sorted(routes, key=lambda r: ("logout" in r[0], any(w in r[0] for w in DESTRUCTIVE), r[0]))


# --- the world the forms work on -----------------------------------------------------------


@pytest.fixture
def world(app, liaison_client):
    """Another unit with a contact and a liaison, a message, a broadcast, a draft event with a
    session, an activation and a reset link; and the ids of the liaison's own unit."""
    from eventsite.mail.models import Broadcast
    from eventsite.mail.services import enqueue
    from eventsite.pickups.models import PickupPassenger, PickupRun

    with app.app_context():
        unit = factories.make_unit(name_zh="乙市", name_en="Unit B")
        contact = factories.make_contact(unit)
        other = factories.make_user("liaison", unit=unit)
        pending = factories.make_user("organizer", password=None)  # not activated yet
        message = enqueue(kind="broadcast", to_addr="b@example.org", subject="s", body_text="t")
        broadcast = Broadcast(subject_en="s", body_en="b")
        db.session.add(broadcast)
        event = factories.make_event(status="draft", kind="exposition")  # it has stands
        agenda_item = factories.make_session(event)
        own = db.session.get(factories.User, liaison_client.user_id)
        own_contact = factories.make_contact(own.unit)
        activate = tokens.issue(pending, "activate", 24)
        reset = tokens.issue(other, "reset", 1)
        invitation, _raw = factories.make_invitation(event, unit)
        delegation, delegate = factories.make_delegation(event, unit, invitation=invitation)
        hotel = make_hotel(event)
        block = make_block(hotel)
        run = PickupRun(event_id=event.id, starts_at=event.starts_at, meeting_point_en="Gate", capacity=2)
        db.session.add(run)
        db.session.flush()
        db.session.add(PickupPassenger(run_id=None, event_id=event.id, delegate_id=delegate.id,
                                       direction="arrival", starts_at=run.starts_at))
        door_checkin = check_in(delegate, by=None, scanned_at=event.starts_at, method="manual").record
        meeting_ids = meeting_world(event, delegation)
        coop = cooperation_world(own.unit, event)
        db.session.commit()
        passenger_id = db.session.scalar(sa.select(PickupPassenger.id))
        return {**meeting_ids, "checkin_id": door_checkin.id, "run_id": run.id, "passenger_id": passenger_id,
                "event_id": event.id, "session_id": agenda_item.id, "unit_id": unit.id,
                "contact_id": contact.id, "user_id": other.id, "message_id": message.id,
                "broadcast_id": broadcast.id, "n": 0, "token": "x" * 43,
                "activate": activate, "reset": reset, "invitation_id": invitation.id,
                "delegation_id": delegation.id, "delegate_id": delegate.id,
                "own_unit_id": own.unit_id, "own_contact_id": own_contact.id, "kind": "favicon", "service": "google",
                "hotel_id": hotel.id, "block_id": block.id, "fmt": "csv", "letter_id": 1,
                "code": "x" * 22, "certificate_id": 1, "direction": "up",
                **{k: v.id for k, v in coop.items()}}


# --- the tests -------------------------------------------------------------------------------


@pytest.mark.both_dbs
def test_every_form_as_admin(app, admin_client, world):
    index = _index_forms(app, admin_client, world)
    routes = _post_routes(app, world)
    assert len(routes) >= 30
    for endpoint, url in routes:
        fuzz_route(app, admin_client, endpoint, url, index.get(urlsplit(url).path))


@pytest.mark.both_dbs
def test_own_account_and_unit_forms_as_liaison(app, liaison_client, world):
    own = {**world, "unit_id": world["own_unit_id"], "contact_id": world["own_contact_id"]}
    index = _index_forms(app, liaison_client, own)
    routes = _post_routes(app, own, only={"accounts.profile", "accounts.change_password",
                                          "members.edit", "members.contact_new", "members.contact_edit",
                                          "core.set_language", "events.set_viewer_timezone"})
    assert len(routes) == 7
    for endpoint, url in routes:
        fuzz_route(app, liaison_client, endpoint, url, index.get(urlsplit(url).path))


@pytest.mark.both_dbs
def test_cooperation_forms_as_liaison(app, liaison_client, world):
    """The liaison's own profile, projects and brochures (the world's project is their unit's)."""
    index = _index_forms(app, liaison_client, world)
    routes = _post_routes(app, world, only={
        "cooperation.profile", "cooperation.edit_project", "cooperation.submit_project",
        "cooperation.withdraw_project", "cooperation.brochures", "cooperation.delete_brochure"})
    assert len(routes) == 7  # edit_project: new and edit
    for endpoint, url in routes:
        fuzz_route(app, liaison_client, endpoint, url, index.get(urlsplit(url).path))


@pytest.mark.both_dbs
def test_public_forms_as_anonymous(app, client, world):
    links = {"accounts.activate": world["activate"], "accounts.reset_password": world["reset"]}
    for endpoint in ("accounts.login", "accounts.forgot_password", "accounts.activate",
                     "accounts.reset_password", "core.set_language", "events.set_viewer_timezone"):
        with app.test_request_context():
            url = url_for(endpoint, **({"token": links[endpoint]} if endpoint in links else {}))
        page = client.get(url)
        forms = _forms_on(page.get_data(as_text=True)) if page.status_code == 200 else []
        form = next(((f, files, shown) for action, f, files, shown in forms
                     if action in ("", urlsplit(url).path)), None)
        fuzz_route(app, client, endpoint, url, form)
