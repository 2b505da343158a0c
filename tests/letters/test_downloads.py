"""Every download of a letter's PDF is in the audit log, because the file carries passport
numbers: who (organizer, liaison, a delegate through their link) and which letter. A download
refused (another unit, a guessed link) records nothing."""
from __future__ import annotations

from eventsite.audit.models import AuditEntry
from eventsite.core.tokens import new_token
from eventsite.delegations.models import Delegate
from eventsite.extensions import db

from .test_flow import request_and_issue, world  # noqa: F401  (the fixture)


def downloads(app) -> list[AuditEntry]:
    with app.app_context():
        entries = db.session.scalars(db.select(AuditEntry).where(AuditEntry.action == "letter.download")
                                     .order_by(AuditEntry.id)).all()
        db.session.expunge_all()
        return entries


def test_each_download_records_who_and_which_letter(app, world, outbox):  # noqa: F811
    ids, liaison, organizer = world
    letter = request_and_issue(app, world, outbox)
    assert downloads(app) == []  # issuing (and mailing) is not a download
    assert liaison.get(f"/events/{ids['event']}/delegation/letters/{letter.id}.pdf").status_code == 200
    assert organizer.get(f"/organizer/events/{ids['event']}/letters/{letter.id}.pdf").status_code == 200
    with app.app_context():
        named = db.session.get(Delegate, ids["people"][0])
        raw, named.token_hash = new_token()
        db.session.commit()
    client = app.test_client()
    base = f"/events/{ids['event']}/delegate"
    assert client.get(f"{base}/{raw}/letters/{letter.id}.pdf").status_code == 200
    assert client.get(f"{base}/{'x' * 43}/letters/{letter.id}.pdf").status_code == 404

    entries = downloads(app)
    assert [(e.actor_id, e.details["by"]) for e in entries] == [
        (ids["liaison"], "liaison"), (ids["organizer"], "organizer"), (None, "delegate")]
    assert {(e.target_type, e.target_id, e.target_label) for e in entries} == {
        ("letter", letter.id, letter.reference)}
    assert entries[2].actor_label.startswith(f"delegate #{ids['people'][0]}")
    assert all(e.details["delegation"] == ids["delegation"] for e in entries)
