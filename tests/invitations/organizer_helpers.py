"""Test data for the organizers' side of invitations: an open event and a small directory."""
from __future__ import annotations

import re
from contextlib import contextmanager
from datetime import timedelta

import sqlalchemy as sa

from eventsite.extensions import db, now_utc
from eventsite.mail.services import Content

from .. import factories

CONTENT = Content(
    subject_en="Invitation: {event}", body_en="Dear {contact},\n\n{unit} is invited to {event} "
    "with {quota} seats until {deadline}.\n\nAnswer here: {link}",
    subject_zh="邀请函：{event}", body_zh="尊敬的{contact}：\n\n诚邀{unit}参加{event}，名额{quota}人，截止{deadline}。\n\n{link}",
)
LINK = re.compile(r"https?://eventsite\.test/events/(\d+)/invitation/([A-Za-z0-9_-]{43})")


def directory(app, **event_fields) -> dict:
    """An event closing registration in 10 days and four units:
    alpha (zh mayor + en liaison, tag "pair", county-level city), beta (en mayor, Guangdong),
    gamma (only a contact who does not receive invitations), and an inactive unit."""
    with app.app_context():
        event = factories.make_event(
            title_en="Cities Forum", title_zh="城市论坛", venue_name_en="Expo Centre",
            registration_closes_at=now_utc() + timedelta(days=10), default_quota=3, **event_fields)
        alpha = factories.make_unit(name_en="Alpha City", name_zh="阿尔法市", kind="county_city",
                                    tags=["pair"])
        beta = factories.make_unit(name_en="Beta City", name_zh="贝塔市", province="CN-GD")
        gamma = factories.make_unit(name_en="Gamma Town", name_zh="伽马镇", kind="town")
        gone = factories.make_unit(name_en="Gone City", is_active=False)
        factories.make_contact(alpha, role="mayor", language="zh", email="mayor.a@example.org",
                               name_zh="王市长", name_latin="Wang")
        factories.make_contact(alpha, role="liaison", language="en", email="office.a@example.org",
                               name_latin="Anna Office")
        factories.make_contact(beta, role="mayor", language="en", email="mayor.b@example.org",
                               name_latin="Bob Mayor")
        factories.make_contact(gamma, role="other", email="press@example.org",
                               receives_invitations=False)
        factories.make_contact(gone, role="mayor", email="gone@example.org")
        organizer = factories.make_user(role="organizer")
        db.session.commit()
        return {"event": event.id, "alpha": alpha.id, "beta": beta.id, "gamma": gamma.id,
                "gone": gone.id, "organizer": organizer.id, "tag": alpha.tags[0].id}


def counts(*models) -> list[int]:
    return [db.session.scalar(sa.select(sa.func.count()).select_from(m)) for m in models]


@contextmanager
def statements():
    """Collect the SQL statements run inside the block."""
    seen: list[str] = []

    def listener(*args):
        seen.append(args[2])

    sa.event.listen(db.engine, "before_cursor_execute", listener)
    try:
        yield seen
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", listener)
