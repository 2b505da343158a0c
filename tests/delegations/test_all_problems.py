"""Issue 16: one submit shows every problem next to its field, in the reader's language, on the
liaison's form, the delegate's own page and the organizer's edit page: the form's own errors and
the rules' together; one head shown at the role fields; no shared email addresses in one
delegation; no parallel sessions for one person."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from babel.support import Translations
from bs4 import BeautifulSoup
from flask_babel import force_locale, gettext
from wtforms.i18n import messages_path

from eventsite.core.domain import DomainError
from eventsite.delegations.models import Delegate
from eventsite.delegations.services import save_delegation, selfservice
from eventsite.events.models import Event
from eventsite.extensions import db

from .. import factories
from ..conftest import csrf_token
from .admin_seed import personal_link, register
from .helpers import rows, unit_with_liaison
from .test_views import person_fields

pytestmark = pytest.mark.both_dbs
URL = "/events/{}/delegation"


def feedback(html: str, field_id: str) -> str:
    """The message shown with the field (its own invalid-feedback)."""
    box = BeautifulSoup(html, "html.parser").find(id=f"{field_id}-error")
    return box.get_text(" ", strip=True) if box else ""


def translated(app, language: str, message: str, **values) -> str:
    with app.test_request_context(), force_locale(language):
        return gettext(message, **values)


def too_long(language: str, limit: int) -> str:
    """WTForms' own message, as its catalogue ships it."""
    catalogue = Translations.load(messages_path(), [language], domain="wtforms")
    return catalogue.ngettext("Field cannot be longer than %(max)d character.",
                              "Field cannot be longer than %(max)d characters.", limit) % {"max": limit}


def snapshot(app) -> list:
    with app.app_context():
        return [(d.id, d.status, d.role, d.email, d.family_name, d.mobile)
                for d in db.session.scalars(db.select(Delegate).order_by(Delegate.id))]


def liaison_for(app, login, language: str, **event_fields):
    with app.app_context():
        event = factories.make_event(capacity=10, default_quota=3, **event_fields)
        first = factories.make_session(event, title_en="Water", title_zh="水务", delegates_choose=True)
        parallel = factories.make_session(event, title_en="Transport", title_zh="交通",
                                          starts_at=event.starts_at + timedelta(minutes=30),
                                          delegates_choose=True)
        unit, liaison = unit_with_liaison(locale=language)
        ids = {"event": event.id, "unit": unit.id, "first": first.id, "parallel": parallel.id,
               "liaison": liaison.id}
        user = type(liaison)
    client = app.test_client()
    with app.app_context():
        login(client, db.session.get(user, ids["liaison"]))
    return ids, client


@pytest.mark.parametrize("language", ["en", "zh"])
def test_delegation_form_shows_every_problem_of_two_people_in_one_submit(app, login, language):
    ids, client = liaison_for(app, login, language)
    url = URL.format(ids["event"])
    data = {"csrf_token": csrf_token(client, url),
            **person_fields(0, "head", "W" * 101, "same@example.org",
                            sessions=[str(ids["first"]), str(ids["parallel"])]),
            **person_fields(1, "head", "Li", " SAME@example.org ", arrival_date="2030-07-01")}
    before = snapshot(app)
    response = client.post(url, data=data)
    assert response.status_code == 200 and snapshot(app) == before
    html = response.get_data(as_text=True)
    one_head = translated(app, language, "Name exactly one head of delegation.")
    expected = {
        "people-0-family_name": too_long(language, 100),  # the form's (WTForms') own message
        "people-0-role": one_head, "people-1-role": one_head,  # the rules', at the role fields
        "people-0-sessions": translated(app, language, "“%(first)s” and “%(second)s” take place at the "
                                        "same time: choose one of them.",
                                        first="Water" if language == "en" else "水务",
                                        second="Transport" if language == "en" else "交通"),
        "people-1-email": translated(app, language, "Another person in this delegation has the email "
                                     "address %(address)s: each person needs their own.",
                                     address="same@example.org"),
        "people-1-arrival_time": translated(app, language, "Give both the date and the time, or neither."),
    }
    if language == "zh":
        assert "字段长度不能超过 100 个字符" in expected["people-0-family_name"]
        assert one_head != "Name exactly one head of delegation."
    for field_id, message in expected.items():
        assert message in feedback(html, field_id), field_id
    assert "people-0-email-error" not in html  # the first of the two keeps the address


def test_the_same_rows_without_mistakes_are_saved(app, login):
    ids, client = liaison_for(app, login, "en")
    url = URL.format(ids["event"])
    # Sessions back to back are not parallel; addresses differ.
    with app.app_context():
        event = db.session.get(Event, ids["event"])
        after = factories.make_session(event, title_en="Later", delegates_choose=True,
                                       starts_at=event.starts_at + timedelta(hours=1))
        db.session.commit()
        later = after.id
    data = {"csrf_token": csrf_token(client, url),
            **person_fields(0, "head", "Wang", "wang@example.org", sessions=[str(ids["first"]), str(later)]),
            **person_fields(1, "member", "Li", "li@example.org")}
    response = client.post(url, data=data)
    assert response.status_code == 302
    with app.app_context():
        people = db.session.scalars(db.select(Delegate).order_by(Delegate.position)).all()
        assert [p.family_name for p in people] == ["Wang", "Li"]
        assert sorted(s.id for s in people[0].sessions) == sorted([ids["first"], later])


def seed_delegation(app):
    """A delegation of Wang (head) and Li, with two parallel sessions and one after them."""
    with app.app_context():
        event = factories.make_event(capacity=10, title_en="Urban Forum")
        first = factories.make_session(event, title_en="Water", delegates_choose=True)
        parallel = factories.make_session(event, title_en="Transport", delegates_choose=True,
                                          starts_at=event.starts_at + timedelta(minutes=59))
        after = factories.make_session(event, title_en="Parks", delegates_choose=True,
                                       starts_at=event.starts_at + timedelta(hours=1))
        delegation = register(event, factories.make_unit(), [
            {"family_name": "Wang", "email": "wang@example.org", "language": "en"},
            {"family_name": "Li", "email": "li@example.org", "language": "en", "mobile": "+86 1"}])
        db.session.commit()
        return {"event": event.id, "delegation": delegation.id, "wang": delegation.delegates[0].id,
                "li": delegation.delegates[1].id, "first": first.id, "parallel": parallel.id,
                "after": after.id}


def test_delegate_page_shows_form_and_rule_problems_together(app, client, outbox):
    ids = seed_delegation(app)
    with app.app_context():
        path = personal_link(outbox, "li@example.org")
    page = client.get(path).get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    form = {"csrf_token": token, "family_name": "Li", "language": "en", "email": "li@example.org",
            "name_zh": "李" * 101,  # the form's own mistake
            "arrival_date": "2030-07-02", "arrival_time": "10:00",
            "departure_date": "2030-07-01", "departure_time": "10:00",  # the rules'
            "sessions": [str(ids["first"]), str(ids["parallel"])]}  # the rules'
    before = snapshot(app)
    response = client.post(path, data=form)
    assert response.status_code == 200 and snapshot(app) == before
    html = response.get_data(as_text=True)
    assert too_long("en", 100) in feedback(html, "name_zh")
    assert "The departure cannot be before the arrival." in feedback(html, "departure_date")
    assert "“Water” and “Transport” take place at the same time" in feedback(html, "sessions")

    # Another person's address (case and spaces aside) is refused next to the field.
    response = client.post(path, data={**form, "name_zh": "", "departure_date": "2030-07-03",
                                       "sessions": [], "email": " Wang@Example.org"})
    assert response.status_code == 200 and snapshot(app) == before
    assert "Another person in this delegation" in feedback(response.get_data(as_text=True), "email")

    # Sessions back to back are fine.
    response = client.post(path, data={**form, "name_zh": "", "departure_date": "2030-07-03",
                                       "sessions": [str(ids["first"]), str(ids["after"])]})
    assert response.status_code == 302
    with app.app_context():
        li = db.session.get(Delegate, ids["li"])
        assert sorted(s.id for s in li.sessions) == sorted([ids["first"], ids["after"]])


def test_organizer_edit_page_checks_the_same_rules(app, organizer_client):
    ids = seed_delegation(app)
    edit = (f"/organizer/events/{ids['event']}/delegations/{ids['delegation']}/delegates/"
            f"{ids['li']}/edit")
    form = {"csrf_token": csrf_token(organizer_client, edit), "family_name": "Li", "language": "en",
            "role": "head", "email": "WANG@example.org", "mobile": "x" * 65,
            "sessions": [str(ids["first"]), str(ids["parallel"])]}
    before = snapshot(app)
    response = organizer_client.post(edit, data=form)
    assert response.status_code == 200 and snapshot(app) == before
    html = response.get_data(as_text=True)
    assert too_long("en", 64) in feedback(html, "mobile")
    assert "Name exactly one head of delegation." in feedback(html, "role")
    assert "Another person in this delegation" in feedback(html, "email")
    assert "take place at the same time" in feedback(html, "sessions")


def test_services_refuse_shared_addresses_and_parallel_sessions(app_ctx):
    ids = {}
    event = factories.make_event(capacity=10)
    first = factories.make_session(event, title_en="Water", delegates_choose=True)
    parallel = factories.make_session(event, title_en="Transport", delegates_choose=True,
                                      starts_at=event.starts_at + timedelta(minutes=30))
    unit, liaison = unit_with_liaison()
    people = rows(2)
    people[1].values["email"] = " P0@EXAMPLE.org "
    with pytest.raises(DomainError) as caught:
        save_delegation(event, unit, people, actor=liaison)
    assert "people-1-email" in caught.value.problems and "people-0-email" not in caught.value.problems
    people = rows(2)
    people[0].session_ids = [first.id, parallel.id]
    with pytest.raises(DomainError) as caught:
        save_delegation(event, unit, people, actor=liaison)
    assert "Water" in str(caught.value.problems["people-0-sessions"][0])
    result = save_delegation(event, unit, rows(2), actor=liaison)
    wang, li = result.delegation.delegates
    ids["li"] = li.id
    with pytest.raises(DomainError) as caught:
        selfservice.update_own_details(li, {"email": wang.email.upper()}, None)
    assert list(caught.value.problems) == ["email"]
    with pytest.raises(DomainError) as caught:
        selfservice.update_own_details(li, {}, [first.id, parallel.id])
    assert list(caught.value.problems) == ["sessions"]
    assert db.session.get(Delegate, ids["li"]).email == "p1@example.org"
