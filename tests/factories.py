"""Factory helpers with good defaults; call inside an app context, then commit."""
from __future__ import annotations

import itertools

from werkzeug.security import generate_password_hash

from eventsite.accounts.models import User
from eventsite.extensions import db, now_utc
from eventsite.members.models import Contact, MemberUnit, Tag

_seq = itertools.count(1)
PASSWORD = "correct horse battery staple"


def make_unit(**fields) -> MemberUnit:
    n = next(_seq)
    tags = fields.pop("tags", [])
    unit = MemberUnit(
        **{
            "kind": "prefecture_city",
            "name_zh": f"测试市{n}",
            "name_en": f"Test City {n}",
            "country": "CN",
            "province": "CN-SC",
            **fields,
        }
    )
    unit.tags = [get_tag(t) if isinstance(t, str) else t for t in tags]
    db.session.add(unit)
    db.session.flush()
    return unit


def get_tag(name: str) -> Tag:
    tag = db.session.scalar(db.select(Tag).filter_by(name=name))
    if tag is None:
        tag = Tag(name=name)
        db.session.add(tag)
    return tag


def make_contact(unit: MemberUnit, **fields) -> Contact:
    n = next(_seq)
    contact = Contact(
        **{
            "unit": unit,
            "role": "mayor",
            "name_zh": f"张{n}",
            "name_latin": f"Zhang {n}",
            "email": f"contact{n}@example.org",
            "language": "zh",
            **fields,
        }
    )
    db.session.add(contact)
    db.session.flush()
    return contact


def make_user(role: str = "organizer", unit: MemberUnit | None = None, **fields) -> User:
    n = next(_seq)
    password = fields.pop("password", PASSWORD)
    user = User(
        **{
            "email": f"user{n}@example.org",
            "name": f"User {n}",
            "role": role,
            "unit": unit,
            "password_hash": generate_password_hash(password, method="scrypt:1024:8:1")
            if password
            else None,
            "activated_at": now_utc() if password else None,
            **fields,
        }
    )
    db.session.add(user)
    db.session.flush()
    return user
