"""core/spreadsheet.py: formula triggers neutralized at the start of every segment a spreadsheet
may split a CSV cell on, reversibly; XLSX files that open whatever the text (sheet titles too)."""
from __future__ import annotations

import io
import warnings
from datetime import date, time

from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from eventsite.core.spreadsheet import neutralize, sheet_title, unneutralize, write_csv, write_xlsx

from ..spreadsheet_checks import assert_no_formula, load_xlsx, read_csv

# Text made of what matters here: separators, triggers, spaces, quotes, apostrophes, letters.
TRICKY = st.text(alphabet=st.sampled_from(list(";,\t|\r\n=+-@ \"'x1成＝＋－＠")), max_size=30)


def test_segments_after_any_separator_are_neutralized():
    assert neutralize("Vegetarian please;=2+3") == "Vegetarian please;'=2+3"
    assert neutralize("a,+1|-2\t@3\n=4\r=5") == "a,'+1|'-2\t'@3\n'=4\r'=5"
    assert neutralize('x; "=1') == "x; \"'=1"  # after spaces and quotes
    assert neutralize("a;\tb") == "a;'\tb"  # a tab starting a segment is a trigger itself
    assert neutralize("素食;＝1+1") == "素食;'＝1+1"
    assert neutralize("'=1") == "''=1"  # one more apostrophe, so reading back is exact


def test_normal_values_stay_readable():
    assert neutralize("+86 28 1234") == "'+86 28 1234"  # shown with the apostrophe in CSV
    assert neutralize("028-8765 4321") == "028-8765 4321"
    assert neutralize("a-b, c=d; e+f") == "a-b, c=d; e+f"
    assert neutralize("成都") == "成都" and neutralize(3) == "3" and neutralize(None) == ""
    assert neutralize(date(2030, 4, 2)) == "2030-04-02" and neutralize(time(9, 5)) == "09:05"


@settings(max_examples=300, deadline=None)
@given(TRICKY)
def test_neutralize_is_safe_and_reversible(text):
    assert unneutralize(neutralize(text)) == text
    assert_no_formula(write_csv(["h"], [[text, text]]))


def test_csv_read_back_with_every_delimiter():
    values = ["Vegetarian please;=2+3", 'no "nuts", =HYPERLINK("http://evil.example")',
              "line one\n@SUM(A1)", "x|-1", "a\r\n+1"]
    table = read_csv(write_csv(["=header"], [values]))
    assert [unneutralize(cell) for cell in table[1]] == values


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=60))
def test_any_sheet_title_gives_a_workbook_that_opens(title):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # openpyxl warns about titles Excel refuses
        data = write_xlsx(title, ["h"], [["v"]], fallback_title="Delegates")
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet.title == sheet_title(title, "Delegates")
    assert 0 < len(sheet.title.encode("utf-16-le")) <= 62
    assert not any(ch in sheet.title for ch in "[]:*?/\\") and sheet.title[0] != "'"


def test_sheet_title_rules():
    assert sheet_title("Urban\x01 Forum\x0b: 2030/31", "D") == "Urban Forum 2030 31"
    assert sheet_title("\x00\x1f", "Delegates") == "Delegates"
    assert sheet_title("'History'", "Delegates") == "Delegates"
    assert sheet_title("城" * 40, "D") == "城" * 31
    assert sheet_title("😀" * 20, "D") == "😀" * 15  # 31 UTF-16 units at most


def test_xlsx_cells_are_typed_and_inert():
    row = ["=HYPERLINK(\"http://evil.example/\")", "+86 28 1234", "-1", "bad\x01\ufffechar",
           date(2030, 4, 2), time(0, 30), 7]
    sheet = load_xlsx(write_xlsx("t", ["a", "b", "c", "d", "e", "f", "g"], [row]))
    cells = list(sheet.iter_rows(min_row=2))[0]
    assert [c.value for c in cells[:4]] == [row[0], "+86 28 1234", "-1", "badchar"]
    assert cells[1].quotePrefix and not cells[3].quotePrefix
    assert cells[4].is_date and cells[4].value.date() == date(2030, 4, 2)
    assert cells[5].value == time(0, 30) and cells[5].number_format == "hh:mm"
    assert cells[6].value == 7
    assert not any(str(c.value).startswith("'") for c in cells)
