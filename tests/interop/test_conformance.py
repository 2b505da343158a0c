"""Every kind of calendar file we produce, read by five independent parsers: icalendar, vobject,
Mozilla ical.js (Thunderbird), node-ical and libical (Evolution, KDE). Each must read the same
UID, SUMMARY, start and end instants as the event records hold, for events in Shanghai,
Brussels and New York on and across the daylight-saving changes, with Chinese text long enough
to fold and commas, semicolons, backslashes and newlines in every text field.

A parser missing on this machine is skipped with its reason (pytest -ra shows it); CI installs all.
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from eventsite.calendar import builder
from eventsite.extensions import db

from .. import factories
from . import parsers

UTC = timezone.utc
NASTY = "Hall A, level 2; east wing \\ door 3\nfollow the signs: 展厅"
LONG_ZH = "中国国际城市发展联盟年度论坛：城市更新、绿色低碳与数字治理的合作交流，" * 3

# (zone, local start, hours): on and across the spring and autumn changes of each zone.
CASES = [
    ("Asia/Shanghai", datetime(2026, 7, 1, 9, 0), 8),
    ("Europe/Brussels", datetime(2026, 3, 28, 22, 0), 8),   # across the March change
    ("Europe/Brussels", datetime(2026, 3, 29, 9, 0), 3),    # on the day, after it
    ("Europe/Brussels", datetime(2026, 10, 25, 1, 30), 3),  # across the October change
    ("America/New_York", datetime(2026, 3, 8, 1, 0), 4),    # across the March change
    ("America/New_York", datetime(2026, 11, 1, 0, 30), 3),  # across the November change
]


def _event(zone: str, local: datetime, hours: int, n: int):
    from eventsite.core.timezones import to_utc

    start, _ambiguous = to_utc(local, zone)
    event = factories.make_event(
        timezone=zone, starts_at=start, ends_at=start + timedelta(hours=hours),
        title_en=f"Forum {n}, cities; partners \\ friends\nsecond line", title_zh=LONG_ZH,
        summary_en=NASTY, summary_zh=LONG_ZH, venue_name_en=NASTY, venue_address_en="1 Rue de la Loi, 1000",
        city_en="Bruxelles, BE" if "Brussels" in zone else "Shanghai; CN",
    )
    factories.make_session(event, title_en=f"Plenary, {n}; opening", room_en=NASTY,
                           starts_at=start, ends_at=start + timedelta(hours=1))
    factories.make_session(event, title_zh=LONG_ZH, title_en="",
                           starts_at=start + timedelta(hours=2), ends_at=start + timedelta(hours=3))
    return event


def _expected(events) -> dict[str, tuple[str, str]]:
    """UID -> (start, end) as UTC strings, for every event and session."""
    fmt = "%Y-%m-%dT%H:%M:%SZ"
    out = {}
    for event in events:
        out[event.uid] = (event.starts_at.astimezone(UTC).strftime(fmt),
                          event.ends_at.astimezone(UTC).strftime(fmt))
        for session in event.sessions:
            out[f"session-{session.id}-{event.uid}"] = (
                session.starts_at.astimezone(UTC).strftime(fmt),
                session.ends_at.astimezone(UTC).strftime(fmt))
    return out


@pytest.fixture
def produced(app, client):
    """Every kind of file, keyed by a readable name, and the instants each event must have."""
    from eventsite.calendar.links import delegate_feed_url, unit_feed_url

    with app.app_context():
        events = [_event(zone, local, hours, n) for n, (zone, local, hours) in enumerate(CASES)]
        unit = factories.make_unit(name_en="Chengdu, Sichuan; CN", name_zh=LONG_ZH[:40])
        for event in events[:3]:
            factories.make_invitation(event, unit)
        _delegation, delegate = factories.make_delegation(events[1], unit)
        db.session.commit()
        ids = [e.id for e in events]
        personal = {"feed-unit": unit_feed_url(unit), "feed-delegate": delegate_feed_url(delegate)}
    files = {"feed-public": client.get("/calendar/alliance.ics").data,
             "feed-public-zh": client.get("/calendar/alliance.ics?lang=zh").data}
    for name, url in personal.items():  # in English: their owners' language is Chinese
        files[name] = client.get(url.split("eventsite.test", 1)[1] + "?lang=en").data
    for event_id in ids:
        files[f"download-{event_id}"] = client.get(f"/events/{event_id}/calendar.ics").data
        files[f"download-sessions-{event_id}"] = client.get(
            f"/events/{event_id}/calendar.ics?sessions=1").data
    with app.app_context():
        events = [db.session.get(type(events[0]), i) for i in ids]
        delegate = builder.Attendee("li.ming@example.org", "Li, Ming; 李明")
        for event in events:
            for lang in ("en", "zh"):
                files[f"request-{lang}-{event.id}"] = builder.event_ics(
                    event, method="REQUEST", attendee=delegate, language=lang)
            files[f"cancel-{event.id}"] = builder.event_ics(event, method="CANCEL", attendee=delegate)
        files["feed-built"] = builder.feed_ics(events, name="Alliance, events; 联盟活动", language="zh")
        extra = _imip_story(unit)
        files.update(_imip_files(extra))
        events.append(extra)
        expected = _expected(events)
        titles = {e.uid: (e.title_en, e.title_zh) for e in events}
    return files, expected, titles


def _imip_story(unit):
    """A delegate's whole story through the real code paths: confirmed (REQUEST), the venue
    changed (update: REQUEST, higher SEQUENCE), the event cancelled (CANCEL)."""
    from eventsite.delegations import notifications as lifecycle
    from eventsite.events import services as event_services

    # Upcoming (a past event cannot be cancelled), across the 2027 March change in Brussels.
    extra = _event("Europe/Brussels", datetime(2027, 3, 28, 1, 30), 3, len(CASES))
    extra.title_en = f"Forum {len(CASES)}, cities; partners \\ friends"  # a subject: one line
    _delegation, head = factories.make_delegation(extra, unit)
    head.email, head.language = "li.ming@example.org", "en"
    head.given_name, head.family_name, head.name_zh = "Ming; Li", "Li, \\ Jr", "李明"
    lifecycle.delegate_confirmed(head)
    db.session.commit()
    event_services.update_event(extra, {"venue_name_en": "Hall B; level 3, west \\ door 1: 展厅二"},
                                note="Note; with, punctuation")
    event_services.cancel(extra, "Storm; closed, sorry \\ 抱歉", "暴风雨")
    return extra


def _imip_files(event) -> dict[str, bytes]:
    """The calendar parts of the delegate's emails, exactly as the outbox holds them."""
    from eventsite.mail.models import OutboxMessage

    rows = db.session.scalars(db.select(OutboxMessage).filter_by(to_addr="li.ming@example.org")
                              .order_by(OutboxMessage.id)).all()
    names = [f"{kind}-{event.id}" for kind in ("request-outbox", "update", "cancel-outbox")]
    assert [r.calendar_method for r in rows] == ["REQUEST", "REQUEST", "CANCEL"]
    return {name: bytes(row.calendar_ics) for name, row in zip(names, rows)}


@pytest.fixture(scope="module")
def missing():
    return parsers.unavailable()


@pytest.mark.parametrize("parser", parsers.PARSERS)
def test_every_parser_reads_our_instants_and_text(produced, parser, missing):
    if parser in missing:
        pytest.skip(f"{parser} not available: {missing[parser]}")
    files, expected, titles = produced
    read = parsers.read_all(files)[parser]
    for name, result in read.items():
        assert "error" not in result, (parser, name, result.get("error"))
        method = name.split("-")[0]
        assert result["method"] == {"download": "PUBLISH", "feed": "PUBLISH", "request": "REQUEST",
                                    "update": "REQUEST", "cancel": "CANCEL"}[method], (parser, name)
        assert result["events"], (parser, name)
        for event in result["events"]:
            assert not event["floating"], (parser, name, event["uid"])
            assert (event["start"], event["end"]) == expected[event["uid"]], (parser, name, event)
            if event["uid"] in titles:
                en, zh = titles[event["uid"]]
                lang = "zh" if name.startswith("request-zh") or name in (
                    "feed-built", "feed-public-zh") else "en"
                assert event["summary"] == (zh if lang == "zh" else en), (parser, name)
            if method in ("request", "update", "cancel"):
                assert [a.lower() for a in event["attendees"]] == ["mailto:li.ming@example.org"]
                assert event["status"] == ("CANCELLED" if method == "cancel" else "CONFIRMED")


def test_all_parsers_agree_on_every_text_field(produced, missing):
    """Beyond instants: description and location (the fields with commas, semicolons and
    newlines) read the same in every parser available here."""
    files, _expected, _titles = produced
    read = parsers.read_all(files)
    names = sorted(files)
    baseline = read["icalendar"]
    for parser, results in read.items():
        for name in names:
            mine = [(e["uid"], e["summary"], e["description"], e["location"], e["sequence"])
                    for e in results[name]["events"]]
            theirs = [(e["uid"], e["summary"], e["description"], e["location"], e["sequence"])
                      for e in baseline[name]["events"]]
            assert mine == theirs, (parser, name)
    locations = {e["location"] for r in baseline.values() for e in r["events"]}
    assert any(NASTY in (loc or "") for loc in locations), "the venue's text survived intact"


@pytest.mark.parametrize("parser", parsers.PARSERS)
def test_every_parser_reads_one_entry_moving_up_in_sequence(produced, parser, missing):
    """The delegate's REQUEST, update and CANCEL name one entry (same UID) with a SEQUENCE that
    goes up at each step, so every client keeps the newest and applies the cancellation."""
    if parser in missing:
        pytest.skip(f"{parser} not available: {missing[parser]}")
    files, _expected, _titles = produced
    story = {name: data for name, data in files.items()
             if name.startswith(("request-outbox-", "update-", "cancel-outbox-"))}
    read = parsers.read_all(story)[parser]
    steps = sorted(story, key=lambda n: ("request", "update", "cancel").index(n.split("-")[0]))
    (uids, sequences, statuses) = zip(*[(read[n]["events"][0]["uid"],
                                         int(read[n]["events"][0]["sequence"]),
                                         read[n]["events"][0]["status"]) for n in steps])
    assert len(set(uids)) == 1, (parser, uids)
    assert list(sequences) == sorted(set(sequences)), (parser, sequences)
    assert statuses == ("CONFIRMED", "CONFIRMED", "CANCELLED"), (parser, statuses)
