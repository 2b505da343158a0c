"""timezones.py: wall-clock times to UTC across daylight-saving changes, and zone labels.

Expected values are written by hand from the calendar: in 2026 Europe changes on the last
Sundays of March (29th, 01:00 UTC) and October (25th, 01:00 UTC); the USA on 8 March (07:00 UTC)
and 1 November (06:00 UTC).
"""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from eventsite.core.timezones import NonexistentTime, is_valid_zone, local_naive, to_utc, zone_label

UTC = timezone.utc


def utc(*args):
    return datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize("local, zone", [
    (datetime(2026, 3, 29, 2, 30), "Europe/Brussels"),
    (datetime(2026, 3, 29, 2, 0), "Europe/Brussels"),
    (datetime(2026, 3, 8, 2, 30), "America/New_York"),
])
def test_times_skipped_in_spring_are_refused(local, zone):
    with pytest.raises(NonexistentTime):
        to_utc(local, zone)


@pytest.mark.parametrize("local, zone, expected", [
    (datetime(2026, 10, 25, 2, 30), "Europe/Brussels", utc(2026, 10, 25, 0, 30)),  # first: CEST
    (datetime(2026, 11, 1, 1, 30), "America/New_York", utc(2026, 11, 1, 5, 30)),  # first: EDT
])
def test_times_repeated_in_autumn_are_the_first_and_reported(local, zone, expected):
    assert to_utc(local, zone) == (expected, True)


@pytest.mark.parametrize("local, zone, expected", [
    (datetime(2026, 3, 29, 1, 59), "Europe/Brussels", utc(2026, 3, 29, 0, 59)),
    (datetime(2026, 3, 29, 3, 0), "Europe/Brussels", utc(2026, 3, 29, 1, 0)),
    (datetime(2026, 10, 25, 3, 0), "Europe/Brussels", utc(2026, 10, 25, 2, 0)),
    (datetime(2026, 3, 8, 3, 0), "America/New_York", utc(2026, 3, 8, 7, 0)),
    (datetime(2026, 11, 1, 2, 0), "America/New_York", utc(2026, 11, 1, 7, 0)),
    (datetime(2026, 7, 1, 9, 0), "Asia/Shanghai", utc(2026, 7, 1, 1, 0)),
])
def test_ordinary_times(local, zone, expected):
    assert to_utc(local, zone) == (expected, False)
    assert local_naive(expected, zone) == local


def test_to_utc_wants_a_naive_time():
    with pytest.raises(ValueError):
        to_utc(utc(2026, 7, 1, 9), "Europe/Brussels")


@pytest.mark.parametrize("instant, zone, label", [
    (utc(2026, 3, 29, 0, 59), "Europe/Brussels", "CET (UTC+1)"),
    (utc(2026, 3, 29, 1, 0), "Europe/Brussels", "CEST (UTC+2)"),
    (utc(2026, 10, 25, 0, 59), "Europe/Brussels", "CEST (UTC+2)"),
    (utc(2026, 10, 25, 1, 0), "Europe/Brussels", "CET (UTC+1)"),
    (utc(2026, 3, 8, 6, 59), "America/New_York", "EST (UTC-5)"),
    (utc(2026, 3, 8, 7, 0), "America/New_York", "EDT (UTC-4)"),
    (utc(2026, 11, 1, 5, 59), "America/New_York", "EDT (UTC-4)"),
    (utc(2026, 11, 1, 6, 0), "America/New_York", "EST (UTC-5)"),
    (utc(2026, 3, 29, 1, 0), "Asia/Shanghai", "CST (UTC+8)"),
    (utc(2026, 3, 29, 1, 0), "Asia/Kolkata", "IST (UTC+5:30)"),
    (utc(2026, 3, 29, 1, 0), "Asia/Dubai", "(UTC+4)"),
    (utc(2026, 3, 29, 1, 0), "UTC", "UTC"),
])
def test_zone_label(instant, zone, label):
    assert zone_label(instant, zone) == label


@pytest.mark.parametrize("name, valid", [
    ("Europe/Brussels", True), ("Asia/Shanghai", True), ("UTC", True), ("America/New_York", True),
    ("Mars/Olympus_Mons", False), ("", False), (None, False), ("../../etc/passwd", False),
    ("europe/brussels", False), ("Europe/Brussels\x00", False),
])
def test_is_valid_zone(name, valid):
    assert is_valid_zone(name) is valid
