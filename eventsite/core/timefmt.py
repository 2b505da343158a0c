"""Instants as every page and email shows them: on the event's own clock, with the zone's label,
in the reader's locale (Babel's locale data, the zone always given explicitly, never the
process's or the request's): "09:30 CEST (UTC+2)" beside "15:30 CST (UTC+8)".
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache

from babel import Locale
from babel.dates import format_date, format_datetime, format_interval, format_skeleton
from flask_babel import get_locale

from .gettext import gettext as _
from .gettext import ngettext
from .timezones import to_local, zone, zone_label


def _locale() -> str:
    return str(get_locale() or "en")


def local_time(instant: datetime | None, zone_name: str, fmt: str = "medium") -> str:
    """'Mar 26, 2026 09:00 CET (UTC+1)': an instant on the event's own clock ("short": the
    locale's short date and time)."""
    return "—" if instant is None else _local_time(instant, zone_name, fmt, _locale())


def local_date(instant: datetime | None, zone_name: str) -> str:
    return "—" if instant is None else _local_date(instant, zone_name, _locale())


# The formatting below is a pure function of (instants, zone, locale), and Babel's skeleton
# matching is slow (it was 40% of the event list): results are kept per process. The keys are
# small and the number of distinct times shown is bounded by the events, so the caches stay small.


@lru_cache(maxsize=4096)
def _local_time(instant: datetime, zone_name: str, fmt: str, locale: str) -> str:
    local, tz = to_local(instant, zone_name), zone(zone_name)
    if fmt == "short":
        text = format_datetime(local, "short", tzinfo=tz, locale=locale)
    else:
        text = " ".join(format_skeleton(part, local, tzinfo=tz, locale=locale) for part in ("yMMMd", "Hm"))
    return f"{text} {zone_label(instant, zone_name)}"


@lru_cache(maxsize=4096)
def _local_date(instant: datetime, zone_name: str, locale: str) -> str:
    return format_date(to_local(instant, zone_name).date(), "medium", locale=locale)


@lru_cache(maxsize=4096)
def _clock_time(instant: datetime, zone_name: str, locale: str) -> str:
    return format_skeleton("Hm", instant, tzinfo=to_local(instant, zone_name).tzinfo, locale=locale)


def short_date(day: date, with_year: bool = True) -> str:
    """'Sun, Mar 29, 2026' / '2026年3月29日周日' (without the year: 'Sun, Mar 29')."""
    return _short_date(day, with_year, _locale())


@lru_cache(maxsize=4096)
def _short_date(day: date, with_year: bool, locale: str) -> str:
    return format_skeleton("yMMMEd" if with_year else "MMMEd", day, locale=locale)


def day_span(first: date, last: date) -> str:
    """'Jan 18 – 21, 2027' / '2027年1月18日至21日' (a hotel stay, a block's nights): days in the
    reader's language, the shared month and year said once."""
    return _day_span(first, last, _locale())


@lru_cache(maxsize=1024)
def _day_span(first: date, last: date, locale: str) -> str:
    return format_interval(first, last, "yMMMd", locale=locale)


def long_date(day: date) -> str:
    """'Sunday, March 29, 2026' / '2026年3月29日星期日' (agenda day headings)."""
    return _long_date(day, _locale())


@lru_cache(maxsize=1024)
def _long_date(day: date, locale: str) -> str:
    return format_date(day, "full", locale=locale)


@lru_cache(maxsize=8)
def _date_time_pattern(locale: str) -> str:
    return str(Locale.parse(locale).datetime_formats.get("medium", "{1} {0}"))


def span_text(start: datetime, end: datetime, zone_name: str, *, date_first: bool, year: bool = True) -> str:
    """A time range in one zone: '[date, ]09:30 – 11:00 CEST (UTC+2)'; across days the end carries
    its date, across a daylight-saving change each side its label."""
    return _span_text(start, end, zone_name, date_first, year, _locale())


@lru_cache(maxsize=4096)
def _span_text(start: datetime, end: datetime, zone_name: str, date_first: bool, year: bool,
               locale: str) -> str:
    local_start, local_end = to_local(start, zone_name), to_local(end, zone_name)
    first_label, last_label = zone_label(start, zone_name), zone_label(end, zone_name)
    head = _clock_time(start, zone_name, locale)
    if first_label != last_label:
        head = f"{head} {first_label}"
    pattern = _date_time_pattern(locale)
    if date_first:
        head = pattern.replace("{1}", _short_date(local_start.date(), year, locale)).replace("{0}", head)
    tail = _clock_time(end, zone_name, locale)
    if local_end.date() != local_start.date():
        tail = pattern.replace("{1}", _short_date(local_end.date(), year, locale)).replace("{0}", tail)
    return f"{head} – {tail} {last_label}"


@dataclass(frozen=True)
class Clock:
    """A time range in the event's zone and, when it reads differently, in the viewer's."""

    event: str
    viewer: str = ""
    viewer_zone: str = ""


def clock(start: datetime, end: datetime, event_zone: str, viewer_zone: str, *, with_date: bool) -> Clock:
    """With `with_date` False (agenda rows under a day heading), the viewer's side still carries
    its date when that day differs from the event's."""
    event_text = span_text(start, end, event_zone, date_first=with_date)
    other_day = to_local(start, viewer_zone).date() != to_local(start, event_zone).date()
    viewer_text = span_text(start, end, viewer_zone, date_first=with_date or other_day, year=with_date)
    return Clock(event_text) if viewer_text == event_text else Clock(event_text, viewer_text, viewer_zone)


def shift_text(delta: timedelta) -> str:
    """A move in time in words, '1 hour later' / '推迟1小时', '2 days 30 minutes earlier' (the
    audit log and the update mails say how far an agenda moved, not '1:00:00')."""
    minutes = round(delta.total_seconds() / 60)
    if minutes == 0:
        return _("at the same time")
    days, rest = divmod(abs(minutes), 24 * 60)
    hours, mins = divmod(rest, 60)
    parts = [text for count, text in (
        (days, ngettext("%(num)d day", "%(num)d days", days)),
        (hours, ngettext("%(num)d hour", "%(num)d hours", hours)),
        (mins, ngettext("%(num)d minute", "%(num)d minutes", mins))) if count]
    amount = ("" if _locale().startswith("zh") else " ").join(parts)  # 1天30分钟, 1 day 30 minutes
    return _("%(amount)s later", amount=amount) if minutes > 0 else _("%(amount)s earlier", amount=amount)
