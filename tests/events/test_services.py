"""Event use cases: validation, SEQUENCE rules, life cycle, duplication across DST changes."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from eventsite.audit.models import AuditEntry
from eventsite.core.domain import DomainError
from eventsite.core.timezones import local_naive
from eventsite.events import services
from eventsite.events.models import Event
from eventsite.events.services import agenda
from eventsite.extensions import db, now_utc

from .. import factories

UTC = timezone.utc


def forum_values(**fields):
    """A two-day forum in Brussels next spring, times typed on the Brussels clock (CET, UTC+1)."""
    return {"kind": "forum", "title_en": "Cities Forum", "title_zh": "城市论坛", "timezone": "Europe/Brussels",
            "starts_at": datetime(2027, 3, 25, 9, 0), "ends_at": datetime(2027, 3, 26, 17, 0),
            "venue_name_en": "Egmont Palace", "city_en": "Brussels", "country": "BE", **fields}


def actions():
    return [e.action for e in db.session.scalars(db.select(AuditEntry).order_by(AuditEntry.id))]


def event_state(event_id):
    db.session.expire_all()
    event = db.session.get(Event, event_id)
    return {c.key: getattr(event, c.key) for c in Event.__table__.columns}


@pytest.fixture
def forum(app_ctx):
    event, warnings = services.create_event(forum_values())
    assert warnings == []
    return event


def test_create_converts_local_times_and_starts_as_draft(forum):
    assert forum.status == "draft" and forum.sequence == 0 and forum.uid.endswith("@eventsite")
    assert forum.starts_at == datetime(2027, 3, 25, 8, 0, tzinfo=UTC)  # CET, UTC+1
    assert forum.ends_at == datetime(2027, 3, 26, 16, 0, tzinfo=UTC)
    assert actions() == ["event.create"]


@pytest.mark.parametrize("fields, field", [
    ({"title_en": "", "title_zh": ""}, "title_en"),
    ({"kind": "party"}, "kind"),
    ({"timezone": "Mars/Olympus"}, "timezone"),
    ({"timezone": "Europe/Brussels\x00"}, "timezone"),
    ({"ends_at": datetime(2027, 3, 25, 9, 0)}, "ends_at"),
    ({"ends_at": datetime(2027, 3, 24, 9, 0)}, "ends_at"),
    ({"registration_opens_at": datetime(2027, 3, 1), "registration_closes_at": datetime(2027, 2, 1)},
     "registration_closes_at"),
    ({"registration_closes_at": datetime(2027, 3, 25, 10, 0)}, "registration_closes_at"),
    ({"edit_deadline": datetime(2027, 3, 27, 0, 0)}, "edit_deadline"),
    ({"capacity": -1}, "capacity"),
    ({"default_quota": 0}, "default_quota"),
    ({"capacity": 3, "default_quota": 5}, "default_quota"),
    ({"country": "XX"}, "country"),
    ({"contact_email": "not an address"}, "contact_email"),
    ({"title_en": "x" * 301}, "title_en"),
    ({"city_en": "Brus\x00sels"}, "city_en"),
    ({"registration_mode": "everyone"}, "registration_mode"),
])
def test_create_refuses_bad_values_and_stores_nothing(app_ctx, fields, field):
    with pytest.raises(DomainError) as caught:
        services.create_event(forum_values(**fields))
    assert caught.value.field == field and caught.value.message
    db.session.rollback()
    assert db.session.scalar(db.select(db.func.count(Event.id))) == 0
    assert actions() == []


def test_update_refuses_bad_values_and_changes_nothing(forum):
    before = event_state(forum.id)
    for fields in ({"ends_at": datetime(2027, 3, 24, 9, 0)}, {"capacity": -5},
                   {"timezone": "Nowhere/City"}, {"title_en": "", "title_zh": ""}):
        with pytest.raises(DomainError):
            services.update_event(forum, fields)
        db.session.rollback()
        assert event_state(forum.id) == before
    assert actions() == ["event.create"]


def test_dst_gap_refused_with_time_and_zone_named(app_ctx):
    # 2027-03-28 02:30 does not exist in Brussels (clocks jump from 02:00 to 03:00).
    with pytest.raises(DomainError) as caught:
        services.create_event(forum_values(starts_at=datetime(2027, 3, 28, 2, 30),
                                           ends_at=datetime(2027, 3, 28, 12, 0)))
    assert caught.value.field == "starts_at"
    assert "2027-03-28 02:30" in caught.value.message and "Europe/Brussels" in caught.value.message


def test_dst_repeat_taken_as_first_occurrence_with_a_warning(app_ctx):
    # 2026-10-25 02:30 happens twice in Brussels: first in CEST (UTC+2).
    event, warnings = services.create_event(forum_values(starts_at=datetime(2026, 10, 25, 2, 30),
                                                         ends_at=datetime(2026, 10, 25, 12, 0)))
    assert event.starts_at == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
    assert len(warnings) == 1 and "2026-10-25 02:30" in warnings[0] and "CEST" in warnings[0]


@pytest.mark.parametrize("fields", [
    {"title_en": "Cities Forum 2026"}, {"title_zh": "新标题"}, {"starts_at": datetime(2027, 3, 25, 10, 0)},
    {"ends_at": datetime(2027, 3, 26, 18, 0)}, {"timezone": "Europe/Paris"}, {"venue_name_en": "Berlaymont"},
    {"venue_address_en": "Rue de la Loi 200"}, {"city_en": "Bruxelles"}, {"country": "NL"},
])
def test_calendar_changes_raise_sequence_once(forum, fields):
    uid = forum.uid
    changes, _ = services.update_event(forum, fields)
    assert changes and forum.sequence == 1 and forum.uid == uid
    entry = db.session.scalars(db.select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert entry.action == "event.update" and set(entry.details["changed"]) == set(fields)


@pytest.mark.parametrize("fields", [
    {"summary_en": "New summary"}, {"description_zh": "**新**"}, {"contact_name": "Ms Li"},
    {"contact_email": "li@example.org"}, {"capacity": 300}, {"default_quota": 3},
    {"approval_required": True}, {"registration_mode": "invited_only"},
    {"registration_closes_at": datetime(2027, 3, 1, 12, 0)}, {"kind": "seminar"},
])
def test_other_changes_leave_sequence_alone(forum, fields):
    changes, _ = services.update_event(forum, fields)
    assert changes and forum.sequence == 0


def test_several_calendar_changes_in_one_save_raise_sequence_by_one(forum):
    changes, _ = services.update_event(forum, {"title_en": "New", "venue_name_en": "New venue",
                                               "starts_at": datetime(2027, 3, 25, 8, 0), "summary_en": "s"})
    assert len(changes) == 4 and forum.sequence == 1
    changes, _ = services.update_event(forum, {"title_en": "New"})  # nothing changed
    assert changes == {} and forum.sequence == 1
    assert actions() == ["event.create", "event.update"]


def test_update_records_old_and_new_values(forum):
    services.update_event(forum, {"city_en": "Ghent", "starts_at": datetime(2027, 3, 25, 10, 0)})
    entry = db.session.scalars(db.select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert entry.details["changed"]["city_en"] == ["Brussels", "Ghent"]
    assert entry.details["changed"]["starts_at"] == ["2027-03-25T08:00:00+00:00", "2027-03-25T09:00:00+00:00"]


def test_life_cycle_publish_cancel_reopen(forum):
    services.publish(forum)
    assert forum.status == "published" and forum.published_at and forum.sequence == 1
    with pytest.raises(DomainError):
        services.publish(forum)
    with pytest.raises(DomainError) as caught:
        services.cancel(forum, "  ", "")
    assert caught.value.field == "reason_en" and forum.status == "published"
    services.cancel(forum, "", "因天气取消")
    assert forum.status == "cancelled" and forum.cancelled_at and forum.sequence == 2
    assert forum.cancel_reason_zh == "因天气取消"
    with pytest.raises(DomainError):
        services.cancel(forum, "again", "")
    services.reopen(forum)
    assert forum.status == "draft" and forum.cancelled_at is None and forum.sequence == 3
    with pytest.raises(DomainError):
        services.reopen(forum)
    assert actions() == ["event.create", "event.publish", "event.cancel", "event.reopen"]


def test_publish_refuses_an_invalid_event(app_ctx):
    event = factories.make_event(status="draft", capacity=2, default_quota=5)  # broken by a script
    db.session.commit()
    with pytest.raises(DomainError) as caught:
        services.publish(event)
    assert caught.value.field == "default_quota"
    db.session.rollback()
    assert event.status == "draft" and event.sequence == 0


def test_cannot_cancel_a_past_event(app_ctx):
    start = now_utc() - timedelta(days=3)
    event = factories.make_event(starts_at=start, ends_at=start + timedelta(days=1))
    db.session.commit()
    with pytest.raises(DomainError):
        services.cancel(event, "too late", "")


def _brussels_forum_with_agenda():
    event, _ = services.create_event(forum_values(
        starts_at=datetime(2026, 3, 26, 9, 0), ends_at=datetime(2026, 3, 27, 17, 0),
        registration_opens_at=datetime(2026, 1, 5, 9, 0), registration_closes_at=datetime(2026, 3, 1, 18, 0),
        edit_deadline=datetime(2026, 3, 20, 12, 0), capacity=200, default_quota=4,
        summary_en="Annual", description_en="**Agenda**"))
    for day, start, end, track in ((26, 9, 10, ""), (26, 11, 12, "A"), (27, 9, 12, ""), (27, 14, 17, "B")):
        agenda.add_session(event, {"kind": "plenary", "title_en": f"S{day}{start}", "track": track,
                                     "starts_at": datetime(2026, 3, day, start, 0),
                                     "ends_at": datetime(2026, 3, day, end, 0)})
    return event


@pytest.mark.parametrize("new_start, wall_days", [
    (datetime(2026, 10, 29, 9, 0), 217),   # from CET to ... CET again, across two DST changes
    (date(2027, 3, 25), 364),              # a date keeps the start time
    (datetime(2026, 4, 23, 9, 0), 28),     # from CET (UTC+1) into CEST (UTC+2)
])
def test_duplicate_keeps_local_times_across_dst(app_ctx, new_start, wall_days):
    original = _brussels_forum_with_agenda()
    services.publish(original)
    copy = services.duplicate_event(original, new_start)
    assert copy.id != original.id and copy.uid != original.uid
    assert copy.status == "draft" and copy.sequence == 0 and copy.copied_from_id == original.id
    assert (copy.title_en, copy.summary_en, copy.description_en, copy.venue_name_en, copy.capacity,
            copy.default_quota) == ("Cities Forum", "Annual", "**Agenda**", "Egmont Palace", 200, 4)
    zone = "Europe/Brussels"
    shift = timedelta(days=wall_days)
    for field in ("starts_at", "ends_at", "registration_opens_at", "registration_closes_at", "edit_deadline"):
        assert local_naive(getattr(copy, field), zone) == local_naive(getattr(original, field), zone) + shift
    assert len(copy.sessions) == 4
    for old, new in zip(original.sessions, copy.sessions):
        assert local_naive(new.starts_at, zone) == local_naive(old.starts_at, zone) + shift
        assert local_naive(new.ends_at, zone) == local_naive(old.ends_at, zone) + shift
        assert (new.title_en, new.track, new.position) == (old.title_en, old.track, old.position)
    assert local_naive(copy.sessions[0].starts_at, zone).hour == 9
    assert original.sequence == 1 and len(original.sessions) == 4  # the original is untouched
    assert actions()[-1] == "event.duplicate"


def test_duplicate_to_a_skipped_time_is_refused(forum):
    with pytest.raises(DomainError):
        services.duplicate_event(forum, datetime(2027, 3, 28, 2, 30))


def test_sessions_order_duplicate_move_delete_without_sequence(forum):
    services.publish(forum)
    sequence = forum.sequence
    plenary, _ = agenda.add_session(forum, {"kind": "plenary", "title_en": "Opening",
                                              "starts_at": datetime(2027, 3, 25, 9, 0),
                                              "ends_at": datetime(2027, 3, 25, 10, 0)})
    track_a, _ = agenda.add_session(forum, {"kind": "parallel", "title_en": "Track A", "track": "A",
                                              "starts_at": datetime(2027, 3, 25, 10, 30),
                                              "ends_at": datetime(2027, 3, 25, 12, 0)})
    track_b = agenda.duplicate_session(track_a)
    track_c = agenda.duplicate_session(track_b)
    agenda.update_session(track_b, {"title_en": "Track B", "track": "B"})
    agenda.update_session(track_c, {"title_en": "Track C", "track": "C"})
    titles = lambda: [s.title_en for s in forum.sessions]  # noqa: E731
    db.session.expire_all()
    assert titles() == ["Opening", "Track A", "Track B", "Track C"]
    assert agenda.move_session(track_c, "up") is True
    db.session.expire_all()
    assert titles() == ["Opening", "Track A", "Track C", "Track B"]
    assert agenda.move_session(track_a, "up") is False   # first of its slot: the plenary is another slot
    assert agenda.move_session(track_b, "down") is False
    agenda.update_session(track_b, {"track": "Urban design"})
    agenda.duplicate_session(track_b)                    # a named track's copy follows its original
    db.session.expire_all()
    assert titles() == ["Opening", "Track A", "Track C", "Track B", "Track B"]
    agenda.delete_session(plenary)
    db.session.expire_all()
    assert titles() == ["Track A", "Track C", "Track B", "Track B"]
    assert forum.sequence == sequence
    assert actions().count("event.session_duplicate") == 3 and "event.session_move" in actions()
    assert "event.session_delete" in actions() and actions().count("event.session_update") == 3


@pytest.mark.parametrize("fields, field", [
    ({"ends_at": datetime(2027, 3, 25, 9, 0)}, "ends_at"),
    ({"title_en": ""}, "title_en"),
    ({"kind": "dinner"}, "kind"),
    ({"capacity": -3}, "capacity"),
    ({"starts_at": datetime(2027, 3, 28, 2, 15), "ends_at": datetime(2027, 3, 28, 4, 0)}, "starts_at"),
])
def test_session_rules(forum, fields, field):
    values = {"kind": "plenary", "title_en": "Opening", "starts_at": datetime(2027, 3, 25, 9, 0),
              "ends_at": datetime(2027, 3, 25, 10, 0)} | fields
    with pytest.raises(DomainError) as caught:
        agenda.add_session(forum, values)
    assert caught.value.field == field
    db.session.rollback()
    assert forum.sessions == [] and actions() == ["event.create"]


def test_session_rules_report_every_problem_at_once(forum):
    with pytest.raises(DomainError) as caught:
        agenda.add_session(forum, {"kind": "dinner", "title_en": "", "capacity": -3,
                                   "starts_at": datetime(2027, 3, 25, 10, 0),
                                   "ends_at": datetime(2027, 3, 25, 9, 0)})
    assert set(caught.value.problems) == {"kind", "title_en", "capacity", "ends_at"}
    db.session.rollback()
    assert forum.sessions == []


def test_session_outside_the_event_days_warns_but_saves(forum):
    session, warnings = agenda.add_session(forum, {
        "kind": "site_visit", "title_en": "Visit", "starts_at": datetime(2027, 3, 27, 9, 0),
        "ends_at": datetime(2027, 3, 27, 12, 0)})
    assert session.id and len(warnings) == 1 and "2027-03-25" in warnings[0]
    _, warnings = agenda.add_session(forum, {
        "kind": "break", "title_en": "Coffee", "starts_at": datetime(2027, 3, 26, 10, 0),
        "ends_at": datetime(2027, 3, 26, 10, 30)})
    assert warnings == []


def test_registration_state(app_ctx):
    now = datetime(2026, 2, 1, tzinfo=UTC)
    event = factories.make_event(starts_at=datetime(2027, 3, 1, tzinfo=UTC))
    assert services.registration_state(event, now) == "none"
    event.registration_opens_at = datetime(2026, 2, 10, tzinfo=UTC)
    assert services.registration_state(event, now) == "not_open"
    event.registration_opens_at = datetime(2026, 1, 10, tzinfo=UTC)
    event.registration_closes_at = datetime(2026, 2, 20, tzinfo=UTC)
    assert services.registration_state(event, now) == "open"
    assert services.registration_state(event, datetime(2026, 2, 21, tzinfo=UTC)) == "closed"
    event.status = "draft"
    assert services.registration_state(event, now) == "none"


def test_duplicating_a_lettered_track_moves_on_to_the_next_free_letter(forum):
    track_a, _ = agenda.add_session(forum, {"kind": "parallel", "title_en": "Smart cities", "track": "A",
                                              "starts_at": datetime(2027, 3, 25, 11, 0),
                                              "ends_at": datetime(2027, 3, 25, 12, 30)})
    track_b = agenda.duplicate_session(track_a)
    track_c = agenda.duplicate_session(track_a)  # B is taken: C
    db.session.expire_all()
    assert [s.track for s in forum.sessions if s.starts_at == track_a.starts_at] == ["A", "B", "C"]
    named, _ = agenda.add_session(forum, {"kind": "parallel", "title_en": "Green", "track": "Green finance",
                                            "starts_at": datetime(2027, 3, 25, 14, 0),
                                            "ends_at": datetime(2027, 3, 25, 15, 0)})
    assert (track_b.track, track_c.track) == ("B", "C")
    assert agenda.duplicate_session(named).track == "Green finance"  # a named track is kept


@pytest.mark.parametrize("move", [True, False])
def test_moving_the_event_moves_its_agenda_on_the_local_clock(app_ctx, move):
    """Moved from 26 March (CET) to 2 April (CEST): sessions keep 09:00 local when asked to."""
    event = _brussels_forum_with_agenda()
    zone = "Europe/Brussels"
    before = [(local_naive(s.starts_at, zone), local_naive(s.ends_at, zone)) for s in event.sessions]
    instants = [(s.starts_at, s.ends_at) for s in event.sessions]
    services.update_event(event, {"starts_at": datetime(2026, 4, 2, 9, 0), "ends_at": datetime(2026, 4, 3, 17, 0),
                                  "registration_closes_at": datetime(2026, 3, 25, 18, 0)},
                          move_agenda=move)
    db.session.expire_all()
    if move:
        after = [(local_naive(s.starts_at, zone), local_naive(s.ends_at, zone)) for s in event.sessions]
        assert after == [(a + timedelta(days=7), b + timedelta(days=7)) for a, b in before]
        entry = db.session.scalars(db.select(AuditEntry).filter_by(action="event.update")).all()[-1]
        assert entry.details["agenda_moved"] == {"sessions": [s.id for s in event.sessions], "by": "7 days, 0:00:00"}
    else:
        assert [(s.starts_at, s.ends_at) for s in event.sessions] == instants
        entry = db.session.scalars(db.select(AuditEntry).filter_by(action="event.update")).all()[-1]
        assert "agenda_moved" not in entry.details
        assert entry.details["agenda_kept"] == {"sessions": [s.id for s in event.sessions]}


def test_correcting_the_zone_keeps_the_agenda_as_typed(app_ctx):
    """An event entered in Asia/Shanghai by mistake, corrected to Europe/Brussels: 09:00 stays 09:00."""
    event, _ = services.create_event(forum_values(timezone="Asia/Shanghai",
                                                  starts_at=datetime(2027, 6, 10, 9, 0),
                                                  ends_at=datetime(2027, 6, 11, 17, 0)))
    agenda.add_session(event, {"kind": "plenary", "title_en": "Opening",
                               "starts_at": datetime(2027, 6, 10, 9, 30), "ends_at": datetime(2027, 6, 10, 11, 0)})
    services.update_event(event, {"timezone": "Europe/Brussels", "starts_at": datetime(2027, 6, 10, 9, 0),
                                  "ends_at": datetime(2027, 6, 11, 17, 0)})
    db.session.expire_all()
    (session,) = event.sessions
    assert local_naive(session.starts_at, "Europe/Brussels") == datetime(2027, 6, 10, 9, 30)
    assert local_naive(session.ends_at, "Europe/Brussels") == datetime(2027, 6, 10, 11, 0)
    assert session.starts_at == datetime(2027, 6, 10, 7, 30, tzinfo=timezone.utc)  # CEST, UTC+2
