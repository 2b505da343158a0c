"""Every date field at its bounds: a value is refused with a clear message and nothing changes,
or it is stored and then every page showing it works in every zone, it can be moved and
duplicated, and it goes into calendar files (issue 14: an arrival on 0001-01-01 and an event on
9999-12-31 were 500s, the latter for good).

The accepted days are core/dates.FIRST_DAY..LAST_DAY; values stored before that rule (written
straight into the database here) must not break a page either.
"""
from __future__ import annotations

from datetime import date, datetime, timezone
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa
from bs4 import BeautifulSoup
from icalendar import Calendar

from eventsite.extensions import db

from .. import factories
from ..conftest import csrf_token
from .test_fuzz_forms import _forms_on, _post, _snapshot

# Days at and around the bounds, leap days (1900 was not one), impossible days, junk.
DAYS = ["0001-01-01", "1899-12-31", "1900-01-01", "1900-02-29", "2000-02-29", "2024-02-29",
        "2023-02-29", "2999-12-31", "3000-01-01", "9999-12-31", "10000-01-01", "", "garbage",
        "2024-13-01", "٢٠٢٤-٠١-٠١"]
# The zones furthest apart: 26 hours between their clocks.
FAR_ZONES = ("Etc/GMT+12", "Pacific/Kiritimati")
# The accepted days (core/dates.py), as docs/security.md states them.
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(2999, 12, 31)
REFUSED = "Enter a date between 1900-01-01 and 2999-12-31."


def _accepted(day: str) -> bool:
    try:
        return FIRST_DAY <= datetime.strptime(day, "%Y-%m-%d").date() <= LAST_DAY
    except ValueError:
        return False


def _form(client, page: str, action: str | None = None):
    """(fields, shown values) of the POST form on `page` whose action is `action` (or the page)."""
    for path, fields, _files, shown in _forms_on(client.get(page).get_data(as_text=True)):
        if (path or urlsplit(page).path) == (action or urlsplit(page).path):
            return fields, shown
    raise AssertionError(f"no form for {action or page} on {page}")


def _submit(app, client, page: str, values: dict[str, str], action: str | None = None):
    """Post the page's form with its shown values and `values`; the response and whether the
    database changed."""
    fields, shown = _form(client, page, action)
    unknown = set(values) - set(fields)
    assert not unknown, f"the form has no field {unknown}"
    data = {name: [v] for name, v in (shown | values).items()}
    before = _snapshot(app)
    response = _post(client, action or page, csrf_token(client, page), data, set())
    changed = {t for t, rows in _snapshot(app).items() if rows != before[t]} - {"audit_entry"}
    return response, changed


def _pages_work(client, urls: list[str]) -> None:
    """Each page answers without a server error when read from both ends of the world."""
    for zone in FAR_ZONES:
        with client.session_transaction() as session:
            session["viewer_tz"] = zone
        for url in urls:
            response = client.get(url)
            assert response.status_code in (200, 302), (url, zone, response.status_code)
            if url.endswith(".ics") and response.status_code == 200:
                Calendar.from_ical(response.data)  # a well-formed calendar


def _event_pages(event_id: int) -> list[str]:
    base = f"/organizer/events/{event_id}"
    return [f"/events/{event_id}", f"/events/{event_id}/calendar.ics",
            f"/events/{event_id}/calendar.ics?sessions=1", base, f"{base}/edit", f"{base}/agenda",
            f"{base}/delegations", f"{base}/delegations.csv", f"{base}/delegations.xlsx",
            f"{base}/invitations", "/organizer/events/", "/events/", "/events/archive", "/",
            "/calendar/alliance.ics", "/admin/audit/", "/admin/privacy/"]


EVENT_TIMES = ("starts_at", "ends_at", "registration_opens_at", "registration_closes_at",
               "edit_deadline")


OUT_OF_RANGE = {"0001-01-01", "1899-12-31", "3000-01-01", "9999-12-31"}


@pytest.mark.both_dbs
def test_event_form_dates_at_their_bounds(app, admin_client):
    """A day in range makes a whole event on that day (every time field), which then works
    everywhere; a day out of range or unreadable in any one field is refused, changing nothing."""
    page = "/organizer/events/new"
    sane = {"title_en": "Bounds", "timezone": "Etc/GMT+12", "starts_at": "2500-06-01T09:00",
            "ends_at": "2500-06-02T17:00", "registration_opens_at": "", "registration_closes_at": "",
            "edit_deadline": ""}
    for day in DAYS:
        if _accepted(day):
            times = {"registration_opens_at": "00:00", "registration_closes_at": "06:00",
                     "starts_at": "12:00", "edit_deadline": "18:00", "ends_at": "23:59"}
            response, _ = _submit(app, admin_client, page,
                                  sane | {f: f"{day}T{t}" for f, t in times.items()})
            assert response.status_code == 302, (day, response.get_data(as_text=True)[-3000:])
            event_id = int(response.headers["Location"].rsplit("/", 1)[1])
            _publish(admin_client, event_id)
            _pages_work(admin_client, _event_pages(event_id))
            continue
        for field in EVENT_TIMES:
            response, changed = _submit(app, admin_client, page,
                                        sane | {field: f"{day}T00:00" if day else ""})
            if day == "" and field not in ("starts_at", "ends_at"):
                assert response.status_code == 302, (field, day)
                continue
            assert response.status_code == 200 and not changed, (field, day, response.status_code)
            if day in OUT_OF_RANGE:
                assert REFUSED in response.get_data(as_text=True), (field, day)


def _publish(client, event_id: int) -> None:
    url = f"/organizer/events/{event_id}/publish"
    response = client.post(url, data={"csrf_token": csrf_token(client, f"/organizer/events/{event_id}")})
    assert response.status_code == 302


@pytest.mark.both_dbs
def test_events_at_both_ends_move_duplicate_and_reach_calendars(app, admin_client):
    """The earliest and latest times anyone may type, in the zones where they are furthest from
    UTC, with an agenda: moved to the other end, duplicated there and back, shown everywhere."""
    ids = []
    for zone, start, end in (("Pacific/Kiritimati", "1900-01-01T00:00", "1900-01-01T02:00"),
                             ("Etc/GMT+12", "2999-12-31T21:00", "2999-12-31T23:59")):
        values = {"title_en": "Edge", "timezone": zone, "starts_at": start, "ends_at": end,
                  "registration_opens_at": "", "registration_closes_at": "", "edit_deadline": ""}
        response, _ = _submit(app, admin_client, "/organizer/events/new", values)
        assert response.status_code == 302, response.get_data(as_text=True)[-2000:]
        event_id = int(response.headers["Location"].rsplit("/", 1)[1])
        agenda = f"/organizer/events/{event_id}/agenda"
        response, _ = _submit(app, admin_client, agenda, {"title_en": "Talk", "starts_at": start,
                                                          "ends_at": end})
        assert response.status_code == 302
        _publish(admin_client, event_id)
        ids.append(event_id)
    early, late = ids
    # A copy keeps the event's length and its agenda's distance from the start: one that would
    # end past the last day is refused like a start past it.
    for event_id, new_start, ok in ((early, "2999-12-31T21:00", True), (early, "2999-12-31T23:00", False),
                                    (late, "1900-01-01T00:00", True), (late, "2999-12-31T23:00", False),
                                    (late, "3000-01-01T00:00", False), (early, "1899-12-31T23:00", False)):
        detail = f"/organizer/events/{event_id}"
        response, changed = _submit(app, admin_client, detail, {"new_start": new_start},
                                    action=f"{detail}/duplicate")
        assert response.status_code == 302
        assert bool(changed) == ok, (event_id, new_start, changed)
        if not ok:
            shown = admin_client.get(detail).get_data(as_text=True)
            assert "would fall outside 1900-01-01 to 2999-12-31" in shown or REFUSED in shown
    for event_id in ids:
        _pages_work(admin_client, _event_pages(event_id))
    with app.app_context():
        copies = db.session.scalars(sa.text("SELECT id FROM event WHERE copied_from_id IS NOT NULL")).all()
    assert len(copies) == 2
    for copy in copies:
        _publish(admin_client, copy)
        _pages_work(admin_client, _event_pages(copy))


@pytest.mark.both_dbs
def test_sessions_and_moves_at_the_bounds(app, admin_client):
    with app.app_context():
        event = factories.make_event(timezone="Etc/GMT+12", starts_at=datetime(2999, 12, 30, 12, tzinfo=timezone.utc),
                                     ends_at=datetime(2999, 12, 31, 12, tzinfo=timezone.utc))
        db.session.commit()
        event_id = event.id
    agenda = f"/organizer/events/{event_id}/agenda"
    for day in DAYS:
        value = f"{day}T10:00" if day else ""
        response, changed = _submit(app, admin_client, agenda, {"title_en": "Talk", "starts_at": value,
                                                                "ends_at": f"{day}T11:00" if day else ""})
        assert response.status_code in (200, 302), (day, response.status_code)
        assert (response.status_code == 302) == _accepted(day) == bool(changed), day
    _pages_work(admin_client, _event_pages(event_id))
    # Moving an event moves its agenda along: refused if that pushes a session out of range
    # (the one-hour session at the start would end on 3000-01-01), done if all stays in range.
    with app.app_context():
        event = factories.make_event(timezone="Etc/GMT+12", starts_at=datetime(2999, 12, 30, 12, tzinfo=timezone.utc),
                                     ends_at=datetime(2999, 12, 31, 12, tzinfo=timezone.utc))
        factories.make_session(event)
        db.session.commit()
        event_id = event.id
    edit = f"/organizer/events/{event_id}/edit"
    for start, end, ok in (("2999-12-31T23:00", "2999-12-31T23:59", False),
                           ("1900-01-01T00:00", "1900-01-02T00:00", True)):
        values = {"starts_at": start, "ends_at": end, "agenda": "move"}
        response, changed = _submit(app, admin_client, edit, values)
        assert response.status_code == 200 and not changed, (start, changed)
        if ok:  # the preview lists the session that moves; saved once that preview is confirmed
            page = BeautifulSoup(response.data, "html.parser")
            assert page.select("#agenda-moves li"), start
            fields, shown = _form(admin_client, edit)
            data = {name: [v] for name, v in (shown | values).items()} | {
                "confirm_notify": ["Save"], "notify_preview": [page.find("input", {"name": "notify_preview"})["value"]]}
            response = _post(admin_client, edit, csrf_token(admin_client, edit), data, set())
            assert response.status_code == 302, start
        if not ok:
            assert "would fall outside 1900-01-01 to 2999-12-31" in response.get_data(as_text=True)
    with app.app_context():
        years = db.session.scalars(sa.text(f"SELECT starts_at FROM agenda_session WHERE event_id = {event_id}")).all()
    assert all(str(y).startswith(("1899", "1900")) for y in years), years
    _pages_work(admin_client, _event_pages(event_id))


@pytest.mark.both_dbs
def test_arrival_and_departure_at_their_bounds(app, liaison_client, organizer_client):
    with app.app_context():
        event_id = factories.make_event(timezone="Pacific/Kiritimati", delegate_details="travel").id
        db.session.commit()
    page = f"/events/{event_id}/delegation"
    for side in ("arrival", "departure"):
        for day in DAYS:
            values = {"people-0-family_name": "Wang", "people-0-role": "head",
                      f"people-0-{side}_date": day, f"people-0-{side}_time": "23:30" if day else ""}
            response, changed = _submit(app, liaison_client, page, values)
            assert response.status_code in (200, 302), (side, day, response.status_code)
            if day == "":
                continue
            assert (response.status_code == 302) == _accepted(day), (side, day)
            if _accepted(day):
                assert changed
            else:
                assert not changed
                if day[:4] in ("0001", "1899", "3000", "9999"):
                    assert REFUSED in response.get_data(as_text=True), (side, day)
    with app.app_context():
        delegate = db.session.scalars(sa.text(f"SELECT id FROM delegate WHERE event_id = {event_id}")).first()
        delegation = db.session.scalars(sa.text(f"SELECT id FROM delegation WHERE event_id = {event_id}")).first()
    base = f"/organizer/events/{event_id}/delegations/{delegation}"
    edit = f"{base}/delegates/{delegate}/edit"
    for day in DAYS:
        response, changed = _submit(app, organizer_client, edit, {"arrival_date": day,
                                                                  "arrival_time": "00:00" if day else ""})
        assert response.status_code in (200, 302), (day, response.status_code)
        if day:
            assert (response.status_code == 302) == _accepted(day), day
    _pages_work(organizer_client, [base, edit, f"/organizer/events/{event_id}/delegations",
                                   f"/organizer/events/{event_id}/delegations.csv",
                                   f"/organizer/events/{event_id}/delegations.xlsx"])
    _pages_work(liaison_client, [page])


@pytest.mark.both_dbs
def test_joined_on_at_its_bounds(app, admin_client):
    for day in DAYS:
        values = {"name_en": f"City {day}", "kind": "prefecture_city", "country": "CN", "joined_on": day}
        response, changed = _submit(app, admin_client, "/directory/new", values)
        assert response.status_code in (200, 302), (day, response.status_code)
        assert (response.status_code == 302) == (_accepted(day) or day == ""), day
        if response.status_code == 302:
            _pages_work(admin_client, [response.headers["Location"], "/directory/",
                                       "/directory/export/units.csv"])
        elif day[:4] in ("0001", "1899", "3000", "9999"):
            assert REFUSED in response.get_data(as_text=True), day


# --- stored before the rule ------------------------------------------------------------------


@pytest.mark.both_dbs
@pytest.mark.parametrize("start, end", [("0001-01-01 00:00:00", "0001-01-01 08:00:00"),
                                        ("9999-12-31 00:00:00", "9999-12-31 23:59:59")])
def test_dates_stored_out_of_range_break_no_page(app, admin_client, start, end):
    """Rows written before the rule (straight into the database): every page still works, in
    every zone, and the event can still be edited and duplicated."""
    with app.app_context():
        event = factories.make_event(timezone="Etc/GMT+12")
        factories.make_session(event)
        unit = factories.make_unit()
        invitation, _raw = factories.make_invitation(event, unit)
        delegation, delegate = factories.make_delegation(event, unit, invitation=invitation)
        db.session.commit()
        ids = event.id, delegation.id, delegate.id
        zone = "+00" if db.engine.dialect.name == "postgresql" else ""
        first, last = f"'{start}{zone}'", f"'{end}{zone}'"
        db.session.execute(sa.text(f"UPDATE event SET starts_at = {first}, ends_at = {last}, "
                                   f"registration_closes_at = {first}, edit_deadline = {last}"))
        db.session.execute(sa.text(f"UPDATE agenda_session SET starts_at = {first}, ends_at = {last}"))
        db.session.execute(sa.text(f"UPDATE delegate SET arrival_at = {first}, departure_at = {last}"))
        db.session.execute(sa.text(f"UPDATE invitation SET expires_at = {last}"))
        db.session.commit()
    event_id, delegation_id, delegate_id = ids
    base = f"/organizer/events/{event_id}"
    _pages_work(admin_client, _event_pages(event_id) + [
        f"{base}/delegations/{delegation_id}",
        f"{base}/delegations/{delegation_id}/delegates/{delegate_id}/edit",
        f"{base}/sessions/1/edit"])
    detail_form = _form(admin_client, base, f"{base}/duplicate")
    assert "new_start" in detail_form[0]
    response, _ = _submit(app, admin_client, f"{base}/edit", {"title_en": "Renamed"})
    assert response.status_code in (200, 302)
    response, _ = _submit(app, admin_client, base, {"new_start": "2500-01-01T09:00"}, action=f"{base}/duplicate")
    assert response.status_code == 302


@pytest.mark.postgres_only
def test_stored_out_of_range_read_whatever_the_servers_zone(app_factory, monkeypatch):
    """A server whose TimeZone is far from UTC would render 9999-12-31 23:59 UTC as a day in the
    year 10000, which no Python datetime holds: the app's sessions are on UTC."""
    monkeypatch.setenv("PGTZ", "Pacific/Kiritimati")  # libpq's session zone, as a server default
    app = app_factory()
    with app.app_context():
        event_id = factories.make_event().id
        db.session.commit()
        db.session.execute(sa.text("UPDATE event SET ends_at = '9999-12-31 23:59:59+00'"))
        db.session.commit()
    assert app.test_client().get(f"/events/{event_id}").status_code == 200
