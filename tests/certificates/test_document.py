"""The certificate's PDF read back: two A4 landscape pages (Chinese, then English), each with the
person's name in both scripts, the unit, the event, the number and the verification address,
whose QR code decodes to that address."""
from __future__ import annotations

import io

import pypdfium2
import zxingcpp
from pypdf import PdfReader

from eventsite.certificates import services
from eventsite.extensions import db

from .helpers import ended_event

A4_LANDSCAPE = (841.89, 595.28)  # points


def test_the_pdf_has_a_chinese_and_an_english_landscape_page(app):
    with app.app_context():
        event, came, _away, organizer = ended_event(checked=1, title_zh="城市合作论坛", title_en="City Forum")
        person = came[0]
        person.family_name, person.given_name, person.name_zh = "Zhang", "Wei", "张伟"
        db.session.commit()
        (certificate,) = services.issue_all(event, actor=organizer)
        with app.test_request_context():
            data = services.certificate_pdf(certificate)
            verify_url = services.doc_of(certificate).verify_url
        number = certificate.number

    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 2
    for page in reader.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert abs(width - A4_LANDSCAPE[0]) < 2 and abs(height - A4_LANDSCAPE[1]) < 2
    chinese, english = (" ".join(page.extract_text().split()) for page in reader.pages)
    assert "参会证书" in chinese and "兹证明" in chinese and "城市合作论坛" in chinese and "甲市友协" in chinese
    assert "Certificate of participation" in english and "City Forum" in english
    assert "City A Friendship Association" in english
    for text in (chinese, english):
        assert "张伟" in text and "Wei ZHANG" in text
        assert number in text
        assert "/certificates/verify/" in text

    pdf = pypdfium2.PdfDocument(data)
    try:
        for index in (0, 1):
            found = {r.text for r in zxingcpp.read_barcodes(pdf[index].render(scale=200 / 72).to_pil())}
            assert found == {verify_url}
    finally:
        pdf.close()
