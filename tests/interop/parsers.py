"""Five independent iCalendar parsers, each reading the same files to the same summary.

icalendar and vobject run in-process; Mozilla's ical.js (Thunderbird) and node-ical run under
Node (installed by `make test` into tests/interop/node_modules); libical (Evolution, KDE) runs
under the system Python through GObject introspection (Debian packages, installed by .ci/run).
Every reader runs with TZ set to a zone far from ours, so a time a parser took as floating
(shown in the viewer's own zone) shows up as a wrong instant instead of passing by luck.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess  # nosec B404 # fixed argument lists, our own scripts, no shell
import tempfile
from datetime import date, datetime, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
SYSTEM_PYTHON = "/usr/bin/python3"
# UTC+14: no one's zone, so floating times cannot pass for correct ones.
FOREIGN_TZ = "Pacific/Kiritimati"
PARSERS = ("icalendar", "vobject", "ical.js", "node-ical", "libical")


def unavailable() -> dict[str, str]:
    """{parser: why it cannot run here} for the parsers that are missing on this machine."""
    missing = {}
    node = shutil.which("node")
    if node is None:
        missing["ical.js"] = missing["node-ical"] = "node is not installed"
    else:
        for name, folder in (("ical.js", "ical.js"), ("node-ical", "node-ical")):
            if not (HERE / "node_modules" / folder).is_dir():
                missing[name] = "run `npm ci --prefix tests/interop` (make test does)"
    probe = ("import gi; gi.require_version('ICalGLib', '3.0'); "
             "from gi.repository import ICalGLib")
    if not Path(SYSTEM_PYTHON).exists() or subprocess.run(  # nosec B603 # fixed arguments
        [SYSTEM_PYTHON, "-c", probe], capture_output=True, check=False
    ).returncode:
        missing["libical"] = "install libical3 gir1.2-ical-3.0 python3-gi (.ci/run does)"
    return missing


def _utc(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        if value.tzinfo is None:
            return None  # floating
        return value.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _with_icalendar(data: bytes) -> dict:
    from icalendar import Calendar

    calendar = Calendar.from_ical(data)
    events = []
    for vevent in calendar.walk("VEVENT"):
        start, end = vevent.decoded("dtstart"), vevent.decoded("dtend", None)
        attendees = vevent.get("attendee", [])
        attendees = attendees if isinstance(attendees, list) else [attendees]
        events.append({
            "uid": str(vevent.get("uid")), "sequence": vevent.get("sequence"),
            "summary": _text(vevent.get("summary")), "description": _text(vevent.get("description")),
            "location": _text(vevent.get("location")), "status": _text(vevent.get("status")),
            "start": _utc(start), "end": _utc(end),
            "floating": isinstance(start, datetime) and start.tzinfo is None,
            "attendees": [str(a) for a in attendees],
            "organizer": _text(vevent.get("organizer")),
        })
    return {"method": _text(calendar.get("method")), "events": events}


def _with_vobject(data: bytes) -> dict:
    import vobject

    calendar = vobject.readOne(data.decode("utf-8"))
    events = []
    for vevent in getattr(calendar, "vevent_list", []):
        def value(name):
            item = getattr(vevent, name, None)
            return item.value if item is not None else None

        start, end = value("dtstart"), value("dtend")
        events.append({
            "uid": value("uid"),
            "sequence": int(value("sequence")) if value("sequence") is not None else None,
            "summary": value("summary"), "description": value("description"),
            "location": value("location"), "status": value("status"),
            "start": _utc(start), "end": _utc(end),
            "floating": isinstance(start, datetime) and start.tzinfo is None,
            "attendees": [a.value for a in getattr(vevent, "attendee_list", [])],
            "organizer": value("organizer"),
        })
    method = getattr(calendar, "method", None)
    return {"method": method.value if method is not None else None, "events": events}


def _text(value) -> str | None:
    return None if value is None else str(value)


def _external(command: list[str], files: list[Path]) -> dict[str, dict]:
    env = dict(os.environ, TZ=FOREIGN_TZ)
    result = subprocess.run(  # nosec B603 # our own scripts with file paths we created
        [*command, *map(str, files)], capture_output=True, check=False, env=env, cwd=HERE,
        timeout=120,
    )
    if result.returncode:
        raise RuntimeError(f"{command[0]} failed: {result.stderr.decode(errors='replace')}")
    return json.loads(result.stdout)


def read_all(files: dict[str, bytes]) -> dict[str, dict[str, dict]]:
    """{parser: {name: {"method": ..., "events": [...]}}} for every available parser.

    One process per external parser for all files, so the cost does not grow with the files.
    """
    missing = unavailable()
    out: dict[str, dict[str, dict]] = {}
    with tempfile.TemporaryDirectory() as folder:
        paths = {}
        for name, data in files.items():
            path = Path(folder) / f"{len(paths)}.ics"
            path.write_bytes(data)
            paths[name] = path
        for parser, read in (("icalendar", _with_icalendar), ("vobject", _with_vobject)):
            out[parser] = {}
            for name, data in files.items():
                try:
                    out[parser][name] = read(data)
                except Exception as error:  # reported by the test with the parser's name
                    out[parser][name] = {"error": repr(error)}
        node = shutil.which("node")
        for parser, key in (("ical.js", "icaljs"), ("node-ical", "nodeical")):
            if parser not in missing:
                raw = _external([node, str(HERE / "read.mjs"), key], list(paths.values()))
                out[parser] = {name: raw[str(path)] for name, path in paths.items()}
        if "libical" not in missing:
            raw = _external([SYSTEM_PYTHON, str(HERE / "read_libical.py")], list(paths.values()))
            out["libical"] = {name: raw[str(path)] for name, path in paths.items()}
    return out
