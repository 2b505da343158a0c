"""`flask users create-admin` and `flask users list`."""
from __future__ import annotations

import sqlalchemy as sa

from eventsite.accounts.models import User
from eventsite.audit.models import AuditEntry
from eventsite.extensions import db

from ..factories import make_user
from .helpers import post_login


def test_create_admin_with_password_option(app, runner):
    result = runner.invoke(args=["users", "create-admin", "--email", " Boss@Example.org ", "--name", "Boss",
                                 "--password", "long enough secret"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        user = db.session.scalar(sa.select(User).filter_by(email="boss@example.org"))
        assert user.role == "admin" and user.is_active and user.activated_at is not None
        entry = db.session.scalars(sa.select(AuditEntry).filter_by(action="user.create")).one()
        assert entry.details["via"] == "cli" and "long enough secret" not in str(entry.details)
    assert post_login(app.test_client(), "boss@example.org", "long enough secret").status_code == 302


def test_create_admin_prompts_twice_when_no_password_given(app, runner):
    result = runner.invoke(args=["users", "create-admin", "--email", "p@example.org"],
                           input="typed secret 123\ntyped secret 123\n")
    assert result.exit_code == 0, result.output
    assert "typed secret" not in result.output  # hidden input
    assert post_login(app.test_client(), "p@example.org", "typed secret 123").status_code == 302


def test_create_admin_refuses_duplicate_and_short_password(app, runner):
    with app.app_context():
        make_user(email="taken@example.org")
        db.session.commit()
    result = runner.invoke(args=["users", "create-admin", "--email", "TAKEN@example.org",
                                 "--password", "long enough secret"])
    assert result.exit_code != 0 and "already exists" in result.output
    result = runner.invoke(args=["users", "create-admin", "--email", "new@example.org", "--password", "short"])
    assert result.exit_code != 0 and "at least 10" in result.output
    result = runner.invoke(args=["users", "create-admin", "--email", "bad\naddress@example.org",
                                 "--password", "long enough secret"])
    assert result.exit_code != 0
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(User.id))) == 1


def test_list_users(app, runner):
    assert "No accounts yet" in runner.invoke(args=["users", "list"]).output
    with app.app_context():
        make_user(email="a@example.org", role="admin")
        make_user(email="b@example.org", password=None)
        db.session.commit()
    output = runner.invoke(args=["users", "list"]).output
    assert "a@example.org\tadmin\tactive" in output
    assert "b@example.org\torganizer\tpending" in output
