"""The one iCalendar builder: event records in, bytes out (downloads, feeds and emails); no request
and no queries. The decisions (UTC, SUMMARY's language, UID, SEQUENCE, METHOD): docs/calendar.md."""
from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from email.utils import parseaddr
from typing import TYPE_CHECKING

from flask import current_app
from flask_babel import force_locale
from icalendar import Calendar, vCalAddress, vText
from icalendar import Event as VEvent

from ..core.addresses import clean_address
from ..core.gettext import gettext as _
from ..core.gettext import lazy_gettext as _l
from ..core.urls import external_url
from ..extensions import now_utc
from ..mail.services import check_header_value
from ..members.labels import country_name

if TYPE_CHECKING:
    from ..events.models import AgendaSession, Event

PRODID = "-//Eventsite//Alliance events//EN"
METHODS = ("PUBLISH", "REQUEST", "CANCEL")
ROLES = ("CHAIR", "REQ-PARTICIPANT", "OPT-PARTICIPANT", "NON-PARTICIPANT")
LANGUAGES = ("en", "zh")
# The secretariat's default display name (config.py), here so that the catalog translates it.
SECRETARIAT_NAME = _l("Alliance Secretariat")
# Everything below a space except TAB and LF; CR is turned into LF first.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


class CalendarError(ValueError):
    """A combination the iCalendar/iTIP rules forbid (a programming error of the caller)."""


@dataclass(frozen=True)
class Entry:
    """A person's own entry tied to an event (a pickup): its own UID and SEQUENCE, already in the
    reader's language; `cancelled` keeps it in the file as STATUS:CANCELLED."""

    uid: str
    sequence: int
    starts_at: datetime
    ends_at: datetime
    summary: str
    description: str = ""
    location: str = ""
    cancelled: bool = False


@dataclass(frozen=True)
class Organizer:
    email: str
    name: str = ""


@dataclass(frozen=True)
class Attendee:
    """The person an iMIP REQUEST or CANCEL is addressed to (a delegate)."""

    email: str
    name: str = ""
    role: str = "REQ-PARTICIPANT"


def secretariat() -> Organizer:
    """The ORGANIZER of every file: the secretariat's mailbox (the mail's From matches it), its
    name translated into the current locale (call it under `force_locale`)."""
    name, email = parseaddr(current_app.config["MAIL_DEFAULT_SENDER"])
    return Organizer(email=email, name=_(name) if name else "")


def event_ics(event: Event, *, method: str = "PUBLISH", include_sessions: bool = False,
              attendee: Attendee | None = None, organizer: Organizer | None = None, language: str = "en",
              now: datetime | None = None, only_sessions: set[int] | None = None,
              sequence: int | None = None, entries: Iterable[Entry] = ()) -> bytes:
    """One VCALENDAR with the event (and, for PUBLISH, optionally its sessions: all of them, or
    those whose ids are in `only_sessions`, and the person's own `entries`). `sequence`: an iTIP
    message's own SEQUENCE, never below the event's."""
    method = method.upper()
    if method not in METHODS:
        raise CalendarError(f"unknown METHOD {method!r}")
    if method == "PUBLISH" and attendee is not None:
        raise CalendarError("PUBLISH carries no ATTENDEE")
    if method != "PUBLISH" and attendee is None:
        raise CalendarError(f"METHOD:{method} needs an attendee")
    if method != "PUBLISH" and (include_sessions or entries):
        raise CalendarError("an iTIP message carries one UID: sessions and entries only in PUBLISH")
    if method == "REQUEST" and event.status == "cancelled":
        raise CalendarError("a cancelled event is sent with METHOD:CANCEL, not REQUEST")
    if sequence is not None and (method == "PUBLISH" or sequence < int(event.sequence or 0)):
        raise CalendarError("only an iTIP message has its own SEQUENCE, never below the event's")
    language = language if language in LANGUAGES else "en"
    stamp = _utc(now or now_utc())
    calendar = _calendar(method)
    with force_locale(language):
        organizer = organizer or secretariat()
        vevent = _event_component(event, language, stamp, organizer, method, sequence)
        if attendee is not None:
            vevent.add("attendee", _attendee(attendee, method))
        calendar.add_component(vevent)
        for session in event.sessions if include_sessions else ():
            if only_sessions is None or session.id in only_sessions:
                calendar.add_component(_session_component(session, event, language, stamp, organizer))
        for entry in entries:
            calendar.add_component(_entry_component(entry, event, stamp, organizer))
    return calendar.to_ical()


def entry_ics(event: Event, entry: Entry, *, method: str, attendee: Attendee, language: str = "en",
              now: datetime | None = None, organizer: Organizer | None = None) -> bytes:
    """An iTIP message (REQUEST or CANCEL) of one person's own entry (a bilateral meeting): the
    entry's UID and SEQUENCE; CANCEL marks it STATUS:CANCELLED."""
    method = method.upper()
    if method not in ("REQUEST", "CANCEL"):
        raise CalendarError(f"an entry is sent with REQUEST or CANCEL, not {method!r}")
    language = language if language in LANGUAGES else "en"
    calendar = _calendar(method)
    with force_locale(language):
        organizer = organizer or secretariat()
        if method == "CANCEL" and not entry.cancelled:
            entry = replace(entry, cancelled=True)
        vevent = _entry_component(entry, event, _utc(now or now_utc()), organizer)
        vevent.add("attendee", _attendee(attendee, method))
        calendar.add_component(vevent)
    return calendar.to_ical()


def feed_ics(events: Iterable[Event], *, name: str, language: str = "en", now: datetime | None = None,
             organizer: Organizer | None = None, entries: Iterable[tuple[Event, Entry]] = ()) -> bytes:
    """A PUBLISH calendar of many events (the feeds of issue 6), one VEVENT per event, and the
    owner's own `entries` (event, entry), e.g. a unit's bilateral meetings."""
    language = language if language in LANGUAGES else "en"
    stamp = _utc(now or now_utc())
    calendar = _calendar("PUBLISH")
    # icalendar does not know these are TEXT and would write them unescaped (a newline in the
    # name would start a new property): vText escapes them like any other text.
    calendar.add("x-wr-calname", vText(_clean(name)))
    calendar.add("name", vText(_clean(name)))  # RFC 7986
    with force_locale(language):
        organizer = organizer or secretariat()
        for event in events:
            calendar.add_component(_event_component(event, language, stamp, organizer, "PUBLISH"))
        for event, entry in entries:
            calendar.add_component(_entry_component(entry, event, stamp, organizer))
    return calendar.to_ical()


def calendar_filename(event: Event, *, sessions: bool = False) -> str:
    """An ASCII file name: titles may be Chinese and must not reach a header."""
    return f"event-{int(event.id)}{'-agenda' if sessions else ''}.ics"


def content_tag(ics: bytes) -> str:
    """A validator for conditional GET: the file's hash without its DTSTAMP lines (the build
    time changes on every request, the content does not)."""
    lines = [line for line in ics.split(b"\r\n") if not line.startswith(b"DTSTAMP:")]
    return hashlib.sha256(b"\r\n".join(lines)).hexdigest()[:32]


# --- components ---------------------------------------------------------------------------------
def _calendar(method: str) -> Calendar:
    calendar = Calendar()
    for name, value in (("prodid", PRODID), ("version", "2.0"), ("calscale", "GREGORIAN"),
                        ("method", method)):
        calendar.add(name, value)
    return calendar


def _event_component(event: Event, language: str, stamp: datetime, organizer: Organizer, method: str,
                     sequence: int | None = None) -> VEvent:
    title, other_title = _titles(event, language)
    vevent = _component(
        event.uid, int(event.sequence or 0) if sequence is None else int(sequence), stamp,
        event.starts_at, event.ends_at, title, _event_description(event, language, other_title),
        _join(event.shown("venue_name", language), event.shown("venue_address", language),
              event.shown("city", language), _country(event, language)),
        event, organizer, method)
    if event.created_at is not None:
        vevent.add("created", _utc(event.created_at))
    if event.updated_at is not None:
        vevent.add("last-modified", _utc(event.updated_at))
    return vevent


def _session_component(session: AgendaSession, event: Event, language: str, stamp: datetime,
                       organizer: Organizer) -> VEvent:
    parts = [
        _("Track %(track)s", track=session.track) if session.track else "",
        session.text("description", language)[0],
        _("Speakers: %(names)s", names=session.speakers) if session.speakers else "",
        _("Part of: %(event)s", event=_titles(event, language)[0]),
        _("Event page: %(url)s", url=_event_url(event))]
    vevent = _component(
        f"session-{int(session.id)}-{event.uid}", int(event.sequence or 0) + int(session.sequence or 0),
        stamp, session.starts_at, session.ends_at, _clean(session.text("title", language)[0]),
        _clean("\n\n".join(p for p in parts if p)), _join(session.shown("room", language), event.shown("venue_name", language),
                                                          event.shown("city", language)),
        event, organizer, "PUBLISH")
    vevent.add("related-to", event.uid)  # RELTYPE=PARENT is the default
    return vevent


def _entry_component(entry: Entry, event: Event, stamp: datetime, organizer: Organizer) -> VEvent:
    vevent = VEvent()
    for name, value in (("uid", entry.uid), ("sequence", int(entry.sequence)), ("dtstamp", stamp),
                        ("dtstart", _utc(entry.starts_at)), ("dtend", _utc(entry.ends_at)),
                        ("summary", _clean(entry.summary)), ("description", _clean(entry.description)),
                        ("location", _clean(entry.location)), ("url", _event_url(event)),
                        ("organizer", _address(check_header_value(organizer.email), organizer.name)),
                        ("status", "CANCELLED" if entry.cancelled else "CONFIRMED")):
        if name not in ("location", "description") or value:
            vevent.add(name, value)
    vevent.add("related-to", event.uid)
    return vevent


def _component(uid: str, sequence: int, stamp: datetime, starts: datetime, ends: datetime,
               summary: str, description: str, location: str, event: Event,
               organizer: Organizer, method: str) -> VEvent:
    vevent = VEvent()
    status = "CANCELLED" if method == "CANCEL" or event.status == "cancelled" else "CONFIRMED"
    for name, value in (("uid", uid), ("sequence", sequence), ("dtstamp", stamp), ("dtstart", _utc(starts)),
                        ("dtend", _utc(ends)), ("summary", summary), ("description", description),
                        ("location", location), ("url", _event_url(event)),
                        # The configured sender, not a person's entry: only kept to one line.
                        ("organizer", _address(check_header_value(organizer.email), organizer.name)),
                        ("status", status)):
        if name != "location" or location:  # no empty LOCATION
            vevent.add(name, value)
    return vevent


def _titles(event: Event, language: str) -> tuple[str, str]:
    """(title shown, the other language's title if it exists and differs)."""
    title, _fallback = event.text("title", language)
    other = event.title_zh if language == "en" else event.title_en
    return _clean(title), (_clean(other) if other and other != title else "")


def _event_description(event: Event, language: str, other_title: str) -> str:
    reason = event.text("cancel_reason", language)[0]
    cancelled = _("This event has been cancelled.") + (f" {reason}" if reason else "")
    parts = [cancelled if event.status == "cancelled" else "", other_title,
             event.text("summary", language)[0], _("Local time zone: %(zone)s", zone=event.timezone),
             _("Event page: %(url)s", url=_event_url(event))]
    return _clean("\n\n".join(p for p in parts if p))


def _address(email: str, name: str) -> vCalAddress:
    address = vCalAddress(f"mailto:{email}")
    if name:
        address.params["CN"] = vText(_param(name))
    return address


def _attendee(attendee: Attendee, method: str) -> vCalAddress:
    if attendee.role not in ROLES:
        raise CalendarError(f"unknown ROLE {attendee.role!r}")
    address = _address(clean_address(attendee.email), attendee.name)
    address.params["CUTYPE"] = "INDIVIDUAL"
    address.params["ROLE"] = attendee.role
    if method == "REQUEST":
        address.params["PARTSTAT"] = "NEEDS-ACTION"
        address.params["RSVP"] = "TRUE"
    return address


def _event_url(event: Event) -> str:
    return external_url("events.detail", event_id=event.id)


def _country(event: Event, language: str) -> str:
    return country_name(event.country, language) if event.country else ""


def _join(*values: str | None) -> str:
    return _clean(", ".join(v.strip() for v in values if v and v.strip()))


def _clean(text: str | None) -> str:
    """Text for a TEXT value: LF line breaks only, no other control characters."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", text)


def _param(text: str) -> str:
    """A parameter value (CN): one line, no double quote (parameters cannot escape it portably)."""
    return " ".join(_clean(text).replace('"', "'").split())


def _utc(value: datetime) -> datetime:
    """An aware UTC datetime; naive values are UTC (as the database stores them)."""
    return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)
