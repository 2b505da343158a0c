"""Erasure erases: after an event's delegates are erased, no value of theirs is left anywhere.

The copies are made the way the application makes them: a liaison registers, adds and
substitutes people and writes notes; a delegate corrects their details (a new email address
among them) and another declines through their personal pages; an organizer edits a person,
removes one with a reason and sends a new link; the venue changes and the event is cancelled
(notices and calendar parts to everyone); someone tries the delegate's addresses on the login
and reset forms; an admin exports the person's data; the worker sends part of the mail. Then
the event's delegates are erased (by the admin's page, or by the retention job) and EVERY
text-like column of EVERY table (read from the SQLAlchemy metadata, so tables added later are
scanned too) is searched for every value any of those people ever had.
"""
from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from eventsite.accounts.models import User
from eventsite.audit.models import AuditEntry
from eventsite.delegations import services as delegations
from eventsite.delegations.models import Delegate, Delegation
from eventsite.delegations.rules import PersonRow
from eventsite.events import services as events
from eventsite.events.models import Event
from eventsite.extensions import db
from eventsite.mail.models import OutboxMessage
from eventsite.mail.worker import send_pending
from eventsite.privacy import erasure

from .. import factories
from ..conftest import csrf_token
from ..delegations.admin_seed import personal_link

pytestmark = pytest.mark.both_dbs

DELEGATE_IP = "203.0.113.77"  # where the delegates open their personal pages from
HEAD = {"role": "head", "family_name": "Vaskovitch", "given_name": "Orlanda", "name_zh": "欧兰达",
        "title": "Quaestor Prima", "organization": "Zorbville Hall",
        "email": "orlanda.vaskovitch@example.org", "mobile": "+86 139 5555 0101",
        "dietary": "Kosherish", "accessibility": "Hoistneeded", "arrival_details": "ZQ9356",
        "departure_details": "ZQ9357", "notes": "Brings a tamarind parrot", "language": "en"}
HEAD_OWN = {"email": "o.vaskovitch@elsewhere.example.org", "mobile": "+86 139 5555 0202",
            "dietary": "Pescatarianish", "accessibility": "Rampwanted", "arrival_details": "ZQ1111",
            "notes": "The parrot stays home"}
HEAD_BY_LIAISON = {"title": "Quaestor Secunda", "departure_details": "ZQ2222"}
HEAD_BY_ORGANIZER = {"organization": "Zorbville Council", "mobile": "+86 139 5555 0303"}
MEMBER = {"role": "member", "family_name": "Pemberwick", "given_name": "Tullia",
          "email": "tullia.pemberwick@example.org", "mobile": "+39 333 4444 0101",
          "dietary": "Glutenlessly", "accessibility": "Hearingloopish", "language": "zh",
          "arrival_details": "AZ7781", "notes": "Travels with Pemberwick junior"}
THIRD = {"role": "member", "family_name": "Quillfeather", "given_name": "Ansel",
         "email": "ansel.quillfeather@example.org", "mobile": "+44 7700 900123", "language": "en"}
FOURTH = {"role": "member", "family_name": "Marchbanks", "given_name": "Bertram",
          "email": "bertram.marchbanks@example.org", "mobile": "+49 1511 2345678",
          "dietary": "Nutfreeish", "language": "en"}
LIAISON_EMAIL = "liaison.zorb@example.org"
TYPED = [HEAD, HEAD_OWN, HEAD_BY_LIAISON, HEAD_BY_ORGANIZER, MEMBER, THIRD, FOURTH]
NOT_PERSONAL = {"role", "language"}


def _form(values: dict, *, organizer: bool = False) -> dict:
    """The personal page's (or the organizer's edit page's) fields for `values`."""
    data = {k: v for k, v in values.items() if k not in ("arrival_at", "departure_at", "role")}
    if organizer:
        data["role"] = values["role"]
    for side in ("arrival", "departure"):
        instant = values.get(f"{side}_at")
        if instant is not None:
            data[f"{side}_date"], data[f"{side}_time"] = instant.strftime("%Y-%m-%d"), "14:30"
    return data


def _current(delegate_id: int) -> dict:
    delegate = db.session.get(Delegate, delegate_id)
    fields = ("role", "family_name", "given_name", "name_zh", "title", "organization", "email",
              "mobile", "language", "dietary", "accessibility", "arrival_details",
              "departure_details", "notes")
    return {f: getattr(delegate, f) for f in fields} | {"arrival_at": delegate.arrival_at,
                                                        "departure_at": delegate.departure_at}


def _make_copies(app, login, outbox) -> dict:
    """Run every flow that copies delegates' values; returns ids and the values they had."""
    with app.app_context():
        event = factories.make_event(capacity=10, default_quota=6, title_en="Harbour Summit")
        unit = factories.make_unit(name_en="Zorb City")
        liaison = factories.make_user(role="liaison", unit=unit, email=LIAISON_EMAIL, locale="en")
        organizer = factories.make_user(role="organizer", email="organizer.x@example.org")
        admin = factories.make_user(role="admin", email="admin.x@example.org")
        db.session.commit()
        arrival = event.starts_at - timedelta(days=1)
        head_values = HEAD | {"arrival_at": arrival.replace(tzinfo=None)}
        result = delegations.save_delegation(
            event, unit, [PersonRow(values=head_values), PersonRow(values=MEMBER)], actor=liaison,
            notes="Orlanda Vaskovitch leads; call +86 139 5555 0101")
        delegation = result.delegation
        head_id, member_id = [d.id for d in delegation.delegates]
        ids = {"event": event.id, "unit": unit.id, "delegation": delegation.id, "head": head_id,
               "member": member_id, "liaison": liaison.id, "organizer": organizer.id,
               "admin": admin.id}
        send_pending()  # part of the mail goes out now, the rest stays queued until erasure
        head_link = personal_link(outbox, HEAD["email"])
        member_link = personal_link(outbox, MEMBER["email"])

    # The head corrects their own details (a new address among them) on the personal page.
    delegate_browser = app.test_client()
    with app.app_context():
        own = _current(head_id) | HEAD_OWN
    token = csrf_token(delegate_browser, head_link)
    response = delegate_browser.post(head_link, data={"csrf_token": token} | _form(own),
                                     environ_base={"REMOTE_ADDR": DELEGATE_IP})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    # The member declines on hers (the unit is told who).
    token = csrf_token(delegate_browser, member_link)
    response = delegate_browser.post(member_link + "/decline", data={"csrf_token": token,
                                                                     "confirm": "yes"},
                                     environ_base={"REMOTE_ADDR": DELEGATE_IP})
    assert response.status_code == 302

    with app.app_context():
        event, unit = db.session.get(Event, ids["event"]), db.session.get(type(unit), ids["unit"])
        liaison = db.session.get(User, ids["liaison"])
        assert db.session.get(Delegate, head_id).email == HEAD_OWN["email"]
        # The liaison corrects the head, adds a third person, then names a fourth in their place.
        delegations.save_delegation(event, unit, [PersonRow(values=HEAD_BY_LIAISON, id=head_id),
                                                  PersonRow(values=THIRD)], actor=liaison)
        third = db.session.scalar(sa.select(Delegate).filter_by(family_name=THIRD["family_name"]))
        ids["third"] = third.id
        delegations.save_delegation(event, unit, [PersonRow(values=FOURTH, id=third.id,
                                                            substitute=True)], actor=liaison)
        ids["fourth"] = db.session.scalar(sa.select(Delegate.id).filter_by(
            family_name=FOURTH["family_name"]))
        own = _current(head_id) | HEAD_BY_ORGANIZER

    base = f"/organizer/events/{ids['event']}/delegations/{ids['delegation']}/delegates"
    staff = app.test_client()
    with app.app_context():
        login(staff, db.session.get(User, ids["organizer"]))
    # An organizer edits the head, sends the head a new link, removes the fourth with a reason.
    token = csrf_token(staff, f"{base}/{head_id}/edit")
    response = staff.post(f"{base}/{head_id}/edit",
                          data={"csrf_token": token} | _form(own, organizer=True))
    assert response.status_code == 302
    assert staff.post(f"{base}/{head_id}/link", data={"csrf_token": token}).status_code == 302
    response = staff.post(f"{base}/{ids['fourth']}/remove",
                          data={"csrf_token": token, "reason": "Marchbanks cannot travel"})
    assert response.status_code == 302

    # Strangers try the head's addresses on the login and reset forms.
    stranger = app.test_client()
    for address in (HEAD["email"], HEAD_OWN["email"]):
        token = csrf_token(stranger, "/login")
        stranger.post("/login", data={"csrf_token": token, "email": address, "password": "guess it"},
                      environ_base={"REMOTE_ADDR": "198.51.100.5"})
        stranger.post("/forgot-password", data={"csrf_token": token, "email": address})

    # An admin looks the head up and downloads the data (both audited with the address).
    admin = app.test_client()
    with app.app_context():
        login(admin, db.session.get(User, ids["admin"]))
    token = csrf_token(admin, "/admin/privacy/")
    for address in (HEAD["email"], HEAD_OWN["email"]):
        assert admin.post("/admin/privacy/export", data={"csrf_token": token,
                                                         "email": address}).status_code == 200

    with app.app_context():
        event = db.session.get(Event, ids["event"])
        # The venue moves (REQUESTs naming each delegate), then the event is cancelled (CANCELs).
        events.update_event(event, {"venue_name_en": "Pier Seven Hall"}, note="New venue")
        send_pending()
        events.cancel(db.session.get(Event, ids["event"]), "Storm warning", "风暴预警")
        values = [_current(ids[k]) for k in ("head", "member", "third", "fourth")]
    ids["admin_client"] = admin
    ids["values"] = values
    return ids


def _erased_values(ids: dict) -> set[str]:
    """Every value any of the people ever had (typed, and as stored), plus where they came from."""
    found = set()
    for values in TYPED + ids["values"]:
        for field, value in values.items():
            if field not in NOT_PERSONAL and isinstance(value, str) and value:
                found.add(value)
    return found | {DELEGATE_IP}


def _textish(column: sa.Column) -> bool:
    try:
        kind = column.type.python_type
    except NotImplementedError:
        return True
    return kind in (str, bytes, dict, list)


def _as_text(value) -> str:
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    elif isinstance(value, (dict, list)):
        value = json.dumps(value, ensure_ascii=False)
    else:
        value = str(value)
    # Calendar text is folded and escaped (RFC 5545 3.1, 3.3.11): read it as a parser would.
    value = re.sub(r"\r?\n[ \t]", "", value)
    return re.sub(r"\\([,;\\])", r"\1", value).replace("\\n", "\n").casefold()


def _scan(values: set[str]) -> list[str]:
    """"table.column #row: value" for every erased value still found anywhere."""
    found = []
    for table in db.metadata.sorted_tables:
        columns = [c for c in table.columns if _textish(c)]
        if not columns:
            continue
        for number, row in enumerate(db.session.execute(sa.select(*columns)).all()):
            for column, cell in zip(columns, row):
                if cell is None:
                    continue
                text = _as_text(cell)
                found += [f"{table.name}.{column.name} #{number}: {value!r}"
                          for value in values if value.casefold() in text]
    return found


def _counts() -> dict:
    return {"audit": db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry)),
            "outbox": db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)),
            "delegates": db.session.scalar(sa.select(sa.func.count()).select_from(Delegate))}


@pytest.mark.parametrize("how", ["admin_page", "retention_job"])
def test_no_value_of_an_erased_person_remains_anywhere(app, login, outbox, how):
    ids = _make_copies(app, login, outbox)
    with app.app_context():
        values = _erased_values(ids)
        before = _scan(values)
        # The flows really did copy the values far and wide (else the scan below proves nothing).
        tables = {hit.split(".")[0] for hit in before}
        assert {"delegate", "audit_entry", "outbox_message", "login_throttle",
                "delegation"} <= tables, tables
        counts = _counts()
        event_end = db.session.get(Event, ids["event"]).ends_at

    if how == "admin_page":
        admin = ids["admin_client"]
        token = csrf_token(admin, "/admin/privacy/")
        response = admin.post(f"/admin/privacy/events/{ids['event']}/erase",
                              data={"csrf_token": token, "confirm": "erase"}, follow_redirects=True)
        assert "was erased" in response.get_data(as_text=True)
    else:
        with app.app_context():
            assert erasure.erase_due(now=event_end + timedelta(days=400)) == [ids["event"]]

    with app.app_context():
        assert _scan(values) == []
        # Counts and accountability stay: every row, every audit entry (plus the erasure's own).
        after = _counts()
        assert after == counts | {"audit": counts["audit"] + 1}
        delegates = db.session.scalars(sa.select(Delegate).where(
            Delegate.event_id == ids["event"]).order_by(Delegate.id)).all()
        assert [d.role for d in delegates] == ["head", "member", "member", "member"]
        assert all(d.status for d in delegates)
        entries = db.session.scalars(sa.select(AuditEntry).where(
            AuditEntry.target_type == "delegate", AuditEntry.target_id == ids["head"])).all()
        assert {e.action for e in entries} >= {"delegate.self_update", "delegate.change",
                                               "delegate.link_rotate"}
        assert all(e.at is not None for e in entries)
        # Who acted stays known: the organizer by account, the delegate as "delegate #id".
        assert any(e.actor_id == ids["organizer"] for e in entries)
        assert f"delegate #{ids['head']}" in {e.actor_label for e in entries}
        # Which fields changed stays known; what they were is gone.
        changed = [e.details["changes"] for e in entries if e.action == "delegate.self_update"]
        assert set(changed[0]) >= {"email", "mobile", "dietary"}
        # The unit's people were not erased: the liaison still gets mail at their address.
        assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage).where(
            OutboxMessage.to_addr == LIAISON_EMAIL)) > 0
        assert db.session.scalar(sa.select(User.email).filter_by(id=ids["liaison"])) == LIAISON_EMAIL
        # No erased message is left for the worker to send.
        assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage).where(
            OutboxMessage.state.in_(("pending", "sending")),
            OutboxMessage.to_addr == erasure.ERASED_ADDRESS)) == 0
        # The unit's notes to the secretariat (free text about its people) are gone too.
        assert db.session.get(Delegation, ids["delegation"]).notes == ""
