"""Changing an event's time (issue 16): the organizer chooses whether the sessions move, the
preview lists every session whose time changes (title, old → new on the event's clock, in the
reader's language) and flags those left outside the event's days; changing the choice shows the
preview again; the audit entry says what moved."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from bs4 import BeautifulSoup

from eventsite.audit.models import AuditEntry
from eventsite.core.timezones import to_utc
from eventsite.delegations.services import PersonRow, save_delegation
from eventsite.events.models import AgendaSession, Event
from eventsite.extensions import db

from .. import factories
from ..conftest import csrf_token
from ..delegations.helpers import person
from .test_admin_views import event_form

BASE = "/organizer/events"
ZONE = "Europe/Brussels"
# Day 1 (25 March) and day 2 (26 March), as typed on the event's clock.
AGENDA = [("Opening", "2027-03-25T09:00", "2027-03-25T10:00"), ("Keynote", "2027-03-25T10:30", "2027-03-25T12:00"),
          ("Lunch", "2027-03-25T12:00", "2027-03-25T13:30"), ("Smart cities", "2027-03-25T14:00", "2027-03-25T17:00"),
          ("Site visit", "2027-03-26T09:00", "2027-03-26T12:00"), ("Green finance", "2027-03-26T13:30", "2027-03-26T15:00"),
          ("Closing", "2027-03-26T16:00", "2027-03-26T17:30")]
TITLES_ZH = {"Opening": "开幕式", "Keynote": "主旨演讲", "Lunch": "午餐", "Smart cities": "智慧城市",
             "Site visit": "实地考察", "Green finance": "绿色金融", "Closing": "闭幕式"}


def at(text: str) -> datetime:
    return to_utc(datetime.fromisoformat(text), ZONE)[0]


def make_forum(status: str = "draft") -> int:
    event = factories.make_event(status=status, timezone=ZONE, country="BE", city_en="Brussels",
                                 title_en="Brussels Cities Forum", title_zh="布鲁塞尔城市论坛",
                                 venue_name_en="Egmont Palace", venue_address_en="Place du Petit Sablon 8",
                                 starts_at=at("2027-03-25T09:00"), ends_at=at("2027-03-26T17:30"))
    for title, start, end in AGENDA:
        factories.make_session(event, title_en=title, title_zh=TITLES_ZH[title], starts_at=at(start),
                               ends_at=at(end))
    db.session.commit()
    return event.id


def client_in(app, login, language: str):
    with app.app_context():
        user = factories.make_user(role="organizer", locale=language)
        db.session.commit()
        client = app.test_client()
        login(client, user)
    return client


def sessions(app, event_id: int) -> dict[str, tuple[datetime, datetime]]:
    with app.app_context():
        return {s.title_en: (s.starts_at, s.ends_at) for s in db.session.scalars(
            db.select(AgendaSession).filter_by(event_id=event_id))}


def last_update(app) -> dict:
    with app.app_context():
        return db.session.scalars(db.select(AuditEntry).filter_by(action="event.update")
                                  .order_by(AuditEntry.id.desc())).first().details


def fingerprint(html: BeautifulSoup) -> str:
    return html.find("input", {"name": "notify_preview"})["value"]


ONE_HOUR_LATER = {"starts_at": "2027-03-25T10:00", "ends_at": "2027-03-26T18:30"}


def test_moving_a_two_day_event_by_one_hour_lists_every_session_then_moves_them(app, login):
    with app.app_context():
        event_id = make_forum()
    client = client_in(app, login, "en")
    token = csrf_token(client, f"{BASE}/{event_id}/edit")
    before = sessions(app, event_id)
    form = event_form(csrf_token=token, agenda="move", **ONE_HOUR_LATER)

    page = client.post(f"{BASE}/{event_id}/edit", data=form)
    assert page.status_code == 200 and sessions(app, event_id) == before  # nothing saved yet
    html = BeautifulSoup(page.data, "html.parser")
    box = html.find(id="notify-preview")
    assert "Check what happens to the agenda" in box.get_text()
    choice = box.find("input", {"name": "agenda", "checked": True})
    assert choice["value"] == "move"
    assert "Move the 7 sessions with the event" in box.get_text()
    assert "Keep the sessions where they are" in box.get_text()
    assert len(html.find_all("input", {"name": "agenda", "value": "move"})) == 1  # shown once
    lines = [li.get_text(" ", strip=True) for li in box.select("#agenda-moves li")]
    assert len(lines) == 7 and "7 sessions change their time" in box.get_text()
    assert [line.split(":")[0] for line in lines] == [title for title, _s, _e in AGENDA]
    assert "Thu, Mar 25, 2027, 09:00 – 10:00 CET (UTC+1) → Thu, Mar 25, 2027, 10:00 – 11:00 CET (UTC+1)" in lines[0]
    assert "Closing" in lines[6] and "Mar 26, 2027, 16:00" in lines[6] and "Mar 26, 2027, 17:00" in lines[6]
    assert not box.find(id="agenda-outside")
    assert box.find("button", {"name": "confirm_notify"}) or box.find("input", {"name": "confirm_notify"})

    done = client.post(f"{BASE}/{event_id}/edit", data=form | {
        "confirm_notify": "Save", "notify_preview": fingerprint(html)})
    assert done.status_code == 302
    after = sessions(app, event_id)
    assert after == {t: (s + timedelta(hours=1), e + timedelta(hours=1)) for t, (s, e) in before.items()}
    details = last_update(app)
    with app.app_context():
        ids = sorted(s.id for s in db.session.get(Event, event_id).sessions)
    assert sorted(details["agenda_moved"]["sessions"]) == ids and details["agenda_moved"]["by"] == "1:00:00"


def test_changing_the_choice_shows_the_preview_again_and_keep_moves_nothing(app, login):
    with app.app_context():
        event_id = make_forum()
    client = client_in(app, login, "en")
    token = csrf_token(client, f"{BASE}/{event_id}/edit")
    before = sessions(app, event_id)
    moving = BeautifulSoup(client.post(f"{BASE}/{event_id}/edit", data=event_form(
        csrf_token=token, agenda="move", **ONE_HOUR_LATER)).data, "html.parser")

    # The organizer picks "keep" in the preview and confirms: the preview is shown again, for "keep".
    keep = event_form(csrf_token=token, agenda="keep", **ONE_HOUR_LATER)
    page = client.post(f"{BASE}/{event_id}/edit", data=keep | {
        "confirm_notify": "Save", "notify_preview": fingerprint(moving)})
    assert page.status_code == 200 and sessions(app, event_id) == before
    html = BeautifulSoup(page.data, "html.parser")
    box = html.find(id="notify-preview")
    assert box.find("input", {"name": "agenda", "checked": True})["value"] == "keep"
    assert not box.select("#agenda-moves li")  # none listed as moving
    assert "The 7 sessions keep their times." in box.get_text()
    assert fingerprint(html) != fingerprint(moving)

    done = client.post(f"{BASE}/{event_id}/edit", data=keep | {
        "confirm_notify": "Save", "notify_preview": fingerprint(html)})
    assert done.status_code == 302
    assert sessions(app, event_id) == before
    with app.app_context():
        assert db.session.get(Event, event_id).starts_at == at("2027-03-25T10:00")
    details = last_update(app)
    assert "agenda_moved" not in details and len(details["agenda_kept"]["sessions"]) == 7


def test_the_preview_reads_in_chinese(app, login):
    with app.app_context():
        event_id = make_forum()
    client = client_in(app, login, "zh")
    token = csrf_token(client, f"{BASE}/{event_id}/edit")
    page = client.post(f"{BASE}/{event_id}/edit", data=event_form(csrf_token=token, agenda="move",
                                                                  **ONE_HOUR_LATER))
    html = BeautifulSoup(page.data, "html.parser")
    box = html.find(id="notify-preview")
    text = box.get_text()
    assert "全部 7 个议程项目随活动一起移动" in text and "议程项目保持原时间不变" in text
    assert "7 个议程项目的时间将改变" in text
    lines = [li.get_text(" ", strip=True) for li in box.select("#agenda-moves li")]
    assert [line.split(":")[0] for line in lines] == [TITLES_ZH[t] for t, _s, _e in AGENDA]
    assert "2027年3月25日周四 09:00 – 10:00 CET (UTC+1) → 2027年3月25日周四 10:00 – 11:00" in lines[0]
    assert "Move the" not in text and "Opening" not in text

    keep = BeautifulSoup(client.post(f"{BASE}/{event_id}/edit", data=event_form(
        csrf_token=token, agenda="keep", starts_at="2027-03-26T09:00", ends_at="2027-03-27T17:30")).data,
        "html.parser").find(id="notify-preview")
    assert "7 个议程项目保持原时间。" in keep.get_text()
    outside = keep.find(id="agenda-outside")
    assert "4 个议程项目将不在活动日期（2027年3月26日至2027年3月27日）之内" in outside.get_text()
    assert [li.get_text().split(":")[0] for li in outside.select("li")] == ["开幕式", "主旨演讲", "午餐", "智慧城市"]


def test_sessions_left_outside_the_new_days_are_flagged_and_saved_with_a_warning(app, login):
    with app.app_context():
        event_id = make_forum()
    client = client_in(app, login, "en")
    token = csrf_token(client, f"{BASE}/{event_id}/edit")
    before = sessions(app, event_id)
    form = event_form(csrf_token=token, agenda="keep", starts_at="2027-03-26T09:00", ends_at="2027-03-27T17:30")
    html = BeautifulSoup(client.post(f"{BASE}/{event_id}/edit", data=form).data, "html.parser")
    outside = html.find(id="notify-preview").find(id="agenda-outside")
    assert ("4 sessions would be outside the event's days (Mar 26, 2027 to Mar 27, 2027). They are saved "
            "anyway") in outside.get_text(" ", strip=True)
    assert [li.get_text().split(":")[0] for li in outside.select("li")] == ["Opening", "Keynote", "Lunch",
                                                                            "Smart cities"]
    done = client.post(f"{BASE}/{event_id}/edit", data=form | {
        "confirm_notify": "Save", "notify_preview": fingerprint(html)}, follow_redirects=True)
    assert b"4 sessions are outside the event&#39;s days; they were saved anyway." in done.data
    assert sessions(app, event_id) == before
    assert len(last_update(app)["agenda_outside"]["sessions"]) == 4


@pytest.mark.parametrize("language", ["en", "zh"])
def test_a_published_event_shows_the_delegates_and_the_sessions_in_one_preview(app, login, outbox, language):
    with app.app_context():
        event_id = make_forum(status="published")
        event, unit = db.session.get(Event, event_id), factories.make_unit()
        db.session.commit()
        save_delegation(event, unit, [PersonRow(person("head", 1))], as_organizer=True)
    client = client_in(app, login, language)
    token = csrf_token(client, f"{BASE}/{event_id}/edit")
    form = event_form(csrf_token=token, agenda="move", **ONE_HOUR_LATER)
    with app.app_context():
        told = len(outbox(kind="delegate_notice"))
    html = BeautifulSoup(client.post(f"{BASE}/{event_id}/edit", data=form).data, "html.parser")
    box = html.find(id="notify-preview")
    heading = {"en": "1 confirmed delegate will be notified of this change", "zh": "将向 1 名已确认代表通知此项变更"}
    assert heading[language] in box.get_text()
    assert len(box.select("#agenda-moves li")) == 7 and box.find("textarea", {"name": "notify_note"})
    with app.app_context():
        assert len(outbox(kind="delegate_notice")) == told  # nobody told before the confirmation
    done = client.post(f"{BASE}/{event_id}/edit", data=form | {
        "confirm_notify": "Save and notify", "notify_preview": fingerprint(html)})
    assert done.status_code == 302
    with app.app_context():
        assert len(outbox(kind="delegate_notice")) == told + 1  # the update, after the confirmation
    details = last_update(app)
    assert details["notified"] == 1 and len(details["agenda_moved"]["sessions"]) == 7
