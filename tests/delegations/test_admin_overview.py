"""The organizer's overview of an event's delegations: counts, filters, totals, the waiting list,
a constant number of statements, and who may see it."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest
from bs4 import BeautifulSoup

from eventsite.delegations import queries as overview
from eventsite.events.models import Event
from eventsite.extensions import db

from .. import factories
from ..conftest import count_statements
from .admin_seed import make_delegation

# The queries (GROUP BY, FILTER, LIKE escapes, row locks) must work on both databases.
pytestmark = pytest.mark.both_dbs

UTC = timezone.utc


def seed(app):
    """Three delegations of one event (capacity 3), one of another event."""
    with app.app_context():
        event = factories.make_event(capacity=3, timezone="Asia/Shanghai")
        chengdu = factories.make_unit(name_zh="成都市", name_en="Chengdu")
        milan = factories.make_unit(kind="foreign_city", name_zh="米兰", name_en="Milan_100%", country="IT",
                                    province="Lombardy")
        yiwu = factories.make_unit(kind="county_city", name_zh="义乌市", name_en="Yiwu")
        make_delegation(event, chengdu, "confirmed", [
            {"family_name": "Wang", "given_name": "Wei", "name_zh": "王伟", "dietary": "Vegetarian ",
             "arrival_at": datetime(2030, 5, 1, 17, 0, tzinfo=UTC),  # May 2, 01:00 in Shanghai
             "departure_at": datetime(2030, 5, 4, 2, 0, tzinfo=UTC)},
            {"family_name": "Li", "given_name": "Na", "role": "interpreter", "dietary": "vegetarian",
             "accessibility": "Wheelchair access", "arrival_at": datetime(2030, 5, 2, 3, 0, tzinfo=UTC)},
            {"family_name": "Zhao", "role": "member", "status": "waitlisted", "dietary": "无"},
        ])
        make_delegation(event, milan, "confirmed", [
            {"family_name": "Rossi", "given_name": "Mario", "dietary": "VEGETARIAN"},
            {"family_name": "Bianchi", "role": "press", "status": "waitlisted", "dietary": "Halal"},
            {"family_name": "Gone", "role": "member", "status": "declined", "dietary": "Kosher"},
        ])
        make_delegation(event, yiwu, "submitted", [{"name_zh": "陈静", "family_name": "", "dietary": "none"}])
        other = factories.make_event()
        make_delegation(other, factories.make_unit(name_en="Elsewhere"), "confirmed",
                        [{"family_name": "Outsider"}])
        db.session.commit()
        return event.id, other.id


def page(client, event_id, **args):
    response = client.get(f"/organizer/events/{event_id}/delegations", query_string=args)
    assert response.status_code == 200
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def texts(soup, selector):
    return [" ".join(el.get_text(" ", strip=True).split()) for el in soup.select(selector)]


def test_overview_counts_table_totals_and_waitlist(app, organizer_client):
    event_id, _other = seed(app)
    soup = page(organizer_client, event_id)
    assert "Confirmed: 2" in texts(soup, "#count-delegations li")
    assert "Submitted (awaiting approval): 1" in texts(soup, "#count-delegations li")
    delegates = texts(soup, "#count-delegates li")
    assert {"Confirmed: 3", "Waiting list: 2", "Pending approval: 1", "Declined: 1"} <= set(delegates)
    assert texts(soup, "#count-seats") == ["3 of 3 taken, 0 left"]

    rows = soup.select("#delegations tbody tr")
    assert [r.td.get_text(" ", strip=True).split()[0] for r in rows] == ["Chengdu", "Yiwu", "Milan_100%"]
    first_people = texts(rows[0], "li")
    assert first_people[0].startswith("Wei WANG") and "Head of delegation" in first_people[0]
    assert "Outsider" not in soup.get_text()  # another event's people never show

    roles = {tr.th.get_text(strip=True): [td.get_text(strip=True) for td in tr.select("td")]
             for tr in soup.select("#totals-role tbody tr")}
    assert roles["Head of delegation"] == ["2", "0", "1"]  # confirmed, waiting, pending
    assert roles["Interpreter"] == ["1", "0", "0"]
    assert roles["Press"] == ["0", "1", "0"]
    assert texts(soup, "#totals-role tfoot td") == ["6"]  # the declined person is not counted

    dietary = {tr.select("td")[0].get_text(strip=True): tr.select("td")[1].get_text(strip=True)
               for tr in soup.select("#totals-dietary tr")}
    assert dietary == {"Vegetarian": "3", "Halal": "1"}  # "无", "none" and the declined "Kosher" left out

    days = [[td.get_text(strip=True) for td in tr.select("td")] for tr in soup.select("#totals-days tbody tr")]
    assert [d[1:] for d in days] == [["2", "0"], ["0", "1"]]  # both arrivals on May 2 in Shanghai
    assert "May 2, 2030" in days[0][0] and "May 4, 2030" in days[1][0]
    assert texts(soup, "#totals-accessibility li") == ["Na LI (Chengdu): Wheelchair access"]

    waitlist = texts(soup, "#waitlist li")
    assert [w.split(" (")[0] for w in waitlist] == ["ZHAO", "BIANCHI"]


def test_filters(app, organizer_client):
    event_id, _other = seed(app)

    def units(**args):
        return [r.td.get_text(" ", strip=True).split()[0] for r in page(organizer_client, event_id, **args)
                .select("#delegations tbody tr") if r.td.get("colspan") is None]

    assert units(status="submitted") == ["Yiwu"]
    assert units(status="bogus") == ["Chengdu", "Yiwu", "Milan_100%"]  # unknown filters not applied
    assert units(kind="foreign_city") == ["Milan_100%"]
    assert units(q="chengdu") == ["Chengdu"]
    assert units(q="成都") == ["Chengdu"]
    assert units(q="bianchi") == ["Milan_100%"]  # a person's name finds the delegation
    assert units(q="陈静") == ["Yiwu"]
    assert units(q="_100%") == ["Milan_100%"]  # wildcards are literal
    assert units(q="%") == ["Milan_100%"]
    assert units(q="nobody") == []
    # Totals follow the filters.
    soup = page(organizer_client, event_id, status="submitted")
    assert texts(soup, "#totals-role tfoot td") == ["1"]
    # The export links keep the filters.
    link = soup.find("a", string="Export CSV")["href"]
    assert "status=submitted" in link


def test_overview_statement_count_does_not_grow(app, organizer_client):
    with app.app_context():
        event = factories.make_event(capacity=200)
        db.session.commit()
        event_id = event.id

    def count(n_delegations: int) -> int:
        with app.app_context():
            current = db.session.get(Event, event_id)
            for i in range(n_delegations):
                make_delegation(current, status="confirmed" if i % 2 else "submitted", people=[
                    {"family_name": f"F{i}", "dietary": "vegan", "accessibility": "ramp",
                     "arrival_at": datetime(2030, 5, 1, 8, tzinfo=UTC)},
                    {"family_name": f"G{i}", "status": "waitlisted" if i % 2 else "pending"},
                ])
            db.session.commit()
            engine = db.engine
        with count_statements(engine) as statements:
            assert organizer_client.get(f"/organizer/events/{event_id}/delegations").status_code == 200
        return len(statements)

    few = count(2)
    assert count(20) == few
    assert few <= 10


def test_need_key():
    assert overview.need_key("  Vegetarian\t ") == overview.need_key("vegetarian")
    assert overview.need_key("No  pork") == "no pork"


@pytest.mark.parametrize("path", ["", ".csv", ".xlsx", "/1"])
def test_liaison_and_anonymous_refused(app, client, liaison_client, path):
    event_id, _other = seed(app)
    url = f"/organizer/events/{event_id}/delegations{path}"
    assert liaison_client.get(url).status_code == 403
    response = client.get(url)
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_delegation_of_another_event_is_not_found(app, organizer_client):
    event_id, other_id = seed(app)
    with app.app_context():
        from eventsite.delegations.models import Delegation

        foreign = db.session.scalar(db.select(Delegation).filter_by(event_id=other_id))
        own = db.session.scalar(db.select(Delegation).filter_by(event_id=event_id))
        foreign_id, own_id = foreign.id, own.id
    assert organizer_client.get(f"/organizer/events/{event_id}/delegations/{foreign_id}").status_code == 404
    assert organizer_client.get(f"/organizer/events/{event_id}/delegations/{own_id}").status_code == 200
    assert organizer_client.get(f"/organizer/events/{event_id}/delegations/{2**40}").status_code == 404
    assert organizer_client.get(f"/organizer/events/{2**40}/delegations").status_code == 404
