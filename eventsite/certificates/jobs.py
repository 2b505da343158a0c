"""Certificates' mails, written by the mail worker on each pass: issuing only numbers them (quickly,
under the event's lock); each PDF is drawn here, outside any request and lock, and goes to the
outbox with its mail in the same transaction that marks the certificate mailed."""
from __future__ import annotations

import sqlalchemy as sa

from ..delegations.models import Delegate
from ..extensions import db, now_utc
from ..mail.worker import register_job
from . import notifications
from .models import Certificate
from .services import certificate_pdf

BATCH = 20  # certificates per pass: the worker goes back to sending mail between batches


def mail_new_certificates(limit: int = BATCH) -> int:
    """Mail certificates not mailed yet (not revoked, the person has an address). Two workers may
    run this at once: the conditional UPDATE lets exactly one of them claim each certificate."""
    due = db.session.scalars(
        sa.select(Certificate.id).join(Delegate, Delegate.id == Certificate.delegate_id)
        .where(Certificate.mailed_at.is_(None), Certificate.revoked_at.is_(None), Delegate.email != "")
        .order_by(Certificate.id).limit(limit)).all()
    db.session.rollback()  # end the read; each certificate is claimed in its own transaction
    mailed = 0
    for certificate_id in due:
        claimed = db.session.execute(
            sa.update(Certificate).where(Certificate.id == certificate_id, Certificate.mailed_at.is_(None))
            .values(mailed_at=now_utc())).rowcount
        if not claimed:
            db.session.rollback()
            continue
        certificate = db.session.get(Certificate, certificate_id)
        notifications.certificate_issued(certificate, certificate_pdf(certificate))
        db.session.commit()
        mailed += 1
    return mailed


register_job(mail_new_certificates)
