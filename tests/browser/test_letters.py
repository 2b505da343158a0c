"""Invitation letters (issue 17) in a real browser: at 375 px in English and Chinese the liaison's
letters page (the request form's checkboxes), the delegate's letters on their personal page and
the public verification page fit a phone; the organizer's list reads at 1280 px; the verification
page passes axe and says valid / replaced / revoked in words, in both languages, without a login."""
from __future__ import annotations

from datetime import date

import pytest

from ..factories import PASSWORD, make_delegation, make_event, make_unit, make_user
from .helpers import Shots, Texts, phone_problems
from .test_accessibility import axe_violations
from .test_delegation_form import log_in

# Buttons whose label wraps (two-character Chinese labels escape helpers.CHARACTER_PER_LINE).
WRAPPED_BUTTONS = """() => Array.from(document.querySelectorAll('main button')).filter(b => {
  const range = document.createRange();
  range.selectNodeContents(b);
  return new Set(Array.from(range.getClientRects()).filter(r => r.width > 0).map(r => Math.round(r.top))).size > 1;
}).map(b => b.textContent.trim())"""


def seed(site, lang: str) -> dict:
    from eventsite.delegations.notifications import issue_link
    from eventsite.extensions import db
    from eventsite.letters import services

    with site.app.app_context():
        event = make_event(title_en="Silk Road Mayors Forum", title_zh="丝路市长论坛")
        unit = make_unit(name_en="Chengdu", name_zh="成都市")
        liaison = make_user("liaison", unit=unit, email=f"liaison-{lang}@example.org", password=PASSWORD,
                            locale=lang)
        organizer = make_user("organizer", email=f"organizer-{lang}@example.org", password=PASSWORD,
                              locale=lang)
        delegation, _head = make_delegation(event, unit, people=5)
        people = sorted(delegation.delegates, key=lambda d: d.position)
        numbers = ("E12345678", "G87654321", "EA1122334", "E99887766")
        for i, (delegate, number) in enumerate(zip(people[:4], numbers, strict=True)):
            delegate.passport_name, delegate.passport_number = f"ZHANG LONGNAME {i}", number
            delegate.nationality = "CN"
            delegate.title = "Deputy Director General of the Municipal Bureau of Foreign Affairs"
            delegate.birth_date, delegate.passport_expiry = date(1980, 3, 4), date(2034, 5, 6)
        people[0].language = lang
        db.session.commit()
        services.request_letters(delegation, [people[0].id, people[1].id], "Plenary", actor=liaison)
        old = services.issue(event, [r.id for r in db.session.scalars(db.select(services.LetterRequest))],
                             actor=organizer)[0]
        people[1].passport_number = "G11111111"
        db.session.commit()
        new = services.reissue(old, actor=organizer)
        services.request_letters(delegation, [people[3].id], "", actor=liaison)
        withdrawn = services.issue(event, [r.id for r in db.session.scalars(db.select(services.LetterRequest).where(
            services.LetterRequest.status == "requested"))], actor=organizer)[0]
        services.revoke(withdrawn, "Sent by mistake", actor=organizer)
        link = issue_link(people[0])[1]
        db.session.commit()
        return {"event": event.id, "liaison": liaison.email, "organizer": organizer.email,
                "path": "/" + link.split("/", 3)[3], "valid": new.token, "replaced": old.token,
                "revoked": withdrawn.token,
                "reference": new.reference}


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_letters_pages_at_375px(site, page_factory, lang):
    ids, texts, shots = seed(site, lang), Texts(site.app, lang), Shots(site.shots)
    page = page_factory(lang, width=375, height=740)
    log_in(site, page, ids["liaison"])
    page.goto(f"{site.url}/events/{ids['event']}/delegation/letters")
    page.wait_for_load_state("networkidle")
    assert ids["reference"] in page.content(), page.locator("main").inner_text()
    boxes = page.locator("input[type=checkbox][name=people]:not([disabled])")
    assert boxes.count() == 2  # the third, the fourth (their letter revoked); the fifth has no passport
    boxes.first.check()
    assert boxes.first.is_checked()
    shots(page, "liaison-letters-375")
    assert phone_problems(page) == []

    personal = page_factory(lang, width=375, height=740)
    personal.goto(site.url + ids["path"])
    personal.wait_for_load_state("networkidle")
    assert ids["reference"] in personal.content()
    shots(personal, "delegate-letters-375")
    assert phone_problems(personal) == []

    public = page_factory(lang, width=375, height=740)
    for state, words in (("valid", "This letter is valid."),
                         ("replaced", "This letter was replaced by a newer letter and is no longer valid."),
                         ("revoked", "This letter was revoked and is no longer valid.")):
        public.goto(f"{site.url}/letters/verify/{ids[state]}")
        public.wait_for_load_state("networkidle")
        body = public.locator("body").inner_text()
        assert words in body and texts(words) in body  # both languages, whatever the browser's
        assert "/login" not in public.url
        shots(public, f"verify-{state}-375")
        assert phone_problems(public) == []
        assert axe_violations(public) == []


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_organizer_letters_list_at_1280px(site, page_factory, lang):
    ids, texts, shots = seed(site, lang), Texts(site.app, lang), Shots(site.shots)
    page = page_factory(lang, width=1280, height=900)
    log_in(site, page, ids["organizer"])
    page.goto(f"{site.url}/organizer/events/{ids['event']}/letters")
    page.wait_for_load_state("networkidle")
    body = page.locator("main").inner_text()
    assert ids["reference"] in body and texts("Invitation letters") in body
    shots(page, "organizer-letters-1280")
    assert phone_problems(page) == []  # the same checks hold on a wide screen
    assert page.evaluate(WRAPPED_BUTTONS) == []  # "撤销" once stood one character a line
    assert axe_violations(page) == []
