"""Changes of the event itself reach its delegates' calendars: an update (METHOD:REQUEST, same UID,
higher SEQUENCE) to every confirmed delegate when time, venue or title change, nothing when only
the description does, METHOD:CANCEL on cancellation; and the organizer's two-step form that shows
how many will be told before anything is saved."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest
from bs4 import BeautifulSoup

from eventsite.audit.models import AuditEntry
from eventsite.core.domain import DomainError
from eventsite.core.timezones import to_utc
from eventsite.delegations.services import PersonRow, save_delegation
from eventsite.events import services as event_services
from eventsite.events.models import Event
from eventsite.extensions import db
from eventsite.mail.services import enqueue

from .. import factories
from ..calendar.helpers import read_both, with_icalendar
from ..conftest import csrf_token
from ..events.test_admin_views import event_form
from .helpers import link_token, person, setup

UTC = timezone.utc
BASE = "/organizer/events"


def local(text: str, zone: str = "Europe/Brussels") -> datetime:
    return to_utc(datetime.fromisoformat(text), zone)[0]


def calendar(message):
    cal, _seen = with_icalendar(bytes(message.calendar_ics))
    (seen,) = read_both(bytes(message.calendar_ics))
    return str(cal["METHOD"]), seen


def audit(action: str) -> list[dict]:
    return [e.details for e in db.session.scalars(
        db.select(AuditEntry).filter_by(action=action).order_by(AuditEntry.id))]


@pytest.mark.both_dbs
def test_update_history_raises_sequence_only_on_significant_changes(app_ctx, outbox):
    event, unit, liaison = setup(status="draft", sequence=0, timezone="Europe/Brussels",
                                 starts_at=local("2027-03-25T09:00"), ends_at=local("2027-03-26T17:30"),
                                 venue_name_en="Egmont Palace", city_en="Brussels", country="BE", capacity=1,
                                 default_quota=1)
    event_services.publish(event)
    people = [PersonRow(person("head", 1)), PersonRow(person("member", 2))]
    head, waiting = save_delegation(event, unit, people, as_organizer=True).delegation.delegates
    assert (head.status, waiting.status) == ("confirmed", "waitlisted")

    event_services.update_event(event, {"starts_at": local("2027-04-01T09:00"),
                                        "ends_at": local("2027-04-02T17:30")}, note="New dates.")
    event_services.update_event(event, {"venue_name_en": "Palais d'Egmont, salle 2"})
    sequence = event.sequence
    changes, _warnings = event_services.update_event(event, {"description_en": "More detail."})
    assert changes and event.sequence == sequence  # not a calendar field: no update, no SEQUENCE
    event_services.cancel(event, "The venue is closed.", "", note="Sorry.")

    mails = outbox(to_addr=head.email)
    read = [calendar(m) for m in mails]
    assert [method for method, _seen in read] == ["REQUEST", "REQUEST", "REQUEST", "CANCEL"]
    sequences = [seen.sequence for _method, seen in read]
    assert sequences == sorted(set(sequences)) and sequences[-1] == event.sequence  # strictly up
    assert {seen.uid for _method, seen in read} == {event.uid}
    assert read[-1][1].status == "CANCELLED"
    assert read[1][1].start == local("2027-04-01T09:00")
    assert [m.dedupe_key for m in mails[1:]] == [
        f"event-update:{event.id}:{seq}:{head.id}" for seq in sequences[1:]]
    # What changed, old -> new on the event's clock with its offset, and the organizer's note.
    moved = mails[1]
    assert moved.subject == f"Changed: {event.title_en}"
    assert "CET (UTC+1)" in moved.body_text and "CEST (UTC+2)" in moved.body_text
    assert "Mar 25, 2027 09:00 CET (UTC+1) → Apr 1, 2027 09:00 CEST (UTC+2)" in moved.body_text
    assert "New dates." in moved.body_text and "New dates." in moved.body_html
    assert "Egmont Palace → Palais d'Egmont, salle 2" in mails[2].body_text
    assert mails[3].subject == f"Cancelled: {event.title_en}"
    assert "The venue is closed." in mails[3].body_text and "Sorry." in mails[3].body_text
    # The waiting delegate holds no calendar entry: only a plain notice of the cancellation.
    assert [(m.subject.split(":")[0], m.calendar_method) for m in outbox(to_addr=waiting.email)] == [
        ("You are on the waiting list", None), ("Cancelled", None)]
    # The unit's liaison reads every change too (no calendar part: the liaison is no attendee).
    changed = [m for m in outbox(to_addr=liaison.email) if m.subject.startswith("Changed:")]
    assert len(changed) == 2 and all(m.calendar_method is None for m in changed)
    assert "Mar 25, 2027 09:00 CET (UTC+1) → Apr 1, 2027 09:00 CEST (UTC+2)" in changed[0].body_text
    assert "New dates." in changed[0].body_text and "New dates." in changed[0].body_html
    assert "Egmont Palace → Palais d'Egmont, salle 2" in changed[1].body_text
    assert [m.dedupe_key for m in changed] == [
        f"event-update:{event.id}:{seq}:unit-{unit.id}:{liaison.email}" for seq in sequences[1:3]]
    liaison_mail = outbox(to_addr=liaison.email)[-1]
    assert liaison_mail.subject == f"Event cancelled: {event.title_en}" and liaison_mail.calendar_method is None
    assert "The venue is closed." in liaison_mail.body_text and "Sorry." in liaison_mail.body_text
    assert [d.get("notified") for d in audit("event.update")] == [1, 1, None]
    assert audit("event.cancel")[-1]["notified"] == {"cancel": 1, "notice": 1, "units": 1}


def test_each_delegate_reads_the_update_in_their_language(app_ctx, outbox):
    event = factories.make_event(timezone="Asia/Shanghai")
    unit = factories.make_unit()
    db.session.commit()
    save_delegation(event, unit, [PersonRow(person("head", 1, language="zh")),
                                  PersonRow(person("member", 2, language="en"))], as_organizer=True)
    event_services.update_event(event, {"title_zh": "新的论坛名称"})
    zh, en = outbox(to_addr="p1@example.org")[-1], outbox(to_addr="p2@example.org")[-1]
    assert zh.language == "zh" and "新的论坛名称" in zh.subject
    assert calendar(zh)[1].summary == "新的论坛名称"
    assert en.language == "en" and calendar(en)[1].summary == event.title_en


def test_each_reader_reads_a_moved_venue_once_in_their_language(app_ctx, outbox):
    """A notice names a title or place once, in the reader's language (the other one where theirs
    is empty); a change only in the other language is no line for them. The organizer's preview
    keeps one line per language."""
    event = factories.make_event(timezone="Asia/Shanghai", venue_name_en="Expo Centre",
                                 venue_name_zh="世博中心", city_en="Shanghai", city_zh="上海",
                                 venue_address_en="1 Expo Road", venue_address_zh="")
    unit = factories.make_unit()
    liaison = factories.make_user(role="liaison", unit=unit, locale="zh")
    db.session.commit()
    save_delegation(event, unit, [PersonRow(person("head", 1, language="zh")),
                                  PersonRow(person("member", 2, language="en"))], as_organizer=True)
    event_services.update_event(event, {"venue_name_en": "Convention Hall", "venue_name_zh": "会议中心",
                                        "city_en": "Shanghai (Pudong)", "venue_address_en": "9 River Road"})
    zh, en = outbox(to_addr="p1@example.org")[-1].body_text, outbox(to_addr="p2@example.org")[-1].body_text
    assert "场地: 世博中心 → 会议中心" in zh and "Expo Centre" not in zh
    assert "城市:" not in zh  # only the English city changed; the Chinese reader's 上海 stays
    assert "地址: 1 Expo Road → 9 River Road" in zh  # no Chinese address: the English one is theirs
    assert "Venue: Expo Centre → Convention Hall" in en and "世博中心" not in en
    assert "City: Shanghai → Shanghai (Pudong)" in en
    assert en.count("Venue") == 1 and "(English)" not in en and "(Chinese)" not in en
    liaison_mail = outbox(to_addr=liaison.email)[-1].body_text
    assert "场地: 世博中心 → 会议中心" in liaison_mail and "城市:" not in liaison_mail
    from eventsite.events.labels import describe
    preview = [line.label for line in describe(event, {"venue_name_en": ("A", "B"),
                                                       "venue_name_zh": ("甲", "乙")}, "en")]
    assert preview == ["Venue (English)", "Venue (Chinese)"]


def test_a_save_racing_another_is_refused_and_changes_nothing(app_ctx, outbox):
    """Two saves at the same moment both take the next SEQUENCE; the second one's notices collide
    with the first's in the outbox, so it fails whole instead of mailing everyone twice."""
    event = factories.make_event()
    _delegation, head = factories.make_delegation(event, factories.make_unit())
    db.session.commit()
    enqueue(kind="test", to_addr="x@example.org", subject="first", body_text="first",
            dedupe_key=f"event-update:{event.id}:{event.sequence + 1}:{head.id}")
    db.session.commit()
    city, sequence = event.city_en, event.sequence
    with pytest.raises(DomainError):
        event_services.update_event(event, {"city_en": "Chengdu"})
    db.session.expire_all()
    event = db.session.get(Event, event.id)
    assert (event.city_en, event.sequence) == (city, sequence)
    assert [m.subject for m in outbox()] == ["first"]


# --- the organizer's two steps ----------------------------------------------------------------

@pytest.fixture
def published(app, organizer_client):
    """A published Brussels event made through the form, with two confirmed delegates."""
    token = csrf_token(organizer_client, f"{BASE}/new")
    response = organizer_client.post(f"{BASE}/new", data=event_form(csrf_token=token))
    event_id = int(response.headers["Location"].rsplit("/", 1)[1])
    organizer_client.post(f"{BASE}/{event_id}/publish", data={"csrf_token": token})
    with app.app_context():
        event = db.session.get(Event, event_id)
        assert event.status == "published"
        factories.make_delegation(event, factories.make_unit(), people=2)
        db.session.commit()
    return event_id, token


def _state(app, event_id):
    with app.app_context():
        event = db.session.get(Event, event_id)
        from eventsite.mail.models import OutboxMessage
        count = db.session.scalar(db.select(db.func.count(OutboxMessage.id)))
        return event.sequence, event.starts_at, count


def test_a_liaison_reads_the_change_in_their_language(app_ctx, outbox):
    event = factories.make_event(timezone="Asia/Shanghai")
    unit = factories.make_unit()
    liaison = factories.make_user(role="liaison", unit=unit, locale="zh")
    db.session.commit()
    save_delegation(event, unit, [PersonRow(person("head", 1, language="en"))], as_organizer=True)
    event_services.update_event(event, {"city_en": "Chengdu"})
    mail = outbox(to_addr=liaison.email)[-1]
    assert mail.language == "zh" and mail.subject.startswith("活动变更：")
    assert "城市" in mail.body_text and "Shanghai → Chengdu" in mail.body_text


def test_the_edit_form_shows_who_will_be_told_and_saves_only_on_confirmation(app, organizer_client,
                                                                               published, outbox):
    event_id, token = published
    before = _state(app, event_id)
    moved = event_form(csrf_token=token, starts_at="2027-03-25T10:00")
    page = organizer_client.post(f"{BASE}/{event_id}/edit", data=moved)
    assert page.status_code == 200
    html = BeautifulSoup(page.data, "html.parser")
    box = html.find(id="notify-preview")
    assert "2 confirmed delegates will be notified of this change" in box.get_text()
    assert "The liaisons of 1 unit will be told." in box.get_text()
    assert "09:00 CET (UTC+1)" in box.get_text() and "10:00 CET (UTC+1)" in box.get_text()
    assert _state(app, event_id) == before  # nothing saved, nobody mailed
    preview = html.find("input", {"name": "notify_preview"})["value"]
    assert html.find("input", {"name": "starts_at"})["value"] == "2027-03-25T10:00"  # values kept

    # Values edited again after the preview: the new change is shown, not sent.
    again = organizer_client.post(f"{BASE}/{event_id}/edit", data=event_form(
        csrf_token=token, starts_at="2027-03-25T11:00", confirm_notify="Save and notify",
        notify_preview=preview))
    assert again.status_code == 200 and b"notify-preview" in again.data
    assert _state(app, event_id) == before

    done = organizer_client.post(f"{BASE}/{event_id}/edit", data=moved | {
        "confirm_notify": "Save and notify", "notify_preview": preview,
        "notify_note": "Coffee from 09:30."}, follow_redirects=True)
    assert b"2 confirmed delegates were sent the update." in done.data
    with app.app_context():
        sent = outbox(kind="delegate_notice")
        assert len(sent) == 2 and all(m.calendar_method == "REQUEST" for m in sent)
        assert all("Coffee from 09:30." in m.body_text for m in sent)
        assert audit("event.update")[-1]["notified"] == 2
    assert _state(app, event_id)[0] == before[0] + 1


def test_changes_that_reach_no_calendar_save_at_once(app, organizer_client, published, outbox):
    event_id, token = published
    response = organizer_client.post(f"{BASE}/{event_id}/edit", data=event_form(
        csrf_token=token, description_en="Programme to follow."))
    assert response.status_code == 302
    with app.app_context():
        assert outbox() == [] and db.session.get(Event, event_id).description_en == "Programme to follow."


def test_a_draft_or_an_event_without_delegates_saves_without_asking(app, organizer_client, outbox):
    token = csrf_token(organizer_client, f"{BASE}/new")
    response = organizer_client.post(f"{BASE}/new", data=event_form(csrf_token=token))
    event_id = int(response.headers["Location"].rsplit("/", 1)[1])
    for step in ("draft", "published"):
        response = organizer_client.post(f"{BASE}/{event_id}/edit", data=event_form(
            csrf_token=token, city_en=f"Ghent {step}"))
        assert response.status_code == 302, step
        organizer_client.post(f"{BASE}/{event_id}/publish", data={"csrf_token": token})
    with app.app_context():
        assert outbox() == []


def test_a_note_too_long_is_refused_with_nothing_saved(app, organizer_client, published):
    event_id, token = published
    before = _state(app, event_id)
    response = organizer_client.post(f"{BASE}/{event_id}/edit", data=event_form(
        csrf_token=token, starts_at="2027-03-25T10:00", confirm_notify="Save and notify",
        notify_note="x" * 1001))
    assert response.status_code == 200 and b"1000" in response.data
    assert _state(app, event_id) == before


def test_the_cancel_form_shows_the_audience_and_carries_the_note(app, organizer_client, published,
                                                                  outbox):
    event_id, token = published
    page = BeautifulSoup(organizer_client.get(f"{BASE}/{event_id}").data, "html.parser")
    text = page.find(id="cancel-audience").get_text()
    assert "2 confirmed delegates will receive a cancellation" in text
    assert "The liaisons of 1 unit will be told." in text
    organizer_client.post(f"{BASE}/{event_id}/cancel", data={
        "csrf_token": token, "reason_en": "Strike", "note": "We will propose a new date."})
    with app.app_context():
        event = db.session.get(Event, event_id)
        sent = outbox(kind="delegate_notice")
        assert event.status == "cancelled" and len(sent) == 2
        for message in sent:
            method, seen = calendar(message)
            assert (method, seen.uid, seen.sequence, seen.status) == (
                "CANCEL", event.uid, event.sequence, "CANCELLED")
            assert "We will propose a new date." in message.body_text
            assert "Strike" in message.body_text
        assert audit("event.cancel")[-1]["notified"]["cancel"] == 2


@pytest.mark.both_dbs
def test_the_update_mail_carries_the_delegates_personal_link(app, outbox):
    """A real time change through the service: each confirmed delegate's update holds their
    own personal link (a new one: only hashes are stored), which opens their page; the link of
    earlier mails no longer does, and the mail says so, in the delegate's language."""
    with app.app_context():
        event, unit, _liaison = setup(timezone="Europe/Brussels", starts_at=local("2027-03-25T09:00"),
                                      ends_at=local("2027-03-26T17:30"))
        people = [PersonRow(person("head", 1)), PersonRow(person("member", 2, language="zh"))]
        head, member = save_delegation(event, unit, people, as_organizer=True).delegation.delegates
        first = {d.email: link_token(outbox(to_addr=d.email)[-1].body_text) for d in (head, member)}
        assert all(first.values())
        event_services.update_event(event, {"starts_at": local("2027-04-01T09:00"),
                                            "ends_at": local("2027-04-02T17:30")})
        links = {}
        for delegate in (head, member):
            update = outbox(to_addr=delegate.email)[-1]
            assert update.dedupe_key == f"event-update:{event.id}:{event.sequence}:{delegate.id}"
            token = link_token(update.body_text)
            assert token and token == link_token(update.body_html) and token != first[delegate.email]
            links[delegate.email] = (f"/events/{event.id}/delegate/{token}",
                                     f"/events/{event.id}/delegate/{first[delegate.email]}")
        head_mail = outbox(to_addr=head.email)[-1]
        assert "This link replaces the one in earlier emails" in head_mail.body_text
        assert "此链接取代之前邮件中的链接" in outbox(to_addr=member.email)[-1].body_text
    client = app.test_client()
    for email, (new, old) in links.items():
        page = client.get(new)
        assert page.status_code == 200 and email in page.get_data(as_text=True)
        assert client.get(old).status_code == 404


def test_update_mails_say_whether_the_sessions_moved(app_ctx, outbox):
    """A new start: the delegate's and the liaison's mail carry an "Agenda" line in their language,
    "moved … 1 hour later" or "kept their times"; a change that moves no time carries none."""
    event, unit, liaison = setup(timezone="Europe/Brussels", starts_at=local("2027-03-25T09:00"),
                                 ends_at=local("2027-03-26T17:30"))
    for day in ("2027-03-25T09:00", "2027-03-26T09:00"):
        factories.make_session(event, starts_at=local(day))
    db.session.commit()
    head = save_delegation(event, unit, [PersonRow(person("head", 1, language="zh"))],
                           as_organizer=True).delegation.delegates[0]
    event_services.update_event(event, {"starts_at": local("2027-03-25T10:00")}, move_agenda=True)
    event_services.update_event(event, {"starts_at": local("2027-03-25T11:00")}, move_agenda=False)
    event_services.update_event(event, {"venue_name_en": "Egmont Palace"})
    moved, kept, venue = outbox(to_addr=head.email)[-3:]
    assert "议程: 2个议程项目随活动移动：推迟1小时。" in moved.body_text and "推迟1小时" in moved.body_html
    assert "议程: 议程项目保持原定时间。" in kept.body_text
    assert "议程" not in venue.body_text.split("活动:")[0]
    told = [m for m in outbox(to_addr=liaison.email) if m.subject.startswith("Changed")]
    assert "Agenda: The 2 sessions moved with the event: 1 hour later." in told[-3].body_text
    assert "Agenda: The sessions kept their times." in told[-2].body_text
    assert "Agenda:" not in told[-1].body_text
