"""Issuing certificates: only after the event, only to people checked in at the door, once per
person (a second issue makes only the new ones), numbered per event; each mailed with its PDF in
the person's language by the mail worker, exactly once; one audit entry per issue; revoking is
audited."""
from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from eventsite.audit.models import AuditEntry
from eventsite.certificates import services
from eventsite.certificates.jobs import mail_new_certificates
from eventsite.certificates.models import Certificate
from eventsite.core.domain import DomainError
from eventsite.core.timezones import to_local
from eventsite.extensions import db, now_utc

from .helpers import check_in_now, ended_event


def certificates(event_id: int) -> list[Certificate]:
    return list(db.session.scalars(sa.select(Certificate).where(Certificate.event_id == event_id)
                                   .order_by(Certificate.sequence)))


@pytest.mark.both_dbs
def test_only_checked_in_people_get_one_each_and_a_second_issue_adds_only_the_new(app, outbox):
    with app.app_context():
        event, came, away, organizer = ended_event(checked=2, absent=2)
        made = services.issue_all(event, actor=organizer)
        assert sorted(c.delegate_id for c in made) == sorted(p.id for p in came)
        year = to_local(event.starts_at, event.timezone).year
        assert [c.number for c in certificates(event.id)] == [f"{year}-0001", f"{year}-0002"]

        assert services.issue_all(event, actor=organizer) == []  # nothing new: nothing written
        assert len(certificates(event.id)) == 2

        check_in_now(away[0])  # a late check-in (the organizer's correction)
        again = services.issue_all(event, actor=organizer)
        assert [c.delegate_id for c in again] == [away[0].id]
        assert again[0].number == f"{year}-0003" and again[0].sequence == 3
        assert away[1].id not in {c.delegate_id for c in certificates(event.id)}

        entries = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "certificate.issue_all")
                                     .order_by(AuditEntry.id)).all()
        assert [e.details["count"] for e in entries] == [2, 1]
        assert all(e.actor_id == organizer.id and e.target_id == event.id for e in entries)
        # Issuing mails nothing itself; the worker's job mails each certificate once.
        assert outbox(kind="certificate") == []
        assert mail_new_certificates(limit=2) == 2 and mail_new_certificates() == 1
        assert mail_new_certificates() == 0
        assert len(outbox(kind="certificate")) == 3
        assert all(c.mailed_at is not None for c in certificates(event.id))


def test_not_before_the_event_has_ended(app):
    with app.app_context():
        event, _came, _away, organizer = ended_event()
        event.ends_at = now_utc() + timedelta(hours=1)  # still going on
        db.session.commit()
        with pytest.raises(DomainError, match="not ended"):
            services.issue_all(event, actor=organizer)
        assert certificates(event.id) == []
        assert db.session.scalar(sa.select(sa.func.count(AuditEntry.id))
                                 .where(AuditEntry.action == "certificate.issue_all")) == 0


def test_nobody_checked_in_means_nothing_to_issue(app):
    with app.app_context():
        event, _came, _away, organizer = ended_event(checked=0, absent=2)
        with pytest.raises(DomainError, match="Nobody was checked in"):
            services.issue_all(event, actor=organizer)
        assert certificates(event.id) == []


def test_numbers_run_per_event(app):
    with app.app_context():
        first, *_rest, organizer = ended_event(checked=2)
        second, *_ = ended_event(checked=1)
        services.issue_all(first, actor=organizer)
        services.issue_all(second, actor=organizer)
        assert [c.sequence for c in certificates(first.id)] == [1, 2]
        assert [c.sequence for c in certificates(second.id)] == [1]
        tokens = {c.token for c in certificates(first.id) + certificates(second.id)}
        assert len(tokens) == 3 and all(len(t) >= 43 for t in tokens)
        assert all(c.token_hash != c.token for c in certificates(first.id))


def test_each_certificate_is_mailed_in_the_persons_language_with_the_pdf(app, outbox):
    with app.app_context():
        event, came, _away, organizer = ended_event(checked=3)
        came[1].language = "en"
        came[2].email = ""  # no address: no message, still a certificate
        db.session.commit()
        made = services.issue_all(event, actor=organizer)
        assert len(made) == 3
        assert mail_new_certificates() == 2
        assert [c.mailed_at is None for c in made] == [False, False, True]
        messages = outbox(kind="certificate")
        assert sorted(m.to_addr for m in messages) == sorted([came[0].email, came[1].email])
        by_address = {m.to_addr: m for m in messages}
        chinese, english = by_address[came[0].email], by_address[came[1].email]
        number = {c.delegate_id: c.number for c in made}
        assert chinese.subject.startswith(f"参会证书 {number[came[0].id]}")
        assert english.subject.startswith(f"Certificate of participation {number[came[1].id]}")
        assert "/certificates/verify/" in english.body_text
        for message in (chinese, english):
            (attachment,) = message.attachments
            assert attachment.content_type == "application/pdf"
            assert attachment.filename == f"certificate-{number[message.delegate_id]}.pdf"
            assert attachment.data.startswith(b"%PDF")


def test_revoke_is_audited_and_only_once(app):
    with app.app_context():
        event, _came, _away, organizer = ended_event(checked=1)
        (certificate,) = services.issue_all(event, actor=organizer)
        services.revoke(certificate, actor=organizer)
        assert certificate.revoked_at is not None and not certificate.is_valid
        with pytest.raises(DomainError):
            services.revoke(certificate, actor=organizer)
        entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "certificate.revoke"))
        assert entry.target_id == certificate.id and entry.actor_id == organizer.id


def test_a_certificate_revoked_before_the_worker_mails_it_is_never_mailed(app, outbox):
    with app.app_context():
        event, _came, _away, organizer = ended_event(checked=2)
        first, second = services.issue_all(event, actor=organizer)
        services.revoke(first, actor=organizer)
        assert mail_new_certificates() == 1
        assert [m.delegate_id for m in outbox(kind="certificate")] == [second.delegate_id]


@pytest.mark.both_dbs
def test_two_workers_mail_each_certificate_once(app_factory):
    from ..races import at_once

    apps = [app_factory(), app_factory()]
    with apps[0].app_context():
        event, _came, _away, organizer = ended_event(checked=4)
        services.issue_all(event, actor=organizer)
        event_id = event.id
    mailed = at_once(apps, [(), ()], load=lambda: (), act=mail_new_certificates)
    assert sum(mailed) == 4
    with apps[1].app_context():
        from eventsite.mail.models import OutboxMessage

        kinds = db.session.scalars(sa.select(OutboxMessage.delegate_id).where(OutboxMessage.kind == "certificate"))
        assert sorted(kinds) == sorted({c.delegate_id for c in certificates(event_id)})


def test_a_revoked_certificate_is_not_issued_again(app):
    with app.app_context():
        event, _came, _away, organizer = ended_event(checked=1)
        (certificate,) = services.issue_all(event, actor=organizer)
        services.revoke(certificate, actor=organizer)
        assert services.issue_all(event, actor=organizer) == []


def test_erasure_deletes_the_events_certificates_and_the_mailed_pdfs(app, outbox):
    from eventsite.privacy.erasure import erase_event

    with app.app_context():
        event, _came, _away, organizer = ended_event(checked=2)
        other, *_ = ended_event(checked=1)
        services.issue_all(event, actor=organizer)
        services.issue_all(other, actor=organizer)
        mail_new_certificates()
        assert len(outbox(kind="certificate")[0].attachments) == 1
        erase_event(event, actor=organizer)
        assert certificates(event.id) == []
        mailed = {m.event_id: m for m in outbox(kind="certificate")}
        assert mailed[event.id].attachments == [] and len(mailed[other.id].attachments) == 1
        assert len(certificates(other.id)) == 1
        entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "privacy.erase_event"))
        assert entry.details["certificates"] == 2
