"""The printed programme: an A4 PDF of the agenda in both languages, the reader's first, with
Chinese set in an embedded Noto CJK font (WeasyPrint), read back with an independent PDF parser."""
from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import pytest
from pypdf import PdfReader

from eventsite.extensions import db

from .. import factories


@pytest.fixture
def forum(app):
    """A two-day forum in Brussels with a bilingual agenda, one session English only."""
    with app.app_context():
        start = datetime(2031, 5, 12, 7, 0, tzinfo=UTC)  # 09:00 in Brussels (CEST)
        event = factories.make_event(title_en="EU–China Cities Forum", title_zh="中欧城市论坛",
                                     city_en="Brussels", city_zh="布鲁塞尔", venue_name_en="Square Meeting Centre",
                                     venue_name_zh="广场会议中心", country="BE", timezone="Europe/Brussels",
                                     starts_at=start, ends_at=start + timedelta(days=1, hours=9))
        factories.make_session(event, title_en="Opening plenary", title_zh="开幕全体会议",
                               starts_at=start, room_en="Hall A", speakers="Li Na\nJan Peeters")
        factories.make_session(event, title_en="Green ports", title_zh="绿色港口", kind="parallel",
                               track="B", starts_at=start + timedelta(days=1, hours=1))
        factories.make_session(event, title_en="Site visit: Port of Antwerp", title_zh="",
                               starts_at=start + timedelta(days=1, hours=4))
        db.session.commit()
        return event.id


def read(response) -> tuple[str, set[str], int]:
    """(the text, the embedded fonts' names, the page count) of a PDF response."""
    assert response.status_code == 200, response.status_code
    assert response.mimetype == "application/pdf"
    pdf = PdfReader(io.BytesIO(response.data))
    fonts = set()
    for page in pdf.pages:
        for font in page["/Resources"]["/Font"].values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    text = "\n".join(page.extract_text() for page in pdf.pages)
    return " ".join(text.split()), fonts, len(pdf.pages)


def test_the_programme_is_bilingual_with_the_readers_language_first(client, forum):
    text, fonts, pages = read(client.get(f"/events/{forum}/programme.pdf", headers={"Accept-Language": "zh-CN"}))
    assert pages >= 1
    assert any("Noto-Sans-CJK" in name for name in fonts), fonts  # no tofu boxes
    # Chinese first, English under it; the English-only session is shown once, in English.
    assert text.index("中欧城市论坛") < text.index("EU–China Cities Forum")
    assert text.index("开幕全体会议") < text.index("Opening plenary") < text.index("绿色港口")
    assert text.count("Site visit: Port of Antwerp") == 1
    # Days in Chinese, times on the event's own clock, the room, track and speakers.
    assert "2031年5月12日星期一" in text and "2031年5月13日星期二" in text
    assert "09:00" in text and "10:00" in text and "CEST" in text
    assert "广场会议中心" in text and "布鲁塞尔" in text and "Square Meeting Centre" not in text
    assert "Hall A" in text and "Li Na · Jan Peeters" in text and "B" in text
    assert "议程" in text and "1 / 1" in text or f"1 / {pages}" in text


def test_the_other_language_on_request(client, forum):
    text, _fonts, _pages = read(client.get(f"/events/{forum}/programme.pdf?lang=en",
                                           headers={"Accept-Language": "zh-CN"}))
    assert text.index("EU–China Cities Forum") < text.index("中欧城市论坛")
    assert "Monday, May 12, 2031" in text and "Programme" in text
    assert "议程" not in text.split("中欧城市论坛")[0]  # the labels follow the asked language
    # An unknown language is the reader's.
    text, _fonts, _pages = read(client.get(f"/events/{forum}/programme.pdf?lang=fr"))
    assert text.index("EU–China Cities Forum") < text.index("中欧城市论坛")


def test_drafts_have_no_programme_and_the_page_links_it(app, client, forum):
    with app.app_context():
        draft = factories.make_event(status="draft")
        db.session.commit()
        draft_id = draft.id
    assert client.get(f"/events/{draft_id}/programme.pdf").status_code == 404
    assert client.get("/events/999999/programme.pdf").status_code == 404
    page = client.get(f"/events/{forum}").get_data(as_text=True)
    assert f"/events/{forum}/programme.pdf" in page and f"/events/{forum}/programme.pdf?lang=zh" in page


def test_an_event_without_agenda_says_so(app, client):
    with app.app_context():
        event = factories.make_event()
        db.session.commit()
        event_id = event.id
    text, _fonts, _pages = read(client.get(f"/events/{event_id}/programme.pdf"))
    assert "The agenda has not been published yet." in text
    assert f"/events/{event_id}/programme.pdf" not in client.get(f"/events/{event_id}").get_data(as_text=True)
