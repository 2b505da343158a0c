"""On site: check-in staff accounts (role "checkin") and the events they work
(checkin_assignment), check-ins at the event's door (checkin) and at sessions (session_checkin),
and the code a badge's QR carries (delegate.badge_code).

Revision ID: d5e7f9a1b234
Revises: c4f6a8b0d123
Create Date: 2026-12-05 21:10:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'd5e7f9a1b234'
down_revision = 'c4f6a8b0d123'
branch_labels = None
depends_on = None

METHODS = "method IN ('scan', 'search', 'walk_in', 'manual')"


def _scan_columns():
    return [
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('scanned_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('method', sa.String(length=16), nullable=False),
        sa.Column('scan_id', sa.String(length=64), nullable=True),
        sa.Column('device', sa.String(length=64), nullable=False),
        sa.Column('event_id', sa.Integer(), nullable=False),
        sa.Column('delegate_id', sa.Integer(), nullable=False),
        sa.Column('by_id', sa.Integer(), nullable=True),
    ]


def _scan_keys(table):
    return [
        sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f(f'fk_{table}_event_id_event'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['delegate_id'], ['delegate.id'],
                                name=op.f(f'fk_{table}_delegate_id_delegate'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['by_id'], ['user_account.id'], name=op.f(f'fk_{table}_by_id_user_account'),
                                ondelete='SET NULL'),
        sa.CheckConstraint(METHODS, name=op.f(f'ck_{table}_method')),
        sa.PrimaryKeyConstraint('id', name=op.f(f'pk_{table}')),
        sa.UniqueConstraint('scan_id', name=op.f(f'uq_{table}_scan_id')),
    ]


def upgrade():
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_user_account_role'), type_='check')
        batch_op.create_check_constraint('role', "role IN ('admin', 'organizer', 'liaison', 'checkin')")
    with op.batch_alter_table('delegate', schema=None) as batch_op:
        batch_op.add_column(sa.Column('badge_code', sa.String(length=32), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_delegate_badge_code'), ['badge_code'])

    op.create_table(
        'checkin_assignment',
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('event_id', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_checkin_assignment_event_id_event'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['user_id'], ['user_account.id'],
                                name=op.f('fk_checkin_assignment_user_id_user_account'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('user_id', 'event_id', name=op.f('pk_checkin_assignment')),
    )
    op.create_index(op.f('ix_checkin_assignment_event_id'), 'checkin_assignment', ['event_id'])

    op.create_table('checkin', *_scan_columns(), *_scan_keys('checkin'),
                    sa.UniqueConstraint('event_id', 'delegate_id', name=op.f('uq_checkin_event_id_delegate_id')))
    op.create_index(op.f('ix_checkin_delegate_id'), 'checkin', ['delegate_id'])
    op.create_index('ix_checkin_event_scanned', 'checkin', ['event_id', 'scanned_at'])

    op.create_table('session_checkin', *_scan_columns(),
                    sa.Column('session_id', sa.Integer(), nullable=False),
                    *_scan_keys('session_checkin'),
                    sa.ForeignKeyConstraint(['session_id'], ['agenda_session.id'],
                                            name=op.f('fk_session_checkin_session_id_agenda_session'),
                                            ondelete='CASCADE'),
                    sa.UniqueConstraint('session_id', 'delegate_id', name=op.f('uq_session_checkin_session_id_delegate_id')))
    op.create_index(op.f('ix_session_checkin_delegate_id'), 'session_checkin', ['delegate_id'])
    op.create_index(op.f('ix_session_checkin_event_id'), 'session_checkin', ['event_id'])


def downgrade():
    op.drop_table('session_checkin')
    op.drop_table('checkin')
    op.drop_table('checkin_assignment')
    with op.batch_alter_table('delegate', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_delegate_badge_code'), type_='unique')
        batch_op.drop_column('badge_code')
    op.execute("DELETE FROM user_account WHERE role = 'checkin'")
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_user_account_role'), type_='check')
        batch_op.create_check_constraint('role', "role IN ('admin', 'organizer', 'liaison')")

