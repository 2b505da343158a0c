"""Reading CSV files as spreadsheets save them: UTF-8 (BOM or not), UTF-16 with BOM (Excel's
"Unicode text"), GB18030 (Excel on Chinese Windows); comma, semicolon or tab; headers in English or
Chinese. The apostrophes our export puts before formula-like segments are removed again."""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from ...core.domain import DomainError
from ...core.gettext import gettext as _
from ...core.spreadsheet import unneutralize
from ..labels import lookup_key, lookup_table

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
        # Control characters mean a binary file (a spreadsheet saved as .xlsx, an image).
        if "\x00" in text or any(ord(ch) < 32 and ch not in "\t\r\n" for ch in text[:4096]):
            break
        return text
    raise DomainError(_("The file could not be read as text. Save it from your spreadsheet as CSV "
                        "(UTF-8 or GB18030) and try again."))


def read_table(data: bytes, aliases: dict[str, tuple[str, ...]]) -> CsvTable:
    """Parse `data` into rows keyed by canonical column name (see `aliases`)."""
    if not data.strip():
        raise DomainError(_("The file is empty."))
    if len(data) > MAX_BYTES:
        raise DomainError(_("The file is too large (at most %(n)d MB).", n=MAX_BYTES // (1024 * 1024)))
    text = decode(data).removeprefix("\ufeff")
    first_line = text.split("\n", 1)[0]
    delimiter = max(DELIMITERS, key=first_line.count)  # the one the header uses most, else a comma
    delimiter = delimiter if first_line.count(delimiter) else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader, None)
        if not header or not any(h.strip() for h in header):
            raise DomainError(_("The file is empty."))
        positions, ignored = _map_header(header, aliases)
        rows = []
        line = reader.line_num + 1
        for cells in reader:
            if any(cell.strip() for cell in cells):
                if len(rows) >= MAX_ROWS:
                    raise DomainError(_("The file has too many rows (at most %(n)d).", n=MAX_ROWS))
                rows.append((line, {name: unneutralize(cells[pos].strip()) if pos < len(cells) else ""
                                    for name, pos in positions.items()}))
            line = reader.line_num + 1
    except csv.Error as error:
        raise DomainError(_("The file is not valid CSV near line %(line)d.", line=reader.line_num)) from error
    if not rows:
        raise DomainError(_("The file has a header line but no rows."))
    return CsvTable(columns=list(positions), rows=rows, ignored=ignored)


def _map_header(header: list[str], aliases: dict[str, tuple[str, ...]]):
    lookup = lookup_table(aliases.items())
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
    return positions, ignored
