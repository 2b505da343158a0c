"""Issue 16, quotas: an organizer lowers a unit's quota below the people registered (3 registered,
quota 1). The organizer is told what that means; nobody is removed; the liaison still corrects
details; adding beyond the quota stays refused; the disabled "add" button says why, in words."""
from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from eventsite.delegations.models import Delegate
from eventsite.extensions import db

from .. import factories
from ..conftest import csrf_token
from .admin_seed import register
from .test_views import form_fields, person_fields

pytestmark = pytest.mark.both_dbs


@pytest.fixture
def three_registered(app, login):
    """Chengdu's liaison has registered three people under a quota of 3; returns (ids, client)."""
    with app.app_context():
        event = factories.make_event(capacity=10, default_quota=3)
        unit = factories.make_unit(name_en="Chengdu", name_zh="成都市")
        invitation, _raw = factories.make_invitation(event, unit, quota=3, state="accepted")
        liaison = factories.make_user(role="liaison", unit=unit, locale="en")
        delegation = register(event, unit, [
            {"family_name": "Wang", "email": "wang@example.org", "mobile": "+86 1"},
            {"family_name": "Li", "email": "li@example.org"},
            {"family_name": "Zhao", "email": "zhao@example.org"}])
        db.session.commit()
        ids = {"event": event.id, "invitation": invitation.id, "liaison": liaison.id,
               "people": [d.id for d in delegation.delegates]}
        user = type(liaison)
    client = app.test_client()
    with app.app_context():
        login(client, db.session.get(user, ids["liaison"]))
    return ids, client


def lower_quota(app, organizer_client, ids, quota: int = 1) -> str:
    page = f"/organizer/events/{ids['event']}/invitations"
    response = organizer_client.post(f"{page}/{ids['invitation']}/quota",
                                     data={"csrf_token": csrf_token(organizer_client, page),
                                           "quota": str(quota)}, follow_redirects=True)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def people(app, event_id: int) -> list[tuple[str, str, str]]:
    with app.app_context():
        return [(d.family_name, d.mobile, d.status) for d in db.session.scalars(
            db.select(Delegate).where(Delegate.event_id == event_id).order_by(Delegate.id))]


def test_organizer_is_warned_and_nobody_is_removed(app, organizer_client, three_registered):
    ids, _client = three_registered
    html = lower_quota(app, organizer_client, ids)
    assert "The quota was changed." in html
    assert ("Chengdu has 3 people registered, more than its quota of 1. Nobody is removed" in
            " ".join(BeautifulSoup(html, "html.parser").get_text(" ").split()))
    assert [status for _n, _m, status in people(app, ids["event"])] == ["confirmed"] * 3
    # A quota that still fits says nothing more.
    assert "Nobody is removed" not in lower_quota(app, organizer_client, ids, quota=4)


def test_liaison_corrects_details_above_the_quota_but_adds_nobody(app, organizer_client,
                                                                  three_registered):
    ids, client = three_registered
    lower_quota(app, organizer_client, ids)
    url = f"/events/{ids['event']}/delegation"
    html = client.get(url).get_data(as_text=True)
    soup = BeautifulSoup(html, "html.parser")
    assert "more than its quota of 1" in soup.find(id="over-quota").get_text()
    button = soup.find("input", attrs={"name": "add_row"}) or soup.find("button", attrs={"name": "add_row"})
    assert button.has_attr("disabled")
    reason = soup.find(id="quota-reached")
    assert not reason.has_attr("hidden") and "quota of 1 person is reached" in reason.get_text()
    assert button["aria-describedby"] == "quota-reached"

    # A phone number corrected: saved, nobody removed.
    fields = form_fields(html)
    fields["people-0-mobile"] = "+86 2"
    response = client.post(url, data=fields)
    assert response.status_code == 302
    assert people(app, ids["event"]) == [("Wang", "+86 2", "confirmed"), ("Li", "", "confirmed"),
                                         ("Zhao", "", "confirmed")]

    # A fourth person: refused, with the reason; nothing changes.
    fields = form_fields(client.get(url).get_data(as_text=True))
    response = client.post(url, data={**fields, **person_fields(3, "member", "Sun", "sun@example.org")})
    assert response.status_code == 200
    assert "Your unit may register at most 1 person: remove someone" in response.get_data(as_text=True)
    assert len(people(app, ids["event"])) == 3
    # Without JavaScript, "add another person" at the quota adds no row.
    response = client.post(url, data={**fields, "add_row": "1"})
    assert 'name="people-3-family_name"' not in response.get_data(as_text=True)


def test_at_the_quota_the_add_button_says_why(app, three_registered):
    ids, client = three_registered  # 3 of 3
    soup = BeautifulSoup(client.get(f"/events/{ids['event']}/delegation").get_data(as_text=True),
                         "html.parser")
    assert soup.find(id="over-quota") is None
    assert "quota of 3 people is reached" in soup.find(id="quota-reached").get_text()


def form_values(html: str, field: str) -> dict:
    """What a browser sends for the page's form holding `field` (ticked checkboxes only)."""
    form = BeautifulSoup(html, "html.parser").find(attrs={"name": field}).find_parent("form")
    data: dict = {}
    for tag in form.find_all(["input", "select", "textarea"]):
        name = tag.get("name")
        if not name or tag.get("type") == "submit":
            continue
        if tag.name == "select":
            chosen = tag.find("option", selected=True) or tag.find("option")
            data[name] = chosen.get("value", "") if chosen else ""
        elif tag.name == "textarea":
            data[name] = tag.get_text()
        elif tag.get("type") == "checkbox":
            if tag.has_attr("checked"):
                data.setdefault(name, []).append(tag.get("value", "y"))
        else:
            data[name] = tag.get("value", "")
    return data


def test_default_quota_below_registered_warns_for_units_without_invitation(app, organizer_client):
    with app.app_context():
        event = factories.make_event(capacity=10, default_quota=3)
        register(event, factories.make_unit(name_en="Wuhan"), [{"family_name": "A"}, {"family_name": "B"}])
        invited = factories.make_unit(name_en="Xi'an")
        factories.make_invitation(event, invited, quota=3, state="accepted")
        register(event, invited, [{"family_name": "C"}, {"family_name": "D"}])
        db.session.commit()
        event_id = event.id
    edit = f"/organizer/events/{event_id}/edit"
    data = form_values(organizer_client.get(edit).get_data(as_text=True), "default_quota")
    response = organizer_client.post(edit, data={**data, "default_quota": "1"}, follow_redirects=True)
    text = " ".join(BeautifulSoup(response.get_data(as_text=True), "html.parser").get_text(" ").split())
    assert response.status_code == 200 and "The changes were saved." in text
    assert "Wuhan has 2 people registered, more than its quota of 1. Nobody is removed" in text
    assert "Xi'an has" not in text  # its invitation's quota (3) applies
    assert len(people(app, event_id)) == 4
