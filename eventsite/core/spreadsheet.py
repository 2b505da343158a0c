"""Cells for every CSV and XLSX export: nothing a user typed may run as a formula, and the file
opens in every spreadsheet.

**CSV.** A cell starting with = + - @ (tab, CR, and the full-width ＝ ＋ － ＠ a Chinese input
method types) runs as a formula. The reader, not we, picks what splits a line into cells (";" in
much of Europe, tab, "|", line breaks in quotes), so every *segment* after any of ; , tab | CR LF
(and spaces and quotes) that would start with a trigger gets an apostrophe ("this is text").
`unneutralize` removes exactly the apostrophes `neutralize` added, so the members export imports
back unchanged.

**XLSX.** Cells are typed: text is a string cell in the Text format ("@"), with Excel's "quote
prefix" flag when it starts like a formula; dates and times are real date and time cells.
Characters XML 1.0 cannot hold are dropped (a workbook holding one is corrupt), and sheet titles
follow Excel's rules.
"""
from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from datetime import date, datetime, time

_TRIGGER = r"[=+\-@\t\r\uff1d\uff0b\uff0d\uff20]"  # and ＝ ＋ － ＠
# Where a reader may start a new cell (or record) inside our text.
_START = r"(^|[;,\t|\r\n])([ \"]*)"
# A segment whose text (after spaces, quotes and apostrophes) begins with a trigger.
_DANGEROUS = re.compile(_START + r"(?='*" + _TRIGGER + ")")
# The apostrophe `neutralize` put in front of such a segment.
_ADDED = re.compile(_START + r"'(?='*" + _TRIGGER + ")")
# XML 1.0 refuses these (tab, LF and CR are fine); lone surrogates cannot be encoded at all.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# Excel's sheet titles: at most 31 characters, none of these, no control characters.
_TITLE_ILLEGAL = re.compile(r"[\[\]:*?/\\\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]")
TITLE_MAX = 31


def cell_text(value: object) -> str:
    """The text of a value in a CSV cell: dates as ISO dates, times as hh:mm."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.strftime("%H:%M")
    return str(value)


def neutralize(value: object) -> str:
    """The CSV text of `value`, an apostrophe before every segment a spreadsheet could run as a formula."""
    return _DANGEROUS.sub(r"\1\2'", cell_text(value))


def unneutralize(text: str) -> str:
    """`neutralize` undone: unneutralize(neutralize(s)) == s for every text s."""
    return _ADDED.sub(r"\1\2", text)


def write_csv(header: Sequence[object], rows: Sequence[Sequence[object]]) -> bytes:
    """CSV bytes: UTF-8 with BOM (Excel detects it), CRLF line ends, every cell (header too) neutralized."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerows([neutralize(cell) for cell in row] for row in [header, *rows])
    return out.getvalue().encode("utf-8-sig")


# --- XLSX ---------------------------------------------------------------------------------------
def xml_text(value: str) -> str:
    return _XML_ILLEGAL.sub("", value)


def sheet_title(text: str, fallback: str) -> str:
    """A title Excel and openpyxl accept: no control or forbidden characters, not starting or
    ending with an apostrophe, at most 31 UTF-16 units (Excel counts those), not "History"
    (reserved by Excel); `fallback` when nothing is left."""
    title = " ".join(_TITLE_ILLEGAL.sub(" ", text or "").split()).strip("'").strip()
    while len(title.encode("utf-16-le")) > 2 * TITLE_MAX:
        title = title[:-1]
    title = title.rstrip().rstrip("'").rstrip()
    if not title or title.lower() == "history":
        return fallback
    return title


# A cell that Excel would take for a formula if it were typed in (after leading spaces).
_formula_like = re.compile(" *" + _TRIGGER).match


def write_xlsx(title: str, header: Sequence[object], rows: Sequence[Sequence[object]], *,
               fallback_title: str = "Sheet", column_width: int = 18) -> bytes:
    """One sheet: a bold, frozen header row, then the rows; typed cells (see the module doc)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = sheet_title(title, sheet_title(fallback_title, "Sheet"))
    bold = Font(bold=True)
    for row_number, values in enumerate([header, *rows], start=1):
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(row=row_number, column=column)
            _set(cell, value)
            if row_number == 1:
                cell.font = bold
    for column in range(1, len(header) + 1):
        sheet.column_dimensions[sheet.cell(row=1, column=column).column_letter].width = column_width
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# XLSX number formats of dates and times (datetime first: it is a date too).
_FORMATS = ((datetime, "yyyy-mm-dd hh:mm"), (date, "yyyy-mm-dd"), (time, "hh:mm"))


def _set(cell, value: object) -> None:
    number_format = next((f for kind, f in _FORMATS if isinstance(value, kind)), None)
    if number_format is not None:
        cell.value = value.replace(tzinfo=None) if isinstance(value, datetime) else value
        cell.number_format = number_format
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        cell.value = value
    else:
        text = xml_text(cell_text(value))
        cell.value = text
        cell.data_type = "s"  # never a formula, whatever it starts with
        cell.number_format = "@"
        if _formula_like(text):
            cell.quotePrefix = True
