"""Printing badges: the one use case. Each person printed gets a badge code if they had none
(checkin.services.ensure_badge_code) and a badge_print row with the fingerprint of what was
printed; one audit entry; one commit, so a QR on paper always has its code in the database."""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.attributes import set_committed_value

from ..audit.services import record
from ..checkin.services import badge_url, ensure_badge_code
from ..core.domain import DomainError
from ..core.gettext import lazy_gettext as _l
from ..delegations.models import Delegate
from ..extensions import db, now_utc
from . import document, queries
from .models import BadgePrint


def check_format(fmt: str) -> document.Format:
    if fmt not in document.FORMATS:
        raise DomainError(_l("Choose one of the badge formats."), "format")
    return document.FORMATS[fmt]


def print_badges(event, selection: queries.Selection, fmt: str, *, actor, lang: str) -> bytes:
    """The PDF of the selected people's badges (in print order), recorded as printed."""
    layout = check_format(fmt)
    people = [row.delegate for row in queries.overview(event, selection, lang).rows]
    if not people:
        raise DomainError(_l("No badge to print: no one matches the selection."))
    dates = document.event_dates(event)
    faces = [document.face(person, event, layout, badge_url(_claim_code(person)), dates)
             for person in people]
    pdf = document.badges_pdf(faces, layout)
    _record_prints(event, people, faces, actor)
    record("badges.printed", event, actor=actor,
           details={"count": len(people), "format": fmt, "filter": selection.details()})
    db.session.commit()
    return pdf


def _claim_code(person) -> str:
    """The person's badge code (checkin.services.ensure_badge_code), written only where the person
    has none yet (a conditional UPDATE): two organizers printing the same person at once print the
    code written first, so neither badge is dead on arrival."""
    if person.badge_code:
        return person.badge_code
    with db.session.no_autoflush:
        candidate = ensure_badge_code(person)
        set_committed_value(person, "badge_code", None)  # written below, not by the unit of work
    db.session.execute(sa.update(Delegate).where(Delegate.id == person.id, Delegate.badge_code.is_(None))
                       .values(badge_code=candidate).execution_options(synchronize_session=False))
    stored = db.session.scalar(sa.select(Delegate.badge_code).where(Delegate.id == person.id))
    set_committed_value(person, "badge_code", stored)
    return stored


def _record_prints(event, people, faces, actor) -> None:
    now, by_id = now_utc(), getattr(actor, "id", None)
    ids = [person.id for person in people]
    existing = {p.delegate_id: p for p in db.session.scalars(
        sa.select(BadgePrint).where(BadgePrint.event_id == event.id, BadgePrint.delegate_id.in_(ids)))}
    for person, face in zip(people, faces):
        stamp = document.fingerprint(face.shown)
        row = existing.get(person.id)
        if row is None:
            try:  # another organizer printing the same person at this moment: update their row
                with db.session.begin_nested():
                    db.session.add(BadgePrint(event_id=event.id, delegate_id=person.id, printed_at=now,
                                              by_id=by_id, fingerprint=stamp))
                continue
            except IntegrityError:
                row = db.session.scalar(sa.select(BadgePrint).filter_by(event_id=event.id, delegate_id=person.id))
        row.printed_at, row.by_id, row.fingerprint = now, by_id, stamp
    db.session.flush()


def erase_event(event_id: int) -> int:
    """Erasure (privacy/erasure.py): the event's print records go; returns how many."""
    result = db.session.execute(sa.delete(BadgePrint).where(BadgePrint.event_id == event_id))
    return result.rowcount or 0
