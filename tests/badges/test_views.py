"""The organizer's badge page: who may see it, the filter from a link, printing as a PDF download,
bad filter values shown on the form (never a 500, nothing written)."""
from __future__ import annotations

import pytest
import sqlalchemy as sa
from bs4 import BeautifulSoup

from eventsite.audit.models import AuditEntry
from eventsite.badges.models import BadgePrint
from eventsite.delegations.models import Delegate
from eventsite.events.models import Event
from eventsite.extensions import db

from .. import factories
from ..conftest import csrf_token
from .helpers import make_people, page_sizes_mm, pdf_text, qr_texts


def _world(app):
    with app.app_context():
        event, people = make_people(units=2, people=2)
        people[1].status = "pending"
        db.session.commit()
        return event.id, [d.id for d in people]


def _counts():
    return (db.session.scalar(sa.select(sa.func.count()).select_from(BadgePrint)),
            db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry)),
            db.session.scalar(sa.select(sa.func.count()).where(Delegate.badge_code.is_not(None))))


@pytest.mark.both_dbs
def test_organizer_prints_the_event_s_badges_as_a_pdf(app, organizer_client):
    event_id, ids = _world(app)
    page = f"/organizer/events/{event_id}/badges"
    html = organizer_client.get(page).get_data(as_text=True)
    assert "Never printed: 3" in html and f'id="person-{ids[1]}"' not in html  # pending: not admitted
    form = BeautifulSoup(html, "html.parser").find("form", id="badge-form")
    token = form.find("input", attrs={"name": "csrf_token"})["value"]  # in the form, even after a GET
    assert "Card (CR80" in form.get_text() and "Head of delegation" in form.get_text()
    response = organizer_client.post(page, data={"csrf_token": token, "format": "a4-cr80", "print": "1"})
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert page_sizes_mm(response.data) == [(210.0, 297.0)]
    assert len(qr_texts(response.data)) == 3
    with app.app_context():
        assert _counts() == (3, 1, 3)
    html = organizer_client.get(page).get_data(as_text=True)
    assert "Printed: 3" in html


def test_links_select_a_delegation_or_one_person_and_print_what_needs_it(app, organizer_client):
    event_id, ids = _world(app)
    page = f"/organizer/events/{event_id}/badges"
    with app.app_context():
        delegation_id = db.session.get(Delegate, ids[2]).delegation_id
    html = organizer_client.get(f"{page}?delegation={delegation_id}").get_data(as_text=True)
    assert f'id="person-{ids[2]}"' in html and f'id="person-{ids[0]}"' not in html
    html = organizer_client.get(f"{page}?delegate={ids[1]}&status=pending").get_data(as_text=True)
    assert f'id="person-{ids[1]}"' in html and "Only one person is selected." in html
    token = csrf_token(organizer_client, page)
    response = organizer_client.post(page, data={"csrf_token": token, "format": "a6", "delegate": str(ids[0]),
                                                 "print": "1"})
    assert page_sizes_mm(response.data) == [(105.0, 148.0)]
    response = organizer_client.post(page, data={"csrf_token": token, "format": "cr80", "print_pending": "1"})
    assert page_sizes_mm(response.data) == [(85.6, 54.0)] * 2  # the two never printed
    with app.app_context():
        name = db.session.get(Delegate, ids[0]).display_name("en")
        assert name not in pdf_text(response.data)
    response = organizer_client.post(page, data={"csrf_token": token, "format": "cr80", "print_pending": "1"})
    assert response.status_code == 200 and response.mimetype == "text/html"  # nothing left to print
    assert "No badge to print" in response.get_data(as_text=True)


@pytest.mark.parametrize("query", [
    "status=bogus", "role=mayor", "format=a5", "delegation=abc", "delegation=99999999999", "delegate=%C2%B2",
    "delegate=-1", "delegation=%D9%A3", "format=", "status=confirmed&status=<script>",
])
def test_bad_filter_values_are_form_errors(app, organizer_client, query):
    event_id, _ids = _world(app)
    page = f"/organizer/events/{event_id}/badges"
    response = organizer_client.get(f"{page}?{query}")
    assert response.status_code == 200
    assert 'id="person-' not in response.get_data(as_text=True)
    data = dict(pair.split("=") for pair in query.split("&"))
    data = {k: v.replace("%C2%B2", "²").replace("%D9%A3", "٣").replace("%00", "\x00") for k, v in data.items()}
    response = organizer_client.post(page, data={"csrf_token": csrf_token(organizer_client, page), "print": "1",
                                                 "format": "a6", **data})
    assert response.status_code == 200 and response.mimetype == "text/html"
    with app.app_context():
        assert _counts() == (0, 0, 0)


def test_only_organizers_and_admins(app, client, liaison_client, admin_client, login):
    event_id, _ids = _world(app)
    page = f"/organizer/events/{event_id}/badges"
    with app.app_context():
        door = factories.make_user("checkin")
        db.session.commit()
        checkin_client = login(app.test_client(), door)
    for other in (liaison_client, checkin_client):
        assert other.get(page).status_code == 403
        token = csrf_token(other, "/account")
        assert other.post(page, data={"csrf_token": token, "format": "a6", "print": "1"}).status_code == 403
    assert "/login" in client.get(page).headers["Location"]
    assert admin_client.get(page).status_code == 200
    assert admin_client.get("/organizer/events/999999/badges").status_code == 404
    with app.app_context():
        assert _counts() == (0, 0, 0)


def test_event_page_links_to_badges(app, organizer_client):
    event_id, _ids = _world(app)
    html = organizer_client.get(f"/organizer/events/{event_id}").get_data(as_text=True)
    assert f'href="/organizer/events/{event_id}/badges"' in html


def test_page_in_chinese(app, organizer_client):
    event_id, _ids = _world(app)
    organizer_client.post("/language", data={"csrf_token": csrf_token(organizer_client, "/account"), "lang": "zh"})
    html = organizer_client.get(f"/organizer/events/{event_id}/badges", headers={"Accept-Language": "zh"}).get_data(
        as_text=True)
    assert "胸卡" in html and "从未打印" in html and "团长" in html and "A6，每页一个胸卡" in html


def test_page_statements_do_not_grow_with_the_people(app_factory, login):
    from ..conftest import count_statements

    app = app_factory(PAGE_CACHE_SECONDS=0)
    with app.app_context():
        event, _people = make_people(units=1, people=2)
        organizer = factories.make_user("organizer")
        db.session.commit()
        client = login(app.test_client(), organizer)
        engine, event_id, page = db.engine, event.id, f"/organizer/events/{event.id}/badges"
    counts = []
    for more in (0, 5):
        with app.app_context():
            for _ in range(more):
                make_people(db.session.get(Event, event_id), units=2, people=3)
        client.get(page)  # warm
        with count_statements(engine) as seen:
            assert client.get(page).status_code == 200
        counts.append(len(seen))
    assert counts[0] == counts[1], counts


def test_delegation_page_links_to_its_badges_and_each_person_s(app, organizer_client):
    event_id, ids = _world(app)
    with app.app_context():
        delegation_id = db.session.get(Delegate, ids[0]).delegation_id
    html = organizer_client.get(f"/organizer/events/{event_id}/delegations/{delegation_id}").get_data(as_text=True)
    assert f"/organizer/events/{event_id}/badges?delegation={delegation_id}" in html
    assert f"/organizer/events/{event_id}/badges?delegate={ids[1]}&amp;status=pending" in html
