"""Scale-out proof, delegation half: 200+ liaisons register at the same moment through two
gunicorn servers (two workers each) while two mail workers deliver the notices, all on loopback
against one PostgreSQL database and one SMTP server, with the production configuration.

Each client is a real HTTP user agent with its own cookie jar: it logs in on one server, reads
the real registration form (CSRF token, submission key, field names) from the other, waits at a
barrier with everyone else and posts its delegation. A few post the same form twice at once (a
double click reaching both servers). Then one unit withdraws, and the first people in the queue
must get the seats.

Shows: no 5xx anywhere; one delegation per unit; confirmed delegates == seats taken == capacity;
the rest waitlisted in order; every queued notice delivered exactly once.

Host names: every process gets the same environment, so SERVER_NAME (the public name that
emailed links are built from) is the first server's 127.0.0.1:<port>. TRUSTED_HOSTS=127.0.0.1
admits both servers because Werkzeug ignores the port when it checks a Host header, and Flask
3.1 does not route by SERVER_NAME; so both answer as one site behind a load balancer would.
"""
from __future__ import annotations

import re
import threading
import time
from collections import Counter
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from eventsite.delegations.models import Delegate, Delegation
from eventsite.events.models import Event
from eventsite.extensions import db, now_utc
from eventsite.mail.models import OutboxMessage

from ..conftest import SMTPServer
from ..factories import PASSWORD, make_contact, make_event, make_unit, make_user
from . import cluster
from .browser import Browser, Log, form_fields
from .test_scale_out import wait_for

pytestmark = [pytest.mark.postgres_only, pytest.mark.scale_out]

UNITS = 210  # every one registers
DOUBLE = 8  # of them post the same form twice at once
CAPACITY, QUOTA = 150, 2
BARRIER_SECONDS = 120


@dataclass
class Member:
    index: int
    unit_id: int
    email: str
    locale: str
    people: int  # 1 or 2 in the posted form

    @property
    def double(self) -> bool:
        return self.index < DOUBLE


def _seed(app) -> tuple[int, list[Member]]:
    """The event and the units, committed to the shared database by the test process."""
    with app.app_context():
        now = now_utc()
        event = make_event(capacity=CAPACITY, default_quota=QUOTA,
                           registration_opens_at=now - timedelta(hours=1),
                           registration_closes_at=now + timedelta(days=10))
        members = []
        for i in range(UNITS):
            locale = "zh" if i % 2 else "en"
            unit = make_unit()
            make_contact(unit, role="liaison", language=locale, receives_invitations=True)
            user = make_user(role="liaison", unit=unit, locale=locale)
            members.append(Member(i, unit.id, user.email, locale, 2 if i < DOUBLE or i % 3 else 1))
        db.session.commit()
        return event.id, members


def _people(member: Member) -> dict[str, str]:
    fields = {}
    for i in range(member.people):
        fields |= {f"people-{i}-role": "head" if i == 0 else "member",
                   f"people-{i}-family_name": f"Unit{member.index}",
                   f"people-{i}-given_name": f"Person{i}",
                   f"people-{i}-email": f"u{member.index}p{i}@delegates.example.org",
                   f"people-{i}-language": "zh" if (member.index + i) % 2 else "en"}
    return fields


class Crowd:
    """The clients: one thread per liaison, and a second one for each double click."""

    def __init__(self, servers: list[str], event_id: int, members: list[Member]):
        self.servers, self.event_id, self.members = servers, event_id, members
        self.log = Log()
        self.browsers: dict[int, Browser] = {}
        self.forms: dict[int, dict[str, str]] = {}
        self.posts: dict[tuple[int, int], int] = {}  # (unit index, copy) -> status
        self.errors: list[str] = []
        self.barrier = threading.Barrier(UNITS + DOUBLE)
        self._lock = threading.Lock()

    def url(self, server: int, path: str) -> str:
        return self.servers[server % len(self.servers)] + path

    def prepare(self, member: Member) -> None:
        """Log in on one server, read the form from the other (the session is the cookie)."""
        home = member.index
        browser = Browser(f"unit{member.index}", self.log)
        page = browser.get(self.url(home, "/login"))
        login = form_fields(page.body, action="/login", press="submit")
        reply = browser.post(self.url(home, "/login"),
                             login | {"email": member.email, "password": PASSWORD})
        assert reply.status == 302, f"login of unit {member.index}: {reply.status}"
        page = browser.get(self.url(home + 1, f"/events/{self.event_id}/delegation"))
        assert page.status == 200, f"form of unit {member.index}: {page.status}"
        form = form_fields(page.body, id="delegation-form", press="submit")
        assert form.get("csrf_token") and form.get("submission_key"), sorted(form)
        assert "people-0-family_name" in form and "people-1-family_name" in form, sorted(form)
        self.browsers[member.index] = browser
        self.forms[member.index] = form | _people(member)

    def run_client(self, member: Member, copy: int) -> None:
        try:
            if copy == 0:
                try:
                    self.prepare(member)
                except BaseException:
                    self.barrier.abort()  # everyone stops at once instead of timing out
                    raise
            self.barrier.wait(timeout=BARRIER_SECONDS)
            # The first copy posts to the login server, the double click's second to the other.
            reply = self.browsers[member.index].post(
                self.url(member.index + copy, f"/events/{self.event_id}/delegation"),
                self.forms[member.index])
            with self._lock:
                self.posts[(member.index, copy)] = reply.status
        except threading.BrokenBarrierError:
            pass  # the thread that broke it reported why
        except BaseException as error:  # noqa: BLE001 - reported by the test
            with self._lock:
                self.errors.append(f"unit {member.index} copy {copy}: {error!r}")

    def storm(self) -> float:
        threads = [threading.Thread(target=self.run_client, args=(m, copy), daemon=True)
                   for m in self.members for copy in ((0, 1) if m.double else (0,))]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=BARRIER_SECONDS + 90)
        assert not any(t.is_alive() for t in threads), "a client hung"
        return time.monotonic() - started


def _queue(event_id: int) -> list[int]:
    return list(db.session.scalars(
        sa.select(Delegate.id).where(Delegate.event_id == event_id, Delegate.status == "waitlisted")
        .order_by(Delegate.waitlisted_at, Delegate.id)))


def _check_registrations(app, event_id: int, members: list[Member]) -> None:
    with app.app_context():
        delegations = db.session.scalars(sa.select(Delegation).where(Delegation.event_id == event_id)).all()
        per_unit = Counter(d.unit_id for d in delegations)
        assert per_unit == Counter(m.unit_id for m in members), "exactly one delegation per unit"
        wanted = {m.unit_id: m.people for m in members}
        for delegation in delegations:
            assert delegation.status == "confirmed"
            people = sorted(delegation.delegates, key=lambda d: d.position)
            assert len(people) == wanted[delegation.unit_id], "a double submit saved people twice"
            statuses = [d.status for d in people]
            # Within a delegation the form order holds: nobody is seated behind a waiting head.
            assert statuses == sorted(statuses, key=lambda s: s != "confirmed"), statuses
            assert set(statuses) <= {"confirmed", "waitlisted"}, statuses
        event = db.session.get(Event, event_id)
        counts = Counter(db.session.scalars(
            sa.select(Delegate.status).where(Delegate.event_id == event_id)))
        assert counts["confirmed"] == event.seats_taken == CAPACITY, (counts, event.seats_taken)
        assert counts["waitlisted"] == sum(wanted.values()) - CAPACITY
        waiting = db.session.scalars(sa.select(Delegate).filter_by(status="waitlisted")).all()
        assert all(d.waitlisted_at is not None and d.confirmed_at is None for d in waiting)


def _withdraw_one(app, crowd: Crowd, members: list[Member]) -> tuple[list[int], list[int]]:
    """A fully seated two-person unit (not a double clicker) withdraws; returns (first in the
    queue before, promoted after)."""
    with app.app_context():
        seated = {m.unit_id: m for m in members if m.people == 2 and not m.double}
        full = db.session.execute(
            sa.select(Delegation.unit_id).join(Delegate).where(
                Delegation.event_id == crowd.event_id, Delegation.unit_id.in_(seated),
                Delegate.status == "confirmed").group_by(Delegation.unit_id)
            .having(sa.func.count() == 2).order_by(Delegation.unit_id).limit(1)).scalar_one()
        first = _queue(crowd.event_id)[:2]
    member = seated[full]
    browser = crowd.browsers[member.index]
    path = f"/events/{crowd.event_id}/delegation"
    page = browser.get(crowd.url(member.index + 1, path))
    form = form_fields(page.body, action=f"{path}/withdraw", press="submit")
    reply = browser.post(crowd.url(member.index, f"{path}/withdraw"), form | {"confirm": "y"})
    assert reply.status == 302, reply.status
    with app.app_context():
        promoted = list(db.session.scalars(
            sa.select(Delegate.id).join(Delegation).where(
                Delegate.event_id == crowd.event_id, Delegate.status == "confirmed",
                Delegate.id.in_(first))))
        assert db.session.get(Event, crowd.event_id).seats_taken == CAPACITY
    return first, sorted(promoted)


def _outbox(app) -> tuple[set[str], Counter]:
    with app.app_context():
        ids = set(db.session.scalars(sa.select(OutboxMessage.message_id)))
        states = Counter(db.session.scalars(sa.select(OutboxMessage.state)))
    return ids, states


def _check_languages(app, members: list[Member]) -> None:
    """Each liaison's notices are in the liaison's language."""
    with app.app_context():
        sent = dict(db.session.execute(
            sa.select(OutboxMessage.to_addr, OutboxMessage.language)
            .where(OutboxMessage.to_addr.in_([m.email for m in members]))).all())
    assert len(sent) == UNITS
    assert all(sent[m.email] == m.locale for m in members)


def _log_problems(log_dir: Path) -> list[str]:
    """5xx in the gunicorn access logs, tracebacks and worker timeouts in any process log."""
    problems = []
    for path in sorted(log_dir.glob("process-*.log")):
        for line in path.read_text(errors="replace").splitlines():
            if re.search(r'" 5\d\d ', line) or "Traceback" in line or "WORKER TIMEOUT" in line:
                problems.append(f"{path.name}: {line[:300]}")
    return problems


def test_two_servers_take_simultaneous_delegations_without_overbooking(app, database_url, tmp_path):
    event_id, members = _seed(app)
    smtp = SMTPServer()
    smtp.start()
    ports = [cluster.free_port(), cluster.free_port()]
    env = cluster.environment(database_url, ports[0], tmp_path / "instance", smtp.port)
    commands = [cluster.gunicorn(ports[0], env), cluster.gunicorn(ports[1], env),
                cluster.mail_worker(env), cluster.mail_worker(env)]
    try:
        with cluster.processes(commands, tmp_path) as procs:
            for port, process in zip(ports, procs, strict=False):
                cluster.wait_until_serving(port, process)
            crowd = Crowd([f"http://127.0.0.1:{port}" for port in ports], event_id, members)
            seconds = crowd.storm()
            assert not crowd.errors, crowd.errors[:5]
            assert not crowd.log.server_errors(), crowd.log.server_errors()[:5]
            assert set(crowd.posts.values()) == {302}, Counter(crowd.posts.values())
            assert len(crowd.posts) == UNITS + DOUBLE
            _check_registrations(app, event_id, members)

            first, promoted = _withdraw_one(app, crowd, members)
            assert promoted == sorted(first), "the seats went to the head of the queue"
            assert not crowd.log.server_errors()

            def all_delivered() -> bool:
                ids, states = _outbox(app)
                return states["pending"] + states["sending"] == 0 and len(smtp.received) >= len(ids)

            wait_for(all_delivered, 120, "every notice delivered")
            time.sleep(1.0)  # a duplicate would arrive now, not later
            assert all(p.poll() is None for p in procs), "a server or worker died"
    finally:
        smtp.stop()

    assert not _log_problems(tmp_path), _log_problems(tmp_path)[:10]
    expected, states = _outbox(app)
    received = Counter(mail.message["Message-ID"] for mail in smtp.received)
    assert set(received) == expected, "every queued notice arrived"
    assert max(received.values()) == 1, [i for i, n in received.items() if n > 1][:5]
    assert states == {"sent": len(expected)}, states
    # Each unit heard once on registering (and the withdrawing one again); each delegate once.
    assert len(expected) >= UNITS + sum(m.people for m in members)
    _check_languages(app, members)
    print(f"{UNITS + DOUBLE} simultaneous submissions in {seconds:.1f} s; "
          f"{len(crowd.log.entries)} requests; {len(expected)} notices delivered once each")
