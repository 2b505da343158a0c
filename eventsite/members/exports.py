"""CSV exports of units and contacts, in the same columns the import reads (codes, not labels),
so exporting and importing again changes nothing."""
from __future__ import annotations

from sqlalchemy.orm import selectinload

from ..core.spreadsheet import write_csv
from ..extensions import db
from .models import Contact, MemberUnit

UNIT_HEADER = ["id", "kind", "name_zh", "name_en", "country", "province", "batch", "joined_on",
               "tags", "website", "active", "notes"]
CONTACT_HEADER = ["id", "unit_id", "unit", "role", "name_zh", "name_latin", "title", "email",
                  "phone", "language", "receives_invitations"]


def _yes_no(value: bool) -> str:
    return "yes" if value else "no"


def units_csv() -> bytes:
    return write_csv(UNIT_HEADER, [
        [u.id, u.kind, u.name_zh, u.name_en, u.country, u.province, u.batch or "",
         u.joined_on.isoformat() if u.joined_on else "", ", ".join(t.both_names() for t in u.tags),
         u.website, _yes_no(u.is_active), u.notes]
        for u in db.session.scalars(db.select(MemberUnit).options(selectinload(MemberUnit.tags))
                                   .order_by(MemberUnit.id))])


def contacts_csv() -> bytes:
    return write_csv(CONTACT_HEADER, [
        [c.id, c.unit_id, c.unit.display_name("zh"), c.role, c.name_zh, c.name_latin,
         c.title, c.email, c.phone, c.language, _yes_no(c.receives_invitations)]
        for c in db.session.scalars(db.select(Contact).options(selectinload(Contact.unit))
                                   .order_by(Contact.unit_id, Contact.id))])
