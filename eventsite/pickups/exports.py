"""A run's manifest as XLSX (core/spreadsheet.py: typed cells, nothing runs as a formula):
headers in the organizer's language, times on the event's clock."""
from __future__ import annotations

from ..core.gettext import gettext as _
from ..core.spreadsheet import write_xlsx
from ..core.timezones import to_local
from ..delegations import labels as delegation_labels
from .models import PickupRun


def header() -> list[str]:
    return [_("Name"), _("Name in Chinese"), _("Unit"), _("Role"), _("Mobile"), _("Flight or train number"),
            _("Airport or station"), _("Date"), _("Time"), _("Accessibility needs")]


def rows(people) -> list[list[object]]:
    out = []
    for t in people:
        d = t.delegate
        latin = " ".join(p for p in (d.given_name, d.family_name.upper()) if p)
        out.append([latin, d.name_zh, t.unit_name, delegation_labels.role(d.role), d.mobile, t.number, t.place,
                    t.at.date() if t.at else None,
                    t.at.time().replace(second=0, microsecond=0, tzinfo=None) if t.at else None,
                    d.accessibility])
    return out


def manifest_xlsx(run: PickupRun, people, title: str) -> bytes:
    local = to_local(run.starts_at, run.event.timezone)
    sheet = f"{local:%m-%d %H%M} {run.place}"
    return write_xlsx(sheet, header(), rows(people), fallback_title=title)
