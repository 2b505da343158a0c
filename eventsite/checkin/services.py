"""Check-in use cases. The badge's code (Delegate.badge_code) and the one way a person is checked in
at a door (`check_in`), which every path shares: a camera scan, a search, a walk-in, an offline
scan uploaded later."""
from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from sqlalchemy.exc import IntegrityError

from ..core.urls import external_url
from ..delegations.models import Delegate
from ..events.models import AgendaSession
from ..extensions import db
from .models import CheckIn, SessionCheckIn

BADGE_CODE_BYTES = 16  # 128 random bits: 22 URL-safe characters on the QR
BADGE_CODE = re.compile(r"[A-Za-z0-9_-]{1,64}")


def ensure_badge_code(delegate: Delegate) -> str:
    """The code a badge's QR carries; made on first print. A new personal link clears it
    (delegations.notifications.issue_link), so a badge printed before stops checking anyone in."""
    if not delegate.badge_code:
        delegate.badge_code = secrets.token_urlsafe(BADGE_CODE_BYTES)
    return delegate.badge_code


def badge_url(code: str) -> str:
    """What the QR holds: an address, so any phone's camera app opens the check-in page for staff."""
    return external_url("checkin.badge", code=code)


def code_from_scan(text: str) -> str:
    """The code in what a camera read: the badge address's last segment, or the bare code; ""
    when that is not made of a code's characters (URL-safe base64, which a NUL byte, refused by
    PostgreSQL, never is)."""
    text = (text or "").strip()
    path = urlsplit(text).path if "://" in text else text
    code = path.rstrip("/").rsplit("/", 1)[-1]
    return code if BADGE_CODE.fullmatch(code) else ""


def delegate_by_code(event_id: int, code: str) -> Delegate | None:
    if not code:
        return None
    return db.session.scalar(db.select(Delegate).filter_by(event_id=event_id, badge_code=code))


@dataclass
class Outcome:
    record: CheckIn | SessionCheckIn
    created: bool  # False: the person was already checked in at this door (`record` says when, by whom)


def check_in(delegate: Delegate, *, by, scanned_at: datetime, method: str = "scan", device: str = "",
             scan_id: str | None = None, session: AgendaSession | None = None) -> Outcome:
    """Check `delegate` in at the event's door (session None) or a session's, once.

    The database's unique constraint decides between devices racing for the same person: the loser's
    insert fails inside a savepoint and it reads the winner's row. When the scan arriving now was
    made earlier than the one kept (two offline devices), the earliest scan is kept. Flushes, never
    commits: the calling service audits and commits once. Rules (who may enter) are the caller's."""
    model = CheckIn if session is None else SessionCheckIn
    door = {"event_id": delegate.event_id} if session is None else {"session_id": session.id}
    by_id, device = getattr(by, "id", None), device[:64]
    row = model(delegate_id=delegate.id, event_id=delegate.event_id, by_id=by_id, scanned_at=scanned_at,
                method=method, device=device, scan_id=scan_id)
    if session is not None:
        row.session_id = session.id
    try:
        with db.session.begin_nested():
            db.session.add(row)
        return Outcome(row, True)
    except IntegrityError:
        pass
    kept = db.session.scalar(db.select(model).filter_by(delegate_id=delegate.id, **door))
    if kept is None:  # the same scan_id was stored for another person: a forged or broken upload
        raise ValueError("scan id already used")
    if scanned_at < kept.scanned_at:
        kept.scanned_at, kept.by_id, kept.device, kept.method = scanned_at, by_id, device, method
        db.session.flush()
    return Outcome(kept, False)
