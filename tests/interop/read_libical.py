"""Read iCalendar files with libical (Evolution, KDE) through GObject introspection.

Runs under the SYSTEM Python (/usr/bin/python3, Debian's python3-gi), not the project's venv.
Usage: /usr/bin/python3 read_libical.py file.ics...  -> JSON {file: {method, events: [...]}}
"""
import json
import sys
from datetime import datetime, timezone

import gi

gi.require_version("ICalGLib", "3.0")
from gi.repository import ICalGLib  # noqa: E402

K = ICalGLib.ComponentKind
P = ICalGLib.PropertyKind


def _instant(calendar, prop):
    """The property's time as a UTC ISO string, resolving its TZID against the file's VTIMEZONEs."""
    if prop is None:
        return None, False
    value = prop.get_value().get_datetime() if prop.get_value() else None
    if value is None:
        return None, False
    tzid = prop.get_parameter_as_string("TZID")
    if value.is_utc():
        seconds = value.as_timet()
    elif tzid:
        zone = calendar.get_timezone(tzid)
        if zone is None:  # a TZID without its VTIMEZONE: libical would show it floating
            return None, True
        seconds = value.as_timet_with_zone(zone)
    else:
        return None, True  # floating
    stamp = datetime.fromtimestamp(seconds, timezone.utc)
    return stamp.strftime("%Y-%m-%dT%H:%M:%SZ"), False


def _text(component, kind):
    prop = component.get_first_property(kind)
    return prop.get_value_as_string() if prop is not None else None


def read(text):
    calendar = ICalGLib.Component.new_from_string(text)
    if calendar is None:
        raise ValueError("libical could not parse the file")
    method_prop = calendar.get_first_property(P.METHOD_PROPERTY)
    events = []
    vevent = calendar.get_first_component(K.VEVENT_COMPONENT)
    while vevent is not None:
        start, floating_start = _instant(calendar, vevent.get_first_property(P.DTSTART_PROPERTY))
        end, floating_end = _instant(calendar, vevent.get_first_property(P.DTEND_PROPERTY))
        seq = vevent.get_first_property(P.SEQUENCE_PROPERTY)
        attendees = []
        prop = vevent.get_first_property(P.ATTENDEE_PROPERTY)
        while prop is not None:
            attendees.append(prop.get_attendee())
            prop = vevent.get_next_property(P.ATTENDEE_PROPERTY)
        status = vevent.get_first_property(P.STATUS_PROPERTY)
        events.append({
            "uid": vevent.get_uid(),
            "sequence": seq.get_sequence() if seq is not None else None,
            "summary": vevent.get_summary(),
            "description": vevent.get_description(),
            "location": vevent.get_location(),
            "status": status.get_value_as_string() if status is not None else None,
            "start": start,
            "end": end,
            "floating": floating_start or floating_end,
            "attendees": attendees,
            "organizer": _text(vevent, P.ORGANIZER_PROPERTY),
        })
        vevent = calendar.get_next_component(K.VEVENT_COMPONENT)
    return {"method": method_prop.get_value_as_string() if method_prop is not None else None,
            "events": events}


if __name__ == "__main__":
    out = {}
    for path in sys.argv[1:]:
        try:
            with open(path, encoding="utf-8") as handle:
                out[path] = read(handle.read())
        except Exception as error:  # reported to the test, which fails with it
            out[path] = {"error": repr(error)}
    print(json.dumps(out))
