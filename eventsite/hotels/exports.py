"""The rooming list of one hotel as the hotel reads it: XLSX or CSV (core/spreadsheet.py, as
every export), headers and labels in the hotel's language, a last column marking what is new,
changed or removed since the previous list issued to that hotel (rooming.py keeps them)."""
from __future__ import annotations

from datetime import date

from flask_babel import force_locale

from ..core.gettext import gettext as _
from ..core.spreadsheet import write_csv, write_xlsx
from . import labels

# The keys of a row as stored in a list's snapshot, in the file's column order.
COLUMNS = ("guest", "name_zh", "unit", "room_type", "shared_with", "check_in", "check_out", "nights", "notes")


def header(language: str) -> list[str]:
    with force_locale(language):
        return [_("Guest name"), _("Name in Chinese characters"), _("Unit"), _("Room type"), _("Shared with"),
                _("Check-in"), _("Check-out"), _("Nights"), _("Notes"), _("Changes since the last list")]


def cells(row: dict, mark: str, language: str) -> list[object]:
    """A snapshot row (dates as ISO text) as typed cells, with its change mark in `language`."""
    values: list[object] = [row.get(key, "") for key in COLUMNS]
    for position in (COLUMNS.index("check_in"), COLUMNS.index("check_out")):
        values[position] = date.fromisoformat(values[position]) if values[position] else None
    with force_locale(language):
        return [*values, labels.change_mark(mark)]


def to_file(title: str, language: str, rows: list[list[object]], fmt: str) -> bytes:
    if fmt == "csv":
        return write_csv(header(language), rows)
    with force_locale(language):
        fallback = _("Rooming list")
    return write_xlsx(title, header(language), rows, fallback_title=fallback)
