"""Place names and tags in both languages; the pinyin sort key of member units.

event.city / venue_name / venue_address, agenda_session.room and tag.name each become an
`_en` / `_zh` pair: the old value goes to `_zh` when it contains Chinese characters, else to
`_en`. member_unit.sort_key_zh is filled from each unit's name (core/collation.py).

Revision ID: 3f6d2a8c9e51
Revises: 7e3b9c1f4a20
Create Date: 2026-12-05 05:10:00.000000

"""
import re

import sqlalchemy as sa
from alembic import op

from eventsite.core.collation import KEY_LENGTH, sort_key

# revision identifiers, used by Alembic.
revision = '3f6d2a8c9e51'
down_revision = '7e3b9c1f4a20'
branch_labels = None
depends_on = None

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
# (table, old column, its length)
PAIRS = (("event", "venue_name", 300), ("event", "venue_address", 500), ("event", "city", 200),
         ("agenda_session", "room", 200), ("tag", "name", 100))


def _language(value: str) -> str:
    return "zh" if _HAN.search(value or "") else "en"


def _add_pairs(table: str) -> None:
    with op.batch_alter_table(table, schema=None) as batch_op:
        for name, old, length in PAIRS:
            if name == table:
                for lang in ("en", "zh"):
                    batch_op.add_column(sa.Column(f"{old}_{lang}", sa.String(length=length), nullable=False,
                                                  server_default=''))


def _copy_forward(conn, table: str) -> None:
    for name, old, _length in PAIRS:
        if name != table:
            continue
        rows = conn.execute(sa.text(f"SELECT id, {old} FROM {table}")).all()
        for row_id, value in rows:
            if value:
                conn.execute(sa.text(f"UPDATE {table} SET {old}_{_language(value)} = :v WHERE id = :id"),
                             {"v": value, "id": row_id})


def upgrade():
    conn = op.get_bind()
    for table in ("event", "agenda_session", "tag"):
        _add_pairs(table)
        _copy_forward(conn, table)
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.drop_column('venue_name')
        batch_op.drop_column('venue_address')
        batch_op.drop_column('city')
    with op.batch_alter_table('agenda_session', schema=None) as batch_op:
        batch_op.drop_column('room')
    with op.batch_alter_table('tag', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('uq_tag_name'), type_='unique')
        batch_op.drop_column('name')
        batch_op.create_check_constraint(op.f('ck_tag_has_name'), "name_en <> '' OR name_zh <> ''")
    op.create_index('uq_tag_name_en', 'tag', ['name_en'], unique=True,
                    sqlite_where=sa.text("name_en <> ''"), postgresql_where=sa.text("name_en <> ''"))
    op.create_index('uq_tag_name_zh', 'tag', ['name_zh'], unique=True,
                    sqlite_where=sa.text("name_zh <> ''"), postgresql_where=sa.text("name_zh <> ''"))

    with op.batch_alter_table('member_unit', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sort_key_zh', sa.String(length=KEY_LENGTH), nullable=False,
                                      server_default=''))
    for unit_id, name_zh, name_en in conn.execute(sa.text("SELECT id, name_zh, name_en FROM member_unit")).all():
        conn.execute(sa.text("UPDATE member_unit SET sort_key_zh = :k WHERE id = :id"),
                     {"k": sort_key(name_zh or name_en, "zh"), "id": unit_id})


def downgrade():
    conn = op.get_bind()
    with op.batch_alter_table('member_unit', schema=None) as batch_op:
        batch_op.drop_column('sort_key_zh')
    op.drop_index('uq_tag_name_zh', table_name='tag')
    op.drop_index('uq_tag_name_en', table_name='tag')
    for table in ("event", "agenda_session", "tag"):
        columns = [(old, length) for name, old, length in PAIRS if name == table]
        with op.batch_alter_table(table, schema=None) as batch_op:
            for old, length in columns:
                batch_op.add_column(sa.Column(old, sa.String(length=length), nullable=False, server_default=''))
        for old, _length in columns:
            # The English value where there is one (the old pages were English-first).
            conn.execute(sa.text(f"UPDATE {table} SET {old} = CASE WHEN {old}_en <> '' THEN {old}_en "
                                 f"ELSE {old}_zh END"))
        with op.batch_alter_table(table, schema=None) as batch_op:
            if table == "tag":
                batch_op.drop_constraint(op.f('ck_tag_has_name'), type_='check')
            for old, _length in columns:
                batch_op.drop_column(f"{old}_en")
                batch_op.drop_column(f"{old}_zh")
            if table == "tag":
                batch_op.create_unique_constraint(op.f('uq_tag_name'), ['name'])
