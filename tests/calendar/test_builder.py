"""The builder: instants around summer-time changes, text that must survive escaping and
folding, identity (UID, SEQUENCE), and the iTIP rules for PUBLISH, REQUEST and CANCEL.
Every file is read back with icalendar and vobject, which must agree."""
from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from eventsite.calendar import builder
from eventsite.calendar.builder import Attendee, CalendarError, Organizer
from eventsite.core.addresses import AddressError
from eventsite.extensions import db
from eventsite.mail.services import InvalidAddress

from .. import factories
from .helpers import UTC, physical_lines, read_both, with_icalendar, with_vobject

NOW = datetime(2026, 1, 15, 8, 0, tzinfo=UTC)
HOSTILE = 'Comma, semi; back\\slash\nnew line "quoted" colon: end'


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def local(zone: str, *args, fold: int = 0) -> datetime:
    return datetime(*args, tzinfo=ZoneInfo(zone), fold=fold)


def reload(event):
    """The event as the database gives it back (SQLite drops the zone; the column restores UTC)."""
    event_id = event.id
    db.session.commit()
    db.session.expire_all()
    return db.session.get(type(event), event_id)


# (zone, local start, local end, the same instants in UTC worked out by hand)
DST_CASES = [
    pytest.param("Asia/Shanghai", local("Asia/Shanghai", 2026, 6, 1, 9), local("Asia/Shanghai", 2026, 6, 2, 17),
                 utc(2026, 6, 1, 1), utc(2026, 6, 2, 9), id="shanghai"),
    pytest.param("Europe/Brussels", local("Europe/Brussels", 2026, 3, 29, 9, 30),
                 local("Europe/Brussels", 2026, 3, 29, 17), utc(2026, 3, 29, 7, 30), utc(2026, 3, 29, 15),
                 id="brussels-on-spring-sunday"),
    pytest.param("Europe/Brussels", local("Europe/Brussels", 2026, 3, 28, 10),
                 local("Europe/Brussels", 2026, 3, 30, 12), utc(2026, 3, 28, 9), utc(2026, 3, 30, 10),
                 id="brussels-across-spring"),
    pytest.param("Europe/Brussels", local("Europe/Brussels", 2026, 10, 24, 10),
                 local("Europe/Brussels", 2026, 10, 25, 18), utc(2026, 10, 24, 8), utc(2026, 10, 25, 17),
                 id="brussels-across-autumn"),
    pytest.param("Europe/Brussels", local("Europe/Brussels", 2026, 10, 25, 2, 30),
                 local("Europe/Brussels", 2026, 10, 25, 2, 30, fold=1), utc(2026, 10, 25, 0, 30),
                 utc(2026, 10, 25, 1, 30), id="brussels-the-repeated-hour"),
    pytest.param("America/New_York", local("America/New_York", 2026, 3, 7, 9),
                 local("America/New_York", 2026, 3, 8, 17), utc(2026, 3, 7, 14), utc(2026, 3, 8, 21),
                 id="new-york-across-spring"),
    pytest.param("America/New_York", local("America/New_York", 2026, 3, 8, 9),
                 local("America/New_York", 2026, 3, 8, 12), utc(2026, 3, 8, 13), utc(2026, 3, 8, 16),
                 id="new-york-on-spring-sunday"),
    pytest.param("America/New_York", local("America/New_York", 2026, 10, 31, 9),
                 local("America/New_York", 2026, 11, 1, 17), utc(2026, 10, 31, 13), utc(2026, 11, 1, 22),
                 id="new-york-across-autumn"),
    pytest.param("America/New_York", local("America/New_York", 2026, 11, 1, 1, 30),
                 local("America/New_York", 2026, 11, 1, 1, 30, fold=1), utc(2026, 11, 1, 5, 30),
                 utc(2026, 11, 1, 6, 30), id="new-york-the-repeated-hour"),
]


@pytest.mark.both_dbs
@pytest.mark.parametrize(("zone", "start", "end", "start_utc", "end_utc"), DST_CASES)
def test_instants_around_summer_time(app, zone, start, end, start_utc, end_utc):
    assert start.astimezone(UTC) == start_utc and end.astimezone(UTC) == end_utc  # the case itself
    with app.app_context():
        event = factories.make_event(timezone=zone, starts_at=start_utc, ends_at=end_utc)
        # A session that straddles the change too, read from its own VEVENT.
        factories.make_session(event, starts_at=start_utc, ends_at=end_utc)
        event = reload(event)
        ics = builder.event_ics(event, include_sessions=True, now=NOW)
        main, session = read_both(ics)
    for seen in (main, session):
        assert (seen.start, seen.end) == (start_utc, end_utc)
    assert b"TZID" not in ics and b"VTIMEZONE" not in ics  # UTC only, by design
    assert zone.encode() in ics.replace(b"\r\n ", b"")  # named for the traveller


@pytest.mark.both_dbs
def test_hostile_text_in_every_field_round_trips(app):
    with app.app_context():
        event = factories.make_event(
            title_en=HOSTILE, title_zh="标题，分号；反斜杠\\换行\n结束", summary_en=HOSTILE,
            venue_name_en=HOSTILE, venue_address_en="No. 1, Road; \\ B", city_en="Brussels, BE", country="BE",
            timezone="Europe/Brussels", status="cancelled", cancel_reason_en="Storm; sorry, really",
        )
        factories.make_session(event, title_en=HOSTILE, description_en=HOSTILE, room_en="Room 1; A, B",
                               speakers="Li, M.; Doe\\J", track="A;B")
        event = reload(event)
        ics = builder.event_ics(event, include_sessions=True, language="en", now=NOW)
        main, session = read_both(ics)
    unfolded = ics.replace(b"\r\n ", b"")
    assert b'\r\nSUMMARY:Comma\\, semi\\; back\\\\slash\\nnew line "quoted" colon: end\r\n' in unfolded
    assert main.summary == HOSTILE
    assert main.location == f"{HOSTILE}, No. 1, Road; \\ B, Brussels, BE, Belgium"
    assert HOSTILE in main.description
    assert "标题，分号；反斜杠\\换行\n结束" in main.description  # the other language's title
    assert "Storm; sorry, really" in main.description
    assert main.status == session.status == "CANCELLED"
    assert session.summary == HOSTILE
    assert session.location == f"Room 1; A, B, {HOSTILE}, Brussels, BE"
    for part in (HOSTILE, "Li, M.; Doe\\J", "A;B", f"Part of: {HOSTILE}"):
        assert part in session.description


def test_carriage_returns_and_control_characters_are_dropped(app):
    with app.app_context():
        event = factories.make_event(title_en="One\r\nTwo\rThree\x00\x07\x1b", venue_name_en="A\r\nB")
        ics = builder.event_ics(event, now=NOW)
        (seen,) = read_both(ics)
    assert seen.summary == "One\nTwo\nThree"
    assert seen.location.startswith("A\nB, ")


def test_long_chinese_text_folds_by_octets_without_splitting_characters(app):
    title = "中国—欧盟城镇化伙伴关系论坛：智慧城市、绿色低碳与可持续发展，" * 6
    with app.app_context():
        event = factories.make_event(title_zh=title, summary_zh="摘要，" * 200, venue_name_en="会议中心" * 30)
        ics = builder.event_ics(event, language="zh", now=NOW)
        (seen,) = read_both(ics)  # checks <= 75 octets and whole characters per line
    assert seen.summary == title
    assert "摘要，" * 200 in seen.description
    assert len([line for line in physical_lines(ics) if line.startswith(b" ")]) > 20


def test_summary_is_in_the_readers_language_with_fallback(app):
    with app.app_context():
        both = factories.make_event(title_en="Forum", title_zh="论坛")
        english_only = factories.make_event(title_en="Only English", title_zh="")
        (en,) = read_both(builder.event_ics(both, language="en", now=NOW))
        (zh,) = read_both(builder.event_ics(both, language="zh", now=NOW))
        (fallback,) = read_both(builder.event_ics(english_only, language="zh", now=NOW))
        (odd,) = read_both(builder.event_ics(both, language="fr", now=NOW))
        both_id = both.id
    assert (en.summary, zh.summary, fallback.summary, odd.summary) == ("Forum", "论坛", "Only English", "Forum")
    assert "论坛" in en.description and "Forum" in zh.description
    assert f"/events/{both_id}" in zh.description


def test_uid_and_sequence_are_stable_and_dtstamp_is_now(app):
    with app.app_context():
        event = factories.make_event()
        session = factories.make_session(event)
        first = builder.event_ics(event, include_sessions=True, now=NOW)
        again = builder.event_ics(event, include_sessions=True, now=NOW + timedelta(hours=5))
        event.sequence = 3
        raised = builder.event_ics(event, include_sessions=True, now=NOW)
        uid, session_id = event.uid, session.id
    assert builder.content_tag(first) == builder.content_tag(again)
    assert builder.content_tag(first) != builder.content_tag(raised)
    cal, _seen = with_icalendar(again)
    assert [ev.decoded("DTSTAMP") for ev in cal.walk("VEVENT")] == [NOW + timedelta(hours=5)] * 2
    for ics, sequence in ((first, 0), (raised, 3)):
        main, sess = read_both(ics)
        assert (main.uid, sess.uid) == (uid, f"session-{session_id}-{uid}")
        assert main.sequence == sess.sequence == sequence


def test_publish_has_one_organizer_and_no_attendee(app):
    with app.app_context():
        event = factories.make_event()
        ics = builder.event_ics(event, now=NOW)
        cal, _seen = with_icalendar(ics)
    assert cal["METHOD"] == "PUBLISH" and cal["VERSION"] == "2.0" and cal["CALSCALE"] == "GREGORIAN"
    vevent = cal.walk("VEVENT")[0]
    assert "ATTENDEE" not in vevent
    assert str(vevent["ORGANIZER"]) == "mailto:secretariat@eventsite.test"
    assert vevent["ORGANIZER"].params["CN"] == "Alliance Secretariat"
    assert vevent["URL"].endswith(f"://eventsite.test/events/{event.id}")  # from SERVER_NAME
    assert ics.count(b"\r\nORGANIZER") == 1
    assert vevent["STATUS"] == "CONFIRMED"
    assert vevent.decoded("LAST-MODIFIED").tzinfo is not None and "CREATED" in vevent


def test_request_addresses_the_delegate(app):
    with app.app_context():
        event = factories.make_event(sequence=2)
        delegate = Attendee("li.ming@example.org", 'Li "Ming", 李明; Jr')
        ics = builder.event_ics(event, method="REQUEST", attendee=delegate, language="zh", now=NOW)
        (seen,) = read_both(ics)
        cal, _ = with_icalendar(ics)
        vcal, _ = with_vobject(ics)
    assert cal["METHOD"] == "REQUEST" and seen.status == "CONFIRMED" and seen.sequence == 2
    attendee = cal.walk("VEVENT")[0]["ATTENDEE"]
    assert str(attendee) == "mailto:li.ming@example.org"
    assert attendee.params["CN"] == "Li 'Ming', 李明; Jr"
    assert (attendee.params["ROLE"], attendee.params["PARTSTAT"], attendee.params["RSVP"]) == (
        "REQ-PARTICIPANT", "NEEDS-ACTION", "TRUE")
    assert vcal.vevent.attendee.value == "mailto:li.ming@example.org"
    assert vcal.vevent.attendee.params["CN"] == ["Li 'Ming', 李明; Jr"]


def test_cancel_for_a_withdrawn_delegate_or_a_cancelled_event(app):
    with app.app_context():
        running = factories.make_event()
        cancelled = factories.make_event(status="cancelled", sequence=4)
        delegate = Attendee("d@example.org", "D")
        for event in (running, cancelled):
            ics = builder.event_ics(event, method="cancel", attendee=delegate, now=NOW)
            (seen,) = read_both(ics)
            cal, _ = with_icalendar(ics)
            assert cal["METHOD"] == "CANCEL" and seen.status == "CANCELLED"
            assert seen.uid == event.uid and seen.sequence == event.sequence
            assert "RSVP" not in cal.walk("VEVENT")[0]["ATTENDEE"].params


def test_rules_the_builder_refuses(app):
    with app.app_context():
        event = factories.make_event()
        cancelled = factories.make_event(status="cancelled")
        someone = Attendee("a@example.org")
        refused = [
            dict(method="PUBLISH", attendee=someone),
            dict(method="REQUEST"),
            dict(method="CANCEL"),
            dict(method="REQUEST", attendee=someone, include_sessions=True),
            dict(method="REPLY", attendee=someone),
            dict(method="REQUEST", attendee=Attendee("a@example.org", role="BOSS")),
        ]
        for options in refused:
            with pytest.raises(CalendarError):
                builder.event_ics(event, **options)
        with pytest.raises(CalendarError):
            builder.event_ics(cancelled, method="REQUEST", attendee=someone)
        for bad in ("a@example.org\r\nBCC: x@y.org", "no-at-sign", "ü@example.org"):
            with pytest.raises(AddressError):
                builder.event_ics(event, method="REQUEST", attendee=Attendee(bad))
        with pytest.raises(InvalidAddress):
            builder.event_ics(event, organizer=Organizer("x@y.org\nEvil"))


def test_organizer_can_be_given(app):
    with app.app_context():
        event = factories.make_event()
        ics = builder.event_ics(event, organizer=Organizer("desk@example.org", "Desk"), now=NOW)
        cal, _ = with_icalendar(ics)
    assert str(cal.walk("VEVENT")[0]["ORGANIZER"]) == "mailto:desk@example.org"


@pytest.mark.both_dbs
def test_feed_of_many_events(app):
    with app.app_context():
        events = [
            factories.make_event(title_en="Brussels", timezone="Europe/Brussels",
                                 starts_at=utc(2026, 3, 28, 9), ends_at=utc(2026, 3, 30, 10)),
            factories.make_event(title_en="New York", timezone="America/New_York",
                                 starts_at=utc(2026, 11, 1, 5, 30), ends_at=utc(2026, 11, 1, 6, 30)),
            factories.make_event(title_en="Lyon", status="cancelled"),
        ]
        events = [reload(e) for e in events]
        ics = builder.feed_ics(events, name="Alliance, events; 联盟活动\nX-EVIL:1", language="en", now=NOW)
        seen = read_both(ics)
        cal, _ = with_icalendar(ics)
        vcal, _ = with_vobject(ics)
        uids = [e.uid for e in events]
    assert cal["METHOD"] == "PUBLISH"
    # icalendar reads X- properties raw (unknown type); vobject and clients unescape them.
    assert cal["X-WR-CALNAME"].to_ical() == "Alliance\\, events\\; 联盟活动\\nX-EVIL:1".encode()
    assert vcal.contents["x-wr-calname"][0].value == "Alliance, events; 联盟活动\nX-EVIL:1"
    assert vcal.contents["name"][0].value == "Alliance, events; 联盟活动\nX-EVIL:1"
    assert b"\r\nX-EVIL" not in ics
    assert [s.uid for s in seen] == uids
    assert [s.summary for s in seen] == ["Brussels", "New York", "Lyon"]
    assert (seen[0].start, seen[1].end) == (utc(2026, 3, 28, 9), utc(2026, 11, 1, 6, 30))
    assert seen[2].status == "CANCELLED"


def test_filename_is_ascii(app):
    with app.app_context():
        event = factories.make_event(title_en="", title_zh="论坛")
        assert builder.calendar_filename(event) == f"event-{event.id}.ics"
        assert builder.calendar_filename(event, sessions=True) == f"event-{event.id}-agenda.ics"
