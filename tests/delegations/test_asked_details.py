"""An event asks each delegate only for what it needs: the form shows nothing else, the services
store nothing else, and exports carry no empty columns for it."""
from __future__ import annotations

import csv
import io

from eventsite.core.domain import DomainError
from eventsite.delegations.services import PersonRow, save_delegation
from eventsite.extensions import db

from .. import factories


def test_an_online_meeting_asks_no_travel_or_needs(app, client, login, organizer_client):
    with app.app_context():
        event = factories.make_event(delegate_details="title,organization")
        unit = factories.make_unit()
        liaison = factories.make_user("liaison", unit=unit)
        db.session.commit()
        event_id = event.id
        login(client, liaison)
        form = client.get(f"/events/{event_id}/delegation").get_data(as_text=True)
        assert "arrival_date" not in form and "dietary" not in form and "mobile" not in form
        assert "organization" in form and "family_name" in form
        result = save_delegation(event, unit, [PersonRow({
            "role": "head", "family_name": "Li", "given_name": "Ming", "organization": "City hall",
            "dietary": "halal", "mobile": "+86 1", "arrival_details": "CA 1"})], actor=liaison)
        head = result.delegation.delegates[0]
        assert (head.organization, head.dietary, head.mobile, head.arrival_details) == \
            ("City hall", "", "", "")
    export = organizer_client.get(f"/organizer/events/{event_id}/delegations.csv")
    header = next(csv.reader(io.StringIO(export.data.decode("utf-8-sig"))))
    assert "Organization" in header and "Dietary needs" not in header
    assert not any("Arrival" in h for h in header)


def test_organizers_choose_the_details_on_the_event_form(app, organizer_client):
    with app.app_context():
        event = factories.make_event()
        db.session.commit()
        event_id = event.id
        assert event.delegate_details == "title,organization,mobile,dietary,accessibility,travel,notes"
    from bs4 import BeautifulSoup

    from eventsite.events import services

    page = BeautifulSoup(organizer_client.get(f"/organizer/events/{event_id}/edit").data, "html.parser")
    boxes = page.select('input[name="delegate_details"]')
    # Every detail but the travel documents is asked by default.
    assert len(boxes) == 8 and [b["value"] for b in boxes if not b.has_attr("checked")] == ["passport"]

    with app.app_context():
        event = db.session.get(type(event), event_id)
        services.update_event(event, {"delegate_details": ["notes", "dietary", "dietary"]})
        assert db.session.get(type(event), event_id).delegate_details == "dietary,notes"
        try:
            services.update_event(event, {"delegate_details": ["shoe_size"]})
        except DomainError as error:
            assert error.field == "delegate_details"
        else:
            raise AssertionError("an unknown detail was accepted")
    page = BeautifulSoup(organizer_client.get(f"/organizer/events/{event_id}/edit").data, "html.parser")
    assert [b["value"] for b in page.select('input[name="delegate_details"][checked]')] == \
        ["dietary", "notes"]
