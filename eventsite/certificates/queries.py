"""The read side of certificates: the organizer's counts and list, the delegate's certificate and
the public verification page's lookup."""
from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from ..checkin.models import CheckIn
from ..core.tokens import hash_token, plausible
from ..delegations.models import Delegate
from ..extensions import db
from .models import Certificate


@dataclass
class Counts:
    checked_in: int
    issued: int
    revoked: int
    to_issue: int


def counts(event_id: int) -> Counts:
    checked_in = db.session.scalar(sa.select(sa.func.count()).select_from(CheckIn)
                                   .where(CheckIn.event_id == event_id)) or 0
    issued = db.session.scalar(sa.select(sa.func.count(Certificate.id)).where(
        Certificate.event_id == event_id, Certificate.revoked_at.is_(None))) or 0
    revoked = db.session.scalar(sa.select(sa.func.count(Certificate.id)).where(
        Certificate.event_id == event_id, Certificate.revoked_at.is_not(None))) or 0
    have = sa.select(Certificate.delegate_id).where(Certificate.event_id == event_id)
    to_issue = db.session.scalar(sa.select(sa.func.count()).select_from(CheckIn).where(
        CheckIn.event_id == event_id, CheckIn.delegate_id.not_in(have))) or 0
    return Counts(checked_in, issued, revoked, to_issue)


def event_certificates(event_id: int) -> list[Certificate]:
    return list(db.session.scalars(
        sa.select(Certificate).where(Certificate.event_id == event_id)
        .options(joinedload(Certificate.delegate).joinedload(Delegate.delegation))
        .order_by(Certificate.sequence)))


def delegate_certificate(delegate_id: int) -> Certificate | None:
    """The delegate's valid certificate (one per person and event; a delegate row is one event's)."""
    return db.session.scalar(sa.select(Certificate).where(
        Certificate.delegate_id == delegate_id, Certificate.revoked_at.is_(None)))


def by_token(raw: str | None) -> Certificate | None:
    if not plausible(raw):
        return None
    return db.session.scalar(sa.select(Certificate).where(Certificate.token_hash == hash_token(raw)))
