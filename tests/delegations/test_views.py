"""The liaison's registration page: access, the form with and without JavaScript, errors, idempotency."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest

from eventsite.delegations.models import Delegate, Delegation
from eventsite.delegations.services import save_delegation
from eventsite.extensions import db, now_utc

from ..factories import make_event, make_session
from .helpers import rows, unit_with_liaison

URL = "/events/{}/delegation"


def page(client, event_id) -> str:
    response = client.get(URL.format(event_id))
    assert response.status_code == 200
    return response.get_data(as_text=True)


def form_fields(html: str) -> dict[str, str]:
    """The hidden and pre-filled inputs of the delegation form (what a browser would send)."""
    form = html[html.index('id="delegation-form"'):html.index("</form>", html.index('id="delegation-form"'))]
    fields = {}
    for tag in re.findall(r"<input[^>]*>", form):
        name = re.search(r'name="([^"]+)"', tag)
        if not name or 'type="checkbox"' in tag or 'type="submit"' in tag:
            continue
        value = re.search(r'value="([^"]*)"', tag)
        fields[name.group(1)] = value.group(1) if value else ""
    for select in re.finditer(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', form, re.S):
        chosen = re.search(r'<option selected value="([^"]*)"|<option value="([^"]*)" selected', select.group(2))
        first = re.search(r'<option[^>]*value="([^"]*)"', select.group(2))
        fields[select.group(1)] = (chosen.group(1) or chosen.group(2)) if chosen else first.group(1)
    return fields


def person_fields(i: int, role: str, family: str, email: str = "", **extra) -> dict[str, str]:
    return {f"people-{i}-role": role, f"people-{i}-family_name": family,
            f"people-{i}-given_name": "Test", f"people-{i}-email": email,
            f"people-{i}-language": "en", **{f"people-{i}-{k}": v for k, v in extra.items()}}


@pytest.fixture
def event_and_liaison(app, login):
    with app.app_context():
        event = make_event(capacity=10, default_quota=3)
        unit, liaison = unit_with_liaison()
        event_id, liaison_id = event.id, liaison.id
    client = app.test_client()
    with app.app_context():
        login(client, db.session.get(type(liaison), liaison_id))
    return event_id, client


def test_anonymous_goes_to_login(app, client):
    with app.app_context():
        event_id = make_event().id
        db.session.commit()
    response = client.get(URL.format(event_id))
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_staff_are_sent_away(app, organizer_client, admin_client):
    with app.app_context():
        event_id = make_event().id
        db.session.commit()
    assert organizer_client.get(URL.format(event_id)).status_code == 403
    assert admin_client.post(URL.format(event_id) + "/withdraw").status_code in (400, 403)


def test_draft_event_is_not_found(app, liaison_client):
    with app.app_context():
        event_id = make_event(status="draft").id
        db.session.commit()
    assert liaison_client.get(URL.format(event_id)).status_code == 404


def test_register_through_the_form_without_javascript(app, event_and_liaison, outbox):
    event_id, client = event_and_liaison
    html = page(client, event_id)
    assert 'id="person-template"' in html and "Person 1" in html and "Person 2" in html
    assert "Asia/Shanghai" in html  # times are typed in the event's zone, and the page says so
    data = form_fields(html)
    # "Add another person" posts back and returns one more (blank) row, keeping what was typed.
    data |= person_fields(0, "head", "Li", "li@example.org")
    response = client.post(URL.format(event_id), data=data | {"add_row": "1"})
    html = response.get_data(as_text=True)
    assert "Person 3" in html and 'value="Li"' in html
    data = form_fields(html) | person_fields(0, "head", "Li", "li@example.org") \
        | person_fields(2, "member", "Wang", "wang@example.org",
                        arrival_date="2026-05-03", arrival_time="14:30", arrival_details="CA 933")
    response = client.post(URL.format(event_id), data=data)
    assert response.status_code == 302
    html = client.get(URL.format(event_id)).get_data(as_text=True)
    assert "Your delegation is registered." in html
    with app.app_context():
        delegation = db.session.scalar(db.select(Delegation))
        assert [d.family_name for d in delegation.delegates] == ["Li", "Wang"]  # blank row 1 ignored
        assert delegation.delegates[1].arrival_at.isoformat() == "2026-05-03T06:30:00+00:00"
        assert {m.to_addr for m in outbox()} >= {"li@example.org", "wang@example.org"}
    # The same POST again (a double click or a retry) saves nothing twice.
    response = client.post(URL.format(event_id), data=data, follow_redirects=True)
    assert "already saved" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Delegate.id))) == 2


def test_errors_are_shown_next_to_their_field_and_nothing_is_saved(app, event_and_liaison):
    event_id, client = event_and_liaison
    data = form_fields(page(client, event_id)) | person_fields(0, "head", "Li", "not-an-address")
    response = client.post(URL.format(event_id), data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'aria-describedby="people-0-email-hint people-0-email-error"' in html
    assert 'id="people-0-email-error"' in html and "valid email" in html
    data = form_fields(page(client, event_id)) | person_fields(0, "member", "Li") | person_fields(1, "member", "Wu")
    html = client.post(URL.format(event_id), data=data).get_data(as_text=True)
    assert "head of delegation" in html
    data = form_fields(page(client, event_id)) | person_fields(0, "head", "Li", arrival_date="2026-05-03")
    html = client.post(URL.format(event_id), data=data).get_data(as_text=True)
    assert "Give both the date and the time, or neither." in html
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Delegation.id))) == 0


def test_edit_remove_and_substitute_through_the_form(app, event_and_liaison, outbox):
    event_id, client = event_and_liaison
    data = form_fields(page(client, event_id)) | person_fields(0, "head", "Li", "li@example.org") \
        | person_fields(1, "member", "Wang", "wang@example.org")
    assert client.post(URL.format(event_id), data=data).status_code == 302
    html = page(client, event_id)
    assert "Confirmed" in html and "substitute" in html
    data = form_fields(html) | person_fields(1, "member", "Zhou", "zhou@example.org") \
        | {"people-1-substitute": "y"}
    assert client.post(URL.format(event_id), data=data).status_code == 302
    with app.app_context():
        names = [(d.family_name, d.status) for d in db.session.scalars(db.select(Delegate).order_by(Delegate.id))]
        assert names == [("Li", "confirmed"), ("Wang", "removed"), ("Zhou", "confirmed")]
    data = form_fields(page(client, event_id)) | {"people-1-remove": "y"}
    assert client.post(URL.format(event_id), data=data).status_code == 302
    html = page(client, event_id)
    assert "No longer in the delegation" in html
    with app.app_context():
        assert db.session.scalar(db.select(Delegate).filter_by(family_name="Zhou")).status == "removed"


def test_liaison_never_sees_another_units_delegation(app, event_and_liaison):
    event_id, client = event_and_liaison
    with app.app_context():
        from eventsite.events.models import Event

        other, _liaison = unit_with_liaison()
        save_delegation(db.session.get(Event, event_id), other,
                        rows(1, start=0, family_name="Secretperson"))
    html = page(client, event_id)
    assert "Secretperson" not in html.title() and "p0@example.org" not in html
    assert "Register" not in html or 'value="' not in html.split('people-0-id')[1][:40].replace('value=""', '')


def test_read_only_after_the_edit_deadline(app, login):
    with app.app_context():
        event = make_event(edit_deadline=now_utc() + timedelta(days=1))
        unit, liaison = unit_with_liaison()
        save_delegation(event, unit, rows(1, family_name="Readonly"),
                        now=now_utc() - timedelta(days=1))
        event.edit_deadline = now_utc() - timedelta(minutes=1)
        db.session.commit()
        event_id = event.id
        client = app.test_client()
        login(client, liaison)
    html = page(client, event_id)
    assert 'id="read-only"' in html and "Changes are closed" in html
    assert 'id="delegation-form"' not in html and "READONLY" in html  # the list, not a form
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/").get_data(as_text=True))
    response = client.post(URL.format(event_id), data={"csrf_token": token.group(1) if token else ""})
    assert response.status_code in (302, 400)


def test_closed_registration_shows_a_message_and_no_form(app, login):
    with app.app_context():
        event = make_event(registration_closes_at=now_utc() - timedelta(hours=1))
        unit, liaison = unit_with_liaison()
        event_id = event.id
        client = app.test_client()
        login(client, liaison)
    html = page(client, event_id)
    assert "Registration closed" in html and 'id="delegation-form"' not in html


def test_session_checkboxes_only_for_choosable_sessions(app, event_and_liaison):
    event_id, client = event_and_liaison
    with app.app_context():
        from eventsite.events.models import Event

        event = db.session.get(Event, event_id)
        make_session(event, title_en="Pick me", delegates_choose=True)
        make_session(event, title_en="Plenary for all")
        db.session.commit()
    html = page(client, event_id)
    assert "Pick me" in html and "Plenary for all" not in html


def test_withdraw_needs_confirmation(app, event_and_liaison):
    event_id, client = event_and_liaison
    data = form_fields(page(client, event_id)) | person_fields(0, "head", "Li")
    client.post(URL.format(event_id), data=data)
    html = page(client, event_id)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
    url = URL.format(event_id) + "/withdraw"
    html = client.post(url, data={"csrf_token": token}, follow_redirects=True).get_data(as_text=True)
    assert "Tick the box" in html
    html = client.post(url, data={"csrf_token": token, "confirm": "y"}, follow_redirects=True).get_data(as_text=True)
    assert "withdrawn" in html
    with app.app_context():
        assert db.session.scalar(db.select(Delegation)).status == "withdrawn"


def test_the_script_is_a_static_file(app, event_and_liaison):
    event_id, client = event_and_liaison
    html = page(client, event_id)
    assert '<script src="/static/js/delegation_form.js"></script>' in html
    assert "<script>" not in html
    response = client.get("/static/js/delegation_form.js")
    assert response.status_code == 200 and b"person-template" in response.data
    response.close()


@pytest.mark.parametrize("language", ["en", "zh"])
def test_every_mistake_of_the_delegation_is_shown_in_one_submit(app, event_and_liaison, language):
    """Issue 15: the service reports every broken rule at once, each next to its field."""
    from flask_babel import force_locale, gettext

    from eventsite.accounts.models import User

    event_id, client = event_and_liaison
    with app.app_context():
        db.session.execute(db.update(User).values(locale=language))  # the liaison reads in it
        db.session.commit()
    data = (form_fields(page(client, event_id)) | person_fields(0, "head", "", "li@example.org", given_name="")
            | person_fields(1, "member", "Li", arrival_date="2026-05-03", arrival_time="10:00",
                            departure_date="2026-05-02", departure_time="10:00")
            | person_fields(2, "head", "Wu"))
    html = client.post(URL.format(event_id), data=data).get_data(as_text=True)
    with app.test_request_context(), force_locale(language):
        name = gettext("Give a name: the family or given name in Latin letters, or the name in "
                       "Chinese characters.")
        departure = gettext("The departure cannot be before the arrival.")
        heads = gettext("Name exactly one head of delegation.")
    assert language == "en" or departure != "The departure cannot be before the arrival."

    def error_of(field_id: str) -> str:
        match = re.search(rf'<div class="invalid-feedback d-block" id="{field_id}-error">([^<]*)</div>', html)
        return match.group(1) if match else ""

    assert name in error_of("people-0-family_name")
    assert departure in error_of("people-1-departure_date")
    assert heads in html
    assert not error_of("people-2-family_name")
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Delegation.id))) == 0
