"""The desk's upload: a batch of scans a phone made (online at once, or kept offline and sent
later), each settled by the server and answered with a result and the person's card.

Results: checked_in (this scan checked the person in; also the answer to a retried upload of the
same scan id), already (someone was faster: when and by whom), unknown_badge, unknown_session,
not_admitted (the person's registration is not confirmed or waitlisted), session_full, bad_time
(the device's clock says a time the scan cannot have happened: more than a day ahead, or before the
event's first day), bad_scan_id (missing, malformed, or already used for another person).
One audit entry per batch names everyone checked in and the staff member; one commit."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func

from ..audit.services import record
from ..core.gettext import gettext as _
from ..core.locking import lock_rows
from ..core.timezones import to_local
from ..delegations.models import ADMITTED_DELEGATE_STATUSES, Delegate
from ..events.models import AgendaSession, Event
from ..extensions import db, now_utc
from . import queries
from .models import CHECKIN_METHODS, SessionCheckIn
from .services import check_in, code_from_scan, delegate_by_code

MAX_SCANS = 500  # per upload; a phone offline for a whole morning sends a few hundred at most
MAX_BODY = 256 * 1024  # bytes (views.py refuses bigger bodies before reading them)
FUTURE = timedelta(hours=24)
SCAN_ID = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
DESK_METHODS = ("scan", "search")
RESULTS = ("checked_in", "already", "unknown_badge", "unknown_session", "not_admitted", "session_full",
           "bad_time", "bad_scan_id")
if not set(DESK_METHODS) <= set(CHECKIN_METHODS):
    raise RuntimeError("the desk's methods must be check-in methods")


class BadUpload(ValueError):
    """The body is not an upload at all (400): not JSON, no list of scans, too many of them."""


@dataclass
class Scan:
    id: str | None
    code: str
    at: datetime | None
    session_id: int | None  # None: the event's entrance
    session_given: bool  # a session value was sent that is not a whole number
    device: str
    method: str


def _text(value, limit: int) -> str:
    return value[:limit] if isinstance(value, str) else ""


def _instant(value) -> datetime | None:
    if not isinstance(value, str) or len(value) > 40:
        return None
    try:
        instant = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return instant if instant.tzinfo is not None else None


def _scan(item) -> Scan:
    if not isinstance(item, dict):
        raise BadUpload(_("Each scan must be an object."))
    scan_id, session = item.get("id"), item.get("session")
    whole = isinstance(session, int) and not isinstance(session, bool) and 0 < session < 2**31
    method = item.get("method") if item.get("method") in DESK_METHODS else "scan"
    return Scan(id=scan_id if isinstance(scan_id, str) and SCAN_ID.match(scan_id) else None,
                code=_text(item.get("code"), 2000), at=_instant(item.get("at")),
                session_id=session if whole else None, session_given=session is not None and not whole,
                device=_text(item.get("device"), 64), method=method)


def read_upload(payload) -> list[Scan]:
    """The scans of a decoded JSON body, or BadUpload saying what is wrong with its shape."""
    if not isinstance(payload, dict) or not isinstance(payload.get("scans"), list):
        raise BadUpload(_('Send a JSON object with a list "scans".'))
    if len(payload["scans"]) > MAX_SCANS:
        raise BadUpload(_("At most %(num)d scans per upload.", num=MAX_SCANS))
    return [_scan(item) for item in payload["scans"]]


MESSAGES = {
    "checked_in": lambda: _("Checked in."),
    "already": lambda: _("Already checked in."),
    "unknown_badge": lambda: _("Unknown badge: not a badge of this event, or replaced by a newer one."),
    "unknown_session": lambda: _("Unknown session: choose the door again."),
    "not_admitted": lambda: _("Not admitted: this registration is not confirmed. Send the person to the help desk."),
    "session_full": lambda: _("This session is full."),
    "bad_time": lambda: _("The scan's time is impossible: check the phone's clock."),
    "bad_scan_id": lambda: _("The scan could not be read: scan again."),
}


class _Batch:
    """One upload being settled: the sessions it locked, what it checked in (for the audit)."""

    def __init__(self, event: Event, user, language: str, now: datetime):
        self.event, self.user, self.language, self.now = event, user, language, now
        self.sessions: dict[int, AgendaSession | None] = {}
        self.entrance_too: list[tuple[Delegate, Scan]] = []  # people seen at a session's door
        self.done: list[dict] = []
        first_day = to_local(event.starts_at, event.timezone)
        self.earliest = first_day.replace(hour=0, minute=0, second=0, microsecond=0)

    def lock_sessions(self, ids: set[int]) -> None:
        """The batch's sessions, their rows locked until the commit (capacity is counted under the
        lock; core.locking: on SQLite the database's write lock), all at once and in id order so
        that two uploads never wait for each other in turn."""
        mine = (AgendaSession.id.in_(sorted(ids)), AgendaSession.event_id == self.event.id)
        if ids:
            lock_rows(AgendaSession.__table__, *mine)
        found = db.session.scalars(db.select(AgendaSession).where(*mine)) if ids else []
        self.sessions = dict.fromkeys(ids) | {s.id: s for s in found}

    def session(self, session_id: int) -> AgendaSession | None:
        return self.sessions.get(session_id)

    def answer(self, scan: Scan, result: str, delegate: Delegate | None = None, door=None) -> dict:
        answer = {"id": scan.id, "result": result, "message": MESSAGES[result](),
                  "card": None if delegate is None else queries.card(delegate, self.event, self.language, door)}
        if result == "already" and door is not None:
            answer["message"] = _("Already checked in at %(time)s by %(name)s.",
                                  time=queries.seen_at(door.scanned_at, self.event, self.now),
                                  name=queries.staff_name(door.by))
        return answer

    def settle(self, scan: Scan) -> dict:
        if scan.id is None:
            return self.answer(scan, "bad_scan_id")
        if scan.at is None or scan.at > self.now + FUTURE or scan.at < self.earliest:
            return self.answer(scan, "bad_time")
        session = None
        if scan.session_given or scan.session_id is not None:
            session = None if scan.session_given else self.session(scan.session_id)
            if session is None:
                return self.answer(scan, "unknown_session")
        delegate = delegate_by_code(self.event.id, code_from_scan(scan.code))
        if delegate is None:
            return self.answer(scan, "unknown_badge")
        if delegate.status not in ADMITTED_DELEGATE_STATUSES:
            return self.answer(scan, "not_admitted", delegate)
        if session is not None and self._full(session, delegate):
            return self.answer(scan, "session_full", delegate)
        return self._check_in(scan, delegate, session)

    def _full(self, session: AgendaSession, delegate: Delegate) -> bool:
        if session.capacity is None:
            return False
        inside = db.session.scalar(db.select(func.count(SessionCheckIn.id)).filter_by(session_id=session.id))
        already = db.session.scalar(db.select(SessionCheckIn.id).filter_by(
            session_id=session.id, delegate_id=delegate.id))
        return already is None and inside >= session.capacity

    def _check_in(self, scan: Scan, delegate: Delegate, session: AgendaSession | None) -> dict:
        try:
            outcome = check_in(delegate, by=self.user, scanned_at=scan.at, method=scan.method,
                               device=scan.device, scan_id=scan.id, session=session)
        except ValueError:  # the scan id names another person's check-in
            return self.answer(scan, "bad_scan_id")
        if session is not None:  # in a session means through the entrance too (settled later)
            self.entrance_too.append((delegate, scan))
        if outcome.created:
            self._note(delegate, session)
            return self.answer(scan, "checked_in", delegate, outcome.record)
        if outcome.record.scan_id == scan.id:  # the device's retry of a scan already settled
            return self.answer(scan, "checked_in", delegate, outcome.record)
        if outcome.record.scanned_at == scan.at and outcome.record.by_id == getattr(self.user, "id", None):
            self._note(delegate, session, earlier=True)  # this earlier offline scan is now the one kept
        return self.answer(scan, "already", delegate, outcome.record)

    def enter(self, delegate: Delegate, scan: Scan) -> None:
        """Check in at the entrance someone a session's door saw (nothing to answer)."""
        door = check_in(delegate, by=self.user, scanned_at=scan.at, method=scan.method, device=scan.device)
        if door.created:
            self._note(delegate, None)

    def _note(self, delegate: Delegate, session: AgendaSession | None, earlier: bool = False) -> None:
        self.done.append({"delegate_id": delegate.id, "name": delegate.display_name("en"),
                          "session_id": None if session is None else session.id}
                         | ({"earlier_scan": True} if earlier else {}))


def upload(event: Event, user, scans: list[Scan], language: str = "en") -> list[dict]:
    """Settle every scan of one upload, audit who was checked in by whom, commit once."""
    batch = _Batch(event, user, language, now_utc())
    batch.lock_sessions({scan.session_id for scan in scans if scan.session_id is not None})
    answers: list[dict] = [{}] * len(scans)
    # Sessions first, in the order the scans were made (the earliest get the last seats): uploads
    # sharing a session already wait for each other at its lock.
    at_sessions = [n for n, scan in enumerate(scans) if scan.session_id is not None or scan.session_given]
    for n in sorted(at_sessions, key=lambda n: (scans[n].at is None, scans[n].at or batch.now)):
        answers[n] = batch.settle(scans[n])
    # Then the entrance, in the badges' order, so two uploads naming the same people take those
    # rows' locks in the same order: they wait for each other, they never deadlock.
    seen_at_sessions = set(at_sessions)
    entrance = [(code_from_scan(scan.code), n) for n, scan in enumerate(scans) if n not in seen_at_sessions]
    entrance += [(delegate.badge_code or "", -1 - k) for k, (delegate, _) in enumerate(batch.entrance_too)]
    for _code, n in sorted(entrance):
        if n >= 0:
            answers[n] = batch.settle(scans[n])
        else:
            batch.enter(*batch.entrance_too[-1 - n])
    if batch.done:
        record("checkin.scans", event, actor=user, target_label=event.title_en or event.title_zh, details={
            "checked_in": batch.done, "scans": len(scans),
            "devices": sorted({s.device for s in scans if s.device})[:10]})
    db.session.commit()
    return answers
