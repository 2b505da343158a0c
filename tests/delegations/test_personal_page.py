"""The delegate's personal page, opened with the link from their own mail: see, correct, choose
sessions, decline (the seat goes to the first waiting), and nothing for a wrong link."""
from __future__ import annotations

import re
from datetime import datetime, timedelta
from urllib.parse import urlsplit

import pytest

from eventsite.audit.models import AuditEntry
from eventsite.delegations.models import Delegate
from eventsite.events.models import Event
from eventsite.extensions import db, now_utc
from eventsite.mail.worker import send_pending

from .. import factories
from .admin_seed import personal_link, register

# The queries (GROUP BY, FILTER, LIKE escapes, row locks) must work on both databases.
pytestmark = pytest.mark.both_dbs


def seed(app, **event_fields):
    """Capacity 2: Wang and Li (Chengdu) hold the seats, Rossi (Milan) waits; all have email."""
    with app.app_context():
        event = factories.make_event(capacity=2, timezone="Europe/Brussels", title_en="Urban Forum",
                                     title_zh="城市论坛", **event_fields)
        choose = factories.make_session(event, title_en="Site visit", delegates_choose=True)
        chengdu = factories.make_unit(name_zh="成都市", name_en="Chengdu")
        milan = factories.make_unit(name_zh="米兰", name_en="Milan", kind="foreign_city", country="IT")
        first = register(event, chengdu, [
            {"family_name": "Wang", "given_name": "Wei", "email": "wang@example.org", "language": "zh",
             "mobile": "+86 138"},
            {"family_name": "Li", "email": "li@example.org", "language": "en", "dietary": "Halal"},
        ])
        second = register(event, milan, [{"family_name": "Rossi", "email": "rossi@example.org", "language": "en"}])
        db.session.commit()
        return {"event": event.id, "session": choose.id, "wang": first.delegates[0].id,
                "li": first.delegates[1].id, "rossi": second.delegates[0].id}


def status(app, delegate_id):
    with app.app_context():
        return db.session.get(Delegate, delegate_id).status


def test_page_shows_the_own_registration_only(app, client, outbox):
    ids = seed(app)
    with app.app_context():
        wang_link = personal_link(outbox, "wang@example.org")
    response = client.get(wang_link)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    html = response.get_data(as_text=True)
    assert "Urban Forum" in html and "城市论坛" in html and "Chengdu" in html
    assert "You have a seat at this event." in html
    assert 'value="Wang"' in html and 'value="+86 138"' in html
    assert "Site visit" in html and "Europe/Brussels" in html
    # Another delegate's data (even of the same delegation) never shows.
    assert "li@example.org" not in html and "Halal" not in html and "Rossi" not in html
    assert 'name="role"' not in html  # the role is the liaison's to set
    # Li's link (a different token) opens Li's page, which in turn does not show Wang.
    with app.app_context():
        li_html = client.get(personal_link(outbox, "li@example.org")).get_data(as_text=True)
    assert "Halal" in li_html and "+86 138" not in li_html and 'value="Wang"' not in li_html
    # The waiting delegate sees their place in the queue.
    with app.app_context():
        rossi_html = client.get(personal_link(outbox, "rossi@example.org")).get_data(as_text=True)
    assert "number 1 on the waiting list" in rossi_html
    assert ids["rossi"]


@pytest.mark.parametrize("bad", ["wrong-event", "unknown", "long", "huge-event"])
def test_bad_links_reveal_nothing(app, client, outbox, bad):
    seed(app)
    with app.app_context():
        other = factories.make_event()
        db.session.commit()
        other_id = other.id
        path = personal_link(outbox, "wang@example.org")
    event_id, token = re.match(r"/events/(\d+)/delegate/(.+)", path).groups()
    target = {
        "wrong-event": f"/events/{other_id}/delegate/{token}",
        "unknown": f"/events/{event_id}/delegate/{'x' * 43}",
        "long": f"/events/{event_id}/delegate/{'x' * 5000}",
        "huge-event": f"/events/{2**40}/delegate/{token}",
    }[bad]
    response = client.get(target)
    assert response.status_code == 404
    assert response.headers["Cache-Control"] == "no-store"
    html = response.get_data(as_text=True)
    assert "This link does not work" in html and 'lang="zh-Hans"' in html
    assert "Wang" not in html and "Urban Forum" not in html
    assert client.post(target + "/decline", data={"confirm": "yes"}).status_code in (400, 404)


def test_correct_own_details_and_choose_sessions(app, client, outbox):
    ids = seed(app)
    with app.app_context():
        path = personal_link(outbox, "wang@example.org")
    page = client.get(path).get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    form = {"csrf_token": token, "family_name": "Wang", "given_name": "Wei", "name_zh": "王伟",
            "email": "wang@example.org", "language": "zh", "dietary": "Vegetarian",
            "arrival_date": "2030-07-01", "arrival_time": "09:30", "arrival_details": "CA 933",
            "sessions": str(ids["session"]), "role": "press"}
    response = client.post(path, data=form)
    assert response.status_code == 302 and response.headers["Location"].endswith(path)
    with app.app_context():
        wang = db.session.get(Delegate, ids["wang"])
        assert (wang.name_zh, wang.dietary, wang.arrival_details) == ("王伟", "Vegetarian", "CA 933")
        assert wang.arrival_at == datetime.fromisoformat("2030-07-01T07:30:00+00:00")  # CEST
        assert [s.id for s in wang.sessions] == [ids["session"]]
        assert wang.role == "head"  # not the delegate's to change
        entry = db.session.scalar(db.select(AuditEntry).filter_by(action="delegate.self_update"))
        assert entry.target_id == ids["wang"] and "dietary" in entry.details["changes"]
    assert "Your details were saved." in client.get(path).get_data(as_text=True)

    # Bad input: a message next to the field, nothing stored.
    response = client.post(path, data={**form, "email": "nope", "dietary": "changed"})
    assert response.status_code == 200 and "valid email" in response.get_data(as_text=True)
    response = client.post(path, data={**form, "family_name": "", "given_name": "", "name_zh": "",
                                       "dietary": "changed"})
    assert response.status_code == 200 and "Give a name" in response.get_data(as_text=True)
    response = client.post(path, data={**form, "arrival_time": "", "dietary": "changed"})
    assert "Give both the date and the time" in response.get_data(as_text=True)
    response = client.post(path, data={**form, "sessions": "999999", "dietary": "changed"})
    assert response.status_code == 200
    with app.app_context():
        assert db.session.get(Delegate, ids["wang"]).dietary == "Vegetarian"


def test_decline_frees_the_seat_for_the_first_waiting(app, client, outbox, smtp_server):
    ids = seed(app)
    assert (status(app, ids["wang"]), status(app, ids["rossi"])) == ("confirmed", "waitlisted")
    with app.app_context():
        path = personal_link(outbox, "wang@example.org")
        rossi_before = len(outbox(to_addr="rossi@example.org"))
    page = client.get(path).get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)

    # Without ticking the box, nothing happens.
    response = client.post(path + "/decline", data={"csrf_token": token}, follow_redirects=True)
    assert "Tick the box" in response.get_data(as_text=True)
    assert status(app, ids["wang"]) == "confirmed"

    response = client.post(path + "/decline", data={"csrf_token": token, "confirm": "yes"},
                           follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "You have declined" in html
    assert "You declined." in html and 'id="details-read-only"' in html  # read-only from now on
    assert 'name="family_name"' not in html and "I cannot attend" not in html
    assert (status(app, ids["wang"]), status(app, ids["rossi"])) == ("declined", "confirmed")
    with app.app_context():
        assert db.session.get(Event, ids["event"]).seats_taken == 2
        assert len(outbox(to_addr="rossi@example.org")) == rossi_before + 1
        assert db.session.scalar(db.select(AuditEntry).filter_by(action="delegate.decline")) is not None
        send_pending()
    promoted = [m for m in smtp_server.received if "rossi@example.org" in m.rcpt_tos]
    assert promoted and "seat" in promoted[-1].message["Subject"].lower()

    # A declined delegate can change nothing any more.
    response = client.post(path, data={"csrf_token": token, "family_name": "Other", "language": "zh"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Delegate, ids["wang"]).family_name == "Wang"
    response = client.post(path + "/decline", data={"csrf_token": token, "confirm": "yes"},
                           follow_redirects=True)
    assert "cannot be declined any more" in response.get_data(as_text=True)


def test_after_the_edit_deadline_read_only_but_decline_still_possible(app, client, outbox):
    ids = seed(app)
    with app.app_context():
        event = db.session.get(Event, ids["event"])
        event.edit_deadline = now_utc() - timedelta(minutes=1)
        db.session.commit()
        path = personal_link(outbox, "wang@example.org")
    html = client.get(path).get_data(as_text=True)
    assert "Changes closed on" in html and 'id="details-read-only"' in html
    assert 'name="family_name"' not in html and "I cannot attend" in html
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)
    response = client.post(path, data={"csrf_token": token, "family_name": "Changed", "language": "zh"},
                           follow_redirects=True)
    assert "Changes closed on" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Delegate, ids["wang"]).family_name == "Wang"


def test_calendar_download_holds_the_chosen_sessions_only(app, client, outbox):
    """The personal page's .ics: the event, the sessions for everyone and the ones this
    delegate chose, not the sessions they left out; saved as a file."""
    ids = seed(app)
    with app.app_context():
        event = db.session.get(Event, ids["event"])
        plenary = factories.make_session(event, title_en="Opening plenary")
        skipped = factories.make_session(event, title_en="Harbour tour", delegates_choose=True)
        wang = db.session.get(Delegate, ids["wang"])
        wang.sessions = [db.session.get(type(plenary), ids["session"])]
        db.session.commit()
        uid, plenary_id, skipped_id = event.uid, plenary.id, skipped.id
        path = personal_link(outbox, "wang@example.org")
    html = client.get(path).get_data(as_text=True)
    url = re.search(r'href="([^"]+)" id="ics-link"', html).group(1)
    assert "/calendar/delegates/" in url and url.endswith("?download=1")
    response = client.get(urlsplit(url).path + "?download=1")
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    uids = set(re.findall(r"^UID:(.+?)\r?$", response.get_data(as_text=True), re.M))
    assert uids == {uid, f"session-{ids['session']}-{uid}", f"session-{plenary_id}-{uid}"}
    assert f"session-{skipped_id}-{uid}" not in uids


def test_new_link_kills_the_old_one(app, client, outbox):
    ids = seed(app)
    with app.app_context():
        old = personal_link(outbox, "wang@example.org")
        before = len(outbox(to_addr="wang@example.org"))
    html = client.get(old).get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)
    response = client.post(old + "/new-link", data={"csrf_token": token})
    assert response.status_code == 200 and "A new link is on its way" in response.get_data(as_text=True)
    assert response.headers["Cache-Control"] == "no-store"
    assert client.get(old).status_code == 404
    with app.app_context():
        assert len(outbox(to_addr="wang@example.org")) == before + 1
        new = personal_link(outbox, "wang@example.org")
        assert db.session.scalar(db.select(AuditEntry).filter_by(action="delegate.link_rotate")) is not None
    assert new != old and client.get(new).status_code == 200
    assert ids["wang"]


def test_pending_delegate_sees_the_approval_wait(app, client, outbox):
    with app.app_context():
        event = factories.make_event(approval_required=True)
        register(event, factories.make_unit(), [{"family_name": "Wang", "email": "wang@example.org"}])
        db.session.commit()
        # No delegate mail before approval: the link is issued here as the first mail would.
        from eventsite.delegations import notifications as lifecycle

        delegate = db.session.scalar(db.select(Delegate).filter_by(email="wang@example.org"))
        raw, _url = lifecycle.issue_link(delegate)
        db.session.commit()
        path = f"/events/{event.id}/delegate/{raw}"
    html = client.get(path).get_data(as_text=True)
    assert "waiting for the secretariat's approval" in html and "Pending approval" in html


def test_a_persons_name_is_labelled_as_a_persons_in_chinese(app, client, outbox):
    """姓名 (a person's name), not 名称 (the name of a thing), on the delegate's read-only page."""
    ids = seed(app)
    with app.app_context():
        wang_link = personal_link(outbox, "wang@example.org")
        db.session.get(Event, ids["event"]).edit_deadline = now_utc() - timedelta(minutes=1)
        db.session.commit()
    html = client.get(wang_link, headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    assert re.search(r"<dt[^>]*>姓名</dt>", html) and ">名称<" not in html


@pytest.mark.parametrize("language, label, shown", [("zh", "姓名", "胡超 Chao HU"), ("en", "Full name", "Chao HU 胡超")])
def test_the_page_names_the_person_with_both_names(app, client, outbox, language, label, shown):
    """The delegate sees who the page is about: both names, the reader's script first, labelled
    as a person's name (姓名, not 名称), also while the details can still be changed."""
    with app.app_context():
        event = factories.make_event(title_en="Urban Forum", title_zh="城市论坛")
        register(event, factories.make_unit(), [{"family_name": "Hu", "given_name": "Chao", "name_zh": "胡超",
                                                 "email": "hu@example.org", "language": language}])
        db.session.commit()
        link = personal_link(outbox, "hu@example.org")
    html = client.get(link, headers={"Accept-Language": language}).get_data(as_text=True)
    block = html[html.index('id="delegate-name"'):html.index("</dl>", html.index('id="delegate-name"'))]
    assert f">{label}</dt>" in block and f">{shown}</dd>" in block
    assert 'name="family_name"' in html  # the editable page
