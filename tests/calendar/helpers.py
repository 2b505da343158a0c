"""Reading our .ics files with two independent parsers (icalendar and vobject), so a test states
what every client should see rather than what our own builder meant."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

import icalendar
import vobject

UTC = timezone.utc


@dataclass
class Seen:
    """What one parser read from one VEVENT."""

    uid: str
    summary: str
    start: datetime
    end: datetime
    description: str
    location: str
    sequence: int
    status: str


def physical_lines(ics: bytes) -> list[bytes]:
    assert ics.endswith(b"\r\n"), "the file must end with CRLF"
    return ics[:-2].split(b"\r\n")


def check_octets(ics: bytes) -> None:
    """CRLF everywhere, lines <= 75 octets, and no line cuts a UTF-8 character in two."""
    assert b"\n" not in ics.replace(b"\r\n", b""), "bare LF"
    assert b"\r" not in ics.replace(b"\r\n", b""), "bare CR"
    for line in physical_lines(ics):
        assert len(line) <= 75, line
        line.decode("utf-8")  # raises if a fold split a character


def with_icalendar(ics: bytes) -> tuple[icalendar.Calendar, list[Seen]]:
    calendar = icalendar.Calendar.from_ical(ics)
    seen = []
    for ev in calendar.walk("VEVENT"):
        seen.append(Seen(
            uid=str(ev["UID"]), summary=str(ev["SUMMARY"]),
            start=ev.decoded("DTSTART").astimezone(UTC), end=ev.decoded("DTEND").astimezone(UTC),
            description=str(ev.get("DESCRIPTION", "")), location=str(ev.get("LOCATION", "")),
            sequence=int(ev.get("SEQUENCE", 0)), status=str(ev.get("STATUS", "")),
        ))
    return calendar, seen


def with_vobject(ics: bytes):
    calendar = vobject.readOne(ics.decode("utf-8"))
    seen = []
    for ev in getattr(calendar, "vevent_list", []):
        contents = ev.contents
        seen.append(Seen(
            uid=ev.uid.value, summary=ev.summary.value,
            start=ev.dtstart.value.astimezone(UTC), end=ev.dtend.value.astimezone(UTC),
            description=contents["description"][0].value if "description" in contents else "",
            location=contents["location"][0].value if "location" in contents else "",
            sequence=int(ev.sequence.value), status=ev.status.value,
        ))
    return calendar, seen


def read_both(ics: bytes) -> list[Seen]:
    """The VEVENTs as both parsers read them, after asserting that they agree."""
    check_octets(ics)
    _cal, by_icalendar = with_icalendar(ics)
    _vcal, by_vobject = with_vobject(ics)
    assert by_icalendar == by_vobject
    return by_icalendar
