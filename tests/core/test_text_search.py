"""One text search (`core.listing.text_search`) for every filter box: `%` and `_` are plain
characters, and case is ignored for accented letters too, on SQLite as on PostgreSQL."""
from __future__ import annotations

import pytest

from eventsite.audit.models import AuditEntry
from eventsite.core.listing import text_search
from eventsite.extensions import db
from eventsite.mail.models import OutboxMessage
from eventsite.mail.queries import outbox_query
from eventsite.members.models import MemberUnit
from eventsite.members.queries import DirectoryFilters, directory_query

from ..factories import make_delegation, make_event, make_unit, make_user

pytestmark = pytest.mark.both_dbs

NAMES = ("100% Città", "1000 Città", "Ærø_Island", "ÆrøXIsland", "成都市")


def found(q: str) -> set[str]:
    return set(db.session.scalars(db.select(MemberUnit.name_en).where(text_search(q, MemberUnit.name_en))))


def test_wildcards_are_plain_and_case_is_folded(app):
    with app.app_context():
        for name in NAMES:
            make_unit(name_en=name)
        assert found("0%") == {"100% Città"}
        assert found("%") == {"100% Città"}
        assert found("ø_i") == {"Ærø_Island"}
        assert found("_") == {"Ærø_Island"}
        assert found("\\") == set()
        assert found("CITTÀ") == {"100% Città", "1000 Città"}
        assert found("ærø") == {"Ærø_Island", "ÆrøXIsland"}
        assert found("成都") == {"成都市"}
        f = DirectoryFilters(q="ÆRØ_", status="all")
        assert [u.name_en for u in db.session.scalars(directory_query(f))] == ["Ærø_Island"]


def test_every_filter_box_takes_percent_literally(app, admin_client, organizer_client):
    with app.app_context():
        unit = make_unit(name_en="Å 50% unit")
        other = make_unit(name_en="Plain unit")
        make_user(email="percent%user@example.org", name="Émile 50%", role="liaison", unit=unit)
        make_user(email="plain@example.org", name="Plain", role="liaison", unit=other)
        event = make_event()
        for u in (unit, other):
            make_delegation(event, u)
        db.session.add_all([OutboxMessage(kind="test", to_addr=a, to_name=n, subject="s", body_text="b",
                                          message_id=f"<{a}>", sender="site@example.org")
                            for a, n in (("x@example.org", "ÉLODIE 5%"), ("y@example.org", "Yves"))])
        db.session.add(AuditEntry(action="test.action", actor_label="émile%@example.org", details={}))
        db.session.commit()
        assert [m.to_addr for m in db.session.scalars(outbox_query(search="élodie 5%"))] == ["x@example.org"]
        event_id = event.id
    users = admin_client.get("/admin/users/?q=%C3%A9MILE%2050%25").get_data(as_text=True)
    assert "percent%user@example.org" in users and "plain@example.org" not in users
    audit = admin_client.get("/admin/audit/?actor=%C3%89MILE%25").get_data(as_text=True)
    assert "émile%@example.org" in audit
    assert "émile%@example.org" not in admin_client.get("/admin/audit/?actor=%C3%A9%25").get_data(as_text=True)
    overview = organizer_client.get(f"/organizer/events/{event_id}/delegations?q=%C3%A5%2050%25")
    assert "Å 50% unit" in overview.get_data(as_text=True)
    assert "Plain unit" not in overview.get_data(as_text=True)
