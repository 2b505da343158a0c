""""What to do next": each item appears exactly when its condition holds, links to a page that
opens, stays inside a liaison's own unit, and costs a constant number of statements."""
from __future__ import annotations

import itertools
from datetime import timedelta
from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from eventsite.delegations.models import Delegate
from eventsite.extensions import db, now_utc
from eventsite.home import queries as next_steps
from eventsite.mail.models import OutboxMessage

from .. import factories
from ..conftest import count_statements

pytestmark = pytest.mark.both_dbs
_n = itertools.count(1)


def staff_items(app, now=None):
    with app.test_request_context():
        return {(i.kind, i.subject.value if i.subject else None): i
                for i in next_steps.for_staff("en", now or now_utc())}


def liaison_items(app, unit_id, now=None):
    with app.test_request_context():
        return {(i.kind, i.subject.value if i.subject else None): i
                for i in next_steps.for_liaison(unit_id, "en", now or now_utc())}


def day(n: float):
    return (now_utc() + timedelta(days=n)).replace(microsecond=0)


def event(**fields):
    starts = fields.pop("starts_at", day(30))
    return factories.make_event(starts_at=starts, ends_at=fields.pop("ends_at", starts + timedelta(hours=8)),
                                **fields)


def failed_mail(invitation):
    n = next(_n)
    message = OutboxMessage(kind="invitation", message_id=f"<m{n}@test>", sender="s@example.org",
                            to_addr=f"to{n}@example.org", subject="Invitation", body_text="-",
                            state="failed")
    db.session.add(message)
    db.session.flush()
    for link in invitation.links:
        link.message_id = message.id




# --- organizers ---------------------------------------------------------------------------------


def test_nothing_to_do_on_an_empty_site(app):
    assert staff_items(app) == {}


def test_drafts_to_publish_count_upcoming_drafts_only(app):
    with app.app_context():
        event(status="draft", title_en="Draft soon")
        event(status="draft", title_en="Draft later", starts_at=day(90))
        event(status="draft", title_en="Draft gone by", starts_at=day(-20))
        event(title_en="Published")
        db.session.commit()
    item = staff_items(app)[("drafts", None)]
    assert item.count == 2 and item.text == "2 draft events to publish"
    assert item.url == "/organizer/events/?status=draft"


def test_unanswered_invitations_per_open_event(app):
    with app.app_context():
        forum, other, draft = event(title_en="Forum"), event(title_en="Other"), event(status="draft")
        over = event(title_en="Over", starts_at=day(-3))
        units = [factories.make_unit() for _ in range(8)]
        factories.make_invitation(forum, units[0])
        factories.make_invitation(forum, units[1])
        factories.make_invitation(forum, units[2], state="accepted")
        factories.make_invitation(forum, units[3], state="declined")
        factories.make_invitation(forum, units[4], state="revoked")
        factories.make_invitation(forum, units[5], expires_at=day(-1))  # no reply by the deadline
        registered, _raw = factories.make_invitation(forum, units[6])
        factories.make_delegation(forum, units[6], invitation=registered)
        factories.make_invitation(other, units[0])
        factories.make_invitation(draft, units[0])
        factories.make_invitation(over, units[0], expires_at=day(1))
        db.session.commit()
        forum_id = forum.id
    items = staff_items(app)
    unanswered = {key: item for key, item in items.items() if key[0] == "invitations_invited"}
    assert set(unanswered) == {("invitations_invited", "Forum"), ("invitations_invited", "Other")}
    item = unanswered[("invitations_invited", "Forum")]
    assert item.count == 2 and item.text == "2 invitations unanswered"
    assert item.url == f"/organizer/events/{forum_id}/invitations?status=invited"


def test_invitation_mail_failures_and_units_without_address(app):
    with app.app_context():
        forum = event(title_en="Forum")
        failed, _raw = factories.make_invitation(forum, factories.make_unit())
        failed_mail(failed)
        nobody, _raw = factories.make_invitation(forum, factories.make_unit())
        for link in list(nobody.links):
            db.session.delete(link)
        factories.make_invitation(forum, factories.make_unit())
        db.session.commit()
        forum_id = forum.id
    items = staff_items(app)
    assert items[("invitations_mail_failed", "Forum")].count == 1
    assert items[("invitations_mail_failed", "Forum")].url == \
        f"/organizer/events/{forum_id}/invitations?status=mail_failed"
    assert items[("invitations_no_address", "Forum")].count == 1
    assert items[("invitations_invited", "Forum")].count == 1


def test_delegations_waiting_for_approval(app):
    with app.app_context():
        forum = event(title_en="Forum", approval_required=True)
        factories.make_delegation(forum, factories.make_unit(), status="submitted")
        factories.make_delegation(forum, factories.make_unit(), status="submitted")
        factories.make_delegation(forum, factories.make_unit(), status="confirmed")
        factories.make_delegation(forum, factories.make_unit(), status="rejected")
        done = event(title_en="Done", starts_at=day(-5))
        factories.make_delegation(done, factories.make_unit(), status="submitted")
        db.session.commit()
        forum_id = forum.id
    items = staff_items(app)
    assert [key for key in items if key[0] == "approval"] == [("approval", "Forum")]
    item = items[("approval", "Forum")]
    assert item.count == 2 and item.text == "2 delegations wait for approval"
    assert item.url == f"/organizer/events/{forum_id}/delegations?status=submitted"


def test_delegates_with_missing_details(app):
    with app.app_context():
        travel = event(title_en="Travel")  # asks for travel by default
        online = event(title_en="Online", delegate_details="title,organization")
        past = event(title_en="Past", starts_at=day(-5))
        _d, head = factories.make_delegation(travel, factories.make_unit(), people=3)
        people = sorted(head.delegation.delegates, key=lambda d: d.position)
        people[0].email = ""  # no email: missing
        people[1].arrival_at = day(29)  # arrival known, email known: complete
        # people[2]: email but no arrival time, and the event asks for travel: missing
        _d, pending = factories.make_delegation(travel, factories.make_unit(), status="submitted")
        pending.email = ""  # not confirmed yet: not the organizers' concern
        _d, online_head = factories.make_delegation(online, factories.make_unit(), people=2)
        online_head.email = ""  # missing; the other has no arrival but none is asked
        _d, old = factories.make_delegation(past, factories.make_unit())
        old.email = ""
        db.session.commit()
    items = staff_items(app)
    assert {key for key in items if key[0] == "missing_details"} == {
        ("missing_details", "Travel"), ("missing_details", "Online")}
    assert items[("missing_details", "Travel")].count == 2
    assert items[("missing_details", "Travel")].text == "2 delegates with missing details"
    assert items[("missing_details", "Online")].count == 1

    with app.app_context():  # once the details are in, the item goes away
        for delegate in db.session.scalars(sa.select(Delegate)):
            delegate.email = delegate.email or "filled@example.org"
            delegate.arrival_at = day(29)
        db.session.commit()
    assert not [key for key in staff_items(app) if key[0] == "missing_details"]


def test_every_staff_link_opens_and_the_dashboard_shows_the_panel(app, organizer_client, admin_client):
    with app.app_context():
        event(status="draft")
        forum = event(title_en="Forum", approval_required=True)
        factories.make_invitation(forum, factories.make_unit())
        failed, _raw = factories.make_invitation(forum, factories.make_unit())
        failed_mail(failed)
        _d, head = factories.make_delegation(forum, factories.make_unit(), status="submitted")
        _d, head = factories.make_delegation(forum, factories.make_unit())
        head.email = ""
        db.session.commit()
    items = staff_items(app)
    assert {kind for kind, _title in items} == {
        "drafts", "invitations_invited", "invitations_mail_failed", "approval", "missing_details"}
    for item in items.values():
        assert organizer_client.get(item.url).status_code == 200, item
    for client in (organizer_client, admin_client):
        for path in ("/", "/organizer/events/"):
            html = client.get(path).get_data(as_text=True)
            assert "What to do next" in html and "1 invitation unanswered" in html, path
            assert "1 delegation waits for approval" in html


def test_staff_statements_do_not_grow(app, organizer_client):
    def grow(n: int) -> None:
        with app.app_context():
            for _i in range(n):
                forum = event(approval_required=bool(_i % 2))
                event(status="draft")
                for j in range(3):
                    unit = factories.make_unit()
                    invitation, _raw = factories.make_invitation(forum, unit)
                    if j == 0:
                        failed_mail(invitation)
                    if j == 1:
                        _d, head = factories.make_delegation(forum, unit, invitation=invitation,
                                                             people=2, status=("submitted", "confirmed")[_i % 2])
                        head.email = ""
            db.session.commit()

    counts = []
    for n in (2, 25):
        grow(n)
        for path in ("/", "/organizer/events/"):
            with app.app_context(), count_statements() as seen:
                assert organizer_client.get(path).status_code == 200
            counts.append((path, len(seen)))
    assert counts[:2] == counts[2:], counts


# --- liaisons -----------------------------------------------------------------------------------


def test_liaison_sees_only_their_units_items(app, liaison_client):
    with app.app_context():
        unit_id = db.session.get(factories.User, liaison_client.user_id).unit_id
        unit = db.session.get(factories.MemberUnit, unit_id)
        other = factories.make_unit()
        soon = event(title_en="Soon", edit_deadline=day(3))
        later = event(title_en="Later", starts_at=day(60), edit_deadline=day(40))
        closed = event(title_en="Closed", edit_deadline=day(-1))
        invited = event(title_en="Invited")
        factories.make_invitation(invited, unit)
        factories.make_invitation(later, unit, state="accepted")
        factories.make_invitation(soon, unit)  # answered by registering: nothing to answer
        factories.make_invitation(invited, other)
        _d, own_head = factories.make_delegation(soon, unit, people=2)
        own_head.email = ""
        own_head.delegation.delegates[1].arrival_at = day(29)  # complete
        _d, later_head = factories.make_delegation(later, unit, status="submitted")
        later_head.email = ""  # pending, not yet confirmed: the liaison still sees it
        _d, closed_head = factories.make_delegation(closed, unit)
        closed_head.email = ""  # changes are closed: nothing to do here
        _d, others_head = factories.make_delegation(soon, other, people=3)
        others_head.email = ""
        db.session.commit()
        soon_id, later_id = soon.id, later.id
    items = liaison_items(app, unit_id)
    assert set(items) == {("invitations_to_answer", None), ("edit_deadline", "Soon"),
                          ("missing_details", "Soon"), ("missing_details", "Later")}
    assert items[("invitations_to_answer", None)].count == 1
    assert items[("invitations_to_answer", None)].url == "/my/invitations"
    assert items[("missing_details", "Soon")].count == 1
    assert items[("missing_details", "Soon")].url == f"/events/{soon_id}/delegation"
    assert items[("missing_details", "Later")].url == f"/events/{later_id}/delegation"
    assert items[("edit_deadline", "Soon")].text.startswith("You can change your delegation until ")
    for item in items.values():
        assert liaison_client.get(item.url).status_code == 200, item
    html = liaison_client.get("/").get_data(as_text=True)
    assert "What to do next" in html and "1 invitation to answer" in html
    assert "Closed" not in html.split("What to do next")[1].split("</section>")[0]


def test_liaison_without_items_is_told_so_and_other_roles_get_no_panel(app, liaison_client, client):
    html = liaison_client.get("/").get_data(as_text=True)
    assert "What to do next" in html and "Nothing is waiting for you right now." in html
    assert "What to do next" not in client.get("/").get_data(as_text=True)
    with app.app_context():
        assert next_steps.for_user(SimpleNamespace(is_authenticated=False), "en") == []


def test_liaison_statements_do_not_grow(app, liaison_client):
    with app.app_context():
        unit_id = db.session.get(factories.User, liaison_client.user_id).unit_id

    def grow(n: int) -> None:
        with app.app_context():
            unit = db.session.get(factories.MemberUnit, unit_id)
            for _i in range(n):
                forum = event(edit_deadline=day(2))
                factories.make_invitation(forum, factories.make_unit())
                _d, head = factories.make_delegation(forum, unit, people=2)
                head.email = ""
                factories.make_invitation(event(), unit)
            db.session.commit()

    counts = []
    for n in (2, 25):
        grow(n)
        with app.app_context(), count_statements() as seen:
            assert liaison_client.get("/").status_code == 200
        counts.append(len(seen))
    assert counts[0] == counts[1], counts
