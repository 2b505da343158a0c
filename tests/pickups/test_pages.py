"""The organizer's pickup pages end to end: a run made through its form (every problem in one
submit), people put on it from the suggestions, taken off, the manifest printed and read back as
XLSX, the run deleted."""
from __future__ import annotations

import io
import re
from datetime import datetime, time

import pytest
from openpyxl import load_workbook

from eventsite.audit.models import AuditEntry
from eventsite.extensions import db
from eventsite.pickups.models import PickupPassenger, PickupRun

from ..conftest import csrf_token
from .helpers import BRU, arriving, event_with_arrivals

pytestmark = pytest.mark.both_dbs


def _form(**values) -> dict:
    return {"direction": "arrival", "starts_at": "2030-06-01T10:30", "place": BRU,
            "meeting_point_en": "Exit 3", "meeting_point_zh": "3号出口", "vehicle": "Minibus",
            "capacity": "3", "driver_name": "Jan", "driver_contact": "+32 470", "notes": "", **values}


@pytest.fixture
def seeded(app):
    with app.app_context():
        event, _organizer, people = event_with_arrivals()
        late = arriving(event, people=1, at="2030-06-01 16:00")  # not within 90 minutes of 10:30
        elsewhere = arriving(event, people=1, at="2030-06-01 10:00", place="Bruxelles-Midi")
        db.session.commit()
        return {"event": event.id, "people": [p.id for p in people], "late": late[0].id,
                "elsewhere": elsewhere[0].id}


def test_a_run_from_form_to_manifest(app, organizer_client, seeded):
    base = f"/organizer/events/{seeded['event']}/pickups"
    token = csrf_token(organizer_client, f"{base}/new")
    html = organizer_client.post(f"{base}/new", data=_form(
        csrf_token=token, capacity="0", meeting_point_en="", meeting_point_zh="", starts_at="")).get_data(as_text=True)
    assert html.count("invalid-feedback") >= 3  # capacity, time and meeting point at once
    response = organizer_client.post(f"{base}/new", data=_form(csrf_token=token))
    assert response.status_code == 302
    run_id = int(re.search(r"/pickups/(\d+)$", response.headers["Location"]).group(1))
    page = f"{base}/{run_id}"
    html = organizer_client.get(page).get_data(as_text=True)
    suggested = set(map(int, re.findall(r'value="(\d+)" id="d-\d+" checked', html)))
    assert suggested == set(seeded["people"])  # not the late one, not the one at another station
    assert f'value="{seeded["late"]}"' in html and f'value="{seeded["elsewhere"]}"' in html
    organizer_client.post(page, data={"csrf_token": token, "delegates": seeded["people"]})
    html = organizer_client.post(page, data={"csrf_token": token, "delegates": [seeded["late"]]},
                                 follow_redirects=True).get_data(as_text=True)
    assert "Not enough free seats on this run: 0 left." in html
    with app.app_context():
        assert db.session.get(PickupRun, run_id).seats_taken == 3

    data = organizer_client.get(f"{page}/manifest.xlsx").data
    sheet = load_workbook(io.BytesIO(data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Name", "Name in Chinese", "Unit") and len(rows) == 4
    assert {r[5] for r in rows[1:]} == {"SN 100", "SN 101", "SN 102"}
    assert all(r[6] == BRU and r[7] == datetime(2030, 6, 1) and r[8] == time(9, 15) for r in rows[1:])
    printable = organizer_client.get(f"{page}/manifest").get_data(as_text=True)
    assert "SN 101" in printable and "Exit 3" in printable and "<script>" not in printable

    with app.app_context():
        passenger_id = db.session.scalar(db.select(PickupPassenger.id).where(
            PickupPassenger.delegate_id == seeded["people"][0]))
        assert db.session.scalar(db.select(db.func.count(AuditEntry.id)).where(
            AuditEntry.action == "pickup.export_manifest")) == 1
    organizer_client.post(f"{page}/passengers/{passenger_id}/remove", data={"csrf_token": token})
    with app.app_context():
        assert db.session.get(PickupRun, run_id).seats_taken == 2
    response = organizer_client.post(f"{page}/delete", data={"csrf_token": token})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(PickupRun, run_id) is None


def test_a_post_without_csrf_changes_nothing(app, organizer_client, seeded):
    response = organizer_client.post(f"/organizer/events/{seeded['event']}/pickups/new", data=_form())
    assert response.status_code in (200, 400)
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(PickupRun.id))) == 0
