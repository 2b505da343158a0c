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


# --- events (organizer-side helper owns these) ---------------------------------------------

def make_event(**fields):
    """A published two-day forum in Shanghai, 30 days from now, unless `fields` say otherwise."""
    from datetime import timedelta

    from eventsite.events.models import Event

    n = next(_seq)
    starts_at = fields.pop("starts_at", None) or (now_utc() + timedelta(days=30)).replace(
        minute=0, second=0, microsecond=0)
    event = Event(
        **{
            "kind": "forum",
            "status": "published",
            "title_en": f"Test Forum {n}",
            "title_zh": f"测试论坛{n}",
            "city": "Shanghai",
            "country": "CN",
            "timezone": "Asia/Shanghai",
            "starts_at": starts_at,
            "ends_at": fields.pop("ends_at", None) or starts_at + timedelta(days=1, hours=8),
            "published_at": now_utc(),
            **fields,
        }
    )
    if event.status != "published":
        event.published_at = fields.get("published_at")
    db.session.add(event)
    db.session.flush()
    return event


def make_session(event, **fields):
    """A one-hour plenary at the start of `event` (or at `starts_at`)."""
    from datetime import timedelta

    from eventsite.events.models import AgendaSession

    n = next(_seq)
    starts_at = fields.pop("starts_at", None) or event.starts_at
    session = AgendaSession(
        **{
            "event": event,
            "kind": "plenary",
            "title_en": f"Session {n}",
            "title_zh": f"会议{n}",
            "starts_at": starts_at,
            "ends_at": fields.pop("ends_at", None) or starts_at + timedelta(hours=1),
            **fields,
        }
    )
    db.session.add(session)
    db.session.flush()
    return session
