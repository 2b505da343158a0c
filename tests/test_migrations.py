"""The committed migrations build the same schema as the models, both ways, on both databases."""
from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask_migrate import check, downgrade, upgrade

from eventsite.extensions import db


@pytest.mark.both_dbs
def test_upgrade_downgrade_upgrade_and_check(app_factory):
    app = app_factory(create_tables=False)
    with app.app_context():
        upgrade()
        tables = set(sa.inspect(db.engine).get_table_names())
        assert {"user_account", "member_unit", "contact", "outbox_message", "audit_entry"} <= tables

        downgrade(revision="base")
        left = set(sa.inspect(db.engine).get_table_names()) - {"alembic_version"}
        assert left == set()

        upgrade()
        # Raises when the models and the migrations disagree (what `flask db check` reports).
        check()


@pytest.mark.both_dbs
def test_migrated_schema_enforces_constraints(app_factory):
    """The database itself refuses a liaison without a unit (a check constraint in the migration)."""
    app = app_factory(create_tables=False)
    with app.app_context():
        upgrade()
        with pytest.raises(sa.exc.IntegrityError):
            with db.engine.begin() as conn:
                conn.execute(
                    sa.text(
                        "INSERT INTO user_account (email, name, role, is_active, timezone, "
                        "session_token, created_at) VALUES ('x@example.org', 'x', 'liaison', "
                        "true, 'UTC', 't', CURRENT_TIMESTAMP)"
                    )
                )
