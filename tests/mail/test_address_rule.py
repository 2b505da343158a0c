"""One address rule (core/addresses.py) at every place an address enters: each refuses the same
addresses with the same message, in English and in Chinese, and stores nothing; accepted ones
are stored as the rule spells them (lower-cased, an internationalized domain in ASCII)."""
from __future__ import annotations

import io
import re

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from eventsite.accounts.models import User
from eventsite.core.addresses import MESSAGES, AddressError, clean_address, deliverable
from eventsite.delegations.models import Delegate
from eventsite.events.models import Event
from eventsite.extensions import db
from eventsite.members.models import Contact

from .. import factories
from ..conftest import csrf_token
from ..delegations.admin_seed import personal_link, register
from ..delegations.test_views import form_fields, person_fields
from ..events.test_admin_views import event_form
from ..invitations.answer_helpers import invite

BAD = {
    "lián@example.org": "local_not_ascii",
    "张伟@example.org": "local_not_ascii",
    "a@example.org\r\nBcc: b@example.org": "control",
    "two words@example.org": "invalid",
    "Li Wei <li@example.org>": "invalid",
    "a@localhost": "invalid",
}


@pytest.mark.parametrize("value, stored", [
    (" Zhang.Wei@Example.ORG ", "zhang.wei@example.org"),
    ("li@Bücher.example", "li@xn--bcher-kva.example"),
    ("o'brien+forum@example.org", "o'brien+forum@example.org"),
])
def test_the_rule_spells_an_address_one_way(value, stored):
    assert clean_address(value) == stored == deliverable(value) == clean_address(stored)


@pytest.mark.parametrize("value, reason", [*BAD.items(), ("", "invalid"), ("a@b", "invalid"),
                                           ("a@" + "b" * 320 + ".org", "invalid"),
                                           ("a@example.org\x00", "control")])
def test_the_rule_refuses_with_a_reason(value, reason):
    with pytest.raises(AddressError) as refused:
        clean_address(value)
    assert refused.value.reason == reason and deliverable(value) is None


# --- the entry points: each returns the page (or output) after trying `address` ------------------


def _contact_form(app, client, address):
    with app.app_context():
        unit_id = factories.make_unit().id
        db.session.commit()
    url = f"/directory/{unit_id}/contacts/new"
    return client.post(url, data={
        "csrf_token": csrf_token(client, url), "role": "mayor", "name_zh": "李明", "name_latin": "",
        "title": "", "email": address, "phone": "", "language": "zh", "receives_invitations": "y"})


def _csv_import(app, client, address):
    with app.app_context():
        unit_id = factories.make_unit().id
        db.session.commit()
    data = f'unit_id,role,name_zh,email,language\n{unit_id},mayor,李明,"{address}",zh\n'
    return client.post("/directory/import", content_type="multipart/form-data", data={
        "csrf_token": csrf_token(client, "/directory/import"), "content": "contacts",
        "file": (io.BytesIO(data.encode("utf-8")), "contacts.csv")})


def _account_form(app, client, address):
    return client.post("/admin/users/new", data={
        "csrf_token": csrf_token(client, "/admin/users/new"), "email": address, "name": "Wang Fang",
        "role": "organizer", "unit_id": "0", "locale": "en"})


def _liaison_setup(app, client, address):
    invited = invite(app)
    password = "a long enough password 1"
    return client.post(invited.url + "/account", data={
        "csrf_token": csrf_token(client, invited.url), "name": "Li Wei", "email": address,
        "password": password, "confirm": password})


def _delegation_form(app, client, address):
    with app.app_context():
        event_id = factories.make_event(capacity=10, default_quota=3).id
        db.session.commit()
    html = client.get(f"/events/{event_id}/delegation").get_data(as_text=True)
    return client.post(f"/events/{event_id}/delegation",
                       data=form_fields(html) | person_fields(0, "head", "Li", address))


def _delegate_page(app, client, address):
    from eventsite.mail.models import OutboxMessage

    with app.app_context():
        event = factories.make_event(capacity=5)
        register(event, people=[{"family_name": "Wang", "email": "wang@example.org", "language": "en"}])
        db.session.commit()

        def mails(**filters):
            return db.session.scalars(db.select(OutboxMessage).filter_by(**filters)).all()

        path = personal_link(mails, "wang@example.org")
    html = client.get(path).get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)
    return client.post(path, data={"csrf_token": token, "family_name": "Wang", "email": address,
                                   "language": "en"})


def _event_contact(app, client, address):
    url = "/organizer/events/new"
    return client.post(url, data=event_form(csrf_token=csrf_token(client, url), contact_email=address))


ENTRY_POINTS = {
    "contact form": ("admin", _contact_form),
    "contacts CSV import": ("admin", _csv_import),
    "account form": ("admin", _account_form),
    "liaison set-up": ("anonymous", _liaison_setup),
    "delegation form": ("liaison", _delegation_form),
    "delegate's own page": ("anonymous", _delegate_page),
    "event contact": ("organizer", _event_contact),
}


def _stored(app) -> list[str]:
    """Every address column's values (what an entry point may have written)."""
    with app.app_context():
        return sorted(
            [*db.session.scalars(sa.select(Contact.email)), *db.session.scalars(sa.select(User.email)),
             *db.session.scalars(sa.select(Delegate.email)),
             *db.session.scalars(sa.select(Event.contact_email))])


@pytest.mark.parametrize("entry", list(ENTRY_POINTS))
def test_every_entry_point_refuses_the_same_addresses_with_the_same_message(app, login, entry):
    role, enter = ENTRY_POINTS[entry]
    for language in ("en", "zh"):
        client = app.test_client()
        if role != "anonymous":
            with app.app_context():
                unit = factories.make_unit() if role == "liaison" else None
                user = factories.make_user(role=role, unit=unit, locale=language)
                db.session.commit()
                login(client, user)
        with client.session_transaction() as session:
            session["lang"] = language
        for address, reason in BAD.items():
            response = enter(app, client, address)
            with app.test_request_context(), force_locale(language):
                message = str(MESSAGES[reason])
            assert response.status_code == 200, (entry, address, language)
            assert message in response.get_data(as_text=True), (entry, address, language)
            assert not any(address.strip().lower() in value for value in _stored(app) if value)


def test_the_cli_refuses_with_the_same_message(app, runner):
    for address, reason in BAD.items():
        result = runner.invoke(args=["users", "create-admin", "--email", address,
                                     "--password", "a long enough password 1"])
        with app.test_request_context(), force_locale("en"):
            assert result.exit_code != 0 and str(MESSAGES[reason]) in result.output
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(User.id))) == 0


def test_an_internationalized_domain_is_stored_in_ascii(app, admin_client):
    response = _contact_form(app, admin_client, "Li@Bücher.example")
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalars(sa.select(Contact.email)).all() == ["li@xn--bcher-kva.example"]


def test_demo_data_passes_the_rule(app, runner):
    result = runner.invoke(args=["demo", "load", "--password", "demo-pass-123"])
    assert result.exit_code == 0, result.output
    stored = [value for value in _stored(app) if value]
    assert stored and all(clean_address(value) == value for value in stored)
