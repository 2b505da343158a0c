"""Property (issue 14): directories written straight to the database with duplicate,
differently-cased and odd addresses (what older rules or other tools may have stored) never make
a notifying operation fail, and per operation every deliverable address gets exactly one message
per thing it is told about; an address that cannot be mailed gets one message recorded as not
sent (never handed to a server). One fixed directory is then delivered by the real worker to the
SMTP server of the suite."""
from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from eventsite.accounts import services as account_services
from eventsite.accounts.models import User
from eventsite.core.addresses import deliverable, normalize_email
from eventsite.delegations import services as delegation_services
from eventsite.delegations.models import Delegate, Delegation
from eventsite.delegations.rules import PersonRow
from eventsite.delegations.services import decisions, selfservice
from eventsite.events import services as event_services
from eventsite.extensions import db, now_utc
from eventsite.invitations import notifications as mailing
from eventsite.invitations.models import Invitation
from eventsite.invitations.services import issuing, reminders
from eventsite.mail import services as broadcasts
from eventsite.mail import worker
from eventsite.mail.models import OutboxMessage
from eventsite.members.audience import Audience
from eventsite.members.models import CONTACT_ROLES

from .. import factories

ADDRESSES = [
    "a@example.org", "A@Example.ORG", " a@example.org ", "b@example.org", "B@EXAMPLE.org",
    "lián@example.org", "LIÁN@example.org", "no-at-sign", "a@example.org\r\nBcc: x@example.org",
    "two words@example.org", "li@bücher.example", "li@xn--bcher-kva.example", "c@localhost",
]
UNIT = st.fixed_dictionaries({
    "contacts": st.lists(st.tuples(st.sampled_from([*ADDRESSES, "", "  "]), st.booleans()),
                         max_size=4),
    "liaisons": st.lists(st.sampled_from(ADDRESSES), max_size=2, unique=True),
    "delegates": st.lists(st.sampled_from([*ADDRESSES, ""]), min_size=2, max_size=2),
})
UNIT_LEVEL = ("invitation", "invitation_reminder", "delegation_notice")


def _reset() -> None:
    db.session.rollback()
    for table in reversed(db.metadata.sorted_tables):
        db.session.execute(table.delete())
    db.session.commit()


def build(units: list[dict]):
    """Write the directory as given (no rule applied); returns (event, organizer, model), the
    model being what each unit's lists are once the database has them."""
    organizer = factories.make_user("organizer")
    start = (now_utc() + timedelta(days=40)).replace(minute=0, second=0, microsecond=0)
    event = factories.make_event(starts_at=start, registration_closes_at=start - timedelta(days=10),
                                 reminder_days="7", approval_required=True, capacity=3,
                                 default_quota=2)
    taken: set[str] = set()
    model = []
    for n, spec in enumerate(units):
        unit = factories.make_unit()
        contacts = [factories.make_contact(unit, email=address, receives_invitations=receives,
                                           role=CONTACT_ROLES[n % len(CONTACT_ROLES)])
                    for address, receives in spec["contacts"]]
        liaisons = []
        for address in spec["liaisons"]:
            if address not in taken:  # accounts' addresses are unique as stored
                taken.add(address)
                liaisons.append(factories.make_user("liaison", unit=unit, email=address,
                                                    password=None))
        model.append({"unit": unit, "delegates": spec["delegates"],
                      "contacts": [c.email for c in contacts if c.receives_invitations],
                      "all_contacts": [c.email for c in contacts],
                      "liaisons": [u.email for u in liaisons]})
    db.session.commit()
    return event, organizer, model


def _expected(addresses: list[str]) -> Counter:
    """One message per mailbox: each deliverable one in the rule's spelling, and as many
    recorded as not sent as there are other addresses (compared lower-cased)."""
    good = {deliverable(a) for a in addresses if deliverable(a)}
    bad = {normalize_email(a) for a in addresses if a.strip() and not deliverable(a)}
    return Counter(good) + Counter({"(not sent)": len(bad)})


def _got(rows: list[OutboxMessage]) -> Counter:
    return Counter(r.to_addr if r.state == "pending" else "(not sent)" for r in rows)


class Run:
    """Runs operations one by one and checks the messages each one wrote."""

    def __init__(self, model):
        self.model = model
        self.last = 0

    def new_rows(self) -> list[OutboxMessage]:
        rows = db.session.scalars(db.select(OutboxMessage).where(OutboxMessage.id > self.last)
                                  .order_by(OutboxMessage.id)).all()
        if rows:
            self.last = rows[-1].id
        return rows

    def check(self, name: str, recipients=None, told: tuple[int, ...] = ()) -> list[OutboxMessage]:
        """The rows `name` wrote: consistent with the rule, one per address per thing told; and
        the units `told` (indices) reached through `recipients(spec)`, each mailbox once."""
        rows = self.new_rows()
        for row in rows:
            good = deliverable(row.to_addr)
            assert (row.state == "pending") == (good == row.to_addr), (name, row.to_addr)
            if row.state == "failed":
                assert row.attempts == 0 and row.last_error.startswith("not sent"), name
            assert not any(ch in row.to_addr for ch in "\r\n\0"), name
        # Exactly one message per address per thing told (a unit's invitation or delegation,
        # one delegate's notice, one broadcast, one account).
        scopes = Counter((r.kind, r.broadcast_id, *sorted((k, str(v)) for k, v in r.refs.items()
                                                          if k != "contact"), r.to_addr)
                         for r in rows)
        assert all(n == 1 for n in scopes.values()), (name, scopes)
        groups: dict[tuple, list] = {}
        for row in rows:
            if row.kind in UNIT_LEVEL:
                groups.setdefault((self._unit_of(row), row.kind, row.refs.get("notice")), []).append(row)
        for index, spec in enumerate(self.model):
            mine = [told_rows for key, told_rows in groups.items() if key[0] == spec["unit"].id]
            if index not in told:
                assert not mine, (name, index)
                continue
            expected = _expected(recipients(spec))
            assert mine or not expected, (name, index)
            for told_rows in mine:
                assert _got(told_rows) == expected, (name, index)
        return rows

    def _unit_of(self, row) -> int:
        if "invitation" in row.refs:
            return db.session.get(Invitation, row.refs["invitation"]).unit_id
        return db.session.get(Delegation, row.refs["delegation"]).unit_id

    def _spec(self, unit_id: int) -> dict:
        return next(m for m in self.model if m["unit"].id == unit_id)


ALL = (0, 1, 2)


def _contacts(spec) -> list[str]:
    return spec["contacts"]


def _liaisons_else_contacts(spec) -> list[str]:
    return spec["liaisons"] or spec["contacts"]


def run_every_operation(event, organizer, model) -> Run:
    run = Run(model)
    units = [m["unit"] for m in model]
    # Invitations: issue, resend, the manual and the automatic reminder.
    issuing.issue(event, Audience(everyone=True), mailing.default_content(), organizer)
    run.check("issue", _contacts, ALL)
    invitations = db.session.scalars(db.select(Invitation).order_by(Invitation.id)).all()
    for invitation in invitations:
        if _expected(_spec(model, invitation.unit_id)["contacts"]):
            issuing.resend(invitation, organizer)
    run.check("resend", _contacts, ALL)
    if any(_expected(m["contacts"]) for m in model):
        reminders.remind_all(event, organizer, "manual-key")
        run.check("manual reminder", _contacts, ALL)
        reminders.send_due_reminders(now=event.registration_closes_at - timedelta(days=6))
        run.check("automatic reminder", _contacts, ALL)

    # Registration (two good addresses each), then the directory's odd ones written over them.
    for n, unit in enumerate(units):
        delegation_services.save_delegation(event, unit, [
            PersonRow({"role": "head" if i == 0 else "member", "family_name": f"P{n}{i}",
                       "email": f"p{n}{i}@example.org", "language": "en"}) for i in range(2)],
            as_organizer=True)
    run.check("register", _liaisons_else_contacts, ALL)
    for spec in model:
        for delegate, address in zip(_delegates(spec["unit"]), spec["delegates"]):
            delegate.email = address
    db.session.commit()

    delegations = [db.session.scalar(db.select(Delegation).filter_by(unit_id=u.id)) for u in units]
    decisions.approve(delegations[0], organizer)
    run.check("approve", _liaisons_else_contacts, (0,))
    decisions.approve(delegations[1], organizer)  # capacity 3: one waits
    run.check("approve with a waiting list", _liaisons_else_contacts, (1,))
    decisions.reject(delegations[2], "Not this time.", organizer)
    run.check("reject", _liaisons_else_contacts, (2,))

    event_services.update_event(event, {"venue_name_en": "Another hall"})
    changed = run.check("save and notify", _liaisons_else_contacts, (0, 1))
    confirmed = [d for d in _delegates(units[0]) + _delegates(units[1]) if d.status == "confirmed"]
    assert Counter(r.refs["delegate"] for r in changed if r.kind == "delegate_notice") == Counter(
        d.id for d in confirmed if d.email.strip())

    selfservice.decline(_delegates(units[0])[0])  # the waiting delegate is promoted
    run.check("decline and promotion", _liaisons_else_contacts, (0, 1))
    waiting = [d for d in _delegates(units[1]) if d.status == "waitlisted"]
    if waiting:
        event.capacity += 1
        db.session.commit()
        decisions.promote(waiting[0], organizer)
        run.check("promote", _liaisons_else_contacts, (1,))
    mover = _delegates(units[1])[0]
    if selfservice.can_self_edit(mover):
        selfservice.update_own_details(mover, {"email": "moved@example.org"}, None)
        run.check("address change")
    old = _delegates(units[1])[-1]
    delegation_services.save_delegation(event, units[1], [
        PersonRow({"role": old.role, "family_name": "Substitute", "email": "sub@example.org",
                   "language": "zh"}, id=old.id, substitute=True)], as_organizer=True)
    run.check("substitute", _liaisons_else_contacts, (1,))
    delegation_services.withdraw(delegations[0], organizer, as_organizer=True)
    run.check("withdraw", _liaisons_else_contacts, (0,))

    content = broadcasts.Content(subject_en="News", body_en="Hello.")
    audience = broadcasts.Audience(unit_ids=[u.id for u in units])
    if any(deliverable(a) for m in model for a in m["all_contacts"]):
        broadcast = broadcasts.send(audience, content, organizer)
        sent = run.check("broadcast")
        assert Counter(r.to_addr for r in sent) == Counter(
            {deliverable(a) for m in model for a in m["all_contacts"]} - {None})
        assert broadcast.recipient_count == len(sent)
    liaisons = db.session.scalars(db.select(User).where(User.role == "liaison")).all()
    for user in liaisons:
        account_services.resend_activation(user)
    accounts = run.check("account mails")
    assert sorted(r.refs["user"] for r in accounts) == sorted(u.id for u in liaisons)

    event_services.cancel(event, "The venue is closed.", "")
    cancelled = run.check("cancel", _liaisons_else_contacts, (1,))
    live = [d for d in _delegates(units[1]) if d.status in ("confirmed", "waitlisted", "pending")]
    assert Counter(r.refs["delegate"] for r in cancelled if r.kind == "delegate_notice") == Counter(
        d.id for d in live if d.email.strip())
    return run


def _spec(model, unit_id: int) -> dict:
    return next(m for m in model if m["unit"].id == unit_id)


def _delegates(unit) -> list[Delegate]:
    return list(db.session.scalars(
        db.select(Delegate).join(Delegation).where(Delegation.unit_id == unit.id)
        .order_by(Delegate.position, Delegate.id)))


@pytest.mark.both_dbs
def test_odd_directories_never_break_a_notifying_operation(app_ctx):
    @settings(max_examples=15, deadline=None, derandomize=True, database=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
    @given(st.lists(UNIT, min_size=3, max_size=3))
    def check(units):
        _reset()
        run_every_operation(*build(units))

    check()


ODD = [
    {"contacts": [("secretariat@eurocities.example.org", True),
                  (" Secretariat@Eurocities.Example.ORG", True), ("lián@example.org", True)],
     "liaisons": [], "delegates": ["li@Bücher.example", "a@example.org\r\nBcc: x@example.org"]},
    {"contacts": [("b@example.org", True)], "liaisons": ["LIÁN@example.org", "Li@Example.org"],
     "delegates": ["b@example.org", "B@EXAMPLE.org"]},
    {"contacts": [("no-at-sign", True), ("c@example.org", False)], "liaisons": [],
     "delegates": ["", "two words@example.org"]},
]


@pytest.mark.both_dbs
def test_the_worker_delivers_every_deliverable_message_once_and_no_other(app_ctx, smtp_server):
    run_every_operation(*build(ODD))
    pending = db.session.scalars(db.select(OutboxMessage).filter_by(state="pending")).all()
    failed = db.session.scalars(db.select(OutboxMessage).filter_by(state="failed")).all()
    assert pending and failed
    while worker.send_pending()["claimed"]:
        pass
    got = Counter(m.rcpt_tos[0] for m in smtp_server.received)
    assert got == Counter(m.to_addr for m in pending)
    assert "li@xn--bcher-kva.example" in got and not any("lián" in a for a in got)
    db.session.expire_all()
    assert {m.state for m in db.session.scalars(db.select(OutboxMessage))} == {"sent", "failed"}
