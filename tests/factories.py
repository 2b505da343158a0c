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
    """The tag called `name` ("Belt and Road", "一带一路" or "Belt and Road / 一带一路"), made if new."""
    from eventsite.members.tags import tags_named

    return tags_named([name])[0]


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
            "city_en": "Shanghai",
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


# --- invitations and delegations ------------------------------------------------------------

def make_invitation(event, unit, **fields):
    """A pending invitation with one link; returns (invitation, raw token of that link)."""
    from datetime import timedelta

    from eventsite.core.tokens import new_token
    from eventsite.invitations.models import Invitation, InvitationLink

    expires_at = fields.pop("expires_at", None) or event.registration_closes_at or (
        event.starts_at - timedelta(days=1))
    invitation = Invitation(
        **{"event_id": event.id, "unit_id": unit.id, "quota": event.default_quota,
           "state": "pending", "expires_at": expires_at, "last_sent_at": now_utc(), **fields}
    )
    db.session.add(invitation)
    db.session.flush()
    raw, digest = new_token()
    contact = next((c for c in unit.contacts if c.receives_invitations and c.email), None)
    db.session.add(InvitationLink(invitation_id=invitation.id, token_hash=digest,
                                  contact_id=contact.id if contact else None,
                                  email=contact.email if contact else ""))
    db.session.flush()
    return invitation, raw


def make_delegation(event, unit, *, invitation=None, people: int = 1, status: str = "confirmed"):
    """A delegation with `people` confirmed delegates (the first is the head); returns
    (delegation, head). Seats are counted as the services would."""
    from eventsite.delegations.models import Delegate, Delegation

    delegation = Delegation(event_id=event.id, unit_id=unit.id, status=status,
                            invitation_id=getattr(invitation, "id", None))
    db.session.add(delegation)
    db.session.flush()
    delegate_status = {"confirmed": "confirmed", "submitted": "pending"}.get(status, "removed")
    delegates = []
    for i in range(people):
        n = next(_seq)
        delegates.append(Delegate(
            delegation_id=delegation.id, event_id=event.id, position=i,
            role="head" if i == 0 else "member", status=delegate_status,
            family_name=f"Li{n}", given_name="Ming", name_zh=f"李明{n}",
            email=f"delegate{n}@example.org", language="zh",
            confirmed_at=now_utc() if delegate_status == "confirmed" else None,
        ))
    db.session.add_all(delegates)
    if delegate_status == "confirmed":
        event.seats_taken += people
    db.session.flush()
    return delegation, delegates[0]
