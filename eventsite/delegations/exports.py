"""CSV and XLSX exports of an event's delegates: one row per person, headers and labels in the
organizer's language, times on the event's clock. Written by core/spreadsheet.py, as every export
(no formula runs, a BOM for Excel, typed XLSX cells)."""
from __future__ import annotations

from datetime import date, time

from ..core.gettext import gettext as _
from ..core.i18n import language_label
from ..core.spreadsheet import write_csv, write_xlsx
from ..core.timezones import to_local
from ..events.models import Event
from ..members.labels import country_name
from . import labels
from .models import Delegation
from .queries import people

# The optional detail (Event.delegate_details) behind each column; None: always exported.
COLUMN_DETAILS = (None, None, None, None, None, None, None, "title", "organization", None, "mobile",
                  None, "dietary", "accessibility", "travel", "travel", "travel", "travel", "travel",
                  "travel", "travel", "travel", None, "notes")


def _asked(event: Event, values: list[str]) -> list[str]:
    """Only the columns of details the event asks for (an online meeting exports no travel)."""
    return [v for v, detail in zip(values, COLUMN_DETAILS) if detail is None or event.collects(detail)]


def with_travel(event: Event, asked: bool) -> bool:
    """Travel documents go out only when the organizer asks for them (a separate button, audited
    as its own action) and the event collects them."""
    return asked and event.collects("passport")


def _travel_header() -> list[str]:
    return [_("Name as in the passport"), _("Passport number"), _("Nationality"), _("Date of birth"),
            _("Passport valid until")]


def _travel_values(person, language: str) -> list[object]:
    return [person.passport_name, person.passport_number,
            country_name(person.nationality, language) if person.nationality else "",
            person.birth_date, person.passport_expiry]


def header(event: Event, travel: bool = False) -> list[str]:
    return [*_header(event), *(_travel_header() if travel else [])]


def _header(event: Event) -> list[str]:
    return _asked(event, [
        _("Unit"), _("Delegation status"), _("Delegate status"), _("Role"),
        _("Family name"), _("Given name"), _("Name in Chinese"), _("Title / position"),
        _("Organization"), _("Email"), _("Mobile"), _("Language"), _("Dietary needs"),
        _("Accessibility needs"), _("Arrival date"), _("Arrival time"),
        _("Arrival flight or train number"), _("Arrival airport or station"),
        _("Departure date"), _("Departure time"), _("Departure flight or train number"),
        _("Departure airport or station"),
        _("Sessions chosen"), _("Notes"),
    ])


def _date_time(instant, zone_name: str) -> tuple[date | None, time | None]:
    if instant is None:
        return None, None
    local = to_local(instant, zone_name)
    return local.date(), local.time().replace(second=0, microsecond=0, tzinfo=None)


def rows(event: Event, delegations: list[Delegation], language: str,
         travel: bool = False) -> list[list[object]]:
    """Plain values (not yet neutralized); delegations need their delegates' sessions loaded.
    `travel`: with the travel documents (with_travel())."""
    zone_name = event.timezone
    out = []
    for delegation in delegations:
        unit = delegation.unit.display_name(language)
        for person in people(delegation):
            sessions = "; ".join(s.text("title", language)[0] for s in
                                 sorted(person.sessions, key=lambda s: (s.starts_at, s.position, s.id)))
            out.append(_asked(event, [
                unit, labels.delegation_status(delegation.status), labels.delegate_status(person.status),
                labels.role(person.role), person.family_name, person.given_name, person.name_zh,
                person.title, person.organization, person.email, person.mobile,
                language_label(person.language),
                person.dietary, person.accessibility, *_date_time(person.arrival_at, zone_name),
                person.arrival_details, person.arrival_place, *_date_time(person.departure_at, zone_name),
                person.departure_details, person.departure_place, sessions, person.notes,
            ]) + (_travel_values(person, language) if travel else []))
    return out


def to_file(event: Event, table: list[list[object]], fmt: str, sheet_title: str,
            travel: bool = False) -> bytes:
    if fmt == "csv":
        return write_csv(header(event, travel), table)
    return write_xlsx(sheet_title, header(event, travel), table, fallback_title=_("Delegates"))
