"""At 375 px, in English and Chinese: the delegate's pickup on their personal page and the
pickups on the liaison's receipt read without sideways scrolling (the phone checks of
helpers.py, a real server and Debian's Chromium)."""
from __future__ import annotations

import pytest

from eventsite.core.tokens import new_token
from eventsite.extensions import db
from eventsite.pickups import services

from ..factories import make_user
from ..pickups.helpers import event_with_arrivals, make_run
from .helpers import Shots, phone_problems
from .test_delegation_form import log_in


def _seed(site, lang):
    with site.app.app_context():
        event, organizer, people = event_with_arrivals()
        run = make_run(event, organizer, meeting_point_en="Arrivals hall, meeting point under the big clock, level 0",
                       meeting_point_zh="到达大厅零层大钟下方的集合点", vehicle="Minibus (VW Crafter) 1-ABC-123")
        services.add_passengers(run, [p.id for p in people], organizer)
        raw, digest = new_token()
        people[0].token_hash, people[0].language = digest, lang
        liaison = make_user(role="liaison", unit=people[0].delegation.unit, locale=lang,
                            email=f"liaison-{lang}@example.org")
        db.session.commit()
        return {"page": f"/events/{event.id}/delegate/{raw}", "liaison": liaison.email,
                "receipt": f"/delegations/{people[0].delegation_id}/receipt"}


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_pickups_read_on_a_phone(site, page_factory, lang):
    ids, shots = _seed(site, lang), Shots(site.shots)
    page = page_factory(lang, width=375, height=740)
    page.goto(site.url + ids["page"])
    page.wait_for_load_state("networkidle")
    assert ("到达大厅" if lang == "zh" else "big clock") in page.locator("#my-pickups").inner_text()
    shots(page, f"pickup-personal-{lang}")
    assert phone_problems(page) == []
    log_in(site, page, ids["liaison"])
    page.goto(site.url + ids["receipt"])
    page.wait_for_load_state("networkidle")
    assert page.locator("#delegation-pickups .pickup").count() == 3
    shots(page, f"pickup-receipt-{lang}")
    assert phone_problems(page) == []
