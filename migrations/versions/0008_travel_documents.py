"""Travel documents on delegate: passport name and number, nationality, date of birth, passport
expiry; stored encrypted (eventsite/core/crypto.py), so every column is text.

Revision ID: 5c1f0e7a9b22
Revises: 3b8e61d4c0f7
Create Date: 2026-12-05 18:30:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '5c1f0e7a9b22'
down_revision = '3b8e61d4c0f7'
branch_labels = None
depends_on = None

TEXT_COLUMNS = ('passport_name', 'passport_number', 'nationality')
DATE_COLUMNS = ('birth_date', 'passport_expiry')


def upgrade():
    with op.batch_alter_table('delegate', schema=None) as batch_op:
        for name in TEXT_COLUMNS:
            batch_op.add_column(sa.Column(name, sa.Text(), nullable=False, server_default=''))
        for name in DATE_COLUMNS:
            batch_op.add_column(sa.Column(name, sa.Text(), nullable=True))
    # The model gives the default; the server default only filled the rows that existed.
    with op.batch_alter_table('delegate', schema=None) as batch_op:
        for name in TEXT_COLUMNS:
            batch_op.alter_column(name, server_default=None)


def downgrade():
    with op.batch_alter_table('delegate', schema=None) as batch_op:
        for name in TEXT_COLUMNS + DATE_COLUMNS:
            batch_op.drop_column(name)
