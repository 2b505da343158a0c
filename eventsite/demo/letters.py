"""The demo's invitation letter: on the flagship forum abroad (the demo event whose delegates
travel with passports), the first confirmed Chinese delegation asks for letters for its members
and the secretariat issues one letter listing them, so the letter pages, the PDF and the public
verification page have something to show. The forum asks for travel documents, so the
registrations filled them (made-up numbers, never a real document's); a gap is filled here."""
from __future__ import annotations

from datetime import date

from ..delegations.models import Delegation
from ..events.models import Event
from ..extensions import db
from ..letters import services


def add_letter(event: Event, organizer) -> None:
    delegations = db.session.scalars(db.select(Delegation).where(
        Delegation.event_id == event.id, Delegation.status == "confirmed").order_by(Delegation.id)).all()
    delegation = next((d for d in delegations if d.unit.country == "CN"), None)
    if delegation is None:
        return
    people = [d for d in delegation.delegates if d.status == "confirmed"][:3]
    for n, delegate in enumerate(people):
        delegate.passport_name = delegate.passport_name or f"{delegate.family_name.upper()} {delegate.given_name.upper()}"
        delegate.passport_number = delegate.passport_number or f"EJ{4817263 + n * 1117:07d}"
        delegate.nationality = delegate.nationality or "CN"
        delegate.birth_date = delegate.birth_date or date(1968 + 4 * n, 3 + n, 11 + n)
        delegate.passport_expiry = delegate.passport_expiry or date(2033, 6, 30)
    db.session.commit()
    requests = services.request_letters(delegation, [d.id for d in people], "Forum and site visit",
                                        actor=organizer)
    services.issue(event, [r.id for r in requests], actor=organizer)
