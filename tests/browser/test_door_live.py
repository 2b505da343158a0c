"""The organizers' live check-in page in Chromium: live.js (no inline script under the CSP)
brings a check-in made elsewhere onto the page without a reload, and a unit new to the event (a
walk-in's) into the table of units; at 375 px it reads on a phone."""
from __future__ import annotations

import time

from eventsite.checkin.services import check_in
from eventsite.delegations.models import Delegate
from eventsite.events.models import Event
from eventsite.extensions import db, now_utc

from .. import factories
from .helpers import Shots, phone_problems
from .test_delegation_form import log_in


def test_live_page_follows_check_ins_without_reload(site, page_factory):
    with site.app.app_context():
        event = factories.make_event()
        factories.make_session(event, capacity=1)
        unit = factories.make_unit(name_en="Unit A", name_zh="甲市")
        _delegation, head = factories.make_delegation(event, unit, people=2)
        factories.make_user("organizer", email="door-organizer@example.org")
        db.session.commit()
        event_id, head_id = event.id, head.id
    page = page_factory("en", width=375, height=740)
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    log_in(site, page, "door-organizer@example.org")
    page.goto(f"{site.url}/organizer/events/{event_id}/checkin")
    assert page.locator("#live-arrived").inner_text() == "0"
    assert page.locator("#live-no-show-count").inner_text() == "2"
    Shots(site.shots)(page, "door-live-before")
    assert phone_problems(page) == []
    with site.app.app_context():
        check_in(db.session.get(Delegate, head_id), by=None, scanned_at=now_utc(), method="scan")
        db.session.commit()
    deadline = time.monotonic() + 15
    while page.locator("#live-arrived").inner_text() != "1" and time.monotonic() < deadline:
        page.wait_for_timeout(250)
    assert page.locator("#live-arrived").inner_text() == "1"
    assert page.locator("#live-no-show-count").inner_text() == "1"
    assert page.locator("#live-recent tbody tr").count() == 1
    assert "Badge scanned" in page.locator("#live-recent").inner_text()
    assert not [e for e in errors if "Content Security Policy" in e], errors
    Shots(site.shots)(page, "door-live-after")

    with site.app.app_context():  # a walk-in from a unit that had no delegation when the page opened
        event = db.session.get(Event, event_id)
        newcomer = factories.make_unit(name_en="Unit B", name_zh="乙市")
        _delegation, walker = factories.make_delegation(event, newcomer, people=1)
        check_in(walker, by=None, scanned_at=now_utc(), method="walk_in")
        db.session.commit()
    page.wait_for_selector("#live-units tbody tr:has-text('Unit B') .arrived:text-is('1')", timeout=15000)
    assert page.locator("#live-units tbody tr[data-unit]").count() == 2
    assert phone_problems(page) == []
