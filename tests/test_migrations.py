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


@pytest.mark.both_dbs
def test_upgrading_a_database_with_events_keeps_them_with_the_new_defaults(app_factory):
    """0003 adds NOT NULL columns to existing tables: rows already there get the defaults."""
    app = app_factory(create_tables=False)
    with app.app_context():
        upgrade(revision="9d9bf16295c0")  # events, before invitations and delegations
        with db.engine.begin() as conn:
            conn.execute(sa.text(
                "INSERT INTO member_unit (kind, name_zh, name_en, country, province, website, notes, "
                "is_active, created_at, updated_at) VALUES ('prefecture_city', '成都', 'Chengdu', "
                "'CN', 'CN-SC', '', '', true, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"))
            conn.execute(sa.text(
                "INSERT INTO event (uid, sequence, kind, status, title_en, title_zh, summary_en, "
                "summary_zh, description_en, description_zh, venue_name, venue_address, city, "
                "country, timezone, starts_at, ends_at, contact_name, contact_email, contact_phone, "
                "registration_mode, default_quota, approval_required, cancel_reason_en, "
                "cancel_reason_zh, created_at, updated_at) VALUES ('u@x', 0, 'forum', 'published', "
                "'Forum', '', '', '', '', '', '', '', '', 'CN', 'Asia/Shanghai', "
                "'2027-01-01 01:00:00+00:00', '2027-01-01 09:00:00+00:00', '', '', '', "
                "'all_members', 5, false, '', '', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"))
        upgrade()
        with db.engine.connect() as conn:
            assert conn.execute(sa.text("SELECT reminder_days, seats_taken FROM event")).one() == ("7,2", 0)
            assert conn.execute(sa.text("SELECT delegate_details FROM event")).scalar() == \
                "title,organization,mobile,dietary,accessibility,travel,notes"
            assert conn.execute(sa.text("SELECT feed_version FROM member_unit")).scalar() == 0
        with pytest.raises(sa.exc.IntegrityError):
            with db.engine.begin() as conn:
                conn.execute(sa.text("UPDATE event SET seats_taken = -1"))


@pytest.mark.both_dbs
def test_bilingual_places_migration_moves_each_old_value_to_its_language(app_factory):
    """0006: city / venue / address / room / tag name go to `_zh` when Chinese, else `_en`; units
    get their pinyin key; the constraints of the rebuilt tables still hold; downgrade restores."""
    app = app_factory(create_tables=False)
    with app.app_context():
        upgrade(revision="7e3b9c1f4a20")
        with db.engine.begin() as conn:
            conn.execute(sa.text(
                "INSERT INTO member_unit (id, kind, name_zh, name_en, country, province, website, notes, "
                "is_active, feed_version, created_at, updated_at) VALUES (1, 'new_area', '两江新区', "
                "'Liangjiang New Area', 'CN', 'CN-CQ', '', '', true, 0, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"))
            conn.execute(sa.text("INSERT INTO tag (id, name) VALUES (1, '一带一路'), (2, 'Smart cities')"))
            conn.execute(sa.text(
                "INSERT INTO event (id, uid, sequence, kind, status, title_en, title_zh, summary_en, "
                "summary_zh, description_en, description_zh, venue_name, venue_address, city, "
                "country, timezone, starts_at, ends_at, contact_name, contact_email, contact_phone, "
                "registration_mode, default_quota, approval_required, cancel_reason_en, "
                "cancel_reason_zh, delegate_details, reminder_days, seats_taken, created_at, updated_at) "
                "VALUES (1, 'u@x', 0, 'forum', 'published', 'Forum', '', '', '', '', '', "
                "'布鲁塞尔会议中心', 'Mont des Arts', 'Brussels', 'BE', 'Europe/Brussels', "
                "'2027-01-01 01:00:00+00:00', '2027-01-01 09:00:00+00:00', '', '', '', "
                "'all_members', 5, false, '', '', '', '7,2', 0, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"))
            conn.execute(sa.text(
                "INSERT INTO agenda_session (event_id, position, kind, track, title_en, title_zh, "
                "description_en, description_zh, starts_at, ends_at, room, speakers, delegates_choose, "
                "sequence) VALUES (1, 0, 'plenary', '', 'Opening', '', '', '', '2027-01-01 01:00:00+00:00', "
                "'2027-01-01 02:00:00+00:00', '主会场', '', false, 0)"))
        upgrade()
        with db.engine.connect() as conn:
            assert conn.execute(sa.text(
                "SELECT city_en, city_zh, venue_name_en, venue_name_zh, venue_address_en, venue_address_zh "
                "FROM event")).one() == ("Brussels", "", "", "布鲁塞尔会议中心", "Mont des Arts", "")
            assert conn.execute(sa.text("SELECT room_en, room_zh FROM agenda_session")).one() == ("", "主会场")
            assert conn.execute(sa.text("SELECT id, name_en, name_zh FROM tag ORDER BY id")).all() == [
                (1, "", "一带一路"), (2, "Smart cities", "")]
            assert conn.execute(sa.text("SELECT sort_key_zh FROM member_unit")).scalar().startswith(
                "liang03jiang01")
        for bad in ("UPDATE event SET ends_at = starts_at", "UPDATE tag SET name_zh = '' WHERE id = 1",
                    "INSERT INTO tag (id, name_en, name_zh) VALUES (9, 'Smart cities', '智慧城市')"):
            with pytest.raises(sa.exc.IntegrityError):
                with db.engine.begin() as conn:
                    conn.execute(sa.text(bad))
        with db.engine.begin() as conn:  # many tags have no name in one language
            conn.execute(sa.text("INSERT INTO tag (id, name_en, name_zh) VALUES (3, '', '智慧城市'), (4, '', '乡村振兴')"))

        downgrade(revision="7e3b9c1f4a20")
        with db.engine.connect() as conn:
            assert conn.execute(sa.text("SELECT city, venue_name FROM event")).one() == (
                "Brussels", "布鲁塞尔会议中心")
            assert conn.execute(sa.text("SELECT room FROM agenda_session")).scalar() == "主会场"
            assert conn.execute(sa.text("SELECT name FROM tag WHERE id = 2")).scalar() == "Smart cities"
