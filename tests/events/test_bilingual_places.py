"""Place names in both languages: the Chinese page of an event in Brussels says 布鲁塞尔, the
English one Brussels; the city filter speaks the reader's language and finds either name; the
organizer's form keeps both; calendar files and mails follow the reader; rows from before the
feature (one language only) still show."""
from __future__ import annotations

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from icalendar import Calendar

from eventsite.events.models import AgendaSession, Event
from eventsite.extensions import db, now_utc
from eventsite.invitations.notifications import event_block

from .. import factories
from ..conftest import csrf_token
from .test_admin_views import event_form

ZH = {"Accept-Language": "zh"}
EN = {"Accept-Language": "en"}


def page(client, url, headers, **query):
    return BeautifulSoup(client.get(url, headers=headers, query_string=query).get_data(as_text=True), "html.parser")


@pytest.fixture
def places(app):
    start = (now_utc() + timedelta(days=20)).replace(minute=0, second=0, microsecond=0)
    with app.app_context():
        brussels = factories.make_event(
            title_en="EU–China Forum", title_zh="中欧论坛", country="BE", timezone="Europe/Brussels",
            city_en="Brussels", city_zh="布鲁塞尔", venue_name_en="Square – Brussels Meeting Centre",
            venue_name_zh="布鲁塞尔Square会议中心", venue_address_en="Mont des Arts", starts_at=start)
        factories.make_session(brussels, room_en="Hemicycle", room_zh="半圆会议厅")
        # As typed before the feature: one language only (the migration put it in its column).
        old = factories.make_event(title_en="Old-style seminar", country="CN", city_en="Chengdu",
                                   venue_name_zh="成都世纪城会议中心", starts_at=start + timedelta(days=1))
        factories.make_event(title_en="Yiwu fair", country="CN", city_en="Yiwu", city_zh="义乌",
                             starts_at=start + timedelta(days=2))
        factories.make_event(title_en="Wuzhen summit", country="CN", city_en="Wuzhen", city_zh="乌镇",
                             starts_at=start + timedelta(days=3))
        db.session.commit()
        return {"brussels": brussels.id, "old": old.id}


def where(soup) -> str:
    """The "Where" of the event's first facts (events/_macros.html when_where: When, then Where)."""
    return " ".join(soup.select("dl dd")[1].get_text(" ", strip=True).split())


def test_chinese_page_of_an_event_in_brussels_says_布鲁塞尔(client, places):
    zh = page(client, f"/events/{places['brussels']}", ZH)
    assert "布鲁塞尔, 比利时" in where(zh) and "布鲁塞尔Square会议中心" in where(zh)
    assert "Brussels" not in where(zh)
    # the address has no Chinese version: shown in English, marked as English
    address = next(s for s in zh.select("dl span[lang]") if s.get_text() == "Mont des Arts")
    assert address["lang"] == "en"
    assert "半圆会议厅" in zh.select_one(".agenda-session").get_text()
    en = page(client, f"/events/{places['brussels']}", EN)
    assert "Brussels, Belgium" in where(en) and "Square – Brussels Meeting Centre" in where(en)
    assert "Hemicycle" in en.select_one(".agenda-session").get_text() and "布鲁塞尔" not in where(en)


def test_rows_with_one_language_show_it_to_every_reader(client, places):
    for headers in (ZH, EN):
        text = where(page(client, f"/events/{places['old']}", headers))
        assert "Chengdu" in text and "成都世纪城会议中心" in text


@pytest.mark.both_dbs
def test_city_filter_lists_cities_in_the_readers_language_and_finds_either_name(client, places):
    zh = page(client, "/events/", ZH)
    # pinyin order: bù, Chengdu (English only), wū, yì
    assert [o["value"] for o in zh.select("#f-city option")] == ["", "布鲁塞尔", "Chengdu", "乌镇", "义乌"]
    en = page(client, "/events/", EN)
    assert [o["value"] for o in en.select("#f-city option")] == ["", "Brussels", "Chengdu", "Wuzhen", "Yiwu"]
    for name in ("布鲁塞尔", "Brussels", "brussels"):
        for headers in (ZH, EN):
            titles = [a.get_text(strip=True) for a in page(client, "/events/", headers, city=name).select(".card-title a")]
            assert len(titles) == 1 and titles[0] in ("中欧论坛", "EU–China Forum")


def test_organizer_form_keeps_both_names_of_each_place(app, organizer_client):
    token = csrf_token(organizer_client, "/organizer/events/new")
    response = organizer_client.post("/organizer/events/new", data=event_form(
        csrf_token=token, city_zh="布鲁塞尔", venue_name_zh="埃格蒙宫", venue_address_zh=""))
    assert response.status_code == 302
    with app.app_context():
        event = db.session.scalar(db.select(Event).filter_by(title_en="Brussels Cities Forum"))
        assert (event.city_en, event.city_zh, event.venue_name_en, event.venue_name_zh) == (
            "Brussels", "布鲁塞尔", "Egmont Palace", "埃格蒙宫")
        event_id = event.id
    form = page(organizer_client, f"/organizer/events/{event_id}/edit", ZH)
    assert form.select_one("#city_zh")["value"] == "布鲁塞尔" and form.select_one("#city_en")["value"] == "Brussels"
    assert "城市（中文）" in form.get_text() and "场地（英文）" in form.get_text()
    # the organizer's event page shows both languages, each marked with its own
    detail = page(organizer_client, f"/organizer/events/{event_id}", EN)
    spans = {s["lang"]: s.get_text() for s in detail.select("dd span[lang]")}
    assert spans["en"] == "Egmont Palace, Place du Petit Sablon 8, Brussels" and spans["zh-Hans"] == "埃格蒙宫, 布鲁塞尔"
    # a room in both languages through the agenda form
    token = csrf_token(organizer_client, f"/organizer/events/{event_id}/agenda")
    response = organizer_client.post(f"/organizer/events/{event_id}/agenda", data={
        "csrf_token": token, "kind": "plenary", "track": "", "title_en": "Opening", "title_zh": "开幕式",
        "starts_at": "2027-03-25T09:00", "ends_at": "2027-03-25T10:30", "room_en": "Hall A", "room_zh": "A厅",
        "speakers": "", "description_en": "", "description_zh": "", "capacity": ""})
    assert response.status_code == 302
    with app.app_context():
        session = db.session.scalar(db.select(AgendaSession).filter_by(event_id=event_id))
        assert (session.room_en, session.room_zh) == ("Hall A", "A厅")


def test_calendar_files_and_mails_give_the_place_in_the_readers_language(app, client, places):
    def location(url, headers=None):
        calendar = Calendar.from_ical(client.get(url, headers=headers or {}).data)
        return {str(c.get("summary")): str(c.get("location")) for c in calendar.walk("VEVENT")}

    zh = location("/calendar/alliance.ics?lang=zh")
    assert zh["中欧论坛"] == "布鲁塞尔Square会议中心, Mont des Arts, 布鲁塞尔, 比利时"
    en = location("/calendar/alliance.ics?lang=en")
    assert en["EU–China Forum"] == "Square – Brussels Meeting Centre, Mont des Arts, Brussels, Belgium"
    sessions = location(f"/events/{places['brussels']}/calendar.ics?sessions=1", ZH)
    assert any(loc.startswith("半圆会议厅, 布鲁塞尔Square会议中心, 布鲁塞尔") for loc in sessions.values())
    with app.test_request_context(), app.app_context():
        event = db.session.get(Event, places["brussels"])
        assert event_block(event, "zh")["place"].endswith("布鲁塞尔, 比利时")
        assert event_block(event, "en")["place"].endswith("Brussels, Belgium")


def test_editing_a_place_name_in_either_language_raises_the_calendar_sequence(app, places):
    from eventsite.events.services import lifecycle

    with app.app_context():
        event = db.session.get(Event, places["brussels"])
        before = event.sequence
        lifecycle.update_event(event, {"city_zh": "布鲁塞尔市"})
        assert event.sequence == before + 1
        lifecycle.update_event(event, {"venue_address_zh": "艺术山"})
        assert event.sequence == before + 2

