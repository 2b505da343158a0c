"""CSV and XLSX exports of an event's delegates: one row per person, headers in the organizer's
language, times on the event's clock.

Both formats neutralize every cell a spreadsheet would run as a formula (= + - @, tab, CR) with
the members export's `neutralize`, so a name typed as "=HYPERLINK(...)" stays text. The CSV is
UTF-8 with BOM so Excel shows Chinese names.
"""
from __future__ import annotations

import io
import re

from flask_babel import gettext as _

from ..events.models import Event
from ..events.timezones import to_local
from ..members.csv_io import neutralize, write_table
from . import labels
from .models import Delegation
from .overview import people

# XML 1.0 refuses these control characters; openpyxl raises on them (tab, LF and CR are fine).
_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


# The optional detail (Event.delegate_details) behind each column; None: always exported.
COLUMN_DETAILS = (None, None, None, None, None, None, None, "title", "organization", None, "mobile",
                  None, "dietary", "accessibility", "travel", "travel", "travel", "travel",
                  "travel", "travel", None, "notes")


def _asked(event: Event, values: list[str]) -> list[str]:
    """Only the columns of details the event asks for (an online meeting exports no travel)."""
    return [v for v, detail in zip(values, COLUMN_DETAILS) if detail is None or event.collects(detail)]


def header(event: Event) -> list[str]:
    return _asked(event, [
        _("Unit"), _("Delegation status"), _("Delegate status"), _("Role"),
        _("Family name"), _("Given name"), _("Name in Chinese"), _("Title / position"),
        _("Organization"), _("Email"), _("Mobile"), _("Language"), _("Dietary needs"),
        _("Accessibility needs"), _("Arrival date"), _("Arrival time"), _("Arrival flight or train"),
        _("Departure date"), _("Departure time"), _("Departure flight or train"),
        _("Sessions chosen"), _("Notes"),
    ])


def _date_time(instant, zone_name: str) -> tuple[str, str]:
    if instant is None:
        return "", ""
    local = to_local(instant, zone_name)
    return local.strftime("%Y-%m-%d"), local.strftime("%H:%M")


def rows(event: Event, delegations: list[Delegation], language: str) -> list[list[str]]:
    """Plain values (not yet neutralized); delegations need their delegates' sessions loaded."""
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
                person.title, person.organization, person.email, person.mobile, person.language,
                person.dietary, person.accessibility, *_date_time(person.arrival_at, zone_name),
                person.arrival_details, *_date_time(person.departure_at, zone_name),
                person.departure_details, sessions, person.notes,
            ]))
    return out


def to_csv(event: Event, table: list[list[str]]) -> bytes:
    """UTF-8 with BOM, CRLF, every cell neutralized (members/csv_io.write_table)."""
    return write_table([neutralize(h) for h in header(event)], table)


def xlsx_cell(value: object) -> str:
    return _XML_ILLEGAL.sub("", neutralize(value))


def to_xlsx(event: Event, table: list[list[str]], sheet_title: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    # Sheet titles: at most 31 characters, none of []:*?/\ .
    sheet.title = re.sub(r"[\[\]:*?/\\]", " ", sheet_title)[:31] or "Delegates"
    sheet.append([xlsx_cell(h) for h in header(event)])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in table:
        sheet.append([xlsx_cell(v) for v in row])
    for cell in sheet[1]:
        sheet.column_dimensions[cell.column_letter].width = 18
    # Every value is text: openpyxl must never take one for a formula or a number.
    for row in sheet.iter_rows():
        for cell in row:
            cell.data_type = "s"
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
