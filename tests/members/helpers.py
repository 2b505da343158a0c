"""Small helpers for the member tests: upload a CSV, read the database."""
from __future__ import annotations

import io

from eventsite.extensions import db
from eventsite.members.models import Contact, MemberUnit

from ..conftest import csrf_token

IMPORT_URL = "/directory/import"


def upload(client, data: bytes, content: str = "units", name: str = "file.csv", headers=None):
    token = csrf_token(client, IMPORT_URL)
    return client.post(
        IMPORT_URL,
        data={"csrf_token": token, "content": content, "file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
        headers=headers or {},
    )


def units_by_name(app) -> dict[str, MemberUnit]:
    with app.app_context():
        units = db.session.scalars(db.select(MemberUnit)).all()
        return {u.name_zh or u.name_en: _plain(u) for u in units}


def _plain(unit):
    return {
        "id": unit.id, "kind": unit.kind, "name_zh": unit.name_zh, "name_en": unit.name_en,
        "country": unit.country, "province": unit.province, "batch": unit.batch,
        "joined_on": unit.joined_on, "tags": sorted(t.both_names() for t in unit.tags),
        "is_active": unit.is_active, "website": unit.website, "notes": unit.notes,
    }


def snapshot(app):
    """Everything the member feature stores, to prove that nothing changed."""
    with app.app_context():
        units = [tuple(sorted(_plain(u).items())) for u in
                 db.session.scalars(db.select(MemberUnit).order_by(MemberUnit.id))]
        contacts = [
            (c.id, c.unit_id, c.role, c.name_zh, c.name_latin, c.title, c.email, c.phone, c.language,
             c.receives_invitations)
            for c in db.session.scalars(db.select(Contact).order_by(Contact.id))
        ]
        return units, contacts
