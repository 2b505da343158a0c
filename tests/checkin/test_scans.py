"""The desk's upload (POST /checkin/<event>/scans) and roster: every result, idempotent retries,
one check-in per person and door when devices race, session capacity under a lock, who may use
the desk, and bodies that are not an upload (400, never 500)."""
from __future__ import annotations

import json
import uuid
from datetime import timedelta

import pytest
import sqlalchemy as sa

from eventsite.accounts.models import User
from eventsite.audit.models import AuditEntry
from eventsite.checkin import scans
from eventsite.checkin.models import CheckIn, SessionCheckIn
from eventsite.checkin.services import badge_url
from eventsite.delegations.models import Delegate
from eventsite.events.models import Event
from eventsite.extensions import db, now_utc

from .. import factories
from ..conftest import csrf_token
from ..races import at_once
from .helpers import event_today


def _scan(code, **fields):
    return {"id": str(uuid.uuid4()), "code": code, "at": now_utc().isoformat(), "session": None,
            "device": "phone-test", "method": "scan"} | fields


def _desk(app, login, user_id):
    client = app.test_client()
    with app.app_context():
        login(client, db.session.get(User, user_id))
    client.token = csrf_token(client, "/account")
    return client


def _post(client, event_id, body, raw=False, **headers):
    data = body if raw else json.dumps(body)
    return client.post(f"/checkin/{event_id}/scans", data=data, content_type="application/json",
                       headers={"X-CSRFToken": client.token, **headers})


@pytest.fixture
def seeded(app):
    with app.app_context():
        return event_today(people=3)


@pytest.fixture
def desk(app, login, seeded):
    return _desk(app, login, seeded["staff_id"])


def _count(app, model, **where):
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(model).filter_by(**where))


@pytest.mark.both_dbs
def test_a_scan_checks_in_and_a_second_scan_says_when_and_by_whom(app, desk, seeded):
    code = seeded["codes"][0]
    first = _post(desk, seeded["event_id"], {"scans": [_scan(badge_url_in(app, code))]})
    assert first.status_code == 200
    result = first.get_json()["results"][0]
    assert result["result"] == "checked_in"
    assert result["card"]["name_zh"] == seeded["names_zh"][0] and result["card"]["unit_en"] == "Chengdu"
    assert result["card"]["dietary"] == "Vegetarian" and result["card"]["role"] == "head"
    again = _post(desk, seeded["event_id"], {"scans": [_scan(code)]}).get_json()["results"][0]
    assert again["result"] == "already"
    assert "by Door Staff" in again["message"] and again["card"]["in"]["by"] == "Door Staff"
    assert _count(app, CheckIn, event_id=seeded["event_id"]) == 1
    with app.app_context():
        entries = db.session.scalars(sa.select(AuditEntry).filter_by(action="checkin.scans")).all()
        assert len(entries) == 1  # the second upload changed nothing
        assert entries[0].actor_id == seeded["staff_id"]
        assert entries[0].details["checked_in"][0]["delegate_id"] == seeded["delegate_ids"][0]


def badge_url_in(app, code):
    with app.test_request_context():
        return badge_url(code)


@pytest.mark.both_dbs
def test_the_same_scan_sent_twice_is_one_check_in_with_the_same_answer(app, desk, seeded):
    scan = _scan(seeded["codes"][1])
    answers = [_post(desk, seeded["event_id"], {"scans": [scan]}).get_json()["results"][0] for _ in range(2)]
    assert [a["result"] for a in answers] == ["checked_in", "checked_in"]
    both = _post(desk, seeded["event_id"], {"scans": [scan, scan]}).get_json()["results"]
    assert [a["result"] for a in both] == ["checked_in", "checked_in"]
    assert _count(app, CheckIn, event_id=seeded["event_id"]) == 1


@pytest.mark.both_dbs
def test_every_refusal_has_its_result_and_changes_nothing(app, desk, seeded):
    event_id, codes = seeded["event_id"], seeded["codes"]
    with app.app_context():
        db.session.get(Delegate, seeded["delegate_ids"][2]).status = "pending"
        event = db.session.get(Event, event_id)
        before_event = event.starts_at - timedelta(days=1)
        db.session.commit()
    used = _scan(codes[0])
    assert _post(desk, event_id, {"scans": [used]}).get_json()["results"][0]["result"] == "checked_in"
    cases = [
        (_scan("no-such-badge-code"), "unknown_badge"),
        (_scan(""), "unknown_badge"),
        (_scan("\x00"), "unknown_badge"),
        (_scan("https://example.org/checkin/badge/%00"), "unknown_badge"),
        (_scan(codes[1], session=seeded["session_id"] + 1000), "unknown_session"),
        (_scan(codes[1], session="x"), "unknown_session"),
        (_scan(codes[2]), "not_admitted"),
        (_scan(codes[1], at=(now_utc() + timedelta(days=2)).isoformat()), "bad_time"),
        (_scan(codes[1], at=before_event.isoformat()), "bad_time"),
        (_scan(codes[1], at="yesterday"), "bad_time"),
        (_scan(codes[1], at="2026-01-01T10:00:00"), "bad_time"),  # no zone: not an instant
        (_scan(codes[1], id="x"), "bad_scan_id"),
        (_scan(codes[1], id=None), "bad_scan_id"),
        (_scan(codes[1], id=used["id"]), "bad_scan_id"),  # another person's scan
    ]
    results = _post(desk, event_id, {"scans": [c for c, _ in cases]}).get_json()["results"]
    assert [r["result"] for r in results] == [expected for _, expected in cases]
    assert all(r["message"] for r in results)
    assert next(r for r in results if r["result"] == "not_admitted")["card"]["status"] == "pending"
    assert _count(app, CheckIn, event_id=event_id) == 1 and _count(app, SessionCheckIn) == 0


@pytest.mark.both_dbs
def test_a_badge_of_another_event_is_unknown_here(app, desk, seeded):
    with app.app_context():
        other = db.session.get(Event, seeded["other_event_id"])
        _, stranger = factories.make_delegation(other, factories.make_unit())
        stranger.badge_code = "c" * 22
        db.session.commit()
    result = _post(desk, seeded["event_id"], {"scans": [_scan("c" * 22)]}).get_json()["results"][0]
    assert result["result"] == "unknown_badge" and result["card"] is None


@pytest.mark.both_dbs
def test_a_session_scan_checks_in_at_the_entrance_too_and_a_full_session_says_so(app, login, desk, seeded):
    with app.app_context():
        from eventsite.events.models import AgendaSession

        db.session.get(AgendaSession, seeded["session_id"]).capacity = 1
        db.session.commit()
    at_session = [_scan(code, session=seeded["session_id"]) for code in seeded["codes"][:2]]
    results = _post(desk, seeded["event_id"], {"scans": at_session}).get_json()
    assert [r["result"] for r in results["results"]] == ["checked_in", "session_full"]
    assert results["sessions"][0]["count"] == 1 and results["sessions"][0]["capacity"] == 1
    assert _count(app, SessionCheckIn, session_id=seeded["session_id"]) == 1
    assert _count(app, CheckIn, event_id=seeded["event_id"]) == 1  # the first, at the entrance too
    again = _post(desk, seeded["event_id"], {"scans": [_scan(seeded["codes"][0], session=seeded["session_id"])]})
    assert again.get_json()["results"][0]["result"] == "already"  # inside already: not "full"


@pytest.mark.both_dbs
def test_the_roster_lists_admitted_delegates_with_badges(app, desk, seeded):
    with app.app_context():
        db.session.get(Delegate, seeded["delegate_ids"][2]).badge_code = None  # never printed
        db.session.commit()
    _post(desk, seeded["event_id"], {"scans": [_scan(seeded["codes"][0])]})
    response = desk.get(f"/checkin/{seeded['event_id']}/roster.json")
    assert response.headers["Cache-Control"] == "no-store"
    desk.token = response.headers["X-CSRFToken"]  # a fresh token the desk sends its uploads with
    assert _post(desk, seeded["event_id"], {"scans": []}).status_code == 200
    roster = response.get_json()
    assert [p["code"] for p in roster["people"]] == seeded["codes"][:2]
    assert roster["people"][0]["in"]["by"] == "Door Staff" and roster["people"][1]["in"] is None
    assert roster["sessions"][0]["id"] == seeded["session_id"]


@pytest.mark.parametrize("body", [
    b"", b"not json", b"\xff\xfe\x00", b"[]", b"null", b'{"scans": 1}', b'{"scans": [1]}',
    b'{"scans": ["x"]}', b"[" * 100000 + b"]" * 100000, b'{"scans": [[]]}',
])
def test_bodies_that_are_not_an_upload_are_refused_with_400(app, desk, seeded, body):
    response = _post(desk, seeded["event_id"], body, raw=True)
    assert response.status_code == 400 and response.get_json()["error"]
    assert _count(app, CheckIn) == 0


def test_too_many_scans_or_too_large_a_body_is_refused(app, desk, seeded):
    many = {"scans": [_scan(seeded["codes"][0]) for _ in range(scans.MAX_SCANS + 1)]}
    assert _post(desk, seeded["event_id"], many).status_code in (400, 413)
    large = {"scans": [_scan("x" * 2000) for _ in range(200)]}
    assert _post(desk, seeded["event_id"], large).status_code == 413
    assert _count(app, CheckIn) == 0


def test_an_upload_without_the_csrf_token_is_refused(app, desk, seeded):
    response = desk.post(f"/checkin/{seeded['event_id']}/scans", data=json.dumps({"scans": [_scan(seeded["codes"][0])]}),
                         content_type="application/json")
    assert response.status_code == 400 and _count(app, CheckIn) == 0


@pytest.mark.both_dbs
def test_who_may_use_the_desk(app, login, seeded, liaison_client, organizer_client, client):
    event_id = seeded["event_id"]
    paths = [f"/checkin/{event_id}", f"/checkin/{event_id}/roster.json", f"/checkin/{event_id}?session=99"]
    stranger = _desk(app, login, seeded["stranger_id"])
    staff = _desk(app, login, seeded["staff_id"])
    for path in paths:
        assert staff.get(path).status_code == 200
        assert organizer_client.get(path).status_code == 200
        assert stranger.get(path).status_code == 404  # another event's staff: hidden
        assert liaison_client.get(path).status_code == 403
        assert client.get(path).status_code == 302
    assert _post(stranger, event_id, {"scans": [_scan(seeded["codes"][0])]}).status_code == 404
    assert _count(app, CheckIn) == 0
    listed = staff.get("/checkin/events").get_data(as_text=True)
    assert f"/checkin/{event_id}\"" in listed and f"/checkin/{seeded['other_event_id']}\"" not in listed
    assert f"/checkin/{seeded['other_event_id']}\"" in stranger.get("/checkin/events").get_data(as_text=True)
    assert liaison_client.get("/checkin/events").status_code == 403


def test_check_in_staff_land_on_their_events_after_login(app, client, seeded):
    token = csrf_token(client, "/login")
    response = client.post("/login", data={"csrf_token": token, "email": seeded["staff"],
                                           "password": factories.PASSWORD})
    assert response.status_code == 302 and response.headers["Location"].endswith("/checkin/events")


def test_the_badge_address_opens_the_desk_for_staff_of_its_event(app, login, seeded):
    staff, stranger = _desk(app, login, seeded["staff_id"]), _desk(app, login, seeded["stranger_id"])
    code = seeded["codes"][0]
    response = staff.get(f"/checkin/badge/{code}")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/checkin/{seeded['event_id']}?code={code}")
    assert stranger.get(f"/checkin/badge/{code}").status_code == 404
    assert staff.get("/checkin/badge/unknown").status_code == 404


# --- devices racing ---------------------------------------------------------------------------------


def _upload_at_once(apps, event_id, staff_id, batches):
    def load(batch):
        parsed = scans.read_upload({"scans": batch})
        return db.session.get(Event, event_id), db.session.get(User, staff_id), parsed

    uploads = at_once(apps, [(batch,) for batch in batches], load=load,
                      act=lambda event, user, parsed: [r["result"] for r in scans.upload(event, user, parsed)])
    return sorted(result for results in uploads for result in results)


@pytest.mark.both_dbs
def test_two_devices_scanning_the_same_badge_at_once_count_one_check_in(app_factory):
    apps = [app_factory(), app_factory()]
    for _round in range(3):
        with apps[0].app_context():
            seeded = event_today(people=1)
        code = seeded["codes"][0]
        results = _upload_at_once(apps, seeded["event_id"], seeded["staff_id"],
                                  [[_scan(code, device="a")], [_scan(code, device="b")]])
        assert results == ["already", "checked_in"]
        with apps[1].app_context():
            assert db.session.scalar(sa.select(sa.func.count(CheckIn.id))
                                     .filter_by(event_id=seeded["event_id"])) == 1


@pytest.mark.both_dbs
def test_uploads_naming_the_same_people_in_opposite_orders_never_deadlock(app_factory):
    apps = [app_factory(), app_factory()]
    for _round in range(3):
        with apps[0].app_context():
            seeded = event_today(people=4)
        codes = seeded["codes"]
        batches = [[_scan(code, device="a") for code in codes], [_scan(code, device="b") for code in reversed(codes)]]
        results = _upload_at_once(apps, seeded["event_id"], seeded["staff_id"], batches)
        assert results == ["already"] * 4 + ["checked_in"] * 4
        with apps[1].app_context():
            assert db.session.scalar(sa.select(sa.func.count(CheckIn.id))
                                     .filter_by(event_id=seeded["event_id"])) == 4


@pytest.mark.both_dbs
def test_the_earliest_scans_get_a_sessions_last_seats(app, desk, seeded):
    with app.app_context():
        from eventsite.events.models import AgendaSession

        db.session.get(AgendaSession, seeded["session_id"]).capacity = 1
        db.session.commit()
    late, early = (now_utc() - timedelta(minutes=m) for m in (1, 5))
    batch = [_scan(seeded["codes"][0], session=seeded["session_id"], at=late.isoformat()),
             _scan(seeded["codes"][1], session=seeded["session_id"], at=early.isoformat())]
    results = _post(desk, seeded["event_id"], {"scans": batch}).get_json()["results"]
    assert [r["result"] for r in results] == ["session_full", "checked_in"]


@pytest.mark.both_dbs
def test_racing_uploads_never_fill_a_session_beyond_its_capacity(app_factory):
    apps = [app_factory(), app_factory()]
    for _round in range(3):
        with apps[0].app_context():
            seeded = event_today(people=4, capacity=3)
        codes, session_id = seeded["codes"], seeded["session_id"]
        batches = [[_scan(codes[0], session=session_id), _scan(codes[1], session=session_id)],
                   [_scan(codes[2], session=session_id), _scan(codes[3], session=session_id)]]
        results = _upload_at_once(apps, seeded["event_id"], seeded["staff_id"], batches)
        assert results == ["checked_in"] * 3 + ["session_full"]
        with apps[1].app_context():
            assert db.session.scalar(sa.select(sa.func.count(SessionCheckIn.id))
                                     .filter_by(session_id=session_id)) == 3
