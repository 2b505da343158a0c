"""`flask demo load` leaves one issued invitation letter on the flagship forum, which verifies and
prints on one page per language (its footer once spilled onto a third page)."""
from __future__ import annotations

import io

from pypdf import PdfReader

from eventsite.core.masking import mask_passport
from eventsite.extensions import db
from eventsite.letters import services
from eventsite.letters.models import Letter


def test_the_demo_has_an_issued_letter(app, runner):
    result = runner.invoke(args=["demo", "load", "--password", "demo-pass-123"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        letter = db.session.scalars(db.select(Letter)).one()
        assert letter.status == "valid" and len(letter.people) >= 2
        assert letter.event.title_en == "EU–China Urbanization Partnership Forum"
        token = letter.token
        numbers = [p.passport_number for p in letter.delegation.delegates if p.passport_number]
        with app.test_request_context():
            assert len(PdfReader(io.BytesIO(services.letter_pdf(letter))).pages) == 2
    html = app.test_client().get(f"/letters/verify/{token}").get_data(as_text=True)
    assert "This letter is valid." in html and len(numbers) >= 2
    assert all(mask_passport(n) in html and n not in html for n in numbers[:2])
