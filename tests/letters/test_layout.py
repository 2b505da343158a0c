"""The printed letter's layout (issue 17, second pass): every page of every language carries the
reference and the verification address in its footer, with a QR code that decodes; each language
starts on its own page; the Chinese table keeps short values on one line. Tried with 1, 3 and 25
people and long positions."""
from __future__ import annotations

import io
import re
from datetime import date

import pypdfium2
import pytest
import zxingcpp
from pypdf import PdfReader

from eventsite.letters import document

URL = "https://events.example.org/letters/verify/" + "Qx7" * 14
LONG_TITLE = "Deputy Director General of the Municipal Bureau of Commerce and Foreign Affairs"
TEXTS = {"en": "We have the honour to invite the delegation of Chengdu to the forum.\n\nThe organizer "
               "covers accommodation and local transport.",
         "zh": "我们荣幸地邀请成都市代表团出席论坛。\n\n主办方承担住宿和当地交通费用。"}


def letter(app, people: int) -> bytes:
    printed = {"texts": TEXTS, "people": [
        {"name": f"ZHANG LONGNAME PERSON {i}", "name_zh": "张三丰", "nationality": "CN",
         "birth_date": "1980-03-04", "passport_number": f"E1234{i:04d}", "passport_expiry": "2034-05-06",
         "title": LONG_TITLE if i % 2 else "Mayor"} for i in range(people)]}
    with app.test_request_context():
        return document.letter_pdf(document.LetterDoc(reference="E12-2026-0007", issued_on=date(2026, 5, 1),
                                                       printed=printed, verify_url=URL))


def page_texts(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def qr_on_page(data: bytes, index: int) -> set[str]:
    pdf = pypdfium2.PdfDocument(data)
    try:
        return {result.text for result in zxingcpp.read_barcodes(pdf[index].render(scale=200 / 72).to_pil())}
    finally:
        pdf.close()


@pytest.mark.parametrize("people", [1, 3, 25])
def test_every_page_carries_the_reference_and_the_verification_address(app, people):
    data = letter(app, people)
    texts = page_texts(data)
    squeezed = [re.sub(r"\s+", "", text) for text in texts]
    for number, text in enumerate(squeezed, 1):
        assert "E12-2026-0007" in text, f"page {number} has no reference"
        assert URL in text, f"page {number} has no verification address"
    zh_pages = [i for i, text in enumerate(texts) if "核验此函" in text]
    en_pages = [i for i, text in enumerate(texts) if "Check this letter" in text]
    # Chinese first, then English, each on pages of its own.
    assert zh_pages and en_pages and max(zh_pages) < min(en_pages)
    assert zh_pages + en_pages == list(range(len(texts)))
    assert "Invitation letter" in texts[en_pages[0]] and "Invitation letter" not in " ".join(texts[:en_pages[0]])
    if people <= 3:
        assert len(texts) == 2  # one page per language: the footer never spills onto a page of its own
    for last in (max(zh_pages), max(en_pages)):
        assert qr_on_page(data, last) == {URL}


def test_the_chinese_table_keeps_short_values_on_one_line(app):
    texts = page_texts(letter(app, 25))
    chinese = "\n".join(text for text in texts if "核验此函" in text)
    lines = chinese.splitlines()
    assert any("中文名称" in line for line in lines) and any("护照有效期" in line for line in lines)
    assert sum("1980年3月4日" in line for line in lines) == 25
    assert sum("2034年5月6日" in line for line in lines) == 25
    assert not any(line.strip() in {"中", "国", "籍"} for line in lines)
