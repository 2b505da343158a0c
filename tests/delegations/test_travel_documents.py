"""Travel documents (the "passport" detail): asked only by events that tick it, checked with
every problem at once, encrypted, shown in full only to organizers and the person (masked for the
liaison, who typed them), kept when a field comes back empty, never in audit entries, mails, logs,
calendars or public pages, erased with the event's other personal data, exported only on request
and audited."""
from __future__ import annotations

import csv
import io
import json
import logging
from datetime import date, timedelta

import pytest
from flask_babel import force_locale

from eventsite.audit.models import AuditEntry
from eventsite.core.domain import DomainError
from eventsite.core.masking import mask_passport
from eventsite.delegations.models import Delegate, Delegation
from eventsite.delegations.rules import clean_person
from eventsite.delegations.services import PersonRow, save_delegation
from eventsite.events import services as events
from eventsite.extensions import db, now_utc
from eventsite.privacy import erasure
from eventsite.privacy.services import personal_data

from .. import factories
from .admin_seed import personal_link
from .helpers import person
from .test_views import URL, form_fields, page, person_fields

NUMBER = "E12345678"
MASKED = "E1****678"
TRAVEL = {"passport_name": "li  ming", "passport_number": "e1234 5678", "nationality": "cn",
          "birth_date": date(1980, 2, 29), "passport_expiry": date(2035, 1, 1)}
DETAILS = "title,organization,travel,passport,notes"


def test_mask_passport():
    assert mask_passport(NUMBER) == MASKED
    assert mask_passport("AB1234567890") == "AB****890"
    assert mask_passport("12345") == "****5"
    assert mask_passport("") == mask_passport(None) == ""


def test_rules_show_every_problem_in_both_languages(app_ctx):
    event = factories.make_event(delegate_details=DETAILS)
    bad = {"family_name": "Li", "passport_name": "李明", "passport_number": "E1-2",
           "nationality": "XX", "birth_date": now_utc().date() + timedelta(days=1),
           "passport_expiry": event.ends_at.date() - timedelta(days=1)}
    with pytest.raises(DomainError) as caught:
        clean_person(event, bad)
    problems = caught.value.problems
    assert set(problems) == {"passport_name", "passport_number", "nationality", "birth_date",
                             "passport_expiry"}
    assert "Latin letters" in str(problems["passport_name"][0])
    assert "5 to 20 letters and digits" in str(problems["passport_number"][0])
    assert "nationality" in str(problems["nationality"][0])
    assert "in the past" in str(problems["birth_date"][0])
    assert "visa is refused" in str(problems["passport_expiry"][0])
    with pytest.raises(DomainError) as caught:
        clean_person(event, bad | {"birth_date": date(1899, 12, 31)})
    assert "1900" in str(caught.value.problems["birth_date"][0])
    with force_locale("zh"), pytest.raises(DomainError) as caught:
        clean_person(event, bad)
    assert "拉丁字母" in str(caught.value.problems["passport_name"][0])
    assert "拒签" in str(caught.value.problems["passport_expiry"][0])
    # Good values in their stored form: capitals, no spaces.
    cleaned = clean_person(event, {"family_name": "Li", **TRAVEL, "passport_name": "o'brien-li  ming"})
    assert cleaned["passport_name"] == "O'BRIEN-LI MING"
    assert (cleaned["passport_number"], cleaned["nationality"]) == (NUMBER, "CN")
    # Empty fields of a stored person keep what is on file (every travel-document field);
    # a new person's empty fields are simply empty.
    empty = {"family_name": "Li", "passport_name": "", "passport_number": " ", "nationality": "",
             "birth_date": None, "passport_expiry": ""}
    stored = Delegate(family_name="Li", role="member", language="en")
    assert not set(clean_person(event, empty, current=stored)) & set(TRAVEL)
    assert {k: v for k, v in clean_person(event, empty).items() if k in TRAVEL} == {
        "passport_name": "", "passport_number": "", "nationality": "", "birth_date": None,
        "passport_expiry": None}


def test_asking_for_travel_documents_asks_the_position_and_is_never_a_default(app_ctx):
    event = factories.make_event()
    assert not event.collects("passport")
    events.update_event(event, {"delegate_details": ["passport", "notes"]})
    assert event.delegate_details == "title,passport,notes"


def test_events_that_do_not_ask_store_nothing(app, client, login):
    with app.app_context():
        event = factories.make_event(delegate_details="title,organization")
        unit = factories.make_unit()
        liaison = factories.make_user("liaison", unit=unit)
        db.session.commit()
        result = save_delegation(event, unit, [PersonRow(person("head") | TRAVEL)], actor=liaison)
        head = result.delegation.delegates[0]
        assert (head.passport_name, head.passport_number, head.nationality, head.birth_date,
                head.passport_expiry) == ("", "", "", None, None)
        event_id = event.id
        login(client, liaison)
    assert "passport_number" not in page(client, event_id)


def _register(app, login):
    """A liaison registers one person with travel documents through the form: (event id,
    liaison's client, delegate id)."""
    with app.app_context():
        event = factories.make_event(delegate_details=DETAILS)
        unit = factories.make_unit()
        liaison = factories.make_user("liaison", unit=unit, locale="en")
        db.session.commit()
        event_id = event.id
        client = app.test_client()
        login(client, liaison)
    data = form_fields(page(client, event_id)) | person_fields(
        0, "head", "Li", "li@example.org", title="Mayor", passport_name="Li Ming",
        passport_number="E1234 5678", nationality="CN", birth_date="1980-02-29",
        passport_expiry="2035-01-01")
    response = client.post(URL.format(event_id), data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    with app.app_context():
        delegate_id = db.session.scalar(db.select(Delegate.id))
    return event_id, client, delegate_id


@pytest.mark.both_dbs
def test_liaison_sees_masked_values_and_an_empty_field_keeps_them(app, login, outbox, caplog):
    caplog.set_level(logging.DEBUG)
    event_id, client, delegate_id = _register(app, login)
    with app.app_context():
        delegate = db.session.get(Delegate, delegate_id)
        assert (delegate.passport_name, delegate.passport_number, delegate.nationality) == \
            ("LI MING", NUMBER, "CN")
        assert delegate.birth_date == date(1980, 2, 29)
        raw = db.session.execute(db.text("SELECT passport_number, birth_date FROM delegate")).one()
        assert NUMBER not in raw[0] and "1980" not in raw[1]  # ciphertext at rest
    html = page(client, event_id)
    assert NUMBER not in html and "1980-02-29" not in html
    assert f"on file: {MASKED} — leave empty to keep" in html
    assert "on file (hidden) — leave empty to keep" in html
    data = form_fields(html)
    assert data["people-0-passport_number"] == "" and data["people-0-birth_date"] == ""
    # Saved again with the two fields empty and a new expiry: the number and birth date stay.
    response = client.post(URL.format(event_id), data=data | {"people-0-passport_expiry": "2036-06-30"})
    assert response.status_code == 302
    with app.app_context():
        delegate = db.session.get(Delegate, delegate_id)
        assert (delegate.passport_number, delegate.birth_date) == (NUMBER, date(1980, 2, 29))
        assert delegate.passport_expiry == date(2036, 6, 30)
        entries = db.session.scalars(db.select(AuditEntry)).all()
        change = next(e for e in entries if e.action == "delegate.change")
        assert change.details["changes"] == {"travel_documents": "changed"}
        recorded = json.dumps([[e.details, e.target_label] for e in entries])
        mails = " ".join(f"{m.subject} {m.body_text} {m.body_html}" for m in outbox())
    for secret in (NUMBER, "LI MING", "1980-02-29", "2035-01-01", "2036-06-30"):
        assert secret not in recorded and secret not in mails and secret not in caplog.text
    assert "mail" in mails.lower()  # the receipts and confirmations were written
    # The public event page (a kept page) and its calendar file carry none of it either.
    public = app.test_client()
    for path in (f"/events/{event_id}", f"/events/{event_id}/calendar.ics"):
        assert NUMBER not in public.get(path).get_data(as_text=True)


def test_organizer_and_the_person_see_full_values(app, login, outbox, organizer_client):
    event_id, _client, delegate_id = _register(app, login)
    with app.app_context():
        delegation_id = db.session.scalar(db.select(Delegation.id))
        link = personal_link(outbox, "li@example.org")
    detail = organizer_client.get(f"/organizer/events/{event_id}/delegations/{delegation_id}")
    html = detail.get_data(as_text=True)
    assert NUMBER in html and "LI MING" in html and "1980" in html
    edit = organizer_client.get(f"/organizer/events/{event_id}/delegations/{delegation_id}"
                                f"/delegates/{delegate_id}/edit").get_data(as_text=True)
    assert f'value="{NUMBER}"' in edit and 'value="1980-02-29"' in edit
    personal = app.test_client().get(link).get_data(as_text=True)
    assert f'value="{NUMBER}"' in personal and 'value="1980-02-29"' in personal


def test_export_has_travel_documents_only_on_request_and_audited(app, login, organizer_client):
    event_id, _client, _delegate_id = _register(app, login)
    base = f"/organizer/events/{event_id}/delegations"
    index = organizer_client.get(base).get_data(as_text=True)
    assert "with travel documents" in index
    plain = organizer_client.get(f"{base}.csv").data.decode("utf-8-sig")
    assert NUMBER not in plain and "Passport number" not in plain
    full = organizer_client.get(f"{base}.csv?travel=1").data.decode("utf-8-sig")
    header, row = list(csv.reader(io.StringIO(full)))[:2]
    assert header[-5:] == ["Name as in the passport", "Passport number", "Nationality",
                           "Date of birth", "Passport valid until"]
    assert row[-5:-2] == ["LI MING", NUMBER, "China"]
    xlsx = organizer_client.get(f"{base}.xlsx?travel=1")
    assert xlsx.status_code == 200 and xlsx.headers["Cache-Control"] == "no-store"
    with app.app_context():
        exports = db.session.scalars(db.select(AuditEntry).where(
            AuditEntry.action.like("delegation.export%")).order_by(AuditEntry.id)).all()
        assert [e.action for e in exports] == ["delegation.export", "delegation.export_travel",
                                               "delegation.export_travel"]
        assert all(e.actor_id is not None and e.target_id == event_id for e in exports)
        assert NUMBER not in json.dumps([e.details for e in exports])


@pytest.mark.both_dbs
def test_erasure_empties_travel_documents_and_the_download_has_them(app, login):
    _event_id, _client, delegate_id = _register(app, login)
    with app.app_context():
        data = personal_data("li@example.org")
        record = json.loads(json.dumps(data))["delegate_records"][0]
        assert (record["passport_number"], record["birth_date"], record["passport_expiry"]) == \
            (NUMBER, "1980-02-29", "2035-01-01")
        delegate = db.session.get(Delegate, delegate_id)
        event = delegate.delegation.event
        event.starts_at, event.ends_at = now_utc() - timedelta(days=3), now_utc() - timedelta(days=2)
        db.session.commit()
        erasure.erase_event(event)
        db.session.expire_all()
        delegate = db.session.get(Delegate, delegate_id)
        assert (delegate.passport_name, delegate.passport_number, delegate.nationality,
                delegate.birth_date, delegate.passport_expiry) == ("", "", "", None, None)
