"""The liaison's page and answers through HTTP (own delegation only), the organizer's pages and
exports read back."""
from __future__ import annotations

import csv
import io

import pytest
from pypdf import PdfReader

from eventsite.extensions import db
from eventsite.meetings import services
from eventsite.meetings.models import Meeting, MeetingSlot, MeetingTable

from ..conftest import csrf_token
from .helpers import forum, values


def _setup(app, login, units=2):
    with app.app_context():
        event, organizer, sides, slots, tables = forum(units=units)
        db.session.commit()
        ids = {"event": event.id, "slots": [s.id for s in slots], "organizer": organizer,
               "sides": [(d.id, lia) for _u, d, _h, lia in sides]}
    clients = []
    for _d, liaison in ids["sides"]:
        client = app.test_client()
        with app.app_context():
            login(client, db.session.merge(liaison))
        clients.append(client)
    return ids, clients


def test_request_and_accept_through_the_pages(app, login, outbox):
    ids, (a, b) = _setup(app, login)
    page = f"/events/{ids['event']}/meetings"
    html = a.get(page).get_data(as_text=True)
    assert "Unit B" in html
    token = csrf_token(a, page)
    response = a.post(page, data={"csrf_token": token, "invitee": ids["sides"][1][0], "slot": ids["slots"][0],
                                  "topic": "Energy", "message": "Hi", "interpreter_needed": "y"})
    assert response.status_code == 302
    with app.app_context():
        meeting_id = db.session.scalar(db.select(Meeting.id))
    # the requester cannot accept; an unknown id is a 404
    a.post(f"{page}/{meeting_id}/accept", data={"csrf_token": token})
    assert b.post(f"{page}/999/accept", data={"csrf_token": csrf_token(b, page)}).status_code == 404
    response = b.post(f"{page}/{meeting_id}/accept", data={"csrf_token": csrf_token(b, page)})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Meeting, meeting_id).status == "accepted"


def test_every_problem_in_one_submit_and_no_500(app, login):
    ids, (a, _b) = _setup(app, login)
    page = f"/events/{ids['event']}/meetings"
    response = a.post(page, data={"csrf_token": csrf_token(a, page), "invitee": "x", "slot": "99999",
                                  "topic": "t" * 100})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "is-invalid" in html
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Meeting.id))) == 0


def test_another_units_liaison_cannot_act(app, login):
    ids, (a, b, c) = _setup(app, login, units=3)
    with app.app_context():
        from eventsite.delegations.models import Delegation

        mine, other = db.session.get(Delegation, ids["sides"][0][0]), db.session.get(Delegation, ids["sides"][1][0])
        event = mine.event
        meeting = services.request_meeting(event, mine, values(other, db.session.get(MeetingSlot, ids["slots"][0])),
                                           db.session.merge(ids["sides"][0][1]))
        meeting_id = meeting.id
    page = f"/events/{ids['event']}/meetings"
    for action in ("accept", "decline", "cancel", "propose"):
        assert c.post(f"{page}/{meeting_id}/{action}", data={"csrf_token": csrf_token(c, page),
                                                              "slot": ids["slots"][1]}).status_code == 404
    with app.app_context():
        assert db.session.get(Meeting, meeting_id).status == "requested"


def test_organizer_pages_and_exports(app, login, organizer_client):
    ids, (a, b) = _setup(app, login)
    with app.app_context():
        from eventsite.delegations.models import Delegation

        mine, other = db.session.get(Delegation, ids["sides"][0][0]), db.session.get(Delegation, ids["sides"][1][0])
        meeting = services.request_meeting(mine.event, mine, values(other, db.session.get(MeetingSlot, ids["slots"][0])),
                                           db.session.merge(ids["sides"][0][1]))
        services.accept(meeting, other, db.session.merge(ids["sides"][1][1]))
    base = f"/organizer/events/{ids['event']}/meetings"
    html = organizer_client.get(base).get_data(as_text=True)
    assert "meeting-grid" in html and "Unit A / Unit B" in html
    token = csrf_token(organizer_client, base)
    assert organizer_client.post(f"{base}/tables", data={"csrf_token": token, "name": "9"}).status_code == 302
    assert organizer_client.post(f"{base}/tables", data={"csrf_token": token, "name": ""}).status_code == 400
    response = organizer_client.post(f"{base}/slots", data={
        "csrf_token": token, "first_day": "2030-01-05", "days": "2", "starts": "14:00", "ends": "16:00",
        "minutes": "30"})
    assert response.status_code == 302
    refused = organizer_client.post(f"{base}/slots", data={
        "csrf_token": token, "first_day": "x", "days": "0", "starts": "16:00", "ends": "14:00", "minutes": "1"})
    assert refused.status_code == 400
    assert refused.get_data(as_text=True).count("invalid-feedback") >= 4  # every problem at once
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(MeetingSlot.id))) == 2 + 8
        assert db.session.scalar(db.select(db.func.count(MeetingTable.id))) == 3
    assert organizer_client.post(f"{base}/settings", data={"csrf_token": token, "deadline": "2030-01-01T10:00"}
                                 ).status_code == 302
    rows = list(csv.reader(io.StringIO(organizer_client.get(f"{base}/plan.csv").data.decode("utf-8-sig"))))
    assert rows[1][2] == "1" and "Unit A" in rows[1][4]
    xlsx = organizer_client.get(f"{base}/plan.xlsx")
    assert xlsx.status_code == 200 and xlsx.data[:2] == b"PK"
    pdf = organizer_client.get(f"{base}/schedules.pdf?delegation={ids['sides'][0][0]}")
    assert pdf.status_code == 200 and pdf.data[:4] == b"%PDF"
    chinese, english = (" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "洽谈日程" in chinese and "单位1" in chinese and "1号桌" in chinese
    assert "Meeting schedule: Unit A" in english and "Unit B" in english and "Table 1" in english
    assert organizer_client.get(f"{base}/schedules.pdf?delegation=abc").status_code == 404
    assert a.get(base).status_code == 403


def test_links_to_the_pages(app, login, organizer_client):
    ids, (a, _b) = _setup(app, login)
    assert f"/events/{ids['event']}/meetings" in a.get(f"/events/{ids['event']}").get_data(as_text=True)
    html = organizer_client.get(f"/organizer/events/{ids['event']}").get_data(as_text=True)
    assert f"/organizer/events/{ids['event']}/meetings" in html


@pytest.mark.both_dbs
def test_hostile_ids_change_nothing(app, login):
    ids, (a, _b) = _setup(app, login)
    page = f"/events/{ids['event']}/meetings"
    token = csrf_token(a, page)
    for value in ("99999999999999999999", "-1", "0", "'; DROP TABLE meeting; --", ""):
        response = a.post(page, data={"csrf_token": token, "invitee": value, "slot": value})
        assert response.status_code == 200
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Meeting.id))) == 0


def test_the_delegates_personal_page_lists_the_meeting(app, client):
    from eventsite.core.tokens import new_token

    with app.app_context():
        event, _org, sides, slots, _tables = forum()
        (_ua, a, head_a, la), (_ub, b, _hb, lb) = sides
        services.accept(services.request_meeting(event, a, values(b, slots[0]), la), b, lb)
        raw, digest = new_token()
        head_a.token_hash, head_a.language = digest, "en"
        db.session.commit()
        page = f"/events/{event.id}/delegate/{raw}"
    html = client.get(page, headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert 'id="my-meetings"' in html and "Meeting with Unit B" in html and "Table 1, Hall B" in html
