"""Reading badge PDFs back: text (pypdf), page sizes, and every QR code on the rendered pages
(pypdfium2 renders, zxing-cpp decodes)."""
from __future__ import annotations

import io

import pypdfium2
import zxingcpp
from pypdf import PdfReader

from eventsite.extensions import db

from .. import factories

MM = 72 / 25.4


def pdf_text(data: bytes) -> str:
    return " ".join("\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).split())


def page_sizes_mm(data: bytes) -> list[tuple[float, float]]:
    return [(round(float(p.mediabox.width) / MM, 1), round(float(p.mediabox.height) / MM, 1))
            for p in PdfReader(io.BytesIO(data)).pages]


def qr_texts(data: bytes, dpi: int = 200) -> list[str]:
    """Every QR code on every page, page by page."""
    found = []
    pdf = pypdfium2.PdfDocument(data)
    for page in pdf:
        image = page.render(scale=dpi / 72).to_pil()
        found += [result.text for result in zxingcpp.read_barcodes(image)]
    pdf.close()
    return found


def make_people(event=None, units: int = 1, people: int = 2):
    """An event and `units` delegations of `people` confirmed delegates each; (event, delegates)."""
    event = event or factories.make_event(title_en="Mayors Forum", title_zh="市长论坛")
    delegates = []
    for _ in range(units):
        unit = factories.make_unit()
        delegation, head = factories.make_delegation(event, unit, people=people)
        delegates += list(delegation.delegates)
    db.session.commit()
    return event, delegates
