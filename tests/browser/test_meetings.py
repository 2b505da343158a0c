"""Bilateral meetings in a browser, at 375 px, in English and Chinese: liaison A requests a
meeting, liaison B accepts it, A proposes another time and B accepts that too; the outbox holds the
calendar messages (REQUEST, then the same UID with SEQUENCE 1) for both delegations' people, and the
delegate's personal feed carries the meeting."""
from __future__ import annotations

import icalendar
import pytest

from eventsite.calendar.feeds import feed_token
from eventsite.extensions import db
from eventsite.mail.models import OutboxMessage
from eventsite.meetings.models import Meeting

from ..meetings.helpers import forum
from .helpers import Shots, phone_problems
from .test_delegation_form import log_in


def _seed(site, lang):
    with site.app.app_context():
        event, _org, sides, slots, _tables = forum()
        for n, (_unit, delegation, _head, liaison) in enumerate(sides):
            liaison.locale, liaison.email = lang, f"liaison-{n}-{lang}@example.org"
            for person in delegation.delegates:
                person.language = lang
        db.session.commit()
        return {"page": f"/events/{event.id}/meetings", "liaisons": [s[3].email for s in sides],
                "invitee": sides[1][1].id, "slots": [s.id for s in slots], "head": sides[0][2].id,
                "heads": [s[2].email for s in sides]}


def _answer(page, site, ids, action: str):
    page.goto(site.url + ids["page"])
    page.locator(f"#meetings form[action$='/{action}'] button").first.click()
    page.wait_for_load_state()
    assert page.locator(".alert-success").count() >= 1, page.content()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_two_delegations_request_accept_and_reschedule(site, page_factory, lang):
    ids, shots = _seed(site, lang), Shots(site.shots)
    a, b = page_factory(lang, width=375, height=740), page_factory(lang, width=375, height=740)
    log_in(site, a, ids["liaisons"][0])
    log_in(site, b, ids["liaisons"][1])

    a.goto(site.url + ids["page"])
    a.select_option("#invitee", str(ids["invitee"]))
    a.select_option("#slot", str(ids["slots"][0]))
    a.fill("#topic", "Green transport")
    a.check("#interpreter_needed")
    a.locator("form [type=submit][name=submit]").click()
    a.wait_for_load_state()
    assert a.locator("#meetings li").count() == 1
    shots(a, f"meetings-requested-{lang}")
    assert phone_problems(a) == []

    _answer(b, site, ids, "accept")
    shots(b, f"meetings-accepted-{lang}")
    assert phone_problems(b) == []

    a.goto(site.url + ids["page"])
    a.locator("#meetings select[name=slot]").first.select_option(str(ids["slots"][1]))
    a.locator("#meetings form[action$='/propose'] button").first.click()
    a.wait_for_load_state()
    _answer(b, site, ids, "accept")

    with site.app.app_context():
        meeting = db.session.scalar(db.select(Meeting))
        assert meeting.status == "accepted" and meeting.slot_id == ids["slots"][1] and meeting.sequence == 1
        mails = db.session.scalars(db.select(OutboxMessage).where(OutboxMessage.kind == "meeting_calendar")).all()
        for head in ids["heads"]:
            sequences = [icalendar.Calendar.from_ical(m.calendar_ics).walk("VEVENT")[0]["SEQUENCE"]
                         for m in mails if m.to_addr == head]
            assert sequences == [0, 1]
        assert all(m.language == lang for m in mails)
        uid = meeting.uid
        feed = f"/calendar/delegates/{ids['head']}/{feed_token('delegate', ids['head'], 0)}.ics"
    body = site.app.test_client().get(feed).data  # the seeding app's key signs the feed's address
    assert uid in [str(v["UID"]) for v in icalendar.Calendar.from_ical(body).walk("VEVENT")]
