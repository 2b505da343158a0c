"""The table plan as CSV or XLSX (core/spreadsheet.py): one row per accepted meeting, times on
the event's clock, headers and names in the organizer's language."""
from __future__ import annotations

from ..core.gettext import gettext as _
from ..core.spreadsheet import write_csv, write_xlsx
from ..core.timezones import to_local
from . import queries


def header() -> list[str]:
    return [_("Date"), _("Time"), _("Table"), _("Room"), _("Requested by"), _("Invited"), _("Topic"),
            _("Interpreter needed")]


def rows(event, language: str) -> list[list[object]]:
    out = []
    for m in sorted(queries.accepted(event.id), key=lambda m: (m.slot.starts_at, len(m.table.name), m.table.name)):
        local = to_local(m.slot.starts_at, event.timezone)
        out.append([local.date(), local.time().replace(second=0, microsecond=0, tzinfo=None), m.table.name,
                    m.table.text("room", language)[0], m.requester.unit.display_name(language),
                    m.invitee.unit.display_name(language), m.topic, _("Yes") if m.interpreter_needed else ""])
    return out


def plan(event, language: str, fmt: str) -> bytes:
    found = rows(event, language)
    if fmt == "csv":
        return write_csv(header(), found)
    return write_xlsx(_("Table plan"), header(), found, fallback_title="Table plan")
