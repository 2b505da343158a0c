"""Organizer pages for events: who may use them, the life cycle through the pages, bad input, XSS,
and a dashboard whose statement count does not grow with the number of events."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa
from bs4 import BeautifulSoup

from eventsite.audit.models import AuditEntry
from eventsite.events.models import AgendaSession, Event
from eventsite.extensions import db, now_utc

from .. import factories
from ..conftest import count_statements, csrf_token

UTC = timezone.utc
BASE = "/organizer/events"
XSS = ['<script>alert("x")</script>', '<img src=x onerror=alert(1)>', '[click](javascript:alert(1))',
       '"><svg onload=alert(1)>']


def event_form(**fields):
    return {"kind": "forum", "title_en": "Brussels Cities Forum", "title_zh": "布鲁塞尔城市论坛",
            "summary_en": "", "summary_zh": "", "description_en": "", "description_zh": "",
            "timezone": "Europe/Brussels", "starts_at": "2027-03-25T09:00", "ends_at": "2027-03-26T17:30",
            "venue_name_en": "Egmont Palace", "venue_address_en": "Place du Petit Sablon 8", "city_en": "Brussels",
            "country": "BE", "contact_name": "", "contact_email": "", "contact_phone": "",
            "registration_mode": "all_members", "registration_opens_at": "", "registration_closes_at": "",
            "edit_deadline": "", "capacity": "", "default_quota": "5", **fields}


def snapshot(app):
    with app.app_context():
        return [db.session.execute(sa.text(f"SELECT * FROM {t} ORDER BY 1")).all()
                for t in ("event", "agenda_session", "audit_entry")]


def audit_actions(app):
    with app.app_context():
        return [e.action for e in db.session.scalars(db.select(AuditEntry).order_by(AuditEntry.id))]


@pytest.fixture
def draft(app):
    with app.app_context():
        event = factories.make_event(status="draft", starts_at=datetime(2027, 3, 25, 8, tzinfo=UTC),
                                     ends_at=datetime(2027, 3, 26, 16, tzinfo=UTC), timezone="Europe/Brussels",
                                     country="BE", city_en="Brussels")
        factories.make_session(event)
        db.session.commit()
        return event.id


def _routes(event_id, session_id):
    e = f"{BASE}/{event_id}"
    return [("GET", f"{BASE}/"), ("GET", f"{BASE}/new"), ("POST", f"{BASE}/new"), ("GET", e),
            ("GET", f"{e}/edit"), ("POST", f"{e}/edit"), ("POST", f"{e}/publish"), ("POST", f"{e}/cancel"),
            ("POST", f"{e}/reopen"), ("POST", f"{e}/duplicate"), ("GET", f"{e}/agenda"), ("POST", f"{e}/agenda"),
            ("GET", f"{e}/sessions/{session_id}/edit"), ("POST", f"{e}/sessions/{session_id}/edit"),
            ("POST", f"{e}/sessions/{session_id}/delete"), ("POST", f"{e}/sessions/{session_id}/duplicate"),
            ("POST", f"{e}/sessions/{session_id}/move"), ("POST", f"{e}/cover/upload"),
            ("POST", f"{e}/cover/remove")]


@pytest.mark.both_dbs
def test_liaison_and_anonymous_are_refused_and_nothing_changes(app, client, liaison_client, draft):
    with app.app_context():
        session_id = db.session.scalar(db.select(AgendaSession.id))
    before = snapshot(app)
    token = csrf_token(liaison_client, "/account")
    data = event_form(csrf_token=token, reason_en="x", new_start="2028-01-01T09:00", direction="up",
                      title_en="Hacked")
    anonymous = data | {"csrf_token": csrf_token(client, "/login")}
    for method, url in _routes(draft, session_id):
        response = liaison_client.open(url, method=method, data=data)
        assert response.status_code == 403, (method, url)
        response = client.open(url, method=method, data=anonymous)
        assert response.status_code == 302 and "/login" in response.headers["Location"], (method, url)
    # A draft's cover is nobody's business but the staff's.
    assert client.get(f"{BASE}/{draft}/cover").status_code == 404
    assert snapshot(app) == before


def test_csrf_missing_is_refused(app, organizer_client, draft):
    before = snapshot(app)
    assert organizer_client.post(f"{BASE}/new", data=event_form()).status_code == 400
    assert organizer_client.post(f"{BASE}/{draft}/publish").status_code == 400
    assert organizer_client.post(f"{BASE}/{draft}/cancel", data={"reason_en": "x"}).status_code == 400
    assert snapshot(app) == before


@pytest.mark.both_dbs
def test_organizer_creates_edits_publishes_and_moves_an_event(app, organizer_client):
    token = csrf_token(organizer_client, f"{BASE}/new")
    response = organizer_client.post(f"{BASE}/new", data=event_form(csrf_token=token))
    assert response.status_code == 302
    event_id = int(response.headers["Location"].rstrip("/").split("/")[-1])
    with app.app_context():
        event = db.session.get(Event, event_id)
        assert event.status == "draft" and event.sequence == 0
        assert event.starts_at == datetime(2027, 3, 25, 8, tzinfo=UTC)
        uid = event.uid
    # The edit form shows times on the Brussels clock.
    html = organizer_client.get(f"{BASE}/{event_id}/edit").get_data(as_text=True)
    assert 'value="2027-03-25T09:00"' in html and 'list="zone-list"' in html
    assert '<option value="Europe/Brussels">' in html
    detail = organizer_client.get(f"{BASE}/{event_id}").get_data(as_text=True)
    assert uid in detail and "CET (UTC+1)" in detail

    organizer_client.post(f"{BASE}/{event_id}/publish", data={"csrf_token": token})
    # Move the forum by a day: SEQUENCE +1 and an audit entry.
    response = organizer_client.post(f"{BASE}/{event_id}/edit", data=event_form(
        csrf_token=token, starts_at="2027-03-26T09:00", ends_at="2027-03-27T17:30"))
    assert response.status_code == 302
    with app.app_context():
        event = db.session.get(Event, event_id)
        assert event.status == "published" and event.sequence == 2 and event.uid == uid
        assert event.starts_at == datetime(2027, 3, 26, 8, tzinfo=UTC)
        entry = db.session.scalars(db.select(AuditEntry).order_by(AuditEntry.id.desc())).first()
        assert entry.action == "event.update" and set(entry.details["changed"]) == {"starts_at", "ends_at"}
        assert entry.actor_id == organizer_client.user_id
    # A change that does not matter to calendars keeps the sequence.
    organizer_client.post(f"{BASE}/{event_id}/edit", data=event_form(
        csrf_token=token, starts_at="2027-03-26T09:00", ends_at="2027-03-27T17:30", summary_en="Two days"))
    with app.app_context():
        assert db.session.get(Event, event_id).sequence == 2
    # Cancel (reason required), reopen, duplicate.
    page = organizer_client.post(f"{BASE}/{event_id}/cancel", data={"csrf_token": token, "reason_en": ""},
                                 follow_redirects=True).get_data(as_text=True)
    assert "Give the reason" in page
    organizer_client.post(f"{BASE}/{event_id}/cancel", data={"csrf_token": token, "reason_en": "Storm"})
    organizer_client.post(f"{BASE}/{event_id}/reopen", data={"csrf_token": token})
    response = organizer_client.post(f"{BASE}/{event_id}/duplicate",
                                     data={"csrf_token": token, "new_start": "2028-03-23T09:00"})
    copy_id = int(response.headers["Location"].split("/")[-1])
    with app.app_context():
        event, copy = db.session.get(Event, event_id), db.session.get(Event, copy_id)
        assert event.status == "draft" and event.sequence == 4
        assert copy.copied_from_id == event_id and copy.status == "draft" and copy.sequence == 0
        assert copy.starts_at == datetime(2028, 3, 23, 8, tzinfo=UTC)
    assert audit_actions(app) == ["event.create", "event.publish", "event.update", "event.update",
                                  "event.cancel", "event.reopen", "event.duplicate"]


@pytest.mark.parametrize("fields, message", [
    ({"ends_at": "2027-03-25T08:00"}, "The end must be after the start."),
    ({"timezone": "Europe/Atlantis"}, "Choose a time zone from the list"),
    ({"capacity": "-1"}, "Number must be between 0 and"),
    ({"capacity": "10", "default_quota": "20"}, "The default quota cannot exceed the capacity."),
    ({"registration_closes_at": "2027-03-25T12:00"}, "Registration must close before the event starts."),
    ({"starts_at": "2027-03-28T02:30", "ends_at": "2027-03-28T18:00"}, "does not exist in Europe/Brussels"),
    ({"title_en": "", "title_zh": ""}, "Give an English or a Chinese title."),
    ({"title_en": "a\r\nb"}, "Line breaks and control characters are not allowed here."),
    ({"title_en": "x" * 301}, "Field cannot be longer than 300 characters."),
    ({"description_en": "a\x00b"}, "Control characters are not allowed here."),
    ({"starts_at": "tomorrow"}, "Not a valid datetime value."),
    ({"kind": "party"}, "Not a valid choice."),
    ({"country": "ZZ"}, "Not a valid choice."),
    ({"contact_email": "nobody"}, "Enter a valid email address."),
    ({"default_quota": "99999999999999999999"}, "Number must be between 1 and"),
])
def test_bad_event_input_is_shown_and_nothing_saved(app, organizer_client, fields, message):
    token = csrf_token(organizer_client, f"{BASE}/new")
    before = snapshot(app)
    response = organizer_client.post(f"{BASE}/new", data=event_form(csrf_token=token, **fields))
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert snapshot(app) == before


def test_ambiguous_time_is_saved_with_a_warning(app, organizer_client):
    token = csrf_token(organizer_client, f"{BASE}/new")
    page = organizer_client.post(f"{BASE}/new", data=event_form(
        csrf_token=token, starts_at="2027-10-31T02:30", ends_at="2027-10-31T18:00"), follow_redirects=True)
    assert "happens twice in Europe/Brussels" in page.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(db.select(Event.starts_at)) == datetime(2027, 10, 31, 0, 30, tzinfo=UTC)


@pytest.mark.both_dbs
def test_xss_in_every_event_field_is_neutralized(app, organizer_client):
    token = csrf_token(organizer_client, f"{BASE}/new")
    for payload in XSS:
        texts = {f: payload for f in ("title_en", "title_zh", "summary_en", "summary_zh", "description_en",
                                      "description_zh", "venue_name_en", "venue_address_en", "city_en",
                                      "contact_name", "contact_phone")}
        response = organizer_client.post(f"{BASE}/new", data=event_form(csrf_token=token, **texts))
        assert response.status_code == 302, payload
        event_id = int(response.headers["Location"].split("/")[-1])
        organizer_client.post(f"{BASE}/{event_id}/cancel", data={"csrf_token": token, "reason_en": payload,
                                                                 "reason_zh": payload})
        for url in (f"{BASE}/", f"{BASE}/{event_id}", f"{BASE}/{event_id}/edit", f"{BASE}/{event_id}/agenda"):
            assert_harmless(organizer_client.get(url).get_data(as_text=True), url)


def assert_harmless(html: str, where: str) -> None:
    """No script but our own files, no event handler, no javascript: link, no injected element."""
    soup = BeautifulSoup(html, "html.parser")
    assert all(tag.get("src") for tag in soup.find_all("script")), where
    assert not soup.find_all(["img", "svg"], src="x") and not soup.find_all("svg"), where
    for tag in soup.find_all(True):
        assert not any(name.lower().startswith("on") for name in tag.attrs), (where, str(tag)[:100])
        assert not str(tag.get("href", "")).strip().lower().startswith("javascript:"), where


def test_nonexistent_and_huge_ids_are_404(organizer_client):
    for url in (f"{BASE}/999", f"{BASE}/99999999999999999999", f"{BASE}/999/agenda", f"{BASE}/999/cover"):
        assert organizer_client.get(url).status_code == 404


def test_dashboard_lists_events_with_state_and_next_action(app, organizer_client):
    now = now_utc()
    with app.app_context():
        factories.make_event(title_en="Draft Forum", status="draft")
        factories.make_event(title_en="", title_zh="只有中文", registration_opens_at=now + timedelta(days=3),
                             registration_closes_at=now + timedelta(days=10))
        factories.make_event(title_en="Open Seminar", kind="seminar",
                             registration_opens_at=now - timedelta(days=3),
                             registration_closes_at=now + timedelta(days=10))
        factories.make_event(title_en="Old Expo", kind="exposition", starts_at=now - timedelta(days=40),
                             ends_at=now - timedelta(days=39))
        factories.make_event(title_en="Called Off", status="cancelled", cancel_reason_en="Storm")
        db.session.commit()
    html = organizer_client.get(f"{BASE}/").get_data(as_text=True)
    for text in ("Draft Forum", "只有中文", "Open Seminar", "Old Expo", "Called Off",
                 "Publish when the agenda is ready", "Registration opens on", "Registration closes on",
                 "Archive", "Not open yet", "Investigation" if False else "Exposition", "CST (UTC+8)"):
        assert text in html, text
    assert html.index("Open Seminar") < html.index("Old Expo")   # upcoming first
    past = organizer_client.get(f"{BASE}/", query_string={"status": "past"}).get_data(as_text=True)
    assert "Old Expo" in past and "Open Seminar" not in past
    drafts = organizer_client.get(f"{BASE}/", query_string={"status": "draft"}).get_data(as_text=True)
    assert "Draft Forum" in drafts and "Called Off" not in drafts
    for garbage in ({"status": "x" * 5000}, {"page": "-4"}, {"page": "abc"}, {"page": "9" * 30}):
        assert organizer_client.get(f"{BASE}/", query_string=garbage).status_code == 200


def test_dashboard_statement_count_does_not_grow(app, organizer_client):
    def count(n_events: int) -> int:
        with app.app_context():
            for i in range(n_events):
                event = factories.make_event(status=("draft", "published", "cancelled")[i % 3])
                factories.make_session(event)
            db.session.commit()
            engine = db.engine
        with count_statements(engine) as statements:
            assert organizer_client.get(f"{BASE}/").status_code == 200
        return len(statements)

    few = count(5)
    many = count(195)  # 200 in all
    assert few == many, (few, many)


def test_dashboard_counts_invitations_and_delegations_in_constant_queries(app, organizer_client):
    def count(n_events: int) -> tuple[int, str]:
        with app.app_context():
            for _i in range(n_events):
                event = factories.make_event(capacity=40)
                for j in range(3):
                    unit = factories.make_unit()
                    invitation, _raw = factories.make_invitation(
                        event, unit, state=("pending", "accepted", "declined")[j])
                    if j == 1:
                        factories.make_delegation(event, unit, invitation=invitation, people=3)
            db.session.commit()
            engine = db.engine
        statements = []
        listener = lambda *args: statements.append(args[2])  # noqa: E731
        sa.event.listen(engine, "before_cursor_execute", listener)
        try:
            response = organizer_client.get(f"{BASE}/")
            assert response.status_code == 200
        finally:
            sa.event.remove(engine, "before_cursor_execute", listener)
        return len(statements), response.get_data(as_text=True)

    few, html = count(2)
    assert "2 of 3 invited units answered" in html
    assert "3 delegates confirmed / 40" in html
    many, _html = count(30)
    assert few == many, (few, many)
