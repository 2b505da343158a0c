"""Reading exported files back the way spreadsheets do, for the export tests: a CSV split on
every delimiter a reader may choose, an XLSX loaded with openpyxl."""
from __future__ import annotations

import csv
import io
import re

from openpyxl import load_workbook

DELIMITERS = (",", ";", "\t", "|")
# What a spreadsheet runs as a formula at the start of a cell (and the full-width forms).
TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
_SEPARATOR = re.compile(r"[;,\t|\r\n]")


def segments(text: str) -> list[str]:
    """Every piece a reader could make a cell of: the raw file split on each possible
    separator, and each cell of a quote-aware parse with each delimiter, split at line breaks;
    leading spaces and quotes removed (readers may trim them, quoting adds them)."""
    pieces = [text[m.end():] if m else text for m in [None, *_SEPARATOR.finditer(text)]]
    for delimiter in DELIMITERS:
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            for cell in row:
                pieces.append(cell)
                pieces += [cell[m.end():] for m in re.finditer(r"[\r\n]", cell)]
    # A piece starting with CR LF is an empty segment ending a line (the writer's record ends).
    pieces = [piece.lstrip(' "') for piece in pieces]
    return [piece for piece in pieces if not piece.startswith("\r\n")]


def assert_no_formula(data: bytes) -> str:
    """The CSV's text, after checking that no cell or segment starts with a trigger."""
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    bad = [piece[:40] for piece in segments(text) if piece.startswith(TRIGGERS)]
    assert not bad, bad
    return text


def read_csv(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(assert_no_formula(data), newline="")))


def load_xlsx(data: bytes):
    """The workbook's first sheet, after checking every cell: no formula, text cells in the Text
    format, formula-like text flagged with Excel's quote prefix (no visible apostrophe)."""
    book = load_workbook(io.BytesIO(data))
    sheet = book.active
    for row in sheet.iter_rows():
        for cell in row:
            assert cell.data_type != "f", cell.coordinate
            if isinstance(cell.value, str):
                assert cell.data_type == "s" and cell.number_format == "@", cell.coordinate
                if cell.value.lstrip(" ").startswith(TRIGGERS):
                    assert cell.quotePrefix, cell.coordinate
    return sheet
