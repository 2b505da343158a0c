"""Issue 17 (hotels) in a real browser at 375 px, in English and Chinese: the liaison's rooms
page and the delegation page's rooms section, and the delegate's hotel on their personal page,
fit a phone (no sideways scrolling, controls on the screen, card values beside their labels)."""
from __future__ import annotations

import pytest

from ..factories import PASSWORD, make_delegation, make_event, make_unit, make_user
from ..hotels.helpers import make_block, make_hotel
from .helpers import Shots, Texts, phone_problems
from .test_delegation_form import log_in


def seed(site, lang: str) -> dict:
    from eventsite.delegations.notifications import issue_link
    from eventsite.extensions import db
    from eventsite.hotels import services

    with site.app.app_context():
        event = make_event(title_en="Water Forum", title_zh="水务论坛")
        hotel = make_hotel(event, list_language=lang)
        block = make_block(hotel)
        unit = make_unit(name_en="Chengdu", name_zh="成都市")
        liaison = make_user("liaison", unit=unit, email=f"liaison-{lang}@example.org", password=PASSWORD,
                            locale=lang)
        delegation, head = make_delegation(event, unit, people=3)
        organizer = make_user("organizer")
        db.session.commit()
        a, b, _c = delegation.delegates
        services.assign(event, [services.Change(a.id, block.id, mate_id=b.id),
                                services.Change(b.id, block.id, mate_id=a.id)], organizer)
        a.language = lang
        link = issue_link(a)[1]
        db.session.commit()
        return {"event": event.id, "liaison": liaison.email, "path": "/" + link.split("/", 3)[3]}


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_rooms_pages_at_375px(site, page_factory, lang):
    ids, texts, shots = seed(site, lang), Texts(site.app, lang), Shots(site.shots)
    page = page_factory(lang, width=375, height=740)
    log_in(site, page, ids["liaison"])
    page.goto(f"{site.url}/events/{ids['event']}/delegation")
    page.wait_for_load_state("networkidle")
    assert texts("Hotel rooms") in page.locator("#rooms").inner_text()
    assert phone_problems(page) == []
    page.goto(f"{site.url}/events/{ids['event']}/delegation/rooms")
    page.wait_for_load_state("networkidle")
    page.select_option("#rows-2-kind", "none")
    page.locator("button[name=submit]").click()
    page.wait_for_load_state("networkidle")
    assert texts("Your room requests were sent to the secretariat.") in page.content()
    assert page.locator("#rows-2-kind option:checked").inner_text() == texts("No room needed")
    shots(page, "liaison-rooms-375")
    assert phone_problems(page) == []
    personal = page_factory(lang, width=375, height=740)
    personal.goto(site.url + ids["path"])
    personal.wait_for_load_state("networkidle")
    stay = personal.locator("#hotel-stay").inner_text()
    assert texts("Your hotel") in stay and ("大酒店" in stay or "Grand Hotel" in stay)
    shots(personal, "delegate-hotel-375")
    assert phone_problems(personal) == []
