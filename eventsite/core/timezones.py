"""Wall-clock times in an event's zone <-> UTC instants, and how to show them.

Organizers type local times in the event's zone; a time that does not exist there (skipped by a
daylight-saving change) is refused, and one that happens twice (the hour repeated in autumn) is
taken as its first occurrence and reported, so nobody is silently an hour off.
"""
from __future__ import annotations

import zoneinfo
from datetime import datetime, timedelta, timezone
from functools import lru_cache

from .dates import check_wall_clock

UTC = timezone.utc


class NonexistentTime(ValueError):
    """The wall-clock time is skipped in that zone (spring forward)."""


@lru_cache(maxsize=1)
def all_zones() -> tuple[str, ...]:
    return tuple(sorted(z for z in zoneinfo.available_timezones() if "/" in z or z == "UTC"))


def is_valid_zone(name: str | None) -> bool:
    return bool(name) and name in set(all_zones())


@lru_cache(maxsize=1)
def _known_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def known_zone(name: str | None) -> bool:
    """Any name of the zone database (checked against the list, never by opening files); readers
    and accounts may keep zones that organizers are not offered."""
    return isinstance(name, str) and name in _known_zones()


def utc_offset_label(offset: timedelta | None) -> str:
    minutes = int((offset or timedelta()).total_seconds() // 60)
    if minutes == 0:
        return "UTC"
    sign = "+" if minutes > 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")


def zone(name: str) -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(name)


def to_utc(local: datetime, zone_name: str) -> tuple[datetime, bool]:
    """UTC instant of a naive wall-clock time in `zone_name`; second item True if ambiguous.
    NonexistentTime for a time a daylight-saving change skips, OutOfRange for a day out of range."""
    if local.tzinfo is not None:
        raise ValueError("expected a naive wall-clock time")
    check_wall_clock(local)
    tz = zone(zone_name)
    utc_first, utc_second = (local.replace(tzinfo=tz, fold=fold).astimezone(UTC) for fold in (0, 1))
    # A skipped time does not survive the round trip back to the wall clock.
    if utc_first.astimezone(tz).replace(tzinfo=None) != local:
        raise NonexistentTime(local.isoformat(timespec="minutes"))
    return utc_first, utc_first != utc_second


def to_local(instant: datetime, zone_name: str) -> datetime:
    return instant.astimezone(zone(zone_name))


def local_naive(instant: datetime | None, zone_name: str) -> datetime | None:
    return None if instant is None else to_local(instant, zone_name).replace(tzinfo=None)


def zone_label(instant: datetime, zone_name: str) -> str:
    """'CEST (UTC+2)', 'EST (UTC-5)', 'CST (UTC+8)'; just '(UTC+4)' where the zone has no letters."""
    local = to_local(instant, zone_name)
    offset = utc_offset_label(local.utcoffset() or timedelta())
    abbreviation = local.tzname() or ""
    if abbreviation == "UTC":
        return "UTC"
    if not abbreviation or abbreviation[0] in "+-":  # the zone has no letters, only an offset
        return f"({offset})"
    return f"{abbreviation} ({offset})"
