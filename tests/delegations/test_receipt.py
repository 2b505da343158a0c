"""The liaison's receipt after submitting the delegation form (issue 16): a real POST redirects
to it; it lists every person (names in both scripts, role, status, chosen sessions), the
delegation's status and what happens next, in English and Chinese; only the unit's liaisons see it."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest

from eventsite.accounts.models import User
from eventsite.delegations.models import Delegation
from eventsite.events.models import Event
from eventsite.extensions import db, now_utc

from ..factories import make_event, make_session, make_user
from .helpers import unit_with_liaison
from .test_views import URL, form_fields, page, person_fields

RECEIPT = re.compile(r"^/delegations/(\d+)/receipt$")


@pytest.fixture
def forum(app, login):
    """An event with two sessions to choose and one for everyone; a logged-in liaison."""
    with app.app_context():
        event = make_event(capacity=2, default_quota=3, title_en="Urban Forum", title_zh="城市论坛")
        water = make_session(event, title_en="Water workshop", title_zh="水务研讨", delegates_choose=True)
        make_session(event, title_en="Harbour visit", title_zh="港口参观", delegates_choose=True)
        unit, liaison = unit_with_liaison()
        ids = {"event": event.id, "water": water.id, "liaison": liaison.id, "unit": unit.id}
    client = app.test_client()
    with app.app_context():
        login(client, db.session.get(User, ids["liaison"]))
    return ids, client


def submit(client, ids) -> str:
    """Three people through the real form (the third waits: capacity 2); the receipt's path."""
    data = form_fields(page(client, ids["event"])) \
        | person_fields(0, "head", "Li", "li@example.org", name_zh="李明",
                        sessions=str(ids["water"])) \
        | person_fields(1, "member", "Wang", "wang@example.org", name_zh="王芳") \
        | person_fields(2, "interpreter", "Rossi", "rossi@example.org")
    response = client.post(URL.format(ids["event"]), data=data)
    assert response.status_code == 302
    location = response.headers["Location"]
    assert RECEIPT.match(location), location
    return location


def set_locale(app, user_id: int, locale: str) -> None:
    with app.app_context():
        db.session.get(User, user_id).locale = locale
        db.session.commit()


def test_submitting_redirects_to_a_receipt_with_everyone_in_both_languages(app, forum):
    ids, client = forum
    path = submit(client, ids)
    html = client.get(path).get_data(as_text=True)
    assert "Receipt of your delegation" in html and "Urban Forum" in html
    assert "Your delegation is registered." in html  # the flash of the save, once
    people = html[html.index('id="receipt-people"'):]
    for name in ("Test LI", "李明", "Test WANG", "王芳", "Test ROSSI"):
        assert name in people
    assert "Head of delegation" in people and "Member" in people and "Interpreter" in people
    assert people.count("Confirmed") == 2 and people.count("Waiting list") == 1
    assert "Water workshop" in people and "Harbour visit" not in people  # chosen ones only
    assert "none chosen" in people
    assert re.search(r'id="receipt-status">Confirmed<', html)
    steps = html[html.index('id="next-steps"'):html.index("</ul>", html.index('id="next-steps"'))]
    assert "Your delegation is confirmed." in steps
    assert "1 person is on the waiting list" in steps
    assert "You can still change or withdraw the delegation until" in steps
    assert f'href="/events/{ids["event"]}/delegation" id="edit-delegation"' in html
    assert 'id="print-receipt" data-print hidden>Print</button>' in html
    assert "js/print_button.js" in html

    set_locale(app, ids["liaison"], "zh")
    html = client.get(path).get_data(as_text=True)
    assert "代表团报名回执" in html and "城市论坛" in html
    people = html[html.index('id="receipt-people"'):]
    for name in ("Test LI", "李明", "王芳", "Test ROSSI", "水务研讨", "团长", "候补"):
        assert name in people, name
    assert "港口参观" not in people
    assert "1 人在候补名单中" in html and "您仍可修改或撤回代表团报名" in html
    assert ">打印</button>" in html


def test_next_step_follows_the_status(app, forum):
    ids, client = forum
    with app.app_context():
        db.session.get(Event, ids["event"]).approval_required = True
        db.session.commit()
    html = client.get(submit(client, ids)).get_data(as_text=True)
    assert "Submitted (awaiting approval)" in html
    assert "The secretariat reviews each delegation." in html
    assert "Pending approval" in html
    with app.app_context():  # past the edit deadline: no way back to the form
        event = db.session.get(Event, ids["event"])
        event.edit_deadline = now_utc() - timedelta(minutes=1)
        event.registration_closes_at = now_utc() - timedelta(minutes=1)
        db.session.commit()
        path = f"/delegations/{db.session.scalar(db.select(Delegation.id))}/receipt"
    html = client.get(path).get_data(as_text=True)
    assert "The delegation can no longer be changed here." in html
    assert 'id="edit-delegation"' not in html


def test_only_the_units_liaisons_see_the_receipt(app, forum, login, organizer_client):
    ids, client = forum
    path = submit(client, ids)
    with app.app_context():
        _other_unit, stranger = unit_with_liaison()
        colleague = make_user(role="liaison", unit=db.session.get(type(_other_unit), ids["unit"]))
        db.session.commit()
        stranger_id, colleague_id = stranger.id, colleague.id
    other = app.test_client()
    with app.app_context():
        login(other, db.session.get(User, stranger_id))
    assert other.get(path).status_code == 404
    assert other.get("/delegations/99999/receipt").status_code == 404
    assert other.get("/delegations/abc/receipt").status_code == 404
    assert other.get("/delegations/99999999999999/receipt").status_code == 404
    assert organizer_client.get(path).status_code == 403
    anonymous = app.test_client().get(path)
    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]
    same_unit = app.test_client()
    with app.app_context():
        login(same_unit, db.session.get(User, colleague_id))
    assert same_unit.get(path).status_code == 200
