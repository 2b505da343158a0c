"""A liaison of unit A can do nothing to unit B: every members route, every method, valid CSRF."""
from __future__ import annotations

import pytest

from eventsite.accounts.models import User
from eventsite.extensions import db

from .. import factories
from ..conftest import csrf_token
from .helpers import snapshot

OPEN_TO_LIAISON = {"members.public_list", "members.my_unit"}
PAYLOAD = {"kind": "town", "name_zh": "被改了", "name_en": "Hacked", "country": "CN", "province": "",
           "region": "", "website": "", "notes": "x", "tags": "x", "role": "mayor", "name_latin": "X",
           "email": "x@evil.example", "language": "en", "content": "units"}


@pytest.fixture
def two_units(app, liaison_client):
    with app.app_context():
        own = db.session.get(User, liaison_client.user_id).unit
        own_contact = factories.make_contact(own)
        other = factories.make_unit(name_zh="乙市", name_en="Unit B")
        other_contact = factories.make_contact(other, email="b.mayor@example.org")
        db.session.commit()
        return {"own": own.id, "own_contact": own_contact.id, "other": other.id,
                "other_contact": other_contact.id}


def member_rules(app):
    return [r for r in app.url_map.iter_rules()
            if r.endpoint.startswith("members.") and r.endpoint not in OPEN_TO_LIAISON]


@pytest.mark.both_dbs
def test_liaison_cannot_touch_another_unit(app, liaison_client, two_units):
    token = csrf_token(liaison_client, f"/directory/{two_units['own']}")
    before = snapshot(app)
    ids = two_units
    combos = [
        {"unit_id": ids["other"], "contact_id": ids["other_contact"]},   # B's unit, B's contact
        {"unit_id": ids["own"], "contact_id": ids["other_contact"]},     # B's contact under A's URL
        {"unit_id": ids["other"], "contact_id": ids["own_contact"]},     # A's contact under B's URL
    ]
    checked = 0
    with app.test_request_context():
        from flask import url_for

        for rule in member_rules(app):
            for values in combos:
                if "unit_id" not in rule.arguments and values is not combos[0]:
                    continue
                if "contact_id" not in rule.arguments and values is combos[2]:
                    continue
                if rule.arguments == {"unit_id"} and values["unit_id"] == ids["own"]:
                    continue
                url = url_for(rule.endpoint, **{k: v for k, v in values.items() if k in rule.arguments})
                for method in rule.methods - {"HEAD", "OPTIONS"}:
                    data = {"csrf_token": token, **PAYLOAD} if method == "POST" else None
                    response = liaison_client.open(url, method=method, data=data)
                    assert response.status_code in (403, 404), (method, url, response.status_code)
                    assert "b.mayor@example.org" not in response.get_data(as_text=True)
                    checked += 1
    assert checked >= 15
    assert snapshot(app) == before


def test_liaison_can_manage_own_contacts(app, liaison_client, two_units):
    own, contact = two_units["own"], two_units["own_contact"]
    assert liaison_client.get(f"/directory/{own}").status_code == 200
    token = csrf_token(liaison_client, f"/directory/{own}/contacts/{contact}/edit")
    response = liaison_client.post(f"/directory/{own}/contacts/{contact}/edit", data={
        "csrf_token": token, "role": "liaison", "name_zh": "", "name_latin": "Anna Li", "language": "en"})
    assert response.status_code == 302
    response = liaison_client.post(f"/directory/{own}/contacts/new", data={
        "csrf_token": token, "role": "mayor", "name_zh": "周杰", "language": "zh"})
    assert response.status_code == 302
    page = liaison_client.get(f"/directory/{own}").get_data(as_text=True)
    assert "Anna Li" in page and "周杰" in page and "Unit B" not in page
    assert liaison_client.post(f"/directory/{own}/contacts/{contact}/delete",
                               data={"csrf_token": token}).status_code == 302


def test_deactivated_liaison_account_is_refused(app, liaison_client, two_units):
    with app.app_context():
        db.session.get(User, liaison_client.user_id).is_active_flag = False
        db.session.commit()
    response = liaison_client.get(f"/directory/{two_units['own']}")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
