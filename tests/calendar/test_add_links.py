""""Add to calendar" links where they work (issue 16): Google and Outlook are offered to the
readers whose language enables them (CALENDAR_LINKS_EN / CALENDAR_LINKS_ZH; by default English
readers only), the .ics download and webcal subscription always; mails carry short site links
(/events/<id>/add/<service>) that redirect to the service's long address, built when clicked."""
from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup

from eventsite.extensions import db
from eventsite.members.audience import Audience

from .. import factories

ZH = {"Accept-Language": "zh-CN,zh;q=0.9"}
SERVICES = {"google": "calendar.google.com", "outlook": "outlook.live.com", "office365": "outlook.office.com"}


def _event(app, **fields) -> tuple[int, str, str]:
    with app.app_context():
        event = factories.make_event(title_en="Open Forum", title_zh="开放论坛", **fields)
        db.session.commit()
        return event.id, f"{event.starts_at:%Y%m%dT%H%M%SZ}/{event.ends_at:%Y%m%dT%H%M%SZ}", event.status


def _hosts(html: str) -> set[str]:
    """The hosts of the external calendar services the page links to."""
    return {urlsplit(a["href"]).hostname for a in BeautifulSoup(html, "html.parser").find_all("a", href=True)
            if urlsplit(a["href"]).hostname in SERVICES.values()}


def test_by_default_english_readers_get_the_services_and_chinese_readers_do_not(app, client):
    event_id, _dates, _status = _event(app)
    english = client.get(f"/events/{event_id}").get_data(as_text=True)
    chinese = client.get(f"/events/{event_id}", headers=ZH).get_data(as_text=True)
    assert _hosts(english) == set(SERVICES.values())
    assert _hosts(chinese) == set()
    for html in (english, chinese):
        assert f"/events/{event_id}/calendar.ics" in html  # the download, always
    listing_en = client.get("/events/").get_data(as_text=True)
    listing_zh = client.get("/events/", headers=ZH).get_data(as_text=True)
    assert "webcal://eventsite.test/calendar/alliance.ics" in listing_en
    assert "webcal://eventsite.test/calendar/alliance.ics?lang=zh" in listing_zh  # subscription, always
    assert _hosts(listing_en) == {"calendar.google.com", "outlook.live.com"} and _hosts(listing_zh) == set()


def test_the_setting_decides_per_language(app_factory):
    app = app_factory(CALENDAR_LINKS_EN="", CALENDAR_LINKS_ZH="google, Office365, nonsense")
    client = app.test_client()
    event_id, _dates, _status = _event(app)
    assert _hosts(client.get(f"/events/{event_id}").get_data(as_text=True)) == set()
    assert _hosts(client.get(f"/events/{event_id}", headers=ZH).get_data(as_text=True)) == {
        "calendar.google.com", "outlook.office.com"}
    assert client.get(f"/events/{event_id}/add/google?lang=en").status_code == 404
    assert client.get(f"/events/{event_id}/add/office365?lang=zh").status_code == 302


def _invite(app, outbox, language: str) -> tuple[int, str, str]:
    from eventsite.invitations.services import issuing
    from eventsite.mail.services import Content

    with app.app_context():
        event = factories.make_event(title_en="Open Forum", title_zh="开放论坛")
        unit = factories.make_unit()
        factories.make_contact(unit, language=language)
        db.session.commit()
        issuing.issue(event, Audience(unit_ids=[unit.id]),
                      Content(subject_en="Invitation: {event}", body_en="{unit}: {link}",
                              subject_zh="邀请：{event}", body_zh="{unit}：{link}"),
                      factories.make_user("organizer"))
        [message] = outbox(kind="invitation")
        return event.id, message.body_text, message.body_html


def test_mails_hold_short_links_for_the_services_of_their_language(app, outbox):
    event_id, text, html = _invite(app, outbox, "en")
    lines = [line for line in text.splitlines() if "/add/" in line]
    assert lines == [f"  Google Calendar: http://eventsite.test/events/{event_id}/add/google?lang=en",
                     f"  Outlook.com: http://eventsite.test/events/{event_id}/add/outlook?lang=en",
                     f"  Microsoft 365: http://eventsite.test/events/{event_id}/add/office365?lang=en"]
    assert max(len(line) for line in text.splitlines()) < 120  # no 400-character addresses
    hrefs = [a["href"] for a in BeautifulSoup(html, "html.parser").find_all("a", href=True) if "/add/" in a["href"]]
    assert hrefs == [f"http://eventsite.test/events/{event_id}/add/{s}?lang=en" for s in SERVICES]


def test_chinese_mails_hold_no_service_links_by_default(app, outbox):
    event_id, text, html = _invite(app, outbox, "zh")
    for body in (text, html):
        assert "/add/" not in body and "calendar.google.com" not in body
    assert "添加到日历：请打开附件。" in text


def test_a_mail_follows_the_setting_of_its_language(app_factory, outbox):
    app = app_factory(CALENDAR_LINKS_ZH="outlook")
    event_id, text, _html = _invite(app, outbox, "zh")
    assert f"http://eventsite.test/events/{event_id}/add/outlook?lang=zh" in text
    assert "/add/google" not in text


@pytest.mark.parametrize("service", list(SERVICES))
def test_the_short_link_redirects_to_the_service_with_the_event(app, client, service):
    event_id, dates, _status = _event(app)
    response = client.get(f"/events/{event_id}/add/{service}?lang=en")
    assert response.status_code == 302
    target = urlsplit(response.headers["Location"])
    assert target.scheme == "https" and target.hostname == SERVICES[service]
    query = parse_qs(target.query)
    start, end = dates.split("/")
    if service == "google":
        assert query["text"] == ["Open Forum"] and query["dates"] == [dates]
    else:
        assert query["subject"] == ["Open Forum"]
        assert query["startdt"][0].replace("-", "").replace(":", "") == start
        assert query["enddt"][0].replace("-", "").replace(":", "") == end
    details = query["details" if service == "google" else "body"][0]
    assert f"http://eventsite.test/events/{event_id}" in details


def test_the_reader_language_decides_without_lang(app_factory):
    app = app_factory(CALENDAR_LINKS_ZH="google")
    client = app.test_client()
    event_id, _dates, _status = _event(app)
    response = client.get(f"/events/{event_id}/add/google", headers=ZH)
    assert response.status_code == 302
    assert parse_qs(urlsplit(response.headers["Location"]).query)["text"] == ["开放论坛"]
    assert client.get(f"/events/{event_id}/add/outlook", headers=ZH).status_code == 404


def test_unknown_services_events_and_hidden_ones_are_not_found(app, client):
    event_id, _dates, _status = _event(app)
    draft_id, _d, _s = _event(app, status="draft")
    for path in (f"/events/{event_id}/add/yahoo", f"/events/{event_id}/add/GOOGLE", f"/events/{event_id}/add/ics",
                 f"/events/{event_id}/add/google?lang=zh", "/events/999999/add/google",
                 f"/events/{draft_id}/add/google"):
        response = client.get(path)
        assert response.status_code == 404, path
