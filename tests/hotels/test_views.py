"""The hotel pages through HTTP: organizers' CRUD and assignment page (every problem in one
submit), the liaison's rooms page (own unit only) and the delegate's personal page."""
from __future__ import annotations

import re

from eventsite.accounts.models import User
from eventsite.delegations.notifications import issue_link
from eventsite.extensions import db
from eventsite.hotels.models import Hotel, RoomAssignment, RoomBlock, RoomRequest

from ..conftest import csrf_token
from ..factories import make_user
from .helpers import setup


def form_data(html: str) -> dict[str, str]:
    """The inputs and selected options of the page's post form, as a browser sends them."""
    start = html.index('<form method="post" novalidate')
    form = html[start:html.index("</form>", start)]
    fields = {}
    for tag in re.findall(r"<input[^>]*>", form):
        name = re.search(r'name="([^"]+)"', tag)
        if name:
            value = re.search(r'value="([^"]*)"', tag)
            fields[name.group(1)] = value.group(1) if value else ""
    for select in re.finditer(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', form, re.S):
        chosen = re.search(r'<option selected value="([^"]*)"|<option value="([^"]*)" selected', select.group(2))
        fields[select.group(1)] = (chosen.group(1) or chosen.group(2)) if chosen else ""
    return fields


def _as(app, login, user_id):
    client = app.test_client()
    with app.app_context():
        login(client, db.session.get(User, user_id))
    return client


def _prepared(app, login, **kwargs):
    with app.app_context():
        event, hotel, block, people, organizer = setup(**kwargs)
        liaison = db.session.scalars(db.select(User).filter_by(role="liaison")).first()
        ids = {"event": event.id, "hotel": hotel.id, "block": block.id, "people": [p.id for p in people],
               "organizer": organizer.id, "liaison": liaison.id}
    return ids


def test_hotel_and_block_forms_show_every_problem_in_one_submit(app, login):
    ids = _prepared(app, login)
    client = _as(app, login, ids["organizer"])
    url = f"/organizer/events/{ids['event']}/hotels/new"
    token = csrf_token(client, url)
    page = client.post(url, data={"csrf_token": token, "name_en": "", "name_zh": "", "email": "not an address",
                                  "list_language": "en"}).get_data(as_text=True)
    assert "Give the hotel&#39;s name in English or in Chinese." in page and "is-invalid" in page
    assert page.count("invalid-feedback") >= 2
    response = client.post(url, data={"csrf_token": token, "name_en": "Lakeside", "name_zh": "湖滨饭店",
                                      "list_language": "en"})
    assert response.status_code == 302
    with app.app_context():
        hotel = db.session.scalars(db.select(Hotel).filter_by(name_en="Lakeside")).one()
        hotel_id = hotel.id
    url = f"/organizer/events/{ids['event']}/hotels/{hotel_id}/blocks/new"
    page = client.post(url, data={"csrf_token": token, "room_type_en": "", "beds": "1", "rooms": "3",
                                  "check_in": "2030-05-12", "check_out": "2030-05-10"}).get_data(as_text=True)
    assert "Give the room type in English or in Chinese." in page and "Check-out must be after check-in." in page
    assert client.post(url, data={"csrf_token": token, "room_type_en": "King", "beds": "1", "rooms": "3",
                                  "check_in": "2030-05-10", "check_out": "2030-05-12"}).status_code == 302
    index = client.get(f"/organizer/events/{ids['event']}/hotels").get_data(as_text=True)
    assert "Lakeside" in index and "King" in index and "0 / 3" in index


def test_assignment_page_assigns_and_refuses_overfill(app, login, outbox):
    ids = _prepared(app, login, people=3, rooms=2, beds=1)
    client = _as(app, login, ids["organizer"])
    url = f"/organizer/events/{ids['event']}/rooms"
    page = client.get(url).get_data(as_text=True)
    data = form_data(page)
    for n in range(3):
        data[f"rows-{n}-block"] = str(ids["block"])
    page = client.post(url, data=data).get_data(as_text=True)
    assert "No room is free in this block." in page
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(RoomAssignment.id))) == 0
    data["rows-2-block"] = ""
    response = client.post(url, data=data)
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(RoomBlock, ids["block"]).rooms_used == 2
        assert len(outbox(kind="room_notice")) == 2
    page = client.get(url).get_data(as_text=True)
    assert "2 used, 0 free of 2; 2 guests" in page


def test_liaison_requests_rooms_and_sees_the_assignment(app, login):
    ids = _prepared(app, login, people=2)
    a, b = ids["people"]
    with app.app_context():
        from eventsite.events.models import Event
        from eventsite.hotels import services

        services.assign(db.session.get(Event, ids["event"]), [services.Change(a, ids["block"])],
                        db.session.get(User, ids["organizer"]))
    client = _as(app, login, ids["liaison"])
    url = f"/events/{ids['event']}/delegation/rooms"
    page = client.get(url).get_data(as_text=True)
    assert "Grand Hotel" in page and "Not yet" in page
    data = form_data(page)
    data |= {"rows-0-kind": "single", "rows-1-kind": "share", "rows-1-share_with": ""}
    page = client.post(url, data=data).get_data(as_text=True)
    assert "Choose the member of your delegation to share the room with." in page
    data |= {"rows-1-share_with": str(a), "rows-1-note": "Non-smoking"}
    assert client.post(url, data=data).status_code == 302
    with app.app_context():
        request = db.session.scalars(db.select(RoomRequest).filter_by(delegate_id=b)).one()
        assert (request.kind, request.share_with_id, request.note) == ("share", a, "Non-smoking")
    # The delegation page has the rooms section.
    page = client.get(f"/events/{ids['event']}/delegation").get_data(as_text=True)
    assert 'id="rooms"' in page and "Grand Hotel" in page
    # The organizer sees the request on the assignment page.
    page = _as(app, login, ids["organizer"]).get(f"/organizer/events/{ids['event']}/rooms").get_data(as_text=True)
    assert "Non-smoking" in page


def test_without_requests_the_form_starts_from_what_was_assigned(app, login):
    """A liaison who never asked sees the rooms given (a shared room: "share" with the roommate,
    a room alone: "single", nothing: the first choice), so saving unchanged asks for no change."""
    ids = _prepared(app, login, people=3)
    a, b, _c = ids["people"]
    with app.app_context():
        from eventsite.events.models import Event
        from eventsite.hotels import services

        services.assign(db.session.get(Event, ids["event"]),
                        [services.Change(a, ids["block"], mate_id=b), services.Change(b, ids["block"], mate_id=a)],
                        db.session.get(User, ids["organizer"]))
    data = form_data(_as(app, login, ids["liaison"]).get(f"/events/{ids['event']}/delegation/rooms").get_data(as_text=True))
    assert (data["rows-0-kind"], data["rows-0-share_with"]) == ("share", str(b))
    assert (data["rows-1-kind"], data["rows-1-share_with"]) == ("share", str(a))
    assert data["rows-2-share_with"] == ""


def test_another_units_liaison_sees_nothing(app, login):
    ids = _prepared(app, login, people=2)
    with app.app_context():
        from ..factories import make_unit

        other = make_user(role="liaison", unit=make_unit())
        db.session.commit()
        other_id = other.id
    client = _as(app, login, other_id)
    response = client.get(f"/events/{ids['event']}/delegation/rooms")
    assert response.status_code == 404 and "Grand Hotel" not in response.get_data(as_text=True)
    assert client.get(f"/organizer/events/{ids['event']}/hotels").status_code == 403
    assert client.get(f"/organizer/events/{ids['event']}/rooms").status_code == 403


def test_the_delegate_sees_hotel_dates_and_roommate(app, login):
    ids = _prepared(app, login, people=2)
    a, b = ids["people"]
    with app.app_context():
        from eventsite.delegations.models import Delegate
        from eventsite.events.models import Event
        from eventsite.hotels import services

        services.assign(db.session.get(Event, ids["event"]),
                        [services.Change(a, ids["block"], mate_id=b), services.Change(b, ids["block"], mate_id=a)],
                        db.session.get(User, ids["organizer"]))
        delegate = db.session.get(Delegate, a)
        mate_name = db.session.get(Delegate, b).display_name("zh")
        link = issue_link(delegate)[1]
        db.session.commit()
    page = app.test_client().get(link.split("localhost", 1)[-1] if "localhost" in link else link)
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and 'id="hotel-stay"' in html
    assert "大酒店" in html or "Grand Hotel" in html
    assert ("May 10" in html or "5月10日" in html) and mate_name.split()[0] in html  # core.timefmt.day_span


def test_a_bad_date_and_a_broken_rule_show_together(app, login):
    ids = _prepared(app, login, people=2, rooms=2, beds=1)
    client = _as(app, login, ids["organizer"])
    url = f"/organizer/events/{ids['event']}/rooms"
    data = form_data(client.get(url).get_data(as_text=True))
    data |= {"rows-0-block": str(ids["block"]), "rows-0-check_in": "not a date",
             "rows-1-block": str(ids["block"]), "rows-1-mate": str(ids["people"][0])}
    page = client.post(url, data=data).get_data(as_text=True)
    assert "Not a valid date value." in page
    assert "This block has single rooms: choose a block of shared rooms." in page
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(RoomAssignment.id))) == 0
