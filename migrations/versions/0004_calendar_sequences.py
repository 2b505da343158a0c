"""Calendar sequences: an agenda session's own SEQUENCE, and the last SEQUENCE mailed to each
delegate (so a CANCEL to one person is always higher than the REQUEST they hold).

Revision ID: 5c1e7a9d2b44
Revises: a0a3eda726df
Create Date: 2026-12-01 10:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '5c1e7a9d2b44'
down_revision = 'a0a3eda726df'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('agenda_session', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sequence', sa.Integer(), nullable=False, server_default='0'))
        batch_op.create_check_constraint(batch_op.f('ck_agenda_session_sequence'), 'sequence >= 0')
    with op.batch_alter_table('agenda_session', schema=None) as batch_op:
        batch_op.alter_column('sequence', server_default=None)

    with op.batch_alter_table('delegate', schema=None) as batch_op:
        batch_op.add_column(sa.Column('calendar_sequence', sa.Integer(), nullable=True))
        batch_op.create_check_constraint(
            batch_op.f('ck_delegate_calendar_sequence'),
            'calendar_sequence IS NULL OR calendar_sequence >= 0')


def downgrade():
    with op.batch_alter_table('delegate', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_delegate_calendar_sequence'), type_='check')
        batch_op.drop_column('calendar_sequence')

    with op.batch_alter_table('agenda_session', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_agenda_session_sequence'), type_='check')
        batch_op.drop_column('sequence')
