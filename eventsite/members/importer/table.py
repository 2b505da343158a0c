"""Reading CSV files as spreadsheets save them: UTF-8 (BOM or not), UTF-16 with BOM (Excel's
"Unicode text"), GB18030 (Excel on Chinese Windows); comma, semicolon or tab; headers in English or
Chinese. The apostrophes our export puts before formula-like segments are removed again."""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from flask_babel import gettext as _

from ...core.domain import DomainError
from ...core.spreadsheet import unneutralize
from ..labels import lookup_key

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000
DELIMITERS = (",", ";", "\t")


@dataclass
class CsvTable:
    columns: list[str]  # canonical names of the recognized columns, in file order
    rows: list[tuple[int, dict[str, str]]]  # (line number of the row's first line, values)
    ignored: list[str] = field(default_factory=list)  # headers we did not recognize


def decode(data: bytes) -> str:
    """Text from the bytes of an uploaded file, or DomainError for anything that is not text."""
    if data.startswith(b"\xef\xbb\xbf"):
        candidates = ("utf-8-sig",)
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates = ("utf-16",)
    else:
        candidates = ("utf-8", "gb18030")
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _looks_binary(text):
            break
        return text
    raise DomainError(
        _("The file could not be read as text. Save it from your spreadsheet as CSV "
          "(UTF-8 or GB18030) and try again.")
    )


def _looks_binary(text: str) -> bool:
    sample = text[:4096]
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\t\r\n")
    return "\x00" in text or controls > 0


def sniff_delimiter(header_line: str) -> str:
    counts = {d: header_line.count(d) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def clean_cell(value: str) -> str:
    """Strip spaces, and the apostrophes our export put in front of formula-like segments."""
    return unneutralize(value.strip())


def read_table(data: bytes, aliases: dict[str, tuple[str, ...]]) -> CsvTable:
    """Parse `data` into rows keyed by canonical column name (see `aliases`)."""
    if not data.strip():
        raise DomainError(_("The file is empty."))
    if len(data) > MAX_BYTES:
        raise DomainError(_("The file is too large (at most %(n)d MB).", n=MAX_BYTES // (1024 * 1024)))
    text = decode(data)
    if text.startswith("\ufeff"):
        text = text[1:]
    first_line = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(first_line))
    try:
        header = next(reader, None)
        if not header or not any(h.strip() for h in header):
            raise DomainError(_("The file is empty."))
        columns, positions, ignored = _map_header(header, aliases)
        rows = []
        line = reader.line_num + 1
        for cells in reader:
            if any(cell.strip() for cell in cells):
                if len(rows) >= MAX_ROWS:
                    raise DomainError(_("The file has too many rows (at most %(n)d).", n=MAX_ROWS))
                values = {
                    name: clean_cell(cells[pos]) if pos < len(cells) else ""
                    for name, pos in positions.items()
                }
                rows.append((line, values))
            line = reader.line_num + 1
    except csv.Error as error:
        raise DomainError(_("The file is not valid CSV near line %(line)d.", line=reader.line_num)) from error
    if not rows:
        raise DomainError(_("The file has a header line but no rows."))
    return CsvTable(columns=columns, rows=rows, ignored=ignored)


def _map_header(header: list[str], aliases: dict[str, tuple[str, ...]]):
    lookup = {lookup_key(spelling): name for name, spellings in aliases.items()
              for spelling in (name, *spellings)}
    columns: list[str] = []
    positions: dict[str, int] = {}
    ignored: list[str] = []
    for pos, raw in enumerate(header):
        title = raw.strip().lstrip("\ufeff")
        name = lookup.get(lookup_key(title))
        if name is None:
            if title:
                ignored.append(title[:50])
            continue
        if name in positions:
            raise DomainError(_("The column %(name)s appears twice in the header.", name=title[:50]))
        positions[name] = pos
        columns.append(name)
    return columns, positions, ignored
