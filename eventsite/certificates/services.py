"""Certificate use cases, one function each: the organizer issues the certificates of an event
(every checked-in delegate without one yet), revokes one; the PDF for a download; erasure.

Issuing all is safe to press twice and by two organizers at once: the event's row is locked first
(`SELECT ... FOR UPDATE` on PostgreSQL; on SQLite a no-op UPDATE takes the database's write lock),
so the second issue waits, then sees the first one's certificates and numbers. The unique
constraints (one per person and event; one number per event) stand behind it."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from ..audit.services import record
from ..checkin.models import CheckIn
from ..core.domain import DomainError
from ..core.gettext import gettext as _
from ..core.locking import lock_rows
from ..core.timezones import to_local
from ..core.tokens import new_token
from ..core.urls import external_url
from ..delegations.models import Delegate
from ..events.models import Event
from ..extensions import db, now_utc
from . import document
from .models import Certificate

_event = Event.__table__


def not_ended_message() -> str:
    return _("The event has not ended yet: certificates are issued after it ends.")


def nobody_message() -> str:
    return _("Nobody was checked in at this event, so there is no certificate to issue.")


def _lock_event(event_id: int) -> None:
    """Make concurrent issues for one event wait for each other (see the module doc)."""
    lock_rows(_event, _event.c.id == event_id)


def number_for(event: Event, sequence: int) -> str:
    """'2026-0007': the year the event started (its own time zone) and the event's sequence."""
    return f"{to_local(event.starts_at, event.timezone).year}-{sequence:04d}"


def check_can_issue(event: Event, now: datetime | None = None) -> None:
    if event.ends_at >= (now or now_utc()):
        raise DomainError(not_ended_message())


def blocked_reason(event: Event, checked_in: int, now: datetime | None = None) -> str | None:
    """What the organizer's page says instead of the issue button (None: the button)."""
    if event.ends_at >= (now or now_utc()):
        return not_ended_message()
    return None if checked_in else nobody_message()


def issue_all(event: Event, actor=None, now: datetime | None = None) -> list[Certificate]:
    """Certificates for every delegate checked in at the event's door who has none yet (the mail
    worker then mails each as a PDF in the person's language: jobs.py); one audit entry with the
    count. Returns the new ones (none: everyone has theirs already, nothing is written)."""
    now = now or now_utc()
    check_can_issue(event, now)
    _lock_event(event.id)
    checked_in = set(db.session.scalars(sa.select(CheckIn.delegate_id).where(CheckIn.event_id == event.id)))
    if not checked_in:
        db.session.rollback()
        raise DomainError(nobody_message())
    have = set(db.session.scalars(sa.select(Certificate.delegate_id).where(Certificate.event_id == event.id)))
    waiting = sorted(checked_in - have)
    if not waiting:
        db.session.rollback()
        return []
    last = db.session.scalar(sa.select(sa.func.max(Certificate.sequence))
                             .where(Certificate.event_id == event.id)) or 0
    people = {d.id: d for d in db.session.scalars(sa.select(Delegate).where(Delegate.id.in_(waiting)))}
    made = []
    for offset, delegate_id in enumerate(waiting, start=1):
        raw, digest = new_token()
        certificate = Certificate(event_id=event.id, delegate_id=delegate_id, sequence=last + offset,
                                  number=number_for(event, last + offset), token_hash=digest, token=raw,
                                  issued_at=now, by_id=getattr(actor, "id", None))
        certificate.event, certificate.delegate = event, people[delegate_id]
        db.session.add(certificate)
        made.append(certificate)
    _settle(db.session.flush)
    # The PDFs are drawn and mailed by the mail worker (jobs.py), not here: drawing a few hundred
    # would hold the event's lock, and the organizer's request, for minutes.
    record("certificate.issue_all", event, actor=actor, details={"count": len(made)})
    _settle(db.session.commit)
    return made


def _settle(write) -> None:
    """Flush or commit; a unique constraint refusing it means a concurrent issue got there first
    (the event's lock makes it rare; the constraints stand behind it)."""
    try:
        write()
    except IntegrityError:
        db.session.rollback()
        raise DomainError(_("Someone issued certificates at the same moment: look at the list again.")) from None


def revoke(certificate: Certificate, actor=None) -> None:
    if certificate.revoked_at is not None:
        raise DomainError(_("This certificate was already revoked."))
    certificate.revoked_at = now_utc()
    record("certificate.revoke", certificate, actor=actor, details={"delegate": certificate.delegate_id})
    db.session.commit()


def doc_of(certificate: Certificate) -> document.CertificateDoc:
    event, person = certificate.event, certificate.delegate
    unit = person.delegation.unit
    return document.CertificateDoc(
        number=certificate.number, issued_on=to_local(certificate.issued_at, event.timezone).date(),
        event=event, names={lang: person.display_name(lang) for lang in ("zh", "en")},
        units={lang: unit.display_name(lang) for lang in ("zh", "en")},
        verify_url=external_url("certificates.verify", token=certificate.token))


def certificate_pdf(certificate: Certificate) -> bytes:
    return document.certificate_pdf(doc_of(certificate))


def erase_event(event_id: int) -> int:
    """For privacy/erasure.py (inside its transaction): the event's certificates are deleted
    (they print the person's name). Returns how many."""
    result = db.session.execute(sa.delete(Certificate).where(Certificate.event_id == event_id)
                                .execution_options(synchronize_session=False))
    return result.rowcount or 0
